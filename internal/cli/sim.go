package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/linedesk/linedesk/internal/api/portalsim"
)

func (a *app) simCmd() *cobra.Command {
	var (
		addr     string
		sessions int
		seed     int64
		evolve   time.Duration
		public   bool
	)
	t := a.t
	cmd := &cobra.Command{
		Use:     "sim",
		Short:   t.SimShort,
		Long:    t.SimLong,
		Example: t.SimExample,
		Args:    a.noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if sessions < 0 {
				return usageErrorf(t.SimBadSessions, sessions)
			}
			if evolve < 0 {
				return usageErrorf("%s", t.SimBadEvolve)
			}
			opts := portalsim.Options{Sessions: sessions, Seed: seed}
			if public {
				// On a reachable address a code derived from the seed would be
				// guessable; a random one is not.
				opts.Code = randomCode()
			}
			srv, err := startPortal(ctx, t, addr, public, opts)
			if err != nil {
				return err
			}
			fmt.Fprintln(a.d.stdout, srv.webhook)
			if public {
				fmt.Fprintln(a.d.stderr, "linedesk: "+fmt.Sprintf(t.SimPublicWarn, srv.addr))
			}
			fmt.Fprintln(a.d.stderr, "linedesk: "+fmt.Sprintf(t.SimNote, srv.addr, a.lang.N(sessions, t.Sessions), seed))
			if evolve > 0 {
				go srv.portal.Run(ctx, evolve)
			}
			<-ctx.Done()
			return srv.stop(t)
		},
	}
	f := cmd.Flags()
	f.StringVar(&addr, "addr", "127.0.0.1:0", t.FlagAddr)
	f.IntVar(&sessions, "sessions", 40, t.FlagSessions)
	f.Int64Var(&seed, "seed", 1, t.FlagSeed)
	f.DurationVar(&evolve, "evolve", 5*time.Second, t.FlagEvolve)
	f.BoolVar(&public, "public", false, t.FlagPublic)
	return cmd
}

// simServer is a portalsim served over HTTP on a listener of its own.
type simServer struct {
	portal  *portalsim.Portal
	addr    string // the address it listens on
	webhook string // a webhook URL that reaches it from this machine
	http    *http.Server
	done    chan error
}

// startPortal listens on addr (loopback only unless public) and serves a new
// simulated portal until stop is called.
func startPortal(ctx context.Context, t *text, addr string, public bool, opts portalsim.Options) (*simServer, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, usageErrorf(t.SimBadAddr, addr)
	}
	if !public && !isLoopbackHost(host) {
		return nil, usageErrorf(t.SimNotLoopback, addr)
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, usageErrorf(t.SimCannotListen, addr, listenReason(err))
	}
	p := portalsim.New(opts)
	s := &simServer{
		portal: p,
		addr:   ln.Addr().String(),
		http:   &http.Server{Handler: p, ReadHeaderTimeout: 10 * time.Second},
		done:   make(chan error, 1),
	}
	s.webhook = p.WebhookURL("http://" + reachableAddr(ln.Addr()))
	go func() { s.done <- s.http.Serve(ln) }()
	return s, nil
}

// stop shuts the server down gracefully: in-flight requests may finish.
func (s *simServer) stop(t *text) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := s.http.Shutdown(ctx)
	if serveErr := <-s.done; !errors.Is(serveErr, http.ErrServerClosed) && serveErr != nil {
		return &cliError{code: exitFailure, msg: fmt.Sprintf(t.SimStopped, serveErr.Error()), err: serveErr}
	}
	if err != nil {
		return &cliError{code: exitFailure, msg: fmt.Sprintf(t.SimNotStopped, err.Error()), err: err}
	}
	return nil
}

// reachableAddr turns a wildcard listen address (0.0.0.0, ::) into one a
// client on this machine can dial.
func reachableAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return a.String()
	}
	if tcp.IP == nil || tcp.IP.IsUnspecified() {
		return net.JoinHostPort("127.0.0.1", fmt.Sprint(tcp.Port))
	}
	return tcp.String()
}

func listenReason(err error) string {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return op.Err.Error()
	}
	return err.Error()
}

func randomCode() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b)
}
