package cli

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/linedesk/linedesk/internal/config"
)

// fakeEditor writes each of texts in turn into the file it is given and
// records what the file held when it opened it.
type fakeEditor struct {
	texts []string
	seen  []string
	argv  [][]string
}

func (f *fakeEditor) run(_ context.Context, argv []string) error {
	path := argv[len(argv)-1]
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	f.seen = append(f.seen, string(b))
	f.argv = append(f.argv, argv)
	if len(f.texts) == 0 {
		return errors.New("no more edits")
	}
	next := f.texts[0]
	f.texts = f.texts[1:]
	return os.WriteFile(path, []byte(next), 0o600)
}

func TestConfigEdit(t *testing.T) {
	t.Parallel()
	env, path := initEnv(t)
	env["EDITOR"] = "myeditor --wait"

	// A missing file: the editor starts from the commented defaults.
	ed := &fakeEditor{texts: []string{"refresh = \"20s\"\n"}}
	res := runCLI(t, runOpts{env: env, editor: ed.run}, "config", "edit")
	if res.code != exitOK || res.stdout != "Created "+path+".\n" {
		t.Fatalf("exit %d: %q %q", res.code, res.stdout, res.stderr)
	}
	if !strings.HasPrefix(ed.seen[0], "# linedesk configuration") {
		t.Errorf("the editor opened %q", ed.seen[0])
	}
	if a := ed.argv[0]; runtime.GOOS != "windows" && (len(a) != 5 || a[0] != "/bin/sh" || a[2] != `myeditor --wait "$@"`) ||
		runtime.GOOS == "windows" && strings.Join(a[:2], " ") != "myeditor --wait" {
		t.Errorf("the editor command is %q", a)
	}
	if got := readText(t, path); got != "refresh = \"20s\"\n" {
		t.Errorf("saved %q", got)
	}
	if runtime.GOOS != "windows" {
		if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
			t.Errorf("mode %v, want 0600", st.Mode().Perm())
		}
	}
	leftovers := func() []string {
		m, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "config-edit-*"))
		return m
	}
	if l := leftovers(); len(l) != 0 {
		t.Errorf("copies left behind: %v", l)
	}

	// No change: nothing is written.
	ed = &fakeEditor{texts: []string{"refresh = \"20s\"\n"}}
	res = runCLI(t, runOpts{env: env, editor: ed.run}, "config", "edit")
	if res.code != exitOK || !strings.HasPrefix(res.stdout, "No changes;") {
		t.Errorf("unchanged: exit %d, %q", res.code, res.stdout)
	}

	// An invalid edit without a terminal: the file stays, the text is kept
	// in the copy the message names, exit 2.
	const bad = "# my careful edit\nrefresh = \"1s\"\n"
	ed = &fakeEditor{texts: []string{bad}}
	res = runCLI(t, runOpts{env: env, editor: ed.run}, "config", "edit")
	if res.code != exitUsage || readText(t, path) != "refresh = \"20s\"\n" {
		t.Fatalf("invalid: exit %d, file %q", res.code, readText(t, path))
	}
	lines := strings.Split(strings.TrimSpace(res.stderr), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "linedesk: the edited config is not valid: "+path+`:2: key "refresh": "1s" is below the 3s minimum`) {
		t.Errorf("stderr %q", res.stderr)
	}
	kept := leftovers()
	if len(kept) != 1 || readText(t, kept[0]) != bad || !strings.Contains(lines[1], "your text is kept in "+kept[0]) {
		t.Errorf("kept %v; stderr %q", kept, res.stderr)
	}
	os.Remove(kept[0])

	// On a terminal: the user edits again, and the second text is saved.
	ed = &fakeEditor{texts: []string{bad, "refresh = \"30s\"\n"}}
	res = runCLI(t, runOpts{env: env, editor: ed.run, terminal: true, stdin: strings.NewReader("\n")}, "config", "edit")
	if res.code != exitOK || readText(t, path) != "refresh = \"30s\"\n" || len(ed.seen) != 2 || ed.seen[1] != bad {
		t.Errorf("re-edit: exit %d, %q, seen %q", res.code, res.stderr, ed.seen)
	}
	if !strings.Contains(res.stderr, "Edit it again? [Y/n]") {
		t.Errorf("no question: %q", res.stderr)
	}

	// "n" to the question keeps the text, like a script would.
	ed = &fakeEditor{texts: []string{bad}}
	res = runCLI(t, runOpts{env: env, editor: ed.run, terminal: true, stdin: strings.NewReader("n\n")}, "config", "edit")
	if res.code != exitUsage || len(leftovers()) != 1 {
		t.Errorf("declined re-edit: exit %d, leftovers %v", res.code, leftovers())
	}

	// An editor that fails keeps the text too.
	ed = &fakeEditor{}
	res = runCLI(t, runOpts{env: env, editor: ed.run}, "config", "edit")
	if res.code != exitFailure || !strings.Contains(res.stderr, "the editor myeditor failed (no more edits)") {
		t.Errorf("failing editor: exit %d, %q", res.code, res.stderr)
	}
}

func TestConfigEditRussian(t *testing.T) {
	t.Parallel()
	env, path := initEnv(t)
	env["EDITOR"] = "ed"
	env["LANG"] = "ru_RU.UTF-8"
	ed := &fakeEditor{texts: []string{"timeout = \"1h\"\n"}}
	res := runCLI(t, runOpts{env: env, editor: ed.run}, "config", "edit")
	if !strings.Contains(ed.seen[0], "# Настройки linedesk") {
		t.Errorf("the template is not in Russian: %q", ed.seen[0])
	}
	if res.code != exitUsage || !strings.Contains(res.stderr, "linedesk: исправленные настройки неверны: "+path+`:1: ключ "timeout"`) ||
		!strings.Contains(res.stderr, "ваш текст сохранён в ") {
		t.Errorf("exit %d, %q", res.code, res.stderr)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Error("an invalid first edit created the file")
	}
}

// TestConfigEditKeepsRefreshedTokens: while the editor is open, a running
// linedesk refreshes the profile's OAuth tokens and saves them; saving the
// edit keeps them (and says so) instead of putting back the replaced pair.
func TestConfigEditKeepsRefreshedTokens(t *testing.T) {
	t.Parallel()
	env, path := initEnv(t)
	env["EDITOR"] = "myeditor"
	const text = "[profiles.app.oauth]\nendpoint = \"https://a.example.com/rest/\"\nclient_id = \"app\"\nclient_secret = \"cs-app-123456\"\naccess_token = \"old-access\"\nrefresh_token = \"old-refresh\"\n"
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	edit := func(_ context.Context, argv []string) error {
		if err := config.SaveTokens(path, "app", config.Token{Access: "new-access", Refresh: "new-refresh"}); err != nil {
			return err
		}
		return os.WriteFile(argv[len(argv)-1], []byte("refresh = \"20s\"\n"+text), 0o600)
	}
	res := runCLI(t, runOpts{env: env, editor: edit}, "config", "edit")
	if res.code != exitOK || !strings.Contains(res.stdout, "Kept the OAuth tokens of app") {
		t.Fatalf("exit %d: %q %q", res.code, res.stdout, res.stderr)
	}
	got := readText(t, path)
	if !strings.Contains(got, `refresh = "20s"`) || !strings.Contains(got, `refresh_token = "new-refresh"`) || strings.Contains(got, "old-refresh") {
		t.Errorf("saved:\n%s", got)
	}
}
