package logging

import (
	"bytes"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestOpenCreatesPrivateFiles(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "state", "linedesk")
	path := filepath.Join(dir, "linedesk.log")
	l, err := Open(Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	l.Info("hello", "n", 1)
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" {
		st, err := os.Stat(dir)
		if err != nil || st.Mode().Perm() != 0o700 {
			t.Errorf("directory mode %v (%v), want 0700", st.Mode().Perm(), err)
		}
		st, err = os.Stat(path)
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("file mode %v (%v), want 0600", st.Mode().Perm(), err)
		}
	}
	data, _ := os.ReadFile(path)
	if !strings.Contains(string(data), "msg=hello n=1") {
		t.Errorf("log %q lacks the record", data)
	}
}

func TestOpenMakesAnOpenFilePrivate(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Log("mode bits do not describe access on Windows; nothing to check")
		return
	}
	path := filepath.Join(t.TempDir(), "linedesk.log")
	if err := os.WriteFile(path, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := Open(Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	st, _ := os.Stat(path)
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", st.Mode().Perm())
	}
	l.Info("appended")
	data, _ := os.ReadFile(path)
	if !strings.HasPrefix(string(data), "old\n") || !strings.Contains(string(data), "appended") {
		t.Errorf("log %q: the old lines must stay and the new one follow", data)
	}
}

func TestOpenFailsInOneLine(t *testing.T) {
	t.Parallel()
	blocker := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	l, err := Open(Options{Path: filepath.Join(blocker, "sub", "linedesk.log")})
	if err == nil || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "log directory") {
		t.Fatalf("err = %v, want one line about the log directory", err)
	}
	l.Info("goes nowhere") // the discarding logger still works
	if _, err := Open(Options{}); err == nil {
		t.Error("an empty path must be an error")
	}
}

func TestDebugLevel(t *testing.T) {
	t.Parallel()
	for _, debug := range []bool{false, true} {
		path := filepath.Join(t.TempDir(), "l.log")
		l, err := Open(Options{Path: path, Debug: debug, Attrs: []slog.Attr{slog.Int("pid", 7)}})
		if err != nil {
			t.Fatal(err)
		}
		l.Debug("detail")
		l.Info("event")
		l.Close()
		data, _ := os.ReadFile(path)
		if got := strings.Contains(string(data), "detail"); got != debug {
			t.Errorf("debug=%v: debug record written=%v; log %q", debug, got, data)
		}
		if !strings.Contains(string(data), "msg=event pid=7") {
			t.Errorf("debug=%v: log %q lacks the info record with its attrs", debug, data)
		}
	}
}

func TestAtLeastRaisesDebugRecords(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	base := slog.New(slog.NewTextHandler(&b, &slog.HandlerOptions{Level: slog.LevelInfo}))
	l := AtLeast(base, slog.LevelInfo).With("component", "api")
	l.Debug("bitrix24 request", "method", "user.current")
	l.Warn("slow")
	out := b.String()
	if !strings.Contains(out, "level=INFO msg=\"bitrix24 request\" component=api method=user.current") {
		t.Errorf("a debug record must be written at INFO: %q", out)
	}
	if !strings.Contains(out, "level=WARN msg=slow") {
		t.Errorf("records above the floor keep their level: %q", out)
	}
	if !AtLeast(base, slog.LevelInfo).WithGroup("g").Enabled(t.Context(), slog.LevelDebug) {
		t.Error("debug records must count as enabled once raised")
	}
}

type stringer struct{ s string }

func (s stringer) String() string { return s.s }

func TestRedactorScrubsEverything(t *testing.T) {
	t.Parallel()
	const code = "q1w2e3r4t5y6u7i8"
	const token = "tok-ACCESS-9f8e7d6c5b4a"
	var b bytes.Buffer
	secrets := []string{}
	h := NewRedactor(slog.NewTextHandler(&b, nil), func() []string { return secrets })
	l := slog.New(h)
	secrets = append(secrets, token) // known after the handler was built
	l = l.With("webhook", "https://x.bitrix24.ru/rest/1/"+code+"/")
	l.Info("calling https://x.bitrix24.ru/rest/12/"+code+"/user.current.json?auth="+token,
		"err", errors.New("POST https://x/rest/1/"+code+"/x.json: "+token+" refused"),
		"access_token", "anything",
		"empty_token_ok", "",
		"stringer", stringer{"Bearer " + token},
		slog.Group("oauth", "refresh_token", "r-123456", "note", `{"client_secret":"cs-987654"}`),
		"struct", struct{ URL string }{"https://h/rest/3/" + code},
		"count", 3, "took", 2*time.Second, "ok", true,
	)
	out := b.String()
	for _, s := range []string{code, token, "anything", "r-123456", "cs-987654", strings.ToUpper(code)} {
		if strings.Contains(out, s) {
			t.Errorf("log contains the secret %q: %s", s, out)
		}
	}
	for _, keep := range []string{"/rest/1/***", "/rest/12/***/user.current.json", "count=3", "took=2s", "ok=true", "Bearer ***"} {
		if !strings.Contains(out, keep) {
			t.Errorf("log lacks %q: %s", keep, out)
		}
	}
}

func TestScrubKeepsOrdinaryText(t *testing.T) {
	t.Parallel()
	for _, s := range []string{
		"portal refused: NO_AUTH_FOUND: Wrong authorization data",
		"bitrix24 request method=imopenlines.session.mode.unpinAll outcome=ok",
		"https://portal.bitrix24.ru/rest/user.current.json",
		"the access token expired and could not be refreshed",
		"expired_token: The access token provided has expired",
	} {
		if got := Scrub(s, nil); got != s {
			t.Errorf("Scrub(%q) = %q, want it unchanged", s, got)
		}
	}
}

func FuzzScrub(f *testing.F) {
	f.Add("https://h/rest/1/abcdef123456/x.json", "abcdef123456")
	f.Add("auth=Zx9Zx9Zx9&x=1", "Zx9Zx9Zx9")
	f.Add(`{"refresh_token":"RRRR1111"}`, "RRRR1111")
	f.Add("nothing here", "SECRET")
	f.Fuzz(func(t *testing.T, s, secret string) {
		got := Scrub(s, []string{secret})
		if len(secret) < 4 || strings.ContainsFunc(secret, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
		}) {
			return
		}
		if strings.Contains(asciiLower(got), asciiLower(secret)) {
			t.Fatalf("Scrub(%q, %q) = %q still holds the secret", s, secret, got)
		}
	})
}

func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
