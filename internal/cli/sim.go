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
	cmd := &cobra.Command{
		Use:   "sim",
		Short: "Run a simulated Bitrix24 portal to try linedesk without a real one",
		Long: "Run a simulated portal over plain HTTP on a loopback address. The first line on\n" +
			"stdout is its webhook URL; give it to linedesk with --webhook or $B24_WEBHOOK_URL.\n" +
			"Sessions arrive, clients write and sessions close as time goes by. Ctrl+C stops it.",
		Example: "  linedesk sim --addr 127.0.0.1:8024 --sessions 200\n" +
			"  linedesk --webhook http://127.0.0.1:8024/rest/1/CODE/   # in another terminal",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if sessions < 0 {
				return usageErrorf("--sessions must be 0 or more, not %d", sessions)
			}
			if evolve < 0 {
				return usageErrorf("--evolve must be a duration of 0 (off) or more, such as 5s")
			}
			opts := portalsim.Options{Sessions: sessions, Seed: seed}
			if public {
				// On a reachable address a code derived from the seed would be
				// guessable; a random one is not.
				opts.Code = randomCode()
			}
			srv, err := startPortal(ctx, addr, public, opts)
			if err != nil {
				return err
			}
			fmt.Fprintln(a.d.stdout, srv.webhook)
			if public {
				fmt.Fprintf(a.d.stderr, "linedesk: warning: the simulated portal listens on %s over plain HTTP; anyone who can reach it and learns the code can use it\n", srv.addr)
			}
			fmt.Fprintf(a.d.stderr, "linedesk: simulated portal on %s (%d sessions, seed %d); point linedesk at the URL above with --webhook or %s; Ctrl+C stops it\n",
				srv.addr, sessions, seed, envWebhook)
			if evolve > 0 {
				go srv.portal.Run(ctx, evolve)
			}
			<-ctx.Done()
			return srv.stop()
		},
	}
	f := cmd.Flags()
	f.StringVar(&addr, "addr", "127.0.0.1:0", "HOST:PORT to listen on (port 0 picks a free one)")
	f.IntVar(&sessions, "sessions", 40, "current sessions of the webhook's operator")
	f.Int64Var(&seed, "seed", 1, "seed of the generated data (same seed, same portal)")
	f.DurationVar(&evolve, "evolve", 5*time.Second, "how often sessions arrive, change and close (0 = never)")
	f.BoolVar(&public, "public", false, "allow a non-loopback --addr such as 0.0.0.0:8024 (plain HTTP: only on a trusted network)")
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
func startPortal(ctx context.Context, addr string, public bool, opts portalsim.Options) (*simServer, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, usageErrorf("--addr %q is not HOST:PORT, e.g. 127.0.0.1:8024", addr)
	}
	if !public && !isLoopbackHost(host) {
		return nil, usageErrorf("--addr %s is not a loopback address: the simulator serves plain HTTP with a known code; "+
			"use 127.0.0.1:PORT, or pass --public to allow it", addr)
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, usageErrorf("cannot listen on %s: %s — choose another --addr", addr, listenReason(err))
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
func (s *simServer) stop() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := s.http.Shutdown(ctx)
	if serveErr := <-s.done; !errors.Is(serveErr, http.ErrServerClosed) && serveErr != nil {
		return &cliError{code: exitFailure, msg: "the simulated portal stopped: " + serveErr.Error(), err: serveErr}
	}
	if err != nil {
		return &cliError{code: exitFailure, msg: "the simulated portal did not stop cleanly: " + err.Error(), err: err}
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
