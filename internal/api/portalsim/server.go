package portalsim

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
	"time"
)

// Server serves a handler (usually a *Portal) on a loopback port and can
// stop listening and start again on the same port: in between, clients get
// "connection refused", the failure of a portal or proxy that is down. It
// is for tests; Close it when done.
type Server struct {
	URL string // http://127.0.0.1:PORT

	h    http.Handler
	addr string

	mu   sync.Mutex
	srv  *http.Server
	done chan struct{}
}

// NewServer listens on a free loopback port and serves h.
func NewServer(h http.Handler) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Server{h: h, addr: ln.Addr().String()}
	s.URL = "http://" + s.addr
	s.serve(ln)
	return s, nil
}

func (s *Server) serve(ln net.Listener) {
	srv := &http.Server{Handler: s.h, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ln)
	}()
	s.srv, s.done = srv, done
}

// Refuse closes the listener and every open connection: until Accept,
// connections to the port are refused.
func (s *Server) Refuse() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stop()
}

func (s *Server) stop() {
	if s.srv == nil {
		return
	}
	_ = s.srv.Close()
	<-s.done
	s.srv, s.done = nil, nil
}

// Accept listens on the same port again. It retries for a moment in case
// the port is still being released.
func (s *Server) Accept() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv != nil {
		return nil
	}
	var err error
	for range 50 {
		var ln net.Listener
		if ln, err = net.Listen("tcp", s.addr); err == nil {
			s.serve(ln)
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return err
}

// Close stops serving for good.
func (s *Server) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stop()
}

// Shutdown stops serving after the requests under way have finished, or
// when ctx ends.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv == nil {
		return nil
	}
	err := s.srv.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		_ = s.srv.Close()
	}
	<-s.done
	s.srv, s.done = nil, nil
	return err
}
