package cli

import (
	"encoding/json"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/time/rate"

	"github.com/linedesk/linedesk/internal/api"
	"github.com/linedesk/linedesk/internal/api/portalsim"
	"github.com/linedesk/linedesk/internal/journal"
)

// actionEnv is a simulated portal and a state directory that every run of
// one test shares, so unpin-all, undo and journal see the same journal.
type actionEnv struct {
	t      *testing.T
	portal *portalsim.Portal
	url    string
	secret string
	state  string
}

func newActionEnv(t *testing.T, o portalsim.Options) *actionEnv {
	t.Helper()
	p, url := newSim(t, o)
	return &actionEnv{t: t, portal: p, url: url, secret: webhookSecret(url), state: t.TempDir()}
}

// run runs linedesk with the webhook and the shared state directory.
func (e *actionEnv) run(o runOpts, args ...string) result {
	e.t.Helper()
	o.logPath = filepath.Join(e.state, "linedesk.log")
	res := runCLI(e.t, o, append(args, "--webhook", e.url)...)
	requireNoSecret(e.t, res.stdout+res.stderr, e.secret)
	return res
}

func (e *actionEnv) journalPath() string { return filepath.Join(e.state, "journal.jsonl") }

// entries reads the journal as `journal --json` prints it.
func (e *actionEnv) entries() []journal.Entry {
	e.t.Helper()
	res := e.run(runOpts{}, "journal", "--json")
	if res.code != exitOK {
		e.t.Fatalf("journal --json: exit %d: %s", res.code, res.stderr)
	}
	var entries []journal.Entry
	if err := json.Unmarshal([]byte(res.stdout), &entries); err != nil || entries == nil {
		e.t.Fatalf("journal --json is not an array of entries: %v: %s", err, res.stdout)
	}
	return entries
}

// snapshot reads the portal as linedesk sees it.
func (e *actionEnv) snapshot() api.Snapshot {
	e.t.Helper()
	c, err := api.New(api.Options{WebhookURL: e.url, Limiter: rate.NewLimiter(rate.Inf, 0)})
	if err != nil {
		e.t.Fatal(err)
	}
	snap, err := c.Snapshot(e.t.Context())
	if err != nil {
		e.t.Fatal(err)
	}
	return snap
}

// host is the portal as the journal records it.
func (e *actionEnv) host() string {
	w, err := api.ParseWebhookURL(e.url)
	if err != nil {
		e.t.Fatal(err)
	}
	return w.Host
}

func TestUnpinAllThenUndoPinsTheSameSessions(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, portalsim.Options{Sessions: 40, Seed: 21})
	before := e.portal.PinnedSessionIDs()
	if len(before) < 2 {
		t.Fatalf("the simulator seeded %d pinned sessions", len(before))
	}

	res := e.run(runOpts{}, "unpin-all", "--yes", "--json")
	if res.code != exitOK {
		t.Fatalf("unpin-all: exit %d: %s", res.code, res.stderr)
	}
	unpinned := decodeIDs(t, res.stdout, "unpinned")
	if left := e.portal.PinnedSessionIDs(); len(left) != 0 {
		t.Fatalf("still pinned after unpin-all: %v", left)
	}

	requests := e.portal.Requests()
	res = e.run(runOpts{}, "undo", "--yes", "--json")
	if res.code != exitOK || res.stderr != "" {
		t.Fatalf("undo: exit %d, stderr %q", res.code, res.stderr)
	}
	if after := e.portal.PinnedSessionIDs(); !slices.Equal(after, before) {
		t.Fatalf("after undo pinned %v, before unpin-all %v", after, before)
	}
	// One list and one batch: every session re-pinned in a single request.
	if got := e.portal.Requests() - requests; got != 2 {
		t.Errorf("undo made %d requests, want 2 (the list, one batch)", got)
	}
	if got := e.portal.Calls(api.MethodPin); got != len(before) {
		t.Errorf("pin ran %d times for %d sessions", got, len(before))
	}
	var undo journal.Entry
	if err := json.Unmarshal([]byte(res.stdout), &undo); err != nil {
		t.Fatalf("undo --json: %v: %s", err, res.stdout)
	}
	if undo.Action != journal.UndoUnpinAll || undo.Outcome != journal.OK || !slices.Equal(sorted(undo.Returned), before) {
		t.Errorf("undo entry %+v", undo)
	}

	// Both are in the journal, read back by another run.
	entries := e.entries()
	if len(entries) != 2 {
		t.Fatalf("journal has %d entries: %+v", len(entries), entries)
	}
	bulk, back := entries[0], entries[1]
	if bulk.Action != journal.UnpinAll || bulk.Outcome != journal.OK || !slices.Equal(bulk.Returned, unpinned) ||
		bulk.Portal != e.host() || bulk.User != e.portal.UserID() || len(bulk.Sent) != 0 || !bulk.Time.Equal(testNow) {
		t.Errorf("unpin-all entry %+v", bulk)
	}
	if back.ID != undo.ID || back.Undoes != bulk.ID || !slices.Equal(sorted(back.Sent), before) || len(back.Results) != len(before) {
		t.Errorf("undo entry in the journal %+v, printed %+v", back, undo)
	}
	for _, r := range back.Results {
		if r.Outcome != journal.OK || r.ChatID <= 0 {
			t.Errorf("result %+v", r)
		}
	}

	// It cannot be undone twice.
	res = e.run(runOpts{}, "undo", "--yes")
	if res.code != exitFailure || !strings.Contains(res.stderr, "already undone") {
		t.Errorf("second undo: exit %d, %q", res.code, res.stderr)
	}
	requireOneLine(t, res.stderr, e.secret)

	// The table answers "what did I unpin, and was it restored?".
	res = e.run(runOpts{}, "journal")
	if res.code != exitOK {
		t.Fatalf("journal: exit %d: %s", res.code, res.stderr)
	}
	lines := strings.Split(strings.TrimSuffix(res.stdout, "\n"), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "TIME") {
		t.Fatalf("journal table:\n%s", res.stdout)
	}
	stamp := testNow.Local().Format("15:04:05")
	if !strings.Contains(lines[1], "unpin-all") || !strings.Contains(lines[1], "undone at "+stamp) ||
		!strings.Contains(lines[1], e.host()) || !strings.Contains(lines[1], formatID(unpinned[0])) {
		t.Errorf("unpin-all row: %q", lines[1])
	}
	if !strings.Contains(lines[2], "undo unpin-all") || !strings.Contains(lines[2], "undoes the unpin-all of") {
		t.Errorf("undo row: %q", lines[2])
	}
}

func TestPinAllThenUndoUnpinsThem(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, portalsim.Options{Sessions: 70, Seed: 22})
	before := e.portal.PinnedSessionIDs()
	res := e.run(runOpts{}, "pin-all", "--yes", "--json")
	if res.code != exitOK {
		t.Fatalf("pin-all: exit %d: %s", res.code, res.stderr)
	}
	pinned := decodeIDs(t, res.stdout, "pinned")
	if len(pinned) <= api.MaxBatch {
		t.Fatalf("pin-all pinned %d; the test wants more than one batch", len(pinned))
	}
	requests := e.portal.Requests()
	res = e.run(runOpts{}, "undo", "--yes")
	if res.code != exitOK {
		t.Fatalf("undo: exit %d: %s", res.code, res.stderr)
	}
	if after := e.portal.PinnedSessionIDs(); !slices.Equal(after, before) {
		t.Errorf("after undo of pin-all %d pinned, before %d", len(after), len(before))
	}
	if got := e.portal.Requests() - requests; got != 3 {
		t.Errorf("undo of %d sessions made %d requests, want 3 (the list, two batches)", len(pinned), got)
	}
	if !strings.HasPrefix(res.stdout, "Unpinned ") || strings.Count(res.stdout, "\n") != len(pinned)+1 {
		t.Errorf("report:\n%s", res.stdout)
	}
}

// appendBulk writes an unpin-all of this portal into the journal, as if an
// earlier run had made it.
func (e *actionEnv) appendBulk(action journal.Action, outcome journal.Outcome, returned ...int64) journal.Entry {
	e.t.Helper()
	entry, err := journal.New(e.journalPath()).Append(journal.Entry{
		Time: testNow.Add(-10 * 60e9), Portal: e.host(), User: e.portal.UserID(),
		Action: action, Outcome: outcome, Returned: returned,
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return entry
}

func TestUndoRestoresOnlyWhatStillMakesSense(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, portalsim.Options{Sessions: 30, Seed: 23})
	snap := e.snapshot()
	var open, pinnedAgain, closed []api.Session
	for _, s := range snap.Sessions {
		mine := s.OwnerID == snap.Me.ID && !s.Status.Offer()
		switch {
		case mine && s.Current() && !s.Pinned:
			open = append(open, *s)
		case mine && s.Current() && s.Pinned:
			pinnedAgain = append(pinnedAgain, *s)
		case mine && !s.Current():
			closed = append(closed, *s)
		}
	}
	if len(open) < 2 || len(pinnedAgain) == 0 || len(closed) == 0 {
		t.Fatalf("seed: %d open, %d pinned, %d closed", len(open), len(pinnedAgain), len(closed))
	}
	const gone = 987654
	e.appendBulk(journal.UnpinAll, journal.OK, open[0].SessionID, closed[0].SessionID, pinnedAgain[0].SessionID, gone, open[1].SessionID)

	res := e.run(runOpts{}, "undo", "--yes")
	if res.code != exitOK || res.stderr != "" {
		t.Fatalf("undo: exit %d, %q", res.code, res.stderr)
	}
	pinned := e.portal.PinnedSessionIDs()
	for _, s := range open[:2] {
		if !slices.Contains(pinned, s.SessionID) {
			t.Errorf("open session %d not re-pinned", s.SessionID)
		}
	}
	if got := e.portal.Calls(api.MethodPin); got != 2 {
		t.Errorf("pin ran %d times, want only the 2 open sessions", got)
	}
	lines := strings.Split(strings.TrimSuffix(res.stdout, "\n"), "\n")
	want := []struct {
		id   int64
		text string
	}{
		{0, "Re-pinned 2 of 5 sessions that unpin-all unpinned at "},
		{open[0].SessionID, "re-pinned"},
		{closed[0].SessionID, "skipped: closed"},
		{pinnedAgain[0].SessionID, "skipped: pinned again already"},
		{gone, "skipped: no longer in your list"},
		{open[1].SessionID, "re-pinned"},
	}
	if len(lines) != len(want) {
		t.Fatalf("report:\n%s", res.stdout)
	}
	for i, w := range want {
		if !strings.Contains(lines[i], w.text) || w.id != 0 && !strings.Contains(lines[i], "session "+formatID(w.id)+" ") {
			t.Errorf("line %d %q, want session %d: %q", i, lines[i], w.id, w.text)
		}
	}
	if !strings.Contains(lines[4], "chat ?") {
		t.Errorf("a gone session has no chat: %q", lines[4])
	}
}

func TestUndoPartlyRefused(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, portalsim.Options{Sessions: 20, Seed: 24})
	snap := e.snapshot()
	var mine, colleague *api.Session
	for _, s := range snap.Sessions {
		switch {
		case s.Current() && !s.Pinned && s.OwnerID == snap.Me.ID && !s.Status.Offer() && mine == nil:
			mine = s
		case s.Current() && !s.Pinned && s.OwnerID != snap.Me.ID && s.OwnerID != 0 && colleague == nil:
			colleague = s
		}
	}
	if mine == nil || colleague == nil {
		t.Fatal("the seed has no open unpinned session of mine or of a colleague")
	}
	bulk := e.appendBulk(journal.UnpinAll, journal.OK, mine.SessionID, colleague.SessionID)

	res := e.run(runOpts{}, "undo", "--yes")
	if res.code != exitFailure {
		t.Fatalf("undo: exit %d, stderr %q", res.code, res.stderr)
	}
	requireOneLine(t, res.stderr, e.secret)
	if !strings.Contains(res.stderr, "1 of 2 sessions were not restored") {
		t.Errorf("stderr %q", res.stderr)
	}
	if !strings.Contains(res.stdout, "refused: you are not its operator") {
		t.Errorf("the refusal is not explained:\n%s", res.stdout)
	}
	entries := e.entries()
	last := entries[len(entries)-1]
	if last.Undoes != bulk.ID || last.Outcome != journal.Failed || !slices.Equal(last.Returned, []int64{mine.SessionID}) {
		t.Errorf("undo entry %+v", last)
	}
	// A failed undo can be tried again; what is back already is left alone.
	calls := e.portal.Calls(api.MethodPin)
	res = e.run(runOpts{}, "undo", "--yes")
	if res.code != exitFailure || e.portal.Calls(api.MethodPin)-calls != 1 {
		t.Errorf("retry: exit %d, %d pins: %s", res.code, e.portal.Calls(api.MethodPin)-calls, res.stdout)
	}
	if !strings.Contains(res.stdout, "skipped: pinned again already") {
		t.Errorf("retry report:\n%s", res.stdout)
	}
}

func TestUndoAnswerLost(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, portalsim.Options{Sessions: 20, Seed: 25})
	before := e.portal.PinnedSessionIDs()
	if res := e.run(runOpts{}, "unpin-all", "--yes"); res.code != exitOK {
		t.Fatalf("unpin-all: %s", res.stderr)
	}
	e.portal.InjectFault(api.MethodPin, portalsim.FaultDropAfter, 1)
	calls := e.portal.Requests()
	res := e.run(runOpts{}, "undo", "--yes", "--json")
	if res.code != exitFailure {
		t.Fatalf("undo: exit %d, %q", res.code, res.stderr)
	}
	requireOneLine(t, res.stderr, e.secret)
	if !strings.Contains(res.stderr, "got no answer") {
		t.Errorf("stderr %q", res.stderr)
	}
	if got := e.portal.Requests() - calls; got != 2 {
		t.Errorf("%d requests: the batch must not be resent", got)
	}
	var undo journal.Entry
	if err := json.Unmarshal([]byte(res.stdout), &undo); err != nil || undo.Outcome != journal.Unknown {
		t.Fatalf("undo entry %v %+v", err, undo)
	}
	// The batch did run: the sessions are pinned again, which a second undo
	// finds and leaves alone.
	if after := e.portal.PinnedSessionIDs(); !slices.Equal(after, before) {
		t.Errorf("pinned %v, want %v", after, before)
	}
	res = e.run(runOpts{}, "undo", "--yes")
	if res.code != exitOK || !strings.HasPrefix(res.stdout, "Nothing to restore") {
		t.Errorf("second undo: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
}

func TestUndoRefusesWhenItMakesNoSense(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		setup  func(e *actionEnv)
		code   int
		stderr string
	}{
		{"empty journal", func(*actionEnv) {}, exitFailure, "nothing to undo: the journal has no unpin-all or pin-all for "},
		{"failed", func(e *actionEnv) { e.appendBulk(journal.UnpinAll, journal.Failed) }, exitFailure, "failed, so it changed nothing"},
		{"answer lost", func(e *actionEnv) { e.appendBulk(journal.PinAll, journal.Unknown) }, exitFailure,
			"cannot undo the pin-all on "},
		{"changed nothing", func(e *actionEnv) { e.appendBulk(journal.UnpinAll, journal.OK) }, exitFailure, "changed no session"},
		{"another portal", func(e *actionEnv) {
			if _, err := journal.New(e.journalPath()).Append(journal.Entry{Portal: "other.bitrix24.ru", Action: journal.UnpinAll,
				Outcome: journal.OK, Returned: []int64{1}}); err != nil {
				e.t.Fatal(err)
			}
		}, exitFailure, "nothing to undo"},
		{"not a terminal", func(e *actionEnv) { e.appendBulk(journal.UnpinAll, journal.OK, 1) }, exitUsage, "pass --yes"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newActionEnv(t, portalsim.Options{Sessions: 5, Seed: 26})
			tc.setup(e)
			res := e.run(runOpts{}, "undo")
			if res.code != tc.code || !strings.Contains(res.stderr, tc.stderr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", res.code, res.stderr, tc.code, tc.stderr)
			}
			requireOneLine(t, res.stderr, e.secret)
			if e.portal.Calls(api.MethodPin) != 0 || res.stdout != "" {
				t.Errorf("something was done: %d pins, stdout %q", e.portal.Calls(api.MethodPin), res.stdout)
			}
		})
	}
}

func TestUndoAsksOnATerminal(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, portalsim.Options{Sessions: 20, Seed: 20})
	before := e.portal.PinnedSessionIDs()
	if len(before) < 2 {
		t.Fatalf("the seed pinned %d sessions; the question's plural wants several", len(before))
	}
	if res := e.run(runOpts{}, "unpin-all", "--yes"); res.code != exitOK {
		t.Fatalf("unpin-all: %s", res.stderr)
	}
	res := e.run(runOpts{terminal: true, stdin: strings.NewReader("n\n")}, "undo")
	if res.code != exitOK || e.portal.Calls(api.MethodPin) != 0 || res.stdout != "" {
		t.Fatalf("answered no: exit %d, %d pins, %q", res.code, e.portal.Calls(api.MethodPin), res.stdout)
	}
	n := len(before)
	if !strings.Contains(res.stderr, "Re-pin "+formatID(int64(n))+" sessions that unpin-all unpinned at "+testNow.Local().Format("15:04:05")) ||
		!strings.Contains(res.stderr, "[y/N]") || !strings.Contains(res.stderr, "cancelled") {
		t.Errorf("question and answer: %q", res.stderr)
	}
	if len(e.entries()) != 1 {
		t.Error("a cancelled undo was journalled")
	}
	res = e.run(runOpts{terminal: true, stdin: strings.NewReader("y\n")}, "undo")
	if res.code != exitOK || !slices.Equal(e.portal.PinnedSessionIDs(), before) {
		t.Errorf("answered yes: exit %d: %s", res.code, res.stderr)
	}
}

func TestUndoInterruptedAtTheQuestion(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, portalsim.Options{Sessions: 10, Seed: 21})
	if len(e.portal.PinnedSessionIDs()) == 0 {
		t.Fatal("the seed pinned nothing")
	}
	if res := e.run(runOpts{}, "unpin-all", "--yes"); res.code != exitOK {
		t.Fatalf("unpin-all: %s", res.stderr)
	}
	ctx, cancel := contextWithCancel(t)
	stdinR, stdinW := io.Pipe() // nobody ever answers
	defer stdinW.Close()
	stderrR, stderrW := io.Pipe()
	done := make(chan int, 1)
	go func() {
		d := testDeps(t, runOpts{terminal: true, logPath: filepath.Join(e.state, "linedesk.log")}, stdinR, io.Discard, stderrW)
		done <- run(ctx, []string{"undo", "--webhook", e.url}, d)
		stderrW.Close()
	}()
	// Wait for the question, then press Ctrl+C.
	buf := make([]byte, 0, 256)
	for !strings.Contains(string(buf), "[y/N] ") {
		chunk := make([]byte, 256)
		n, err := stderrR.Read(chunk)
		if err != nil {
			t.Fatalf("stderr ended before the question: %q", buf)
		}
		buf = append(buf, chunk[:n]...)
	}
	cancel()
	rest, _ := io.ReadAll(stderrR)
	if code := <-done; code != exitInterrupted {
		t.Errorf("exit %d, want %d", code, exitInterrupted)
	}
	if e.portal.Calls(api.MethodPin) != 0 {
		t.Error("pin was called after Ctrl+C at the question")
	}
	if !strings.Contains(string(rest), "linedesk: interrupted; nothing was changed") {
		t.Errorf("stderr after the question: %q", rest)
	}
	if len(e.entries()) != 1 {
		t.Error("an interrupted undo was journalled")
	}
}

func TestUndoInRussian(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, portalsim.Options{Sessions: 10, Seed: 29})
	env := map[string]string{"LANG": "ru_RU.UTF-8"}
	res := e.run(runOpts{env: env}, "undo", "--yes")
	if res.code != exitFailure || !strings.Contains(res.stderr, "отменять нечего") {
		t.Errorf("exit %d, %q", res.code, res.stderr)
	}
	if r := e.run(runOpts{env: env}, "unpin-all", "--yes"); r.code != exitOK {
		t.Fatal(r.stderr)
	}
	res = e.run(runOpts{env: env}, "undo", "--yes")
	if res.code != exitOK || !strings.HasPrefix(res.stdout, "Снова закреплено ") || !strings.Contains(res.stdout, "снова закреплена") {
		t.Errorf("exit %d:\n%s%s", res.code, res.stdout, res.stderr)
	}
}

func formatID(id int64) string { return strconv.FormatInt(id, 10) }
