package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/linedesk/linedesk/internal/api"
	"github.com/linedesk/linedesk/internal/api/portalsim"
	"github.com/linedesk/linedesk/internal/sanitize"
)

// decodeSessions decodes `sessions --json` keeping numbers as json.Number,
// so that a test can tell an int from a string or a float.
func decodeSessions(t *testing.T, out string) []map[string]any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(out))
	dec.UseNumber()
	var list []map[string]any
	if err := dec.Decode(&list); err != nil {
		t.Fatalf("stdout is not a JSON array: %v\n%s", err, out)
	}
	if list == nil {
		t.Fatalf("stdout is null, want an array: %q", out)
	}
	return list
}

func intField(t *testing.T, obj map[string]any, key string) int64 {
	t.Helper()
	n, ok := obj[key].(json.Number)
	if !ok {
		t.Fatalf("%s = %#v, want an integer", key, obj[key])
	}
	i, err := n.Int64()
	if err != nil {
		t.Fatalf("%s = %s, want an integer", key, n)
	}
	return i
}

func stringField(t *testing.T, obj map[string]any, key string) string {
	t.Helper()
	s, ok := obj[key].(string)
	if !ok {
		t.Fatalf("%s = %#v, want a string", key, obj[key])
	}
	return s
}

func boolField(t *testing.T, obj map[string]any, key string) bool {
	t.Helper()
	b, ok := obj[key].(bool)
	if !ok {
		t.Fatalf("%s = %#v, want a bool", key, obj[key])
	}
	return b
}

func TestSessionsJSON(t *testing.T) {
	t.Parallel()
	p, url := newSim(t, portalsim.Options{Sessions: 25, Seed: 7})
	res := runCLI(t, runOpts{}, "sessions", "--json", "--webhook", url)
	if res.code != exitOK || res.stderr != "" {
		t.Fatalf("exit %d, stderr %q", res.code, res.stderr)
	}
	list := decodeSessions(t, res.stdout)
	if len(list) == 0 {
		t.Fatal("no sessions listed")
	}

	// What the client itself sees, to check each field's mapping.
	snap := snapshot(t, url)
	byID := map[int64]api.Session{}
	current := 0
	for _, s := range snap.Sessions {
		byID[s.SessionID] = *s
		if s.Current() {
			current++
		}
	}
	if len(list) != current {
		t.Errorf("listed %d sessions, the portal has %d current ones", len(list), current)
	}

	var pinned []int64
	for _, obj := range list {
		id := intField(t, obj, "session_id")
		s, ok := byID[id]
		if !ok {
			t.Fatalf("session %d is not in the portal's list", id)
		}
		chat := intField(t, obj, "chat_id")
		if chat != s.ChatID {
			t.Errorf("session %d: chat_id %d, want %d", id, chat, s.ChatID)
		}
		if got, want := stringField(t, obj, "dialog_id"), fmt.Sprintf("chat%d", chat); got != want {
			t.Errorf("session %d: dialog_id %q, want %q", id, got, want)
		}
		if got := intField(t, obj, "line_id"); got != s.LineID {
			t.Errorf("session %d: line_id %d, want %d", id, got, s.LineID)
		}
		for key, want := range map[string]string{
			"line_name": s.LineName, "connector": s.Connector, "client": s.Client,
			"last_message": s.LastMessage, "status": s.Status.String(),
		} {
			if got := stringField(t, obj, key); got != want {
				t.Errorf("session %d: %s = %q, want %q", id, key, got, want)
			}
		}
		code := intField(t, obj, "status_code")
		if code != int64(s.Status) || code >= 60 {
			t.Errorf("session %d: status_code %d, want %d (< 60)", id, code, s.Status)
		}
		if got := intField(t, obj, "unread"); got != int64(s.Unread) {
			t.Errorf("session %d: unread %d, want %d", id, got, s.Unread)
		}
		at, err := time.Parse(time.RFC3339, stringField(t, obj, "last_activity"))
		if err != nil || !at.Equal(s.LastActivity.Truncate(time.Second)) {
			t.Errorf("session %d: last_activity %v (%v), want %v", id, at, err, s.LastActivity)
		}
		if boolField(t, obj, "pinned") {
			pinned = append(pinned, id)
		}
	}
	slices.Sort(pinned)
	want := p.PinnedSessionIDs()
	if !slices.Equal(pinned, want) {
		t.Errorf("pinned sessions %v, the portal has %v", pinned, want)
	}
	if len(want) == 0 {
		t.Error("the simulator seeded no pinned session; the test proves nothing about pinned")
	}
}

func TestSessionsAllAddsClosed(t *testing.T) {
	t.Parallel()
	_, url := newSim(t, portalsim.Options{Sessions: 30, Seed: 11})
	cur := decodeSessions(t, runCLI(t, runOpts{}, "sessions", "--json", "--webhook", url).stdout)
	all := decodeSessions(t, runCLI(t, runOpts{}, "sessions", "--json", "--all", "--webhook", url).stdout)

	closed := 0
	for _, obj := range all {
		if code := intField(t, obj, "status_code"); code >= 60 {
			closed++
		}
	}
	if closed == 0 {
		t.Fatal("--all listed no closed session; the simulator seeds some")
	}
	if len(all) != len(cur)+closed {
		t.Errorf("--all listed %d = %d current + %d closed? want the current ones plus the closed", len(all), len(cur), closed)
	}
}

func TestSessionsJSONEmptyIsArray(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := writeJSON(&b, sessionsJSON(nil)); err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(b.String()); got != "[]" {
		t.Errorf("empty list = %q, want []", got)
	}
}

func TestSessionsJSONKeepsPortalText(t *testing.T) {
	t.Parallel()
	hostile := "Иван \x1b]0;pwned\x07 \u202eevil\n<b>"
	var b bytes.Buffer
	if err := writeJSON(&b, sessionsJSON([]api.Session{{SessionID: 1, ChatID: 2, Client: hostile, StatusKnown: true, Status: api.StatusClient}})); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(b.String(), "\x1b\x07") {
		t.Errorf("raw control characters in JSON: %q", b.String())
	}
	var back []sessionJSON
	if err := json.Unmarshal(b.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if back[0].Client != hostile {
		t.Errorf("client round-tripped as %q, want the portal's text %q", back[0].Client, hostile)
	}
	if back[0].DialogID != "chat2" || back[0].Status != "CLIENT" || back[0].StatusCode == nil || *back[0].StatusCode != 20 {
		t.Errorf("derived fields wrong: %+v", back[0])
	}
	if back[0].LastActivity != nil {
		t.Errorf("unknown last activity = %q, want null", *back[0].LastActivity)
	}
}

func TestSessionsTable(t *testing.T) {
	t.Parallel()
	now := testNow
	list := []api.Session{
		{SessionID: 7, Client: "Alice", Connector: "livechat", LineName: "Sales", StatusKnown: true,
			Status: api.StatusOperator, Unread: 0, LastMessage: "hi", LastActivity: now.Add(-3 * time.Minute)},
		{SessionID: 12345, Client: "Светлана Иванова", Connector: "telegrambot", LineName: "Поддержка",
			StatusKnown: true, Status: api.StatusClient, Pinned: true, Unread: 12,
			LastMessage: "こんにちは 👋 " + strings.Repeat("длинное сообщение ", 10), LastActivity: now.Add(-26 * time.Hour)},
		{SessionID: 99, Client: "evil\x1b[31m\x1b]0;title\x07\u202ename", Connector: "wa\tba",
			LineName: "line\r\nbreak", StatusKnown: true, Status: api.StatusNew, Unread: 1, LastMessage: "x\x00y"},
	}
	out := sessionsTable(&textEN, list, now)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 1+len(list) {
		t.Fatalf("%d lines, want a header and %d rows:\n%s", len(lines), len(list), out)
	}
	for _, r := range out {
		if r == '\x1b' || r == '\x07' || r == '\u202e' || r == '\r' || r == '\t' || r == 0 {
			t.Fatalf("unsafe character %U in the table:\n%q", r, out)
		}
	}
	// Every column starts at the same display column in every line: the
	// STATUS and UNREAD cells are ASCII, so find them by their values.
	header := lines[0]
	statusCol := sanitize.Width(header[:strings.Index(header, "STATUS")])
	for i, s := range list {
		line := lines[i+1]
		idx := strings.Index(line, "  "+s.Status.String()+" ")
		if idx < 0 {
			t.Fatalf("row %d has no status %s: %q", i, s.Status, line)
		}
		if got := sanitize.Width(line[:idx+2]); got != statusCol {
			t.Errorf("row %d: STATUS at column %d, header at %d:\n%s", i, got, statusCol, out)
		}
		if w := sanitize.Width(line); w > sanitize.Width(header)+widthMessage {
			t.Errorf("row %d is %d cells wide: the message was not cut", i, w)
		}
	}
	if !strings.Contains(lines[2], "yes") || strings.Contains(lines[1], "yes") {
		t.Errorf("pinned marker wrong:\n%s", out)
	}
	if !strings.Contains(lines[1], "3m ago") || !strings.Contains(lines[2], "26h ago") || !strings.Contains(lines[3], " - ") {
		t.Errorf("ages wrong:\n%s", out)
	}
}

func TestSessionsPlainAgainstSim(t *testing.T) {
	t.Parallel()
	_, url := newSim(t, portalsim.Options{Sessions: 8, Seed: 3})
	res := runCLI(t, runOpts{}, "sessions", "--webhook", url)
	if res.code != exitOK || res.stderr != "" {
		t.Fatalf("exit %d, stderr %q", res.code, res.stderr)
	}
	snap := snapshot(t, url)
	lines := strings.Split(strings.TrimSuffix(res.stdout, "\n"), "\n")
	if !strings.HasPrefix(strings.TrimSpace(lines[0]), "SESSION") {
		t.Fatalf("no header: %q", lines[0])
	}
	n := 0
	for _, s := range snap.Sessions {
		if !s.Current() {
			continue
		}
		n++
		found := false
		for _, l := range lines[1:] {
			if strings.HasPrefix(strings.TrimSpace(l), fmt.Sprint(s.SessionID)+" ") {
				found = true
			}
		}
		if !found {
			t.Errorf("session %d missing from the table:\n%s", s.SessionID, res.stdout)
		}
	}
	if len(lines)-1 != n {
		t.Errorf("%d rows, want %d", len(lines)-1, n)
	}
}

func TestAgo(t *testing.T) {
	t.Parallel()
	for d, want := range map[time.Duration]string{
		0: "now", 30 * time.Second: "30s ago", 90 * time.Second: "1m ago",
		5 * time.Hour: "5h ago", 72 * time.Hour: "3d ago",
	} {
		if got := ago(&textEN, testNow, testNow.Add(-d)); got != want {
			t.Errorf("ago(%v) = %q, want %q", d, got, want)
		}
	}
	if got := ago(&textEN, testNow, time.Time{}); got != "-" {
		t.Errorf("ago(zero) = %q", got)
	}
}

// snapshot reads the portal through the client, as the CLI does.
func snapshot(t *testing.T, url string) api.Snapshot {
	t.Helper()
	c, err := api.New(api.Options{WebhookURL: url, Limiter: testDeps(t, runOpts{}, nil, nil, nil).limiter})
	if err != nil {
		t.Fatal(err)
	}
	snap, err := c.Snapshot(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

func TestSessionsFileOnlyMessage(t *testing.T) {
	t.Parallel()
	s := api.Session{SessionID: 5, Client: "Ann", StatusKnown: true, Status: api.StatusClient,
		LastFile: "scan\x1b[2J.png", LastActivity: testNow}
	out := sessionsTable(&textEN, []api.Session{s}, testNow)
	if !strings.Contains(out, "[file] scan.png") {
		t.Errorf("a file-only last message should be named as a file:\n%s", out)
	}
	if ru := sessionsTable(&textRU, []api.Session{s}, testNow); !strings.Contains(ru, "[файл] scan.png") {
		t.Errorf("Russian table:\n%s", ru)
	}
	s.LastMessage = "see attached"
	if out := sessionsTable(&textEN, []api.Session{s}, testNow); !strings.Contains(out, "see attached") || strings.Contains(out, "[file]") {
		t.Errorf("text wins over the file name:\n%s", out)
	}
}
