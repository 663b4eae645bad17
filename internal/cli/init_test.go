package cli

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/linedesk/linedesk/internal/api/portalsim"
	"github.com/linedesk/linedesk/internal/config"
)

// initEnv is a run's environment with the config file at a new path.
func initEnv(t *testing.T) (map[string]string, string) {
	path := filepath.Join(t.TempDir(), "linedesk", "config.toml")
	return map[string]string{config.EnvConfig: path}, path
}

func TestInitNonInteractive(t *testing.T) {
	t.Parallel()
	p, url := newSim(t, portalsim.Options{Sessions: 3, Seed: 8})
	secret := webhookSecret(url)
	env, path := initEnv(t)

	res := runCLI(t, runOpts{env: env}, "init", "--profile", "work", "--webhook", url)
	if res.code != exitOK {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	host := url[len("http://"):strings.Index(url, "/rest/")]
	for _, want := range []string{"Connected as ", " on " + host + ".", "Saved profile work in " + path,
		"with the webhook in the file (mode 0600): the OS keyring was not available (no keyring in tests)",
		"It is the default profile.", "Run 'linedesk' to open the dashboard."} {
		if !strings.Contains(res.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, res.stdout)
		}
	}
	requireNoSecret(t, res.stdout+res.stderr, secret)
	if p.Calls("batch") != 1 {
		t.Errorf("%d batch calls, want the one check", p.Calls("batch"))
	}
	text := readText(t, path)
	if !strings.Contains(text, "# linedesk configuration") || !strings.Contains(text, `default_profile = "work"`) ||
		!strings.Contains(text, "[profiles.work]") || !strings.Contains(text, secret) {
		t.Errorf("config file:\n%s", text)
	}
	if runtime.GOOS != "windows" {
		if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("mode %v (%v), want 0600", st.Mode().Perm(), err)
		}
		if st, err := os.Stat(filepath.Dir(path)); err != nil || st.Mode().Perm() != 0o700 {
			t.Errorf("directory mode %v (%v), want 0700", st.Mode().Perm(), err)
		}
	}

	// The same name again: refused without --yes, replaced with it.
	res = runCLI(t, runOpts{env: env}, "init", "--profile", "work", "--webhook", url)
	if res.code != exitUsage || !strings.Contains(res.stderr, "profile work already exists in "+path+": pass --yes") {
		t.Errorf("existing profile: exit %d, %q", res.code, res.stderr)
	}
	res = runCLI(t, runOpts{env: env}, "init", "--profile", "work", "--webhook", url, "--yes")
	if res.code != exitOK {
		t.Errorf("--yes: exit %d, %q", res.code, res.stderr)
	}
	// A second profile does not take the default away unless asked.
	res = runCLI(t, runOpts{env: env}, "init", "--profile", "home", "--webhook", url)
	if res.code != exitOK || !strings.Contains(res.stdout, "The default profile stays work; use this one with 'linedesk --profile home'.") {
		t.Errorf("second profile: exit %d, %q", res.code, res.stdout)
	}
	res = runCLI(t, runOpts{env: env}, "init", "--profile", "home", "--webhook", url, "--yes", "--default")
	if res.code != exitOK || !strings.Contains(readText(t, path), `default_profile = "home"`) {
		t.Errorf("--default: exit %d, %q", res.code, readText(t, path))
	}
	// B24_WEBHOOK_URL gives the webhook without putting it on the command line.
	env2, path2 := initEnv(t)
	env2[config.EnvWebhook] = url
	res = runCLI(t, runOpts{env: env2}, "init", "--profile", "env")
	if res.code != exitOK || !strings.Contains(readText(t, path2), "[profiles.env]") {
		t.Errorf("from the environment: exit %d, %q", res.code, res.stderr)
	}
}

func TestInitKeyring(t *testing.T) {
	t.Parallel()
	_, url := newSim(t, portalsim.Options{Sessions: 3, Seed: 9})
	env, path := initEnv(t)
	keyring := &fakeKeyring{}
	res := runCLI(t, runOpts{env: env, secrets: keyring}, "init", "--profile", "work", "--webhook", url)
	if res.code != exitOK || !strings.Contains(res.stdout, "Saved profile work in "+path+"; the webhook is in the OS keyring.") {
		t.Fatalf("exit %d: %q %q", res.code, res.stdout, res.stderr)
	}
	text := readText(t, path)
	if strings.Contains(text, webhookSecret(url)) || !strings.Contains(text, "webhook_in_keyring = true") {
		t.Errorf("the file holds the secret or no keyring mark:\n%s", text)
	}
	if got, _ := keyring.Get("work"); got != url {
		t.Errorf("keyring holds %q", got)
	}
	// And the profile works through the keyring.
	res = runCLI(t, runOpts{env: env, secrets: keyring}, "sessions", "--json")
	if res.code != exitOK {
		t.Errorf("sessions through the keyring: exit %d, %s", res.code, res.stderr)
	}
}

func TestInitChecksThePortal(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name   string
		scopes []string
		want   string
	}{
		{"no imopenlines", []string{"im", "user_brief"}, "lacks the imopenlines scope"},
		{"only user", []string{"user"}, "lacks the im, imopenlines scopes"},
		{"nothing", []string{}, "lacks the user_brief, im, imopenlines scopes"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, url := newSim(t, portalsim.Options{Sessions: 3, Seed: 1, Scopes: c.scopes})
			env, path := initEnv(t)
			res := runCLI(t, runOpts{env: env}, "init", "--profile", "work", "--webhook", url)
			if res.code != exitFailure || !strings.Contains(res.stderr, c.want) || !strings.Contains(res.stderr, "run 'linedesk init' again") {
				t.Errorf("exit %d, stderr %q", res.code, res.stderr)
			}
			if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("a profile was saved for a webhook that cannot work (%v)", err)
			}
			requireNoSecret(t, res.stdout+res.stderr, webhookSecret(url))
		})
	}

	// A wrong code is the portal's refusal; nothing is saved.
	_, url := newSim(t, portalsim.Options{Sessions: 3, Seed: 1})
	const secret = "wr0ngC0deForInit99"
	env, path := initEnv(t)
	res := runCLI(t, runOpts{env: env}, "init", "--profile", "work", "--webhook", strings.Replace(url, webhookSecret(url), secret, 1))
	if res.code != exitFailure || !strings.Contains(res.stderr, "NO_AUTH_FOUND") {
		t.Errorf("wrong code: exit %d, %q", res.code, res.stderr)
	}
	requireNoSecret(t, res.stdout+res.stderr, secret)
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Error("a profile was saved for a refused webhook")
	}
}

func TestInitMistakes(t *testing.T) {
	t.Parallel()
	_, url := newSim(t, portalsim.Options{Sessions: 3, Seed: 1})
	const secret = "mistakeC0de123456"
	for _, c := range []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"no terminal, no flags", []string{"init"}, nil, "pass --webhook URL and --profile NAME"},
		{"no terminal, no webhook", []string{"init", "--profile", "work"}, nil, "pass --webhook URL and --profile NAME"},
		{"bad name", []string{"init", "--profile", "my work", "--webhook", url}, nil, `profile names use letters, digits, "-" and "_"`},
		{"not a webhook", []string{"init", "--profile", "w", "--webhook", "https://example.bitrix24.ru/" + secret}, nil, "is not a webhook URL"},
		{"http to a real host", []string{"init", "--profile", "w", "--webhook", "http://example.bitrix24.ru/rest/1/" + secret + "/"}, nil, "http:// is allowed only for 127.0.0.1, ::1 and localhost"},
		{"broken config", []string{"init", "--profile", "w", "--webhook", url},
			map[string]string{config.EnvConfig: writeConfig(t, "plan = \"gold\"\n")}, "fix the config file first ('linedesk config edit')"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := runCLI(t, runOpts{env: c.env}, c.args...)
			if res.code != exitUsage || !strings.Contains(res.stderr, c.want) {
				t.Errorf("exit %d, stderr %q", res.code, res.stderr)
			}
			requireOneLine(t, res.stderr, secret, webhookSecret(url))
		})
	}
	// LINEDESK_PROFILE naming a profile that does not exist yet does not
	// stop init from creating one.
	env, _ := initEnv(t)
	env[config.EnvProfile] = "later"
	if res := runCLI(t, runOpts{env: env}, "init", "--profile", "now", "--webhook", url); res.code != exitOK {
		t.Errorf("with LINEDESK_PROFILE: exit %d, %s", res.code, res.stderr)
	}
}

func TestInitInteractive(t *testing.T) {
	t.Parallel()
	_, url := newSim(t, portalsim.Options{Sessions: 3, Seed: 2})
	env, path := initEnv(t)
	var asked initForm
	form := func(_ context.Context, f initForm) (initAnswers, error) {
		asked = f
		// The form's own checks: what huh runs on every keystroke.
		if f.validURL("http://example.com/rest/1/abcdefgh/") == nil || f.validURL("") == nil || f.validURL(url) != nil {
			t.Error("the webhook check of the form is wrong")
		}
		if f.validName("") == nil || f.validName("a b") == nil || f.validName("work") != nil {
			t.Error("the name check of the form is wrong")
		}
		return initAnswers{name: "work", url: url}, nil
	}
	res := runCLI(t, runOpts{env: env, terminal: true, form: form}, "init")
	if res.code != exitOK || !strings.Contains(res.stdout, "Connected as ") || !strings.Contains(readText(t, path), "[profiles.work]") {
		t.Fatalf("exit %d: %q %q", res.code, res.stdout, res.stderr)
	}
	if !asked.askURL || asked.name != "" || asked.currentDefault != "" {
		t.Errorf("form asked %+v", asked)
	}
	requireNoSecret(t, res.stdout+res.stderr, webhookSecret(url))

	// A second run on the same name: the form is told so, and a "no" to
	// replacing it changes nothing.
	before := readText(t, path)
	form = func(_ context.Context, f initForm) (initAnswers, error) {
		asked = f
		return initAnswers{name: "work", url: url, replace: false}, nil
	}
	res = runCLI(t, runOpts{env: env, terminal: true, form: form}, "init")
	if res.code != exitOK || !strings.Contains(res.stderr, "cancelled; nothing was saved.") || readText(t, path) != before {
		t.Errorf("declined replace: exit %d, %q", res.code, res.stderr)
	}
	if len(asked.existing) != 1 || asked.existing[0] != "work" || asked.currentDefault != "work" {
		t.Errorf("form asked %+v", asked)
	}

	// Ctrl+C in the form: exit 130, nothing saved.
	form = func(context.Context, initForm) (initAnswers, error) { return initAnswers{}, errFormCancelled }
	env2, path2 := initEnv(t)
	res = runCLI(t, runOpts{env: env2, terminal: true, form: form}, "init")
	if res.code != exitInterrupted || res.stderr != "linedesk: cancelled; nothing was saved.\n" {
		t.Errorf("cancelled: exit %d, %q", res.code, res.stderr)
	}
	if _, err := os.Stat(path2); !errors.Is(err, os.ErrNotExist) {
		t.Error("a cancelled init wrote the config")
	}

	// Everything on the command line: no questions at all.
	env3, _ := initEnv(t)
	res = runCLI(t, runOpts{env: env3, terminal: true}, "init", "--profile", "x", "--webhook", url)
	if res.code != exitOK {
		t.Errorf("flags on a terminal: exit %d, %s", res.code, res.stderr)
	}
}
