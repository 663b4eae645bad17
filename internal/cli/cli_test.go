package cli

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/adrg/xdg"

	"github.com/linedesk/linedesk/internal/api/portalsim"
	"github.com/linedesk/linedesk/internal/config"
)

// TestMistakes runs every user mistake and portal failure the contract
// names: each gets its exit code and one secret-free line on stderr.
func TestMistakes(t *testing.T) {
	t.Parallel()
	const secret = "s3cr3tC0deXYZ789"
	p, url := newSim(t, portalsim.Options{Sessions: 5, Seed: 12})
	wrongCode := strings.Replace(url, webhookSecret(url), secret, 1)

	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL + "/rest/1/" + secret + "/"
	dead.Close()

	cases := []struct {
		name   string
		args   []string
		env    map[string]string
		code   int
		want   []string // substrings of the message
		direct bool     // the portal must have received no request
	}{
		{name: "no credentials", args: []string{"sessions"}, code: exitUsage,
			want: []string{"--webhook", "B24_WEBHOOK_URL", "linedesk --demo", "linedesk sim"}},
		{name: "no credentials for unpin-all", args: []string{"unpin-all", "--yes"}, code: exitUsage,
			want: []string{"--webhook"}},
		{name: "no credentials for the dashboard", args: []string{}, code: exitUsage, want: []string{"--demo"}},
		{name: "not a URL", args: []string{"sessions", "--webhook", "not a url " + secret}, code: exitUsage,
			want: []string{"https://PORTAL/rest/USER_ID/CODE/"}},
		{name: "wrong scheme", args: []string{"sessions", "--webhook", "ftp://example.bitrix24.ru/rest/1/" + secret + "/"},
			code: exitUsage, want: []string{"ftp"}},
		{name: "http to a real host", args: []string{"sessions", "--webhook", "http://example.bitrix24.ru/rest/1/" + secret + "/"},
			code: exitUsage, want: []string{"http://", "loopback", "https://example.bitrix24.ru"}, direct: true},
		{name: "http from the environment", args: []string{"sessions"},
			env:  map[string]string{config.EnvWebhook: "http://10.0.0.5/rest/1/" + secret + "/"},
			code: exitUsage, want: []string{"B24_WEBHOOK_URL", "loopback"}, direct: true},
		{name: "http for unpin-all", args: []string{"unpin-all", "--yes", "--webhook=http://portal.example.com/rest/1/" + secret + "/"},
			code: exitUsage, want: []string{"loopback"}, direct: true},
		{name: "wrong webhook code", args: []string{"sessions", "--webhook", wrongCode}, code: exitFailure,
			want: []string{"portal refused: NO_AUTH_FOUND", "check the webhook URL"}},
		{name: "wrong code on unpin-all", args: []string{"unpin-all", "--yes", "--webhook", wrongCode}, code: exitFailure,
			want: []string{"NO_AUTH_FOUND"}},
		{name: "dead portal", args: []string{"sessions", "--webhook", deadURL}, code: exitFailure,
			want: []string{"cannot reach 127.0.0.1", "connection refused"}},
		{name: "dead portal on pin-all", args: []string{"pin-all", "--yes", "--webhook", deadURL}, code: exitFailure,
			want: []string{"127.0.0.1"}},
		{name: "unknown command", args: []string{"sesions"}, code: exitUsage,
			want: []string{`unknown command "sesions"`, "did you mean sessions?", "--help"}},
		{name: "unknown flag", args: []string{"sessions", "--jsn", "--webhook", url}, code: exitUsage,
			want: []string{"--jsn", "linedesk sessions --help"}},
		{name: "extra argument", args: []string{"sessions", "extra", "--webhook", url}, code: exitUsage,
			want: []string{"extra"}},
		{name: "bad duration", args: []string{"--refresh", "soon"}, code: exitUsage, want: []string{"--refresh"}},
		{name: "negative refresh", args: []string{"--refresh=-1s", "--webhook", url}, code: exitUsage, want: []string{"--refresh"}},
		{name: "bad highlight", args: []string{"--highlight", "later", "--webhook", url}, code: exitUsage, want: []string{"flag --highlight", `"later" is not a duration`}},
		{name: "refresh below the minimum", args: []string{"--refresh", "1s", "--webhook", url}, code: exitUsage,
			want: []string{"flag --refresh", "below the 3s minimum"}},
		{name: "bad timeout", args: []string{"sessions", "--timeout", "2h", "--webhook", url}, code: exitUsage,
			want: []string{"flag --timeout", "out of range"}},
		{name: "bad plan", args: []string{"sessions", "--plan", "gold", "--webhook", url}, code: exitUsage,
			want: []string{"flag --plan", `"gold" is not a plan`}},
		{name: "plan against enterprise", args: []string{"sessions", "--plan", "standard", "--enterprise", "--webhook", url}, code: exitUsage,
			want: []string{"--enterprise", "--plan standard"}},
		{name: "bad refresh from the environment", args: []string{"sessions", "--webhook", url},
			env: map[string]string{"LINEDESK_REFRESH": "often"}, code: exitUsage, want: []string{"env LINEDESK_REFRESH", `"often"`}},
		{name: "dashboard without a terminal", args: []string{"--webhook", url}, code: exitUsage,
			want: []string{"terminal", "sessions --json"}},
		{name: "demo with a webhook", args: []string{"--demo", "--webhook", url}, code: exitUsage, want: []string{"--demo"}},
		{name: "sim on a public address", args: []string{"sim", "--addr", "0.0.0.0:0"}, code: exitUsage,
			want: []string{"loopback", "--public"}},
		{name: "sim on a bad address", args: []string{"sim", "--addr", "nonsense"}, code: exitUsage, want: []string{"HOST:PORT"}},
		{name: "sim negative sessions", args: []string{"sim", "--sessions", "-3"}, code: exitUsage, want: []string{"--sessions"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var tr countingTransport
			before := p.Requests()
			res := runCLI(t, runOpts{env: c.env, httpClient: &http.Client{Transport: &tr}}, c.args...)
			if res.code != c.code {
				t.Errorf("exit %d, want %d; stderr %q", res.code, c.code, res.stderr)
			}
			requireOneLine(t, res.stderr, secret, webhookSecret(url))
			for _, w := range c.want {
				if !strings.Contains(res.stderr, w) {
					t.Errorf("message %q lacks %q", res.stderr, w)
				}
			}
			if res.stdout != "" {
				t.Errorf("stdout %q, want nothing on failure", res.stdout)
			}
			if c.direct && (tr.n.Load() != 0 || p.Requests() != before) {
				t.Errorf("%d requests were made before refusing", tr.n.Load())
			}
		})
	}
}

func TestCredentialPrecedence(t *testing.T) {
	t.Parallel()
	_, url := newSim(t, portalsim.Options{Sessions: 3, Seed: 1})
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL + "/rest/1/deadbeefdeadbeef/"
	dead.Close()

	// The flag wins over the environment.
	res := runCLI(t, runOpts{env: map[string]string{config.EnvWebhook: deadURL}}, "sessions", "--json", "--webhook", url)
	if res.code != exitOK {
		t.Errorf("flag over env: exit %d, %s", res.code, res.stderr)
	}
	// The environment alone works.
	res = runCLI(t, runOpts{env: map[string]string{config.EnvWebhook: url}}, "sessions", "--json")
	if res.code != exitOK {
		t.Errorf("env: exit %d, %s", res.code, res.stderr)
	}
	// And it is really used: pointing it at a dead portal fails.
	res = runCLI(t, runOpts{env: map[string]string{config.EnvWebhook: deadURL}}, "sessions")
	if res.code != exitFailure {
		t.Errorf("env to a dead portal: exit %d", res.code)
	}
}

func TestCheckWebhookLoopback(t *testing.T) {
	t.Parallel()
	for raw, ok := range map[string]bool{
		"https://example.bitrix24.ru/rest/1/abc/": true,
		"http://127.0.0.1:8080/rest/1/abc/":       true,
		"http://127.8.9.10/rest/1/abc/":           true,
		"http://[::1]:8080/rest/1/abc/":           true,
		"http://localhost:8080/rest/1/abc/":       true,
		"HTTP://LOCALHOST/rest/1/abc/":            true,
		"http://example.com/rest/1/abc/":          false,
		"http://128.0.0.1/rest/1/abc/":            false,
		"http://[::2]/rest/1/abc/":                false,
		"http://localhost.evil.com/rest/1/abc/":   false,
		"http://127.0.0.1.nip.io/rest/1/abc/":     false,
		"ws://127.0.0.1/rest/1/abc/":              false,
		"example.bitrix24.ru/rest/1/abc/":         false,
		"":                                        false,
	} {
		err := checkWebhook(&textEN, credentials{webhook: raw, source: "--webhook"})
		if (err == nil) != ok {
			t.Errorf("checkWebhook(%q) = %v, want ok=%v", raw, err, ok)
		}
	}
}

func TestWebhookSecret(t *testing.T) {
	t.Parallel()
	for raw, want := range map[string]string{
		"https://x.bitrix24.ru/rest/1/abc123/":              "abc123",
		"https://x.bitrix24.ru/rest/17/abc123/profile.json": "abc123",
		"http://127.0.0.1:1/rest/1/k/":                      "k",
		"https://x.bitrix24.ru/":                            "",
		"no url at all":                                     "",
	} {
		if got := webhookSecret(raw); got != want {
			t.Errorf("webhookSecret(%q) = %q, want %q", raw, got, want)
		}
	}
}

func TestOneLineScrubs(t *testing.T) {
	t.Parallel()
	got := oneLine("failed at https://h/rest/1/SeCrEtCoDe/x:\n\tsecretcode again \x1b[31mred", []string{"secretcode"})
	if strings.Contains(strings.ToLower(got), "secretcode") || strings.ContainsAny(got, "\n\t\x1b") {
		t.Errorf("oneLine = %q", got)
	}
}

func TestInterruptedBeforeAnswer(t *testing.T) {
	t.Parallel()
	_, url := newSim(t, portalsim.Options{Sessions: 3, Seed: 1})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	res := runCLI(t, runOpts{ctx: ctx}, "sessions", "--webhook", url)
	if res.code != exitInterrupted {
		t.Errorf("exit %d, want %d", res.code, exitInterrupted)
	}
	requireOneLine(t, res.stderr, webhookSecret(url))
}

func TestSimPrintsWebhookFirst(t *testing.T) {
	t.Parallel()
	ctx, cancel := contextWithCancel(t)
	outR, outW := io.Pipe()
	var stderr safeBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"sim", "--sessions", "6", "--seed", "3", "--evolve", "0"},
			testDeps(t, runOpts{}, strings.NewReader(""), outW, &stderr))
		outW.Close()
	}()
	line, err := bufio.NewReader(outR).ReadString('\n')
	if err != nil {
		t.Fatalf("no first line: %v", err)
	}
	url := strings.TrimSuffix(line, "\n")
	if !regexp.MustCompile(`^http://127\.0\.0\.1:[1-9][0-9]*/rest/1/[^/\s]+/$`).MatchString(url) {
		t.Fatalf("first stdout line %q is not exactly a webhook URL", line)
	}

	// The portal it serves answers linedesk.
	res := runCLI(t, runOpts{}, "sessions", "--json", "--webhook", url)
	if res.code != exitOK {
		t.Fatalf("sessions against the sim: exit %d, %s", res.code, res.stderr)
	}
	if n := len(decodeSessions(t, res.stdout)); n < 6 {
		t.Errorf("%d sessions, want at least the 6 seeded", n)
	}

	cancel() // Ctrl+C
	if code := <-done; code != exitOK {
		t.Errorf("sim ended with %d, want 0", code)
	}
	if rest, _ := io.ReadAll(outR); len(rest) != 0 {
		t.Errorf("more on stdout after the URL: %q", rest)
	}
	if s := stderr.String(); !strings.HasPrefix(s, "linedesk: ") || strings.Contains(s, webhookSecret(url)) {
		t.Errorf("stderr %q: want a linedesk: note without the code", s)
	}
	// After shutdown nothing listens any more.
	if res := runCLI(t, runOpts{}, "sessions", "--webhook", url); res.code != exitFailure {
		t.Errorf("the sim still answers after Ctrl+C: exit %d", res.code)
	}
}

func TestDemoRunsDashboardOverHTTP(t *testing.T) {
	t.Parallel()
	var got dashboardOptions
	var unpinned []int64
	dash := func(ctx context.Context, o dashboardOptions) error {
		got = o
		snap, err := o.portal.Snapshot(ctx)
		if err != nil {
			return err
		}
		if len(snap.Sessions) < demoSessions {
			t.Errorf("demo portal has %d sessions, want at least %d", len(snap.Sessions), demoSessions)
		}
		unpinned, err = o.portal.UnpinAll(ctx)
		return err
	}
	res := runCLI(t, runOpts{terminal: true, dashboard: dash}, "--demo", "--refresh", "4s")
	if res.code != exitOK {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	if !regexp.MustCompile(`^127\.0\.0\.1:\d+$`).MatchString(got.host) {
		t.Errorf("host %q, want a loopback address", got.host)
	}
	if got.profile != "demo" || got.refresh != 4*time.Second || got.highlight != config.Default().Highlight || got.env == nil || got.now == nil {
		t.Errorf("options %+v", got)
	}
	if len(unpinned) == 0 {
		t.Error("the demo portal had nothing pinned to unpin")
	}
	if res.stderr != "" {
		t.Errorf("stderr %q", res.stderr)
	}
}

func TestDashboardWiring(t *testing.T) {
	t.Parallel()
	p, url := newSim(t, portalsim.Options{Sessions: 4, Seed: 2})
	var got dashboardOptions
	dash := func(ctx context.Context, o dashboardOptions) error {
		got = o
		_, err := o.portal.Snapshot(ctx)
		return err
	}
	res := runCLI(t, runOpts{terminal: true, dashboard: dash, env: map[string]string{config.EnvWebhook: url}},
		"--refresh", "0", "--highlight", "2m", "--enterprise")
	if res.code != exitOK || res.stderr != "" {
		t.Fatalf("exit %d: %q", res.code, res.stderr)
	}
	if got.refresh != 0 || got.highlight != 2*time.Minute || got.profile != "" || !strings.HasPrefix(url, "http://"+got.host+"/") {
		t.Errorf("options %+v", got)
	}
	if p.Requests() == 0 {
		t.Error("the dashboard's portal did not reach the simulator")
	}

	// A failure the dashboard returns is a portal failure.
	failing := func(context.Context, dashboardOptions) error { return errors.New("boom") }
	res = runCLI(t, runOpts{terminal: true, dashboard: failing}, "--webhook", url)
	if res.code != exitFailure {
		t.Errorf("failing dashboard: exit %d", res.code)
	}
	requireOneLine(t, res.stderr, webhookSecret(url))
}

func TestVersionAndHelp(t *testing.T) {
	t.Parallel()
	res := runCLI(t, runOpts{}, "--version")
	if res.code != exitOK || !strings.Contains(res.stdout, "linedesk version ") || res.stderr != "" {
		t.Errorf("--version: exit %d, stdout %q, stderr %q", res.code, res.stdout, res.stderr)
	}
	for _, cmd := range [][]string{{}, {"sessions"}, {"unpin-all"}, {"pin-all"}, {"sim"}, {"info"}, {"init"},
		{"config"}, {"config", "path"}, {"config", "show"}, {"config", "edit"}} {
		args := append(cmd, "--help")
		res := runCLI(t, runOpts{}, args...)
		if res.code != exitOK || res.stderr != "" || !strings.Contains(strings.ToLower(res.stdout), "usage") {
			t.Errorf("%v: exit %d, stderr %q, stdout %q", args, res.code, res.stderr, res.stdout)
		}
	}
	res = runCLI(t, runOpts{}, "sessions", "--help")
	for _, flag := range []string{"--json", "--all", "--webhook"} {
		if !strings.Contains(res.stdout, flag) {
			t.Errorf("sessions --help lacks %s", flag)
		}
	}
}

func TestVersionOverride(t *testing.T) {
	// Not parallel: it sets the package-level ldflags variable.
	old := Version
	Version = "v9.8.7"
	defer func() { Version = old }()
	res := runCLI(t, runOpts{}, "--version")
	if !strings.Contains(res.stdout, "v9.8.7") {
		t.Errorf("--version = %q, want the ldflags version", res.stdout)
	}
}

func TestInfo(t *testing.T) {
	// Not parallel: it changes the XDG environment.
	cfg, state := t.TempDir(), t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	t.Setenv("XDG_STATE_HOME", state)
	xdg.Reload()
	t.Cleanup(xdg.Reload)

	const secret = "infoS3cretCode123"
	env := map[string]string{config.EnvWebhook: "https://example.bitrix24.ru/rest/42/" + secret + "/"}
	res := runCLI(t, runOpts{env: env, xdgPaths: true}, "info", "--json")
	if res.code != exitOK {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	requireNoSecret(t, res.stdout, secret)
	var info infoJSON
	if err := jsonUnmarshal(res.stdout, &info); err != nil {
		t.Fatal(err)
	}
	if info.ConfigFile != filepath.Join(cfg, "linedesk", "config.toml") || info.ConfigExists || info.ConfigFrom != "default" ||
		info.LogFile != filepath.Join(state, "linedesk", "linedesk.log") || info.LogExists ||
		!strings.HasPrefix(info.StateDir, filepath.Join(state, "linedesk")) || info.StateExists {
		t.Errorf("paths %+v", info)
	}
	if info.Credentials != "B24_WEBHOOK_URL (portal example.bitrix24.ru, user 42)" || info.Profile != "" || info.Language != "en" {
		t.Errorf("credentials %+v", info)
	}
	if !strings.HasPrefix(info.Go, "go") || info.Version == "" {
		t.Errorf("runtime %+v", info)
	}

	res = runCLI(t, runOpts{env: env, xdgPaths: true}, "info", "--webhook", "https://other.bitrix24.ru/rest/1/"+secret+"x/")
	if res.code != exitOK || !strings.Contains(res.stdout, "--webhook (portal other.bitrix24.ru, user 1)") {
		t.Errorf("info with a flag: %q", res.stdout)
	}
	requireNoSecret(t, res.stdout, secret)

	res = runCLI(t, runOpts{xdgPaths: true}, "info")
	if res.code != exitOK || !regexp.MustCompile(`(?m)^credentials +none`).MatchString(res.stdout) ||
		!regexp.MustCompile(`(?m)^profile +none$`).MatchString(res.stdout) {
		t.Errorf("info without credentials: %q", res.stdout)
	}
	// info only reports paths: it creates nothing.
	for _, dir := range []string{cfg, state} {
		if entries, err := os.ReadDir(dir); err != nil || len(entries) != 0 {
			t.Errorf("info created %v in %s (%v)", entries, dir, err)
		}
	}
}
