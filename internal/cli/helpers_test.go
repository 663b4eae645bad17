package cli

import (
	"bytes"
	"context"
	"errors"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/linedesk/linedesk/internal/api/portalsim"
	"github.com/linedesk/linedesk/internal/config"
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
	env        map[string]string // LINEDESK_CONFIG defaults to a file in a fresh directory
	stdin      io.Reader
	terminal   bool // stdin and stdout count as a terminal
	ctx        context.Context
	dashboard  func(context.Context, dashboardOptions) error
	httpClient *http.Client
	secrets    config.SecretStore // nil: a keyring that is not there
	logPath    string             // "": a file in a fresh directory
	form       func(context.Context, initForm) (initAnswers, error)
	editor     func(context.Context, []string) error
	xdgPaths   bool // leave the config file and the log where XDG puts them (tests that set XDG_*_HOME)
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
	code := run(ctx, args, testDeps(t, o, stdin, &stdout, &stderr))
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// testDeps isolates a run: its config file and log live in fresh
// directories unless o names them, the keyring is a fake, and nothing
// reaches the real terminal.
func testDeps(t *testing.T, o runOpts, stdin io.Reader, stdout, stderr io.Writer) deps {
	dash := o.dashboard
	if dash == nil {
		dash = func(context.Context, dashboardOptions) error { return nil }
	}
	env := map[string]string{}
	maps.Copy(env, o.env)
	if _, ok := o.env[config.EnvConfig]; !ok && !o.xdgPaths {
		env[config.EnvConfig] = filepath.Join(t.TempDir(), "config.toml")
	}
	logPath := o.logPath
	if logPath == "" && !o.xdgPaths {
		logPath = filepath.Join(t.TempDir(), "state", "linedesk.log")
	}
	store := o.secrets
	if store == nil {
		store = &fakeKeyring{err: errors.New("no keyring in tests")}
	}
	form := o.form
	if form == nil {
		form = func(context.Context, initForm) (initAnswers, error) {
			t.Error("init asked questions the test did not expect")
			return initAnswers{}, errFormCancelled
		}
	}
	editor := o.editor
	if editor == nil {
		editor = func(context.Context, []string) error {
			t.Error("an editor ran that the test did not expect")
			return errors.New("no editor in tests")
		}
	}
	return deps{
		stdin: stdin, stdout: stdout, stderr: stderr,
		env:        func(k string) string { return env[k] },
		environ:    func() []string { return []string{"TERM=xterm-256color"} },
		isTerminal: func(any) bool { return o.terminal },
		now:        func() time.Time { return testNow },
		httpClient: o.httpClient,
		// Tests make many requests in a row; the simulator keeps its own bucket.
		limiter: rate.NewLimiter(rate.Inf, 0),
		// Retry backoffs happen at once; the client's tests check the waits.
		sleep:     func(ctx context.Context, _ time.Duration) error { return ctx.Err() },
		dashboard: dash,
		secrets:   store,
		logPath:   logPath,
		form:      form,
		editor:    editor,
	}
}

// fakeKeyring is an in-memory SecretStore; err makes every call fail, like
// a machine without a keyring.
type fakeKeyring struct {
	mu  sync.Mutex
	m   map[string]string
	err error
}

func (k *fakeKeyring) Get(p string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.err != nil {
		return "", k.err
	}
	s, ok := k.m[p]
	if !ok {
		return "", config.ErrSecretNotFound
	}
	return s, nil
}

func (k *fakeKeyring) Set(p, s string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.err != nil {
		return k.err
	}
	if k.m == nil {
		k.m = map[string]string{}
	}
	k.m[p] = s
	return nil
}

func (k *fakeKeyring) Delete(p string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.m, p)
	return k.err
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
