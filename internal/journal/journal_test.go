package journal_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/linedesk/linedesk/internal/journal"
)

// The test binary doubles as a second linedesk process for the
// cross-process test: with these variables set it appends and exits.
const (
	envHelperPath = "LINEDESK_JOURNAL_TEST_PATH"
	envHelperN    = "LINEDESK_JOURNAL_TEST_N"
	envHelperTag  = "LINEDESK_JOURNAL_TEST_TAG"
)

func TestMain(m *testing.M) {
	if path := os.Getenv(envHelperPath); path != "" {
		n, _ := strconv.Atoi(os.Getenv(envHelperN))
		j := journal.New(path)
		for i := range n {
			if _, err := j.Append(entry(os.Getenv(envHelperTag), i)); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(3)
			}
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

var t0 = time.Date(2026, 11, 26, 17, 58, 3, 0, time.FixedZone("MSK", 3*3600))

// entry is a distinct entry: its profile names the writer, its user the
// sequence number.
func entry(tag string, i int) journal.Entry {
	return journal.Entry{
		Time:     t0.Add(time.Duration(i) * time.Second),
		Profile:  tag,
		Portal:   "example.bitrix24.ru",
		User:     int64(i + 1),
		Action:   journal.UnpinAll,
		Returned: []int64{int64(1000 + i), int64(2000 + i)},
		Outcome:  journal.OK,
	}
}

func newJournal(t *testing.T) *journal.Journal {
	t.Helper()
	return journal.New(filepath.Join(t.TempDir(), "state", "linedesk", "journal.jsonl"))
}

func mustRead(t *testing.T, j *journal.Journal, since time.Time) journal.Log {
	t.Helper()
	log, err := j.Read(since)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return log
}

func TestAppendAndReadBack(t *testing.T) {
	j := newJournal(t)
	in := []journal.Entry{
		{Time: t0, Profile: "work", Portal: "example.bitrix24.ru", User: 27, Action: journal.UnpinAll,
			Returned: []int64{339, 337}, Outcome: journal.OK},
		{Time: t0.Add(time.Minute), Portal: "example.bitrix24.ru", Action: journal.PinAll,
			Outcome: journal.Unknown, Error: "no usable answer"},
		{Time: t0.Add(2 * time.Minute), Portal: "example.bitrix24.ru", User: 27, Action: journal.UndoUnpinAll,
			Sent: []int64{339, 337}, Returned: []int64{339}, Outcome: journal.Failed, Undoes: "abc",
			Results: []journal.Result{
				{SessionID: 339, ChatID: 1777, Outcome: journal.OK},
				{SessionID: 337, ChatID: 1775, Outcome: journal.Failed, Reason: journal.ReasonRefused, Error: "empty code"},
			}},
	}
	var written []journal.Entry
	for _, e := range in {
		w, err := j.Append(e)
		if err != nil {
			t.Fatal(err)
		}
		if w.ID == "" || w.Sent == nil || w.Returned == nil || !w.Time.Equal(e.Time) {
			t.Errorf("written entry not completed: %+v", w)
		}
		written = append(written, w)
	}
	log := mustRead(t, j, time.Time{})
	if len(log.Damaged) != 0 || len(log.Entries) != len(in) {
		t.Fatalf("read %d entries, damage %v", len(log.Entries), log.Damaged)
	}
	for i, got := range log.Entries {
		want := written[i]
		if !got.Time.Equal(want.Time) {
			t.Errorf("entry %d time %v, want %v", i, got.Time, want.Time)
		}
		got.Time, want.Time = time.Time{}, time.Time{}
		gj, _ := json.Marshal(got)
		wj, _ := json.Marshal(want)
		if !bytes.Equal(gj, wj) {
			t.Errorf("entry %d:\n got %s\nwant %s", i, gj, wj)
		}
	}
	ids := map[string]bool{}
	for _, e := range written {
		ids[e.ID] = true
	}
	if len(ids) != len(written) {
		t.Error("IDs repeat")
	}

	// One line per entry, RFC 3339 times with the offset, no secrets to hide
	// but also nothing beyond the fields.
	data, err := os.ReadFile(j.Path())
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if len(lines) != len(in) || !strings.HasSuffix(string(data), "\n") {
		t.Fatalf("file has %d lines: %q", len(lines), data)
	}
	if !strings.Contains(lines[0], `"time":"2026-11-26T17:58:03+03:00"`) || !strings.Contains(lines[1], `"sent":[]`) {
		t.Errorf("first lines: %s / %s", lines[0], lines[1])
	}
}

func TestFileAndDirectoryArePrivate(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Log("Windows has no Unix permission bits; checking that the append works")
	}
	j := newJournal(t)
	if _, err := j.Append(entry("a", 0)); err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS == "windows" {
		return
	}
	for path, want := range map[string]os.FileMode{j.Path(): 0o600, filepath.Dir(j.Path()): 0o700} {
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != want {
			t.Errorf("%s is %v, want %v", path, st.Mode().Perm(), want)
		}
	}
	// A file someone made readable is private again after the next append.
	if err := os.Chmod(j.Path(), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := j.Append(entry("a", 1)); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(j.Path()); st.Mode().Perm() != 0o600 {
		t.Errorf("after append the file is %v", st.Mode().Perm())
	}
}

func TestReadMissingJournalCreatesNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "never")
	j := journal.New(filepath.Join(dir, "journal.jsonl"))
	log := mustRead(t, j, time.Time{})
	if len(log.Entries) != 0 || len(log.Damaged) != 0 {
		t.Errorf("empty journal read as %+v", log)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("reading created %s: %v", dir, err)
	}
}

func TestReadSince(t *testing.T) {
	j := newJournal(t)
	for i := range 10 {
		if _, err := j.Append(entry("a", i*60)); err != nil { // one a minute
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		since time.Time
		want  int
	}{
		{time.Time{}, 10},
		{t0, 10},
		{t0.Add(time.Second), 9},
		{t0.Add(5 * time.Minute), 5}, // exactly at an entry: included
		{t0.Add(9*time.Minute + time.Second), 0},
		{t0.Add(-time.Hour), 10},
	} {
		log := mustRead(t, j, tc.since)
		if len(log.Entries) != tc.want {
			t.Errorf("since %v: %d entries, want %d", tc.since, len(log.Entries), tc.want)
			continue
		}
		for _, e := range log.Entries {
			if e.Time.Before(tc.since) {
				t.Errorf("since %v: got an entry of %v", tc.since, e.Time)
			}
		}
	}
}

func TestRotation(t *testing.T) {
	j := newJournal(t)
	j.MaxSize = 2000
	const n = 60
	for i := range n {
		if _, err := j.Append(entry("a", i)); err != nil {
			t.Fatal(err)
		}
	}
	cur, err := os.Stat(j.Path())
	if err != nil {
		t.Fatal(err)
	}
	old, err := os.Stat(j.Rotated())
	if err != nil {
		t.Fatalf("no rotated file: %v", err)
	}
	if cur.Size() > j.MaxSize || old.Size() > j.MaxSize {
		t.Errorf("sizes %d and %d, cap %d", cur.Size(), old.Size(), j.MaxSize)
	}
	if runtime.GOOS != "windows" && old.Mode().Perm() != 0o600 {
		t.Errorf("rotated file is %v", old.Mode().Perm())
	}
	// The newest entries survive, in order, with none missing in between.
	log := mustRead(t, j, time.Time{})
	if len(log.Damaged) != 0 || len(log.Entries) == 0 || len(log.Entries) >= n {
		t.Fatalf("%d entries after rotation, damage %v", len(log.Entries), log.Damaged)
	}
	first := int(log.Entries[0].User) - 1
	for k, e := range log.Entries {
		if int(e.User)-1 != first+k {
			t.Fatalf("entry %d is #%d, want #%d", k, e.User-1, first+k)
		}
	}
	if last := log.Entries[len(log.Entries)-1]; last.User != n {
		t.Errorf("last entry is #%d, want #%d", last.User-1, n-1)
	}
	// Together the two files hold at least one MaxSize worth of entries.
	if cur.Size()+old.Size() < j.MaxSize {
		t.Errorf("only %d bytes kept", cur.Size()+old.Size())
	}
}

func TestTornLastLineIsSkippedAndTheNextAppendSurvives(t *testing.T) {
	j := newJournal(t)
	for i := range 2 {
		if _, err := j.Append(entry("a", i)); err != nil {
			t.Fatal(err)
		}
	}
	// A crash in the middle of a write: half a line, no newline.
	line, _ := json.Marshal(entry("a", 2))
	f, err := os.OpenFile(j.Path(), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(line[:len(line)/2]); err != nil {
		t.Fatal(err)
	}
	f.Close()

	log := mustRead(t, j, time.Time{})
	if len(log.Entries) != 2 || len(log.Damaged) != 1 || !log.Damaged[0].Last || log.Damaged[0].Line != 3 {
		t.Fatalf("entries %d, damage %+v", len(log.Entries), log.Damaged)
	}
	if s := log.Damaged[0].String(); !strings.Contains(s, "journal.jsonl line 3") || !strings.Contains(s, "cut short") {
		t.Errorf("damage reads %q", s)
	}

	// The next append starts a new line instead of gluing itself on.
	if _, err := j.Append(entry("a", 3)); err != nil {
		t.Fatal(err)
	}
	log = mustRead(t, j, time.Time{})
	if len(log.Entries) != 3 || log.Entries[2].User != 4 {
		t.Fatalf("after the next append: %d entries", len(log.Entries))
	}
	if len(log.Damaged) != 1 || log.Damaged[0].Last || !strings.Contains(log.Damaged[0].Reason, "cut short") {
		t.Errorf("damage after the next append: %+v", log.Damaged)
	}
}

func TestParseSkipsAndReportsBadLines(t *testing.T) {
	good, _ := json.Marshal(entry("a", 0))
	cases := []struct {
		name    string
		data    string
		entries int
		damaged []int // line numbers
		reason  string
	}{
		{"empty", "", 0, nil, ""},
		{"blank lines", "\n\n" + string(good) + "\n\n", 1, nil, ""},
		{"CRLF", string(good) + "\r\n" + string(good) + "\r\n", 2, nil, ""},
		{"garbage in the middle", string(good) + "\nnot json\n" + string(good) + "\n", 2, []int{2}, "invalid JSON"},
		{"array", "[1,2]\n", 0, []int{1}, "not a journal entry"},
		{"null", "null\n", 0, []int{1}, "without a time"},
		{"no action", `{"time":"2026-11-26T17:58:03Z"}` + "\n", 0, []int{1}, "without a time or an action"},
		{"wrong type", `{"time":"2026-11-26T17:58:03Z","action":"pin","sent":"x"}` + "\n", 0, []int{1}, "wrong type"},
		{"two values", string(good) + string(good) + "\n", 0, []int{1}, "text after"},
		{"torn last", string(good) + "\n" + string(good[:10]), 1, []int{2}, "cut short"},
		{"future fields kept", `{"time":"2026-11-26T17:58:03Z","action":"snooze","new":1}` + "\n", 1, nil, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			entries, damaged := journal.Parse([]byte(tc.data), "journal.jsonl")
			if len(entries) != tc.entries {
				t.Errorf("%d entries, want %d", len(entries), tc.entries)
			}
			var lines []int
			for _, d := range damaged {
				lines = append(lines, d.Line)
				if !strings.Contains(d.Reason, tc.reason) {
					t.Errorf("reason %q, want it to mention %q", d.Reason, tc.reason)
				}
			}
			if !slices.Equal(lines, tc.damaged) {
				t.Errorf("damaged lines %v, want %v", lines, tc.damaged)
			}
		})
	}
}

func TestConcurrentAppendsFromGoroutines(t *testing.T) {
	j := newJournal(t)
	const writers, each = 8, 25
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Go(func() {
			// Separate Journal values, as separate parts of the program would have.
			jj := journal.New(j.Path())
			for i := range each {
				if _, err := jj.Append(entry("g"+strconv.Itoa(w), i)); err != nil {
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
	checkAllWriters(t, j, writers, each, "g")
}

func TestConcurrentAppendsFromTwoProcesses(t *testing.T) {
	j := newJournal(t)
	if _, err := j.Append(entry("setup", 0)); err != nil { // creates the directory
		t.Fatal(err)
	}
	const procs, each = 2, 100
	cmds := make([]*exec.Cmd, procs)
	outs := make([]*bytes.Buffer, procs)
	for p := range procs {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), envHelperPath+"="+j.Path(), envHelperN+"="+strconv.Itoa(each),
			envHelperTag+"=p"+strconv.Itoa(p))
		outs[p] = &bytes.Buffer{}
		cmd.Stdout, cmd.Stderr = outs[p], outs[p]
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds[p] = cmd
	}
	// This process writes at the same time.
	for i := range each {
		if _, err := j.Append(entry("p"+strconv.Itoa(procs), i)); err != nil {
			t.Fatal(err)
		}
	}
	for p, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("process %d: %v: %s", p, err, outs[p])
		}
	}
	log := mustRead(t, j, time.Time{})
	if log.Entries[0].Profile != "setup" {
		t.Fatalf("first entry %+v", log.Entries[0])
	}
	log.Entries = log.Entries[1:]
	checkEntries(t, log, procs+1, each, "p")
}

func checkAllWriters(t *testing.T, j *journal.Journal, writers, each int, prefix string) {
	t.Helper()
	checkEntries(t, mustRead(t, j, time.Time{}), writers, each, prefix)
}

// checkEntries: every writer's entries are all there, whole, each writer's
// in its own order.
func checkEntries(t *testing.T, log journal.Log, writers, each int, prefix string) {
	t.Helper()
	if len(log.Damaged) != 0 {
		t.Fatalf("damaged lines: %v", log.Damaged)
	}
	if len(log.Entries) != writers*each {
		t.Fatalf("%d entries, want %d", len(log.Entries), writers*each)
	}
	next := map[string]int64{}
	ids := map[string]bool{}
	for _, e := range log.Entries {
		if !strings.HasPrefix(e.Profile, prefix) || e.User != next[e.Profile]+1 || len(e.Returned) != 2 {
			t.Fatalf("entry out of order or mangled: %+v (writer's next %d)", e, next[e.Profile]+1)
		}
		next[e.Profile] = e.User
		ids[e.ID] = true
	}
	if len(next) != writers || len(ids) != writers*each {
		t.Errorf("%d writers, %d distinct IDs", len(next), len(ids))
	}
}

func FuzzParse(f *testing.F) {
	good, _ := json.Marshal(entry("a", 0))
	f.Add(string(good) + "\n")
	f.Add(string(good) + "\n" + string(good[:20]))
	f.Add("\n\r\n{}\nnull\n[]\n")
	f.Add(`{"time":"2026-11-26T17:58:03Z","action":"undo_unpin_all","results":[{"session_id":1,"outcome":"ok"}]}`)
	f.Add(`{"time":"bad","action":1}`)
	f.Fuzz(func(t *testing.T, data string) {
		entries, damaged := journal.Parse([]byte(data), "j")
		lines := strings.Count(data, "\n") + 1
		for _, d := range damaged {
			if d.Line < 1 || d.Line > lines || d.Reason == "" {
				t.Fatalf("damage %+v in %d lines", d, lines)
			}
		}
		for _, e := range entries {
			if e.Time.IsZero() || e.Action == "" {
				t.Fatalf("entry without time or action: %+v", e)
			}
			// What was read can be written again and reads back the same.
			b, err := json.Marshal(e)
			if err != nil {
				t.Fatalf("re-encode: %v", err)
			}
			again, bad := journal.Parse(append(b, '\n'), "j")
			if len(again) != 1 || len(bad) != 0 || !again[0].Time.Equal(e.Time) || again[0].Action != e.Action {
				t.Fatalf("round trip of %s: %+v %v", b, again, bad)
			}
		}
		if len(entries)+len(damaged) > lines {
			t.Fatalf("%d entries and %d damaged from %d lines", len(entries), len(damaged), lines)
		}
	})
}
