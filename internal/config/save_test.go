package config

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func assertMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	if runtime.GOOS == "windows" {
		return
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := st.Mode().Perm(); got != want {
		t.Errorf("%s has mode %04o, want %04o", path, got, want)
	}
}

const oauthFile = `# my portals
theme = "dark" # I like it dark

[profiles.a.oauth]
# from the app page
endpoint = "https://a.example.com/rest/"
client_id = "app.a"
client_secret = "cs-a"
access_token = "old-access-a"   # keep this comment
refresh_token = "old-refresh-a"

[profiles.b.oauth]
endpoint = "https://b.example.com/rest/"
client_id = "app.b"
client_secret = "cs-b"
refresh_token = "old-refresh-b"
`

func TestSaveTokensKeepsTheRest(t *testing.T) {
	path := writeConfig(t, oauthFile, 0o644)
	tok := Token{Access: "new-access-a", Refresh: "new-refresh-a", Expires: testTime.Add(time.Hour), Endpoint: "https://a2.example.com/rest/"}
	if err := SaveTokens(path, "a", tok); err != nil {
		t.Fatal(err)
	}
	assertMode(t, path, 0o600) // rewritten files holding secrets are private
	text := readFile(t, path)
	for _, keep := range []string{"# my portals", `theme = "dark" # I like it dark`, "# from the app page", `access_token = "new-access-a"   # keep this comment`, `refresh_token = "old-refresh-b"`} {
		if !strings.Contains(text, keep) {
			t.Errorf("lost %q:\n%s", keep, text)
		}
	}
	e := mustLoad(t, path)
	a, b := e.Profiles["a"].OAuth, e.Profiles["b"].OAuth
	if a.AccessToken != tok.Access || a.RefreshToken != tok.Refresh || !a.Expires.Equal(tok.Expires) || a.Endpoint != tok.Endpoint {
		t.Errorf("profile a after save: %+v", a)
	}
	if b.RefreshToken != "old-refresh-b" || b.AccessToken != "" {
		t.Errorf("profile b changed: %+v", b)
	}
	// Profile b had no access_token or expires: they are added to its table.
	if err := SaveTokens(path, "b", Token{Access: "new-access-b", Refresh: "new-refresh-b", Expires: testTime}); err != nil {
		t.Fatal(err)
	}
	e = mustLoad(t, path)
	if b := e.Profiles["b"].OAuth; b.AccessToken != "new-access-b" || b.RefreshToken != "new-refresh-b" || !b.Expires.Equal(testTime) {
		t.Errorf("profile b after save: %+v", b)
	}
	if !strings.Contains(readFile(t, path), "# my portals") {
		t.Error("comments lost on insert")
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 2 { // config.toml and its .lock
		t.Errorf("leftover files: %v", entries)
	}
}

func TestSaveTokensErrors(t *testing.T) {
	path := writeConfig(t, oauthFile, 0o600)
	err := SaveTokens(path, "nope", Token{Access: "x"})
	if got := oneLineErr(t, err); got != "cannot save the new tokens: "+path+" has no [profiles.nope.oauth] table" {
		t.Errorf("unknown profile: %s", got)
	}
	broken := writeConfig(t, "a = \n", 0o600)
	if err := SaveTokens(broken, "a", Token{Access: "secret-access"}); err == nil || !strings.HasPrefix(err.Error(), broken+":1: invalid TOML") || strings.Contains(err.Error(), "secret-access") {
		t.Errorf("broken file: %v", err)
	}
	if readFile(t, broken) != "a = \n" {
		t.Error("a broken file was rewritten")
	}
}

// TestSaveTokensFallback: a layout the splicer does not handle (an inline
// oauth table) is re-encoded, losing comments but no data.
func TestSaveTokensFallback(t *testing.T) {
	path := writeConfig(t, "# c\n[profiles.a]\noauth = { endpoint = \"https://a.example.com/rest/\", client_id = \"x\", client_secret = \"y\", refresh_token = \"r\" }\n", 0o600)
	if err := SaveTokens(path, "a", Token{Access: "acc", Refresh: "ref", Expires: testTime}); err != nil {
		t.Fatal(err)
	}
	o := mustLoad(t, path).Profiles["a"].OAuth
	if o.AccessToken != "acc" || o.RefreshToken != "ref" || o.ClientSecret != "y" || o.Endpoint != "https://a.example.com/rest/" {
		t.Errorf("after fallback: %+v", o)
	}
}

// TestConcurrentTokenSaves: goroutines with their own file handles (as two
// processes would) save pairs for two profiles at once; no pair is lost and
// the file always parses.
func TestConcurrentTokenSaves(t *testing.T) {
	path := writeConfig(t, oauthFile, 0o600)
	const rounds = 25
	var wg sync.WaitGroup
	errs := make(chan error, 4*rounds)
	for _, p := range []string{"a", "b", "a", "b"} {
		wg.Go(func() {
			for i := range rounds {
				if err := SaveTokens(path, p, Token{Access: fmt.Sprintf("acc-%s-%d", p, i), Refresh: "ref-" + p}); err != nil {
					errs <- err
				}
				if _, err := load(t, path); err != nil { // readers never see a partial file
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	e := mustLoad(t, path)
	for _, p := range []string{"a", "b"} {
		o := e.Profiles[p].OAuth
		if o.RefreshToken != "ref-"+p || !strings.HasPrefix(o.AccessToken, "acc-"+p+"-") {
			t.Errorf("profile %s lost its pair: %+v", p, o)
		}
	}
}

// TestConcurrentTokenSavesProcesses runs the same race between real
// processes: this test binary re-executed as helpers.
func TestConcurrentTokenSavesProcesses(t *testing.T) {
	if p := os.Getenv("LINEDESK_CONFIG_TEST_SAVER"); p != "" {
		path, profile := os.Getenv("LINEDESK_CONFIG_TEST_PATH"), p
		for i := range 20 {
			if err := SaveTokens(path, profile, Token{Access: fmt.Sprintf("acc-%s-%d", profile, i), Refresh: fmt.Sprintf("ref-%s-%d", profile, i)}); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
		}
		os.Exit(0)
	}
	path := writeConfig(t, oauthFile, 0o600)
	var cmds []*exec.Cmd
	for _, p := range []string{"a", "b"} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestConcurrentTokenSavesProcesses$")
		cmd.Env = append(os.Environ(), "LINEDESK_CONFIG_TEST_SAVER="+p, "LINEDESK_CONFIG_TEST_PATH="+path)
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	for _, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("helper: %v", err)
		}
	}
	e := mustLoad(t, path)
	for _, p := range []string{"a", "b"} {
		o := e.Profiles[p].OAuth
		if o.AccessToken != "acc-"+p+"-19" || o.RefreshToken != "ref-"+p+"-19" {
			t.Errorf("profile %s: %+v, want its last pair", p, o)
		}
	}
}

func TestSaveWebhookProfile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "linedesk", "config.toml")

	// Keyring works: the file holds no secret.
	store := newFakeStore()
	inKeyring, kerr, err := SaveWebhookProfile(path, "work", testHook, store, true)
	if err != nil || kerr != nil || !inKeyring {
		t.Fatalf("keyring save: %v %v %v", inKeyring, kerr, err)
	}
	assertMode(t, path, 0o600)
	if st, _ := os.Stat(filepath.Dir(path)); runtime.GOOS != "windows" && st.Mode().Perm() != 0o700 {
		t.Errorf("config dir mode %04o", st.Mode().Perm())
	}
	if text := readFile(t, path); strings.Contains(text, testCode) {
		t.Errorf("secret in the file although the keyring took it:\n%s", text)
	}
	if store.m["work"] != testHook {
		t.Error("keyring did not get the URL")
	}
	e, err := Load(Options{ConfigPath: path, LookupEnv: envMap(), Secrets: store})
	if err != nil {
		t.Fatal(err)
	}
	if c, err := e.Credentials("", envMap()); err != nil || c.WebhookURL != testHook || c.Label != "profile work (keyring)" {
		t.Errorf("credentials after init: %+v %v", c, err)
	}

	// Keyring broken: the URL falls back to the 0600 file.
	broken := &fakeStore{err: ErrKeyringTimeout}
	inKeyring, kerr, err = SaveWebhookProfile(path, "home", otherHook, broken, false)
	if err != nil || inKeyring || kerr == nil {
		t.Fatalf("fallback save: %v %v %v", inKeyring, kerr, err)
	}
	assertMode(t, path, 0o600)
	e = mustLoad(t, path)
	if e.Profiles["home"].WebhookURL != otherHook || e.DefaultProfile != "work" || !e.Profiles["work"].WebhookInKeyring {
		t.Errorf("after fallback: %+v", e.Config)
	}
	// Moving work into the file removes webhook_in_keyring; no store = file.
	if _, _, err := SaveWebhookProfile(path, "work", testHook, nil, false); err != nil {
		t.Fatal(err)
	}
	if p := mustLoad(t, path).Profiles["work"]; p.WebhookInKeyring || p.WebhookURL != testHook {
		t.Errorf("work after moving to the file: %+v", p)
	}
	// Bad input never reaches the file or the error text.
	if _, _, err := SaveWebhookProfile(path, "x", "https://portal/hooks/"+testCode, store, false); err == nil || strings.Contains(err.Error(), testCode) {
		t.Errorf("bad URL: %v", err)
	}
	if _, _, err := SaveWebhookProfile(path, "a b", testHook, store, false); err == nil {
		t.Error("bad profile name accepted")
	}
}

func TestSaveIsAtomicAndPrivate(t *testing.T) {
	path := writeConfig(t, "theme = \"dark\"\n", 0o644)
	if err := Save(path, []byte("theme = \"light\"\n")); err != nil {
		t.Fatal(err)
	}
	assertMode(t, path, 0o600)
	if got := readFile(t, path); got != "theme = \"light\"\n" {
		t.Errorf("content %q", got)
	}
	// A failed write leaves the old file and no temporary behind.
	if runtime.GOOS != "windows" && os.Geteuid() != 0 {
		dir := filepath.Dir(path)
		if err := os.Chmod(dir, 0o500); err != nil {
			t.Fatal(err)
		}
		err := Save(path, []byte("theme = \"auto\"\n"))
		_ = os.Chmod(dir, 0o700)
		if err == nil || strings.ContainsAny(err.Error(), "\n") {
			t.Errorf("save into a read-only dir: %v", err)
		}
		if got := readFile(t, path); got != "theme = \"light\"\n" {
			t.Errorf("old content lost: %q", got)
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
}

func TestLockTimeout(t *testing.T) {
	path := writeConfig(t, oauthFile, 0o600)
	unlock, err := lockFile(path+".lock", time.Second)
	if err != nil {
		t.Fatal(err)
	}
	old := lockTimeout
	lockTimeout = 30 * time.Millisecond
	defer func() { lockTimeout = old }()
	err = SaveTokens(path, "a", Token{Access: "x"})
	unlock()
	if err == nil || !strings.Contains(err.Error(), "is locked by another linedesk") {
		t.Fatalf("save while locked: %v", err)
	}
	if err := SaveTokens(path, "a", Token{Access: "x"}); err != nil {
		t.Fatalf("save after unlock: %v", err)
	}
}

func TestEditSplice(t *testing.T) {
	tests := []struct {
		name, text string
		changes    []change
		want       string
	}{
		{"empty file", "", []change{{[]string{"default_profile"}, "w"}, {[]string{"profiles", "w", "webhook_in_keyring"}, true}},
			"default_profile = \"w\"\n\n[profiles.w]\nwebhook_in_keyring = true\n"},
		{"top-level key goes above the first table", "# head\ntheme = \"dark\"\n\n[keys]\nup = [\"k\"]\n", []change{{[]string{"default_profile"}, "w"}},
			"# head\ntheme = \"dark\"\n\ndefault_profile = \"w\"\n[keys]\nup = [\"k\"]\n"},
		{"replace and delete", "[profiles.w]\nwebhook_url = \"x\" # old\nwebhook_in_keyring = false\n", []change{{[]string{"profiles", "w", "webhook_url"}, "y"}, {[]string{"profiles", "w", "webhook_in_keyring"}, nil}},
			"[profiles.w]\nwebhook_url = \"y\" # old\n"},
		{"no trailing newline", "[profiles.w]", []change{{[]string{"profiles", "w", "plan"}, "standard"}},
			"[profiles.w]\nplan = \"standard\"\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := edit("config.toml", tc.text, tc.changes)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("\n got: %q\nwant: %q", got, tc.want)
			}
		})
	}
}

// TestLoadTokensSeesAnotherProcesssSave: what SaveTokens wrote (another
// linedesk's refresh) is what LoadTokens reads back, expiry included; a
// profile without a refresh token, or a missing profile, is not ok.
func TestLoadTokensSeesAnotherProcesssSave(t *testing.T) {
	path := writeConfig(t, oauthFile, 0o600)
	tok := Token{Access: "new-access-a", Refresh: "new-refresh-a", Expires: testTime.Add(time.Hour), Endpoint: "https://a2.example.com/rest/"}
	if err := SaveTokens(path, "a", tok); err != nil {
		t.Fatal(err)
	}
	got, ok, err := LoadTokens(path, "a")
	if err != nil || !ok || got.Access != tok.Access || got.Refresh != tok.Refresh || !got.Expires.Equal(tok.Expires) || got.Endpoint != tok.Endpoint {
		t.Errorf("LoadTokens = %+v, %v, %v; want %+v", got, ok, err, tok)
	}
	if _, ok, err := LoadTokens(path, "nope"); ok || err != nil {
		t.Errorf("a missing profile: ok %v, err %v", ok, err)
	}
	if _, _, err := LoadTokens(path+".gone", "a"); err == nil || strings.Contains(err.Error(), "new-refresh-a") {
		t.Errorf("a missing file: %v", err)
	}
}

// TestSaveEditKeepsTokensRefreshedMeanwhile: `config edit` is open while a
// running linedesk saves a refreshed pair. Saving the edit keeps the user's
// change and the new pair; a pair the user changed in the editor is theirs.
func TestSaveEditKeepsTokensRefreshedMeanwhile(t *testing.T) {
	path := writeConfig(t, oauthFile, 0o600)
	orig := []byte(readFile(t, path))
	fresh := Token{Access: "refreshed-access-a", Refresh: "refreshed-refresh-a", Expires: testTime.Add(2 * time.Hour)}
	if err := SaveTokens(path, "a", fresh); err != nil {
		t.Fatal(err)
	}
	edited := []byte(strings.Replace(string(orig), `theme = "dark"`, `theme = "light"`, 1))
	if bytes.Equal(edited, orig) {
		t.Fatal("the test's edit changed nothing")
	}
	carried, err := SaveEdit(path, orig, edited)
	if err != nil || !slices.Equal(carried, []string{"a"}) {
		t.Fatalf("SaveEdit: carried %v, %v", carried, err)
	}
	e := mustLoad(t, path)
	if a := e.Profiles["a"].OAuth; a.AccessToken != fresh.Access || a.RefreshToken != fresh.Refresh || !a.Expires.Equal(fresh.Expires) {
		t.Errorf("the refreshed pair was lost: %+v", a)
	}
	if e.Theme != "light" {
		t.Errorf("the user's edit was lost: theme %q", e.Theme)
	}
	if b := e.Profiles["b"].OAuth; b.RefreshToken != "old-refresh-b" {
		t.Errorf("profile b changed: %+v", b)
	}

	// The user replaced the pair in the editor: theirs is saved.
	orig = []byte(readFile(t, path))
	if err := SaveTokens(path, "a", Token{Access: "again-access", Refresh: "again-refresh"}); err != nil {
		t.Fatal(err)
	}
	mine := []byte(strings.Replace(string(orig), fresh.Refresh, "pasted-refresh-a", 1))
	if carried, err := SaveEdit(path, orig, mine); err != nil || len(carried) != 0 {
		t.Fatalf("SaveEdit with the user's pair: carried %v, %v", carried, err)
	}
	if a := mustLoad(t, path).Profiles["a"].OAuth; a.RefreshToken != "pasted-refresh-a" {
		t.Errorf("the user's pair was overwritten: %+v", a)
	}
}
