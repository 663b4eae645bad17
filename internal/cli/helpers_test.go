package cli

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/linedesk/linedesk/internal/api/portalsim"
)

// testNow is the clock of every in-process run.
var testNow = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// result is what one in-process run of linedesk produced.
type result struct {
	code           int
	stdout, stderr string
}

// runOpts configures one in-process run.
type runOpts struct {
	env        map[string]string
	stdin      io.Reader
	terminal   bool // stdin and stdout count as a terminal
	ctx        context.Context
	dashboard  func(context.Context, dashboardOptions) error
	httpClient *http.Client
}

// runCLI runs linedesk in-process with args and captures everything.
func runCLI(t *testing.T, o runOpts, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	ctx := o.ctx
	if ctx == nil {
		ctx = t.Context()
	}
	stdin := o.stdin
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	code := run(ctx, args, testDeps(o, stdin, &stdout, &stderr))
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

func testDeps(o runOpts, stdin io.Reader, stdout, stderr io.Writer) deps {
	dash := o.dashboard
	if dash == nil {
		dash = func(context.Context, dashboardOptions) error { return nil }
	}
	return deps{
		stdin: stdin, stdout: stdout, stderr: stderr,
		env:        func(k string) string { return o.env[k] },
		environ:    func() []string { return []string{"TERM=xterm-256color"} },
		isTerminal: func(any) bool { return o.terminal },
		now:        func() time.Time { return testNow },
		httpClient: o.httpClient,
		// Tests make many requests in a row; the simulator keeps its own bucket.
		limiter: rate.NewLimiter(rate.Inf, 0),
		// Retry backoffs happen at once; the client's tests check the waits.
		sleep:     func(ctx context.Context, _ time.Duration) error { return ctx.Err() },
		dashboard: dash,
	}
}

// newSim serves a simulated portal over httptest on 127.0.0.1 and returns
// it with its webhook URL.
func newSim(t *testing.T, o portalsim.Options) (*portalsim.Portal, string) {
	t.Helper()
	if o.Rate == 0 {
		o.Rate = -1 // tests hammer the portal; the bucket has its own tests
	}
	p := portalsim.New(o)
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	return p, p.WebhookURL(srv.URL)
}

// requireOneLine checks the contract for stderr: exactly one line, starting
// with "linedesk:", containing none of the secrets.
func requireOneLine(t *testing.T, stderr string, secrets ...string) {
	t.Helper()
	if !strings.HasPrefix(stderr, "linedesk: ") || !strings.HasSuffix(stderr, "\n") ||
		strings.Count(stderr, "\n") != 1 {
		t.Fatalf("stderr is not one \"linedesk: …\" line: %q", stderr)
	}
	requireNoSecret(t, stderr, secrets...)
}

func requireNoSecret(t *testing.T, out string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if s != "" && strings.Contains(strings.ToLower(out), strings.ToLower(s)) {
			t.Fatalf("output contains the secret %q: %q", s, out)
		}
	}
}

// countingTransport counts the HTTP requests a client tried to make.
type countingTransport struct{ n atomic.Int64 }

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return http.DefaultTransport.RoundTrip(r)
}
