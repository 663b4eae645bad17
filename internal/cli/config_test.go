package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/linedesk/linedesk/internal/api/portalsim"
	"github.com/linedesk/linedesk/internal/config"
)

// writeConfig writes a config file with mode 0600 in a fresh directory.
func writeConfig(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func readText(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// dashboardSpy records the options the dashboard was opened with.
func dashboardSpy(got *dashboardOptions) func(context.Context, dashboardOptions) error {
	return func(ctx context.Context, o dashboardOptions) error {
		*got = o
		_, err := o.portal.Snapshot(ctx)
		return err
	}
}

// TestPrecedence runs the dashboard through cli.Run with each setting given
// at one more level: default < file < env < flag.
func TestPrecedence(t *testing.T) {
	t.Parallel()
	_, url := newSim(t, portalsim.Options{Sessions: 3, Seed: 1})
	path := writeConfig(t, fmt.Sprintf(`refresh = "20s"
highlight = "2m"
theme = "light"
columns = ["id", "client"]
[keys]
quit = ["x"]
[profiles.work]
webhook_url = %q
`, url))
	base := map[string]string{config.EnvConfig: path}
	with := func(kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	for _, c := range []struct {
		name      string
		env       map[string]string
		args      []string
		refresh   time.Duration
		highlight time.Duration
		theme     string
	}{
		{"file", base, nil, 20 * time.Second, 2 * time.Minute, "light"},
		{"env over file", with("LINEDESK_REFRESH", "30s", "LINEDESK_THEME", "dark"), nil, 30 * time.Second, 2 * time.Minute, "dark"},
		{"flag over env", with("LINEDESK_REFRESH", "30s", "LINEDESK_HIGHLIGHT", "5m"), []string{"--refresh", "40s"}, 40 * time.Second, 5 * time.Minute, "light"},
		{"flag over file", base, []string{"--highlight", "0"}, 20 * time.Second, 0, "light"},
		{"default", map[string]string{config.EnvConfig: filepath.Join(t.TempDir(), "none.toml"), config.EnvWebhook: url},
			nil, config.Default().Refresh, config.Default().Highlight, "auto"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var got dashboardOptions
			res := runCLI(t, runOpts{env: c.env, terminal: true, dashboard: dashboardSpy(&got)}, c.args...)
			if res.code != exitOK || res.stderr != "" {
				t.Fatalf("exit %d: %q", res.code, res.stderr)
			}
			if got.refresh != c.refresh || got.highlight != c.highlight || got.theme != c.theme {
				t.Errorf("refresh %v highlight %v theme %q; want %v %v %q", got.refresh, got.highlight, got.theme, c.refresh, c.highlight, c.theme)
			}
		})
	}

	// The file's columns and keys reach the dashboard; `config show` says
	// where each value came from.
	var got dashboardOptions
	runCLI(t, runOpts{env: base, terminal: true, dashboard: dashboardSpy(&got)})
	if strings.Join(got.columns, ",") != "id,client" || strings.Join(got.keys["quit"], ",") != "x" || got.profile != "work" {
		t.Errorf("columns %v, quit keys %v, profile %q", got.columns, got.keys["quit"], got.profile)
	}
	res := runCLI(t, runOpts{env: with("LINEDESK_TIMEOUT", "45s")}, "config", "show", "--plan", "enterprise")
	if res.code != exitOK {
		t.Fatalf("config show: exit %d: %s", res.code, res.stderr)
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^refresh = "20s" +# from: file$`),
		regexp.MustCompile(`(?m)^timeout = "45s" +# from: env LINEDESK_TIMEOUT$`),
		regexp.MustCompile(`(?m)^plan = "enterprise" +# from: flag --plan$`),
		regexp.MustCompile(`(?m)^language = "auto" +# from: default$`),
		regexp.MustCompile(`(?m)^# active profile: work \(from: default \(the only profile\)\)$`),
	} {
		if !want.MatchString(res.stdout) {
			t.Errorf("config show lacks %s:\n%s", want, res.stdout)
		}
	}
}

// TestProfiles picks the portal by --profile, LINEDESK_PROFILE and
// default_profile, and lets --webhook and B24_WEBHOOK_URL override them all.
func TestProfiles(t *testing.T) {
	t.Parallel()
	work, workURL := newSim(t, portalsim.Options{Sessions: 2, Seed: 1})
	home, homeURL := newSim(t, portalsim.Options{Sessions: 2, Seed: 2})
	flag, flagURL := newSim(t, portalsim.Options{Sessions: 2, Seed: 3})
	keyring := &fakeKeyring{m: map[string]string{"home": homeURL}}
	path := writeConfig(t, fmt.Sprintf(`default_profile = "work"
[profiles.work]
webhook_url = %q
plan = "enterprise"
[profiles.home]
webhook_in_keyring = true
`, workURL))
	env := func(kv ...string) map[string]string {
		m := map[string]string{config.EnvConfig: path}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	for _, c := range []struct {
		name   string
		env    map[string]string
		args   []string
		portal interface{ Requests() int }
	}{
		{"default_profile", env(), nil, work},
		{"--profile", env(), []string{"--profile", "home"}, home},
		{"LINEDESK_PROFILE", env(config.EnvProfile, "home"), nil, home},
		{"--profile over LINEDESK_PROFILE", env(config.EnvProfile, "home"), []string{"--profile", "work"}, work},
		{"B24_WEBHOOK_URL over profiles", env(config.EnvWebhook, flagURL, config.EnvProfile, "home"), nil, flag},
		{"--webhook over everything", env(config.EnvWebhook, homeURL), []string{"--profile", "work", "--webhook", flagURL}, flag},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := [3]int{work.Requests(), home.Requests(), flag.Requests()}
			res := runCLI(t, runOpts{env: c.env, secrets: keyring}, append([]string{"sessions", "--json"}, c.args...)...)
			if res.code != exitOK {
				t.Fatalf("exit %d: %s", res.code, res.stderr)
			}
			after := [3]int{work.Requests(), home.Requests(), flag.Requests()}
			for i, p := range []interface{ Requests() int }{work, home, flag} {
				if reached := after[i] != before[i]; reached != (p == c.portal) {
					t.Errorf("portal %d reached=%v", i, reached)
				}
			}
		})
	}

	// The header of the dashboard names the profile.
	var got dashboardOptions
	res := runCLI(t, runOpts{env: env(config.EnvProfile, "home"), secrets: keyring, terminal: true, dashboard: dashboardSpy(&got)})
	if res.code != exitOK || got.profile != "home" {
		t.Errorf("dashboard: exit %d, profile %q (%s)", res.code, got.profile, res.stderr)
	}

	// An unknown profile, and several without a default, are one-line errors.
	res = runCLI(t, runOpts{env: env()}, "sessions", "--profile", "office")
	if res.code != exitUsage || !strings.Contains(res.stderr, `flag --profile: no profile "office" in `+path+` (known: home, work)`) {
		t.Errorf("unknown profile: exit %d, %q", res.code, res.stderr)
	}
	requireOneLine(t, res.stderr)
	twoNoDefault := writeConfig(t, fmt.Sprintf("[profiles.a]\nwebhook_url = %q\n[profiles.b]\nwebhook_url = %q\n", workURL, homeURL))
	res = runCLI(t, runOpts{env: map[string]string{config.EnvConfig: twoNoDefault}}, "sessions")
	if res.code != exitUsage || !strings.Contains(res.stderr, "several profiles (a, b)") || !strings.Contains(res.stderr, "--profile") {
		t.Errorf("several profiles: exit %d, %q", res.code, res.stderr)
	}
	requireOneLine(t, res.stderr, webhookSecret(workURL), webhookSecret(homeURL))

	// A keyring profile whose keyring lost the webhook says what to do.
	res = runCLI(t, runOpts{env: env(), secrets: &fakeKeyring{}}, "sessions", "--profile", "home")
	if res.code != exitUsage || !strings.Contains(res.stderr, "linedesk init --profile home") {
		t.Errorf("empty keyring: exit %d, %q", res.code, res.stderr)
	}
}

// TestBareLinedeskOpensDefaultProfile is the promise of issue 4: after init,
// `linedesk` alone opens the dashboard on the default profile.
func TestBareLinedeskOpensDefaultProfile(t *testing.T) {
	t.Parallel()
	p, url := newSim(t, portalsim.Options{Sessions: 3, Seed: 4})
	path := filepath.Join(t.TempDir(), "linedesk", "config.toml")
	env := map[string]string{config.EnvConfig: path}
	res := runCLI(t, runOpts{env: env}, "init", "--profile", "office", "--webhook", url)
	if res.code != exitOK {
		t.Fatalf("init: exit %d: %s", res.code, res.stderr)
	}
	var got dashboardOptions
	before := p.Requests()
	res = runCLI(t, runOpts{env: env, terminal: true, dashboard: dashboardSpy(&got)})
	if res.code != exitOK || got.profile != "office" || !strings.HasPrefix(url, "http://"+got.host+"/") || p.Requests() == before {
		t.Errorf("bare linedesk: exit %d, %q, options %+v", res.code, res.stderr, got)
	}
}

// TestBrokenConfig gives the promised one-line message, exactly, and exit 2,
// for every command that reads the config.
func TestBrokenConfig(t *testing.T) {
	t.Parallel()
	path := writeConfig(t, "# mine\nrefresh = \"fast\"\n")
	want := "linedesk: " + path + `:2: key "refresh": "fast" is not a duration (use e.g. "10s"; 0 turns refresh off)` + "\n"
	for _, args := range [][]string{{}, {"sessions"}, {"unpin-all", "--yes"}, {"config", "show"}, {"--demo"}} {
		res := runCLI(t, runOpts{env: map[string]string{config.EnvConfig: path}, terminal: true}, args...)
		if res.code != exitUsage || res.stderr != want || res.stdout != "" {
			t.Errorf("%v: exit %d, stderr %q, want %q", args, res.code, res.stderr, want)
		}
	}
	wantRU := "linedesk: " + path + `:2: ключ "refresh": "fast" — не длительность (например "10s"; 0 выключает обновление)` + "\n"
	res := runCLI(t, runOpts{env: map[string]string{config.EnvConfig: path, "LANG": "ru_RU.UTF-8"}}, "sessions")
	if res.code != exitUsage || res.stderr != wantRU {
		t.Errorf("Russian: exit %d, stderr %q, want %q", res.code, res.stderr, wantRU)
	}
	// `info` still works and says what is wrong; `config path` too.
	res = runCLI(t, runOpts{env: map[string]string{config.EnvConfig: path}}, "info")
	if res.code != exitOK || !strings.Contains(res.stdout, "cannot be used: "+path+":2:") {
		t.Errorf("info: exit %d, %q", res.code, res.stdout)
	}
	res = runCLI(t, runOpts{env: map[string]string{config.EnvConfig: path}}, "config", "path")
	if res.code != exitOK || res.stdout != path+"\n" {
		t.Errorf("config path: exit %d, %q", res.code, res.stdout)
	}
	// --config beats LINEDESK_CONFIG.
	good := writeConfig(t, "refresh = \"15s\"\n")
	res = runCLI(t, runOpts{env: map[string]string{config.EnvConfig: path}}, "config", "show", "--config", good)
	if res.code != exitOK || !strings.Contains(res.stdout, `refresh = "15s"`) || !strings.Contains(res.stdout, "from: flag --config") {
		t.Errorf("--config: exit %d, %q %q", res.code, res.stdout, res.stderr)
	}
}

// TestSecretsRedacted: `config show` never prints a webhook code, a client
// secret or a token, and a config file others can read is warned about.
func TestSecretsRedacted(t *testing.T) {
	t.Parallel()
	const code = "redactMeCode1234567"
	path := writeConfig(t, `default_profile = "work"
[profiles.work]
webhook_url = "https://example.bitrix24.ru/rest/7/`+code+`/"
[profiles.app.oauth]
endpoint = "https://example.bitrix24.ru/rest/"
client_id = "local.abc"
client_secret = "clientSecretXYZ987"
access_token = "accessTokenQWE456"
refresh_token = "refreshTokenRTY321"
`)
	res := runCLI(t, runOpts{env: map[string]string{config.EnvConfig: path}}, "config", "show")
	if res.code != exitOK {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	requireNoSecret(t, res.stdout+res.stderr, code, "clientSecretXYZ987", "accessTokenQWE456", "refreshTokenRTY321")
	if !strings.Contains(res.stdout, `webhook_url = "https://example.bitrix24.ru/rest/7/***/"`) ||
		!strings.Contains(res.stdout, `client_secret = "***"`) {
		t.Errorf("redacted values missing:\n%s", res.stdout)
	}
	if runtime.GOOS == "windows" {
		return
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	res = runCLI(t, runOpts{env: map[string]string{config.EnvConfig: path}}, "config", "show")
	if res.code != exitOK || !strings.HasPrefix(res.stderr, "linedesk: warning: "+path+" holds a secret") ||
		strings.Count(res.stderr, "\n") != 1 || !strings.Contains(res.stderr, "chmod 600") {
		t.Errorf("loose mode: exit %d, stderr %q", res.code, res.stderr)
	}
	requireNoSecret(t, res.stderr, code)
}

// TestLogFile: every request is in the log with its method, duration,
// outcome and time.operating; a failing command's code is not; --debug
// adds detail; the directory and file are private.
func TestLogFile(t *testing.T) {
	t.Parallel()
	p, url := newSim(t, portalsim.Options{Sessions: 3, Seed: 5})
	dir := filepath.Join(t.TempDir(), "state", "linedesk")
	logPath := filepath.Join(dir, "linedesk.log")

	res := runCLI(t, runOpts{logPath: logPath}, "sessions", "--webhook", url)
	if res.code != exitOK {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	log := readText(t, logPath)
	for _, want := range []string{"level=INFO msg=\"bitrix24 request\"", "method=batch", "duration=", "outcome=ok", "operating=", "msg=end", "exit=0"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
	if strings.Contains(log, "level=DEBUG") {
		t.Errorf("debug lines without --debug:\n%s", log)
	}
	requireNoSecret(t, log, webhookSecret(url))

	// A failing command with a distinctive code: the log says what failed,
	// never the code, even where it was typed.
	const secret = "D1st1nct1veC0de42"
	wrong := strings.Replace(url, webhookSecret(url), secret, 1)
	res = runCLI(t, runOpts{logPath: logPath}, "sessions", "--webhook", wrong, "--debug")
	if res.code != exitFailure {
		t.Fatalf("wrong code: exit %d", res.code)
	}
	log = readText(t, logPath)
	if strings.Contains(strings.ToLower(log), strings.ToLower(secret)) {
		t.Errorf("the log holds the webhook code:\n%s", log)
	}
	for _, want := range []string{"code=NO_AUTH_FOUND", "outcome=error", "exit=1", "level=DEBUG msg=config"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
	if runtime.GOOS != "windows" {
		for path, mode := range map[string]os.FileMode{dir: 0o700, logPath: 0o600} {
			if st, err := os.Stat(path); err != nil || st.Mode().Perm() != mode {
				t.Errorf("%s: mode %v (%v), want %v", path, st.Mode().Perm(), err, mode)
			}
		}
	}
	if p.Requests() == 0 {
		t.Error("nothing reached the portal")
	}

	// A log that cannot be written is one warning, and the command still works.
	blocker := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	res = runCLI(t, runOpts{logPath: filepath.Join(blocker, "x", "linedesk.log")}, "sessions", "--json", "--webhook", url)
	if res.code != exitOK || !strings.HasPrefix(res.stderr, "linedesk: warning: cannot create the log directory") || strings.Count(res.stderr, "\n") != 1 {
		t.Errorf("unwritable log: exit %d, stderr %q", res.code, res.stderr)
	}
}

// TestConcurrentTokenSaves: two linedesk processes with OAuth profiles in
// one config file refresh their tokens at the same moment; both new pairs
// land in the file, which still parses, and each works on the next run.
func TestConcurrentTokenSaves(t *testing.T) {
	t.Parallel()
	type app struct {
		p   *portalsim.Portal
		url string
	}
	var apps [2]app
	var b strings.Builder
	b.WriteString("# two portals through local applications\n")
	for i := range apps {
		p, hook := newSim(t, portalsim.Options{Sessions: 2, Seed: int64(10 + i)})
		base := hook[:strings.Index(hook, "/rest/")]
		tok := p.EnableOAuth(fmt.Sprintf("local.app%d", i), fmt.Sprintf("secret-%d-abcdef", i))
		apps[i] = app{p, base}
		fmt.Fprintf(&b, "\n[profiles.p%d.oauth] # keep this comment\nendpoint = %q\ntoken_url = %q\nclient_id = \"local.app%d\"\nclient_secret = \"secret-%d-abcdef\"\naccess_token = %q\nrefresh_token = %q\n",
			i, base+"/rest/", base+"/oauth/token/", i, i, tok.Access, tok.Refresh)
	}
	path := writeConfig(t, b.String())
	env := map[string]string{config.EnvConfig: path}
	for round := 1; round <= 5; round++ {
		for _, a := range apps {
			a.p.ExpireAccessTokens()
		}
		var wg sync.WaitGroup
		results := make([]result, len(apps))
		for i := range apps {
			wg.Go(func() {
				results[i] = runCLI(t, runOpts{env: env}, "sessions", "--json", "--profile", fmt.Sprintf("p%d", i))
			})
		}
		wg.Wait()
		for i, res := range results {
			if res.code != exitOK {
				t.Fatalf("round %d, profile p%d: exit %d: %s", round, i, res.code, res.stderr)
			}
			if got := apps[i].p.TokenRefreshes(); got != round {
				t.Fatalf("round %d, profile p%d: %d refreshes, want %d (a lost pair fails the next refresh)", round, i, got, round)
			}
		}
		e, err := config.Load(config.Options{ConfigPath: path, LookupEnv: func(string) (string, bool) { return "", false }})
		if err != nil {
			t.Fatalf("round %d: the file no longer loads: %v", round, err)
		}
		for i := range apps {
			if o := e.Profiles[fmt.Sprintf("p%d", i)].OAuth; o == nil || o.RefreshToken == "" || o.Expires.IsZero() {
				t.Fatalf("round %d: profile p%d lost its tokens: %+v", round, i, o)
			}
		}
	}
	if text := readText(t, path); strings.Count(text, "# keep this comment") != 2 {
		t.Errorf("the user's comments were lost:\n%s", text)
	}
	if st, err := os.Stat(path); runtime.GOOS != "windows" && (err != nil || st.Mode().Perm() != 0o600) {
		t.Errorf("mode %v, want 0600", st.Mode().Perm())
	}
}

// TestDashboardTakesAScriptsRefresh: the dashboard runs on an OAuth
// profile; a script on the same profile refreshes the expired tokens and
// saves the new pair, which invalidates the dashboard's refresh token. The
// dashboard's next refresh takes the saved pair instead of failing with
// invalid_grant until it is restarted.
func TestDashboardTakesAScriptsRefresh(t *testing.T) {
	t.Parallel()
	p, hook := newSim(t, portalsim.Options{Sessions: 2, Seed: 6})
	base := hook[:strings.Index(hook, "/rest/")]
	tok := p.EnableOAuth("local.app", "app-secret-123456")
	path := writeConfig(t, fmt.Sprintf("[profiles.app.oauth]\nendpoint = %q\ntoken_url = %q\nclient_id = \"local.app\"\nclient_secret = \"app-secret-123456\"\nrefresh_token = %q\naccess_token = %q\n",
		base+"/rest/", base+"/oauth/token/", tok.Refresh, tok.Access))
	env := map[string]string{config.EnvConfig: path}
	var script result
	dash := func(ctx context.Context, o dashboardOptions) error {
		if _, err := o.portal.Snapshot(ctx); err != nil {
			return err
		}
		p.ExpireAccessTokens()
		script = runCLI(t, runOpts{env: env}, "sessions", "--json")
		_, err := o.portal.Snapshot(ctx)
		return err
	}
	res := runCLI(t, runOpts{env: env, terminal: true, dashboard: dash})
	if script.code != exitOK {
		t.Fatalf("the script: exit %d: %s", script.code, script.stderr)
	}
	if res.code != exitOK {
		t.Fatalf("the dashboard after the script's refresh: exit %d: %s", res.code, res.stderr)
	}
	if n := p.TokenRefreshes(); n != 1 {
		t.Errorf("%d refreshes, want 1 (the script's; the dashboard takes the saved pair)", n)
	}
	requireNoSecret(t, res.stdout+res.stderr, tok.Refresh, tok.Access, "app-secret-123456")
}

// TestStaleRefreshToken: a profile whose refresh token another linedesk has
// already used gets a sentence that says so and what to do.
func TestStaleRefreshToken(t *testing.T) {
	t.Parallel()
	p, hook := newSim(t, portalsim.Options{Sessions: 2, Seed: 6})
	base := hook[:strings.Index(hook, "/rest/")]
	tok := p.EnableOAuth("local.app", "app-secret-123456")
	text := fmt.Sprintf("[profiles.app.oauth]\nendpoint = %q\ntoken_url = %q\nclient_id = \"local.app\"\nclient_secret = \"app-secret-123456\"\nrefresh_token = %q\naccess_token = %q\n",
		base+"/rest/", base+"/oauth/token/", tok.Refresh, tok.Access)
	fresh, stale := writeConfig(t, text), writeConfig(t, text)
	p.ExpireAccessTokens()
	if res := runCLI(t, runOpts{env: map[string]string{config.EnvConfig: fresh}}, "sessions", "--json"); res.code != exitOK {
		t.Fatalf("first refresh: exit %d: %s", res.code, res.stderr)
	}
	p.ExpireAccessTokens()
	res := runCLI(t, runOpts{env: map[string]string{config.EnvConfig: stale}}, "sessions", "--json")
	if res.code != exitFailure || !strings.Contains(res.stderr, "invalid_grant") || !strings.Contains(res.stderr, "another linedesk may have used it first") {
		t.Errorf("stale token: exit %d, %q", res.code, res.stderr)
	}
	requireOneLine(t, res.stderr, tok.Refresh, tok.Access, "app-secret-123456")
	if res := runCLI(t, runOpts{env: map[string]string{config.EnvConfig: fresh}}, "sessions", "--json"); res.code != exitOK {
		t.Errorf("the saved pair does not work: exit %d: %s", res.code, res.stderr)
	}
}
