package cli

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/linedesk/linedesk/internal/api/portalsim"
	"github.com/linedesk/linedesk/internal/journal"
)

func TestParseSince(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"2h", 2 * time.Hour, true},
		{"90s", 90 * time.Second, true},
		{"1h30m", 90 * time.Minute, true},
		{"7d", 7 * 24 * time.Hour, true},
		{"1D12h", 36 * time.Hour, true},
		{" 30m ", 30 * time.Minute, true},
		{"0", 0, false},
		{"0d", 0, false},
		{"-1h", 0, false},
		{"d", 0, false},
		{"1dd", 0, false},
		{"2 hours", 0, false},
		{"1d-2h", 0, false},
		{"100000d", 0, false},
		{"", 0, false},
	} {
		got, ok := parseSince(tc.in)
		if ok != tc.ok || got != tc.want {
			t.Errorf("parseSince(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func FuzzParseSince(f *testing.F) {
	for _, s := range []string{"2h", "7d", "1d12h", "-1h", "9223372036854775807ns", "1d9223372036s", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := parseSince(s)
		if ok != (d > 0) {
			t.Fatalf("parseSince(%q) = %v, %v", s, d, ok)
		}
	})
}

func TestIDList(t *testing.T) {
	if got := idList(nil, 20, "… +%d"); got != "-" {
		t.Errorf("empty: %q", got)
	}
	if got := idList([]int64{339, 337}, 20, "… +%d"); got != "339, 337" {
		t.Errorf("short: %q", got)
	}
	ids := make([]int64, 40)
	for i := range ids {
		ids[i] = int64(1000 + i)
	}
	got := idList(ids, 30, "… +%d")
	if len(got) > 32 || !strings.HasPrefix(got, "1000, 1001") || !strings.Contains(got, "… +") {
		t.Errorf("long: %q", got)
	}
}

func TestJournalCommand(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, portalsim.Options{Sessions: 5, Seed: 35})

	res := e.run(runOpts{}, "journal")
	if res.code != exitOK || res.stdout != "The journal is empty ("+e.journalPath()+").\n" {
		t.Errorf("empty: exit %d, %q %q", res.code, res.stdout, res.stderr)
	}
	if res = e.run(runOpts{}, "journal", "--json"); res.code != exitOK || strings.TrimSpace(res.stdout) != "[]" {
		t.Errorf("empty --json: %q", res.stdout)
	}
	if _, err := os.Stat(e.journalPath()); !os.IsNotExist(err) {
		t.Errorf("reading an empty journal created it: %v", err)
	}

	j := journal.New(e.journalPath())
	add := func(ago time.Duration, en journal.Entry) journal.Entry {
		en.Time = testNow.Add(-ago)
		written, err := j.Append(en)
		if err != nil {
			t.Fatal(err)
		}
		return written
	}
	old := add(3*time.Hour, journal.Entry{Portal: "a.bitrix24.ru", Profile: "work", Action: journal.UnpinAll, Outcome: journal.OK,
		Returned: []int64{339, 337, 335}})
	add(150*time.Minute, journal.Entry{Portal: "a.bitrix24.ru", Profile: "work", Action: journal.UndoUnpinAll, Outcome: journal.Failed,
		Undoes: old.ID, Sent: []int64{339, 337}, Returned: []int64{339},
		Results: []journal.Result{
			{SessionID: 339, ChatID: 1, Outcome: journal.OK},
			{SessionID: 337, ChatID: 2, Outcome: journal.Failed, Reason: journal.ReasonRefused, Error: "imopenlines.session.mode.pin: refused without a reason (empty error code) (HTTP 400)"},
			{SessionID: 335, Outcome: journal.Skipped, Reason: journal.ReasonClosed},
		}, Error: "imopenlines.session.mode.pin: refused without a reason (empty error code) (HTTP 400)"})
	add(30*time.Minute, journal.Entry{Portal: "a.bitrix24.ru", Action: journal.PinAll, Outcome: journal.Unknown,
		Error: "no usable answer\x1b[31m"})

	res = e.run(runOpts{}, "journal")
	if res.code != exitOK || res.stderr != "" {
		t.Fatalf("exit %d: %q", res.code, res.stderr)
	}
	lines := strings.Split(strings.TrimSuffix(res.stdout, "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("table:\n%s", res.stdout)
	}
	for i, want := range [][]string{
		{"TIME", "PORTAL", "ACTION", "OUTCOME", "SESSIONS", "NOTE"},
		{testNow.Add(-3 * time.Hour).Local().Format("2006-01-02 15:04:05"), "a.bitrix24.ru (work)", "unpin-all", "ok", "339, 337, 335",
			"undo at " + testNow.Add(-150*time.Minute).Local().Format("15:04:05") + " failed (1 done, 1 failed, 1 skipped)"},
		{"undo unpin-all", "failed (1 done, 1 failed, 1 skipped)", "339, 337", "undoes the unpin-all of " + testNow.Add(-3*time.Hour).Local().Format("2006-01-02 15:04:05")},
		{"pin-all", "no answer", "-", "no usable answer"},
	} {
		for _, w := range want {
			if !strings.Contains(lines[i], w) {
				t.Errorf("line %d %q lacks %q", i, lines[i], w)
			}
		}
	}
	if strings.Contains(res.stdout, "\x1b") {
		t.Error("an escape sequence from the journal reached the terminal")
	}

	// --since keeps the newer entries, and the undo still names its bulk.
	res = e.run(runOpts{}, "journal", "--since", "2h")
	lines = strings.Split(strings.TrimSuffix(res.stdout, "\n"), "\n")
	if res.code != exitOK || len(lines) != 2 || !strings.Contains(lines[1], "pin-all") {
		t.Errorf("--since 2h:\n%s", res.stdout)
	}
	res = e.run(runOpts{}, "journal", "--since", "160m", "--json")
	var got []journal.Entry
	if err := jsonUnmarshal(res.stdout, &got); err != nil || len(got) != 2 || got[0].Undoes != old.ID {
		t.Errorf("--since 160m --json: %v %s", err, res.stdout)
	}
	if res = e.run(runOpts{}, "journal", "--since", "1m"); res.code != exitOK || !strings.HasPrefix(res.stdout, "Nothing in the journal for the last 1m") {
		t.Errorf("--since 1m: %q", res.stdout)
	}
	res = e.run(runOpts{}, "journal", "--since", "soon")
	if res.code != exitUsage || !strings.Contains(res.stderr, `--since "soon" is not a duration`) {
		t.Errorf("bad --since: %d %q", res.code, res.stderr)
	}
	requireOneLine(t, res.stderr)

	// A torn last line (a crash mid-write) is skipped with a warning.
	f, err := os.OpenFile(e.journalPath(), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(`{"id":"x","time":"2026-11-26T`); err != nil {
		t.Fatal(err)
	}
	f.Close()
	res = e.run(runOpts{}, "journal", "--json")
	if err := jsonUnmarshal(res.stdout, &got); res.code != exitOK || err != nil || len(got) != 3 {
		t.Errorf("after a torn line: exit %d, %v, %d entries", res.code, err, len(got))
	}
	requireOneLine(t, res.stderr)
	if !strings.Contains(res.stderr, "warning: skipped 1 unreadable line(s) of the journal (journal.jsonl line 4: cut short") {
		t.Errorf("warning %q", res.stderr)
	}
}

func TestJournalHasNoSecrets(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, portalsim.Options{Sessions: 10, Seed: 36})
	for _, args := range [][]string{{"unpin-all", "--yes"}, {"undo", "--yes"}, {"pin-all", "--yes"}} {
		if res := e.run(runOpts{}, args...); res.code != exitOK {
			t.Fatalf("%v: %s", args, res.stderr)
		}
	}
	data, err := os.ReadFile(e.journalPath())
	if err != nil {
		t.Fatal(err)
	}
	requireNoSecret(t, string(data), e.secret)
	if strings.Count(string(data), "\n") != 3 || !strings.Contains(string(data), `"portal":"127.0.0.1:`) {
		t.Errorf("journal:\n%s", data)
	}
	st, err := os.Stat(e.journalPath())
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("journal mode %v, %v", st.Mode().Perm(), err)
	}
}

func TestBulkFailureIsJournalled(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, portalsim.Options{Sessions: 10, Seed: 37})
	e.portal.InjectFault(mUnpinAll, portalsim.FaultDropAfter, 1)
	if res := e.run(runOpts{}, "unpin-all", "--yes"); res.code != exitFailure {
		t.Fatalf("exit %d", res.code)
	}
	e.portal.InjectFault(mPinAll, portalsim.FaultEmptyCode, 1)
	if res := e.run(runOpts{}, "pin-all", "--yes"); res.code != exitFailure {
		t.Fatalf("exit %d", res.code)
	}
	entries := e.entries()
	if len(entries) != 2 || entries[0].Outcome != journal.Unknown || entries[1].Outcome != journal.Failed ||
		!strings.Contains(entries[1].Error, "empty error code") || strings.Contains(entries[0].Error, "POST") {
		t.Errorf("entries %+v", entries)
	}
	// The newest bulk failed: nothing to undo, and the older unknown one is not offered.
	if res := e.run(runOpts{}, "undo", "--yes"); res.code != exitFailure || !strings.Contains(res.stderr, "failed, so it changed nothing") {
		t.Errorf("undo: %d %q", res.code, res.stderr)
	}
}

func TestJournalUnwritableIsAWarning(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, portalsim.Options{Sessions: 10, Seed: 38})
	// The journal's path is taken by a directory: appends fail.
	if err := os.MkdirAll(e.journalPath(), 0o700); err != nil {
		t.Fatal(err)
	}
	res := e.run(runOpts{}, "unpin-all", "--yes", "--json")
	if res.code != exitOK || len(decodeIDs(t, res.stdout, "unpinned")) == 0 {
		t.Fatalf("exit %d: %s", res.code, res.stdout)
	}
	requireOneLine(t, res.stderr, e.secret)
	if !strings.Contains(res.stderr, "warning: the journal could not be written") {
		t.Errorf("stderr %q", res.stderr)
	}
}
