package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/linedesk/linedesk/internal/api/portalsim"
	"github.com/linedesk/linedesk/internal/i18n"
)

const (
	mUnpinAll = "imopenlines.session.mode.unpinAll"
	mPinAll   = "imopenlines.session.mode.pinAll"
)

func decodeIDs(t *testing.T, out, key string) []int64 {
	t.Helper()
	var obj map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &obj); err != nil {
		t.Fatalf("not a JSON object: %v: %q", err, out)
	}
	raw, ok := obj[key]
	if !ok || len(obj) != 1 {
		t.Fatalf("want exactly the key %q: %s", key, out)
	}
	if string(raw) == "null" {
		t.Fatalf("%s is null, want an array: %s", key, out)
	}
	var ids []int64
	if err := json.Unmarshal(raw, &ids); err != nil {
		t.Fatalf("%s is not an array of integers: %s", key, raw)
	}
	return ids
}

func sorted(ids []int64) []int64 {
	s := slices.Clone(ids)
	slices.Sort(s)
	return s
}

func TestUnpinAllJSON(t *testing.T) {
	t.Parallel()
	p, url := newSim(t, portalsim.Options{Sessions: 30, Seed: 5})
	before := p.PinnedSessionIDs()
	if len(before) == 0 {
		t.Fatal("the simulator seeded nothing pinned")
	}
	res := runCLI(t, runOpts{}, "unpin-all", "--yes", "--json", "--webhook", url)
	if res.code != exitOK || res.stderr != "" {
		t.Fatalf("exit %d, stderr %q", res.code, res.stderr)
	}
	ids := decodeIDs(t, res.stdout, "unpinned")
	if got := p.Calls(mUnpinAll); got != 1 {
		t.Errorf("unpinAll received %d times, want exactly 1", got)
	}
	for _, id := range before {
		if !slices.Contains(ids, id) {
			t.Errorf("pinned session %d is not in the answer %v", id, ids)
		}
	}
	if left := p.PinnedSessionIDs(); len(left) != 0 {
		t.Errorf("still pinned after unpin-all: %v", left)
	}

	// Nothing left: the answer is an empty array, not null.
	res = runCLI(t, runOpts{}, "unpin-all", "--yes", "--json", "--webhook", url)
	if res.code != exitOK || strings.TrimSpace(res.stdout) != `{
  "unpinned": []
}` {
		t.Errorf("second unpin-all: exit %d, stdout %q", res.code, res.stdout)
	}
	if got := p.Calls(mUnpinAll); got != 2 {
		t.Errorf("unpinAll received %d times after two runs", got)
	}
}

func TestPinAllJSON(t *testing.T) {
	t.Parallel()
	p, url := newSim(t, portalsim.Options{Sessions: 30, Seed: 6})
	before := p.PinnedSessionIDs()
	res := runCLI(t, runOpts{}, "pin-all", "--yes", "--json", "--webhook", url)
	if res.code != exitOK || res.stderr != "" {
		t.Fatalf("exit %d, stderr %q", res.code, res.stderr)
	}
	ids := decodeIDs(t, res.stdout, "pinned")
	if got := p.Calls(mPinAll); got != 1 {
		t.Errorf("pinAll received %d times, want exactly 1", got)
	}
	if p.Calls(mUnpinAll) != 0 {
		t.Error("pin-all called unpinAll")
	}
	after := p.PinnedSessionIDs()
	if len(ids) == 0 || len(after) <= len(before) {
		t.Fatalf("pin-all pinned %v; pinned before %v, after %v", ids, before, after)
	}
	for _, id := range ids {
		if !slices.Contains(after, id) {
			t.Errorf("session %d reported pinned but is not", id)
		}
		if slices.Contains(before, id) {
			t.Errorf("session %d was pinned already yet reported as newly pinned", id)
		}
	}
}

func TestBulkSentences(t *testing.T) {
	t.Parallel()
	p, url := newSim(t, portalsim.Options{Sessions: 20, Seed: 9})
	before := p.PinnedSessionIDs()
	res := runCLI(t, runOpts{}, "unpin-all", "--yes", "--webhook", url)
	if res.code != exitOK {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	noun := "sessions"
	if len(before) == 1 {
		noun = "session"
	}
	prefix := fmt.Sprintf("Unpinned %d %s: ", len(before), noun)
	line := strings.TrimSuffix(res.stdout, "\n")
	if !strings.HasPrefix(line, prefix) || !strings.HasSuffix(line, ".") || strings.Count(res.stdout, "\n") != 1 {
		t.Fatalf("stdout %q, want %q followed by the IDs", res.stdout, prefix)
	}
	var got []int64
	for f := range strings.SplitSeq(strings.TrimSuffix(strings.TrimPrefix(line, prefix), "."), ", ") {
		var id int64
		if _, err := fmt.Sscan(f, &id); err != nil {
			t.Fatalf("bad ID %q in %q", f, line)
		}
		got = append(got, id)
	}
	if !slices.Equal(sorted(got), sorted(before)) {
		t.Errorf("sentence names %v, the portal had %v pinned", got, before)
	}

	res = runCLI(t, runOpts{}, "unpin-all", "--yes", "--webhook", url)
	if res.code != exitOK || res.stdout != "Nothing was pinned.\n" {
		t.Errorf("second run: exit %d, stdout %q", res.code, res.stdout)
	}
}

func TestBulkSentenceUnit(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		act  bulkAction
		ids  []int64
		want string
	}{
		{unpinAll, []int64{339, 337}, "Unpinned 2 sessions: 339, 337."},
		{unpinAll, []int64{5}, "Unpinned 1 session: 5."},
		{unpinAll, nil, "Nothing was pinned."},
		{pinAll, []int64{1, 2, 3}, "Pinned 3 sessions: 1, 2, 3."},
		{pinAll, []int64{}, "Nothing needed pinning."},
	} {
		if got := bulkSentence(&textEN, i18n.EN, c.act, c.ids); got != c.want {
			t.Errorf("bulkSentence(%s, %v) = %q, want %q", c.act.use, c.ids, got, c.want)
		}
	}
}

func TestBulkRefusesNonTerminalWithoutYes(t *testing.T) {
	t.Parallel()
	for _, cmd := range []string{"unpin-all", "pin-all"} {
		p, url := newSim(t, portalsim.Options{Sessions: 10, Seed: 1})
		res := runCLI(t, runOpts{stdin: strings.NewReader("y\n")}, cmd, "--webhook", url)
		if res.code != exitUsage {
			t.Errorf("%s: exit %d, want 2", cmd, res.code)
		}
		requireOneLine(t, res.stderr, webhookSecret(url))
		if !strings.Contains(res.stderr, "--yes") {
			t.Errorf("%s: message does not say to pass --yes: %q", cmd, res.stderr)
		}
		if p.Requests() != 0 {
			t.Errorf("%s: %d requests reached the portal, want none", cmd, p.Requests())
		}
	}
}

func TestBulkPrompt(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		answer  string
		confirm bool
	}{
		{"y\n", true}, {"YES\n", true}, {"n\n", false}, {"\n", false}, {"", false}, {"maybe\n", false},
	} {
		t.Run(fmt.Sprintf("%q", c.answer), func(t *testing.T) {
			t.Parallel()
			p, url := newSim(t, portalsim.Options{Sessions: 15, Seed: 4})
			before := p.PinnedSessionIDs()
			me := snapshot(t, url).Me.FullName()
			host := strings.TrimPrefix(strings.Split(url, "/rest/")[0], "http://")

			res := runCLI(t, runOpts{terminal: true, stdin: strings.NewReader(c.answer)}, "unpin-all", "--webhook", url)
			if res.code != exitOK {
				t.Fatalf("exit %d: %s", res.code, res.stderr)
			}
			q := fmt.Sprintf("Unpin all %d pinned sessions of %s on %s? [y/N] ", len(before), me, host)
			if len(before) == 1 {
				q = fmt.Sprintf("Unpin the 1 pinned session of %s on %s? [y/N] ", me, host)
			}
			if !strings.HasPrefix(res.stderr, q) {
				t.Errorf("prompt %q, want %q", res.stderr, q)
			}
			requireNoSecret(t, res.stderr+res.stdout, webhookSecret(url))
			if c.confirm {
				if p.Calls(mUnpinAll) != 1 || len(p.PinnedSessionIDs()) != 0 {
					t.Errorf("confirmed: unpinAll calls %d, still pinned %v", p.Calls(mUnpinAll), p.PinnedSessionIDs())
				}
				if !strings.HasPrefix(res.stdout, "Unpinned ") {
					t.Errorf("stdout %q", res.stdout)
				}
				return
			}
			if p.Calls(mUnpinAll) != 0 || !slices.Equal(p.PinnedSessionIDs(), before) {
				t.Errorf("declined, yet unpinAll calls %d, pinned %v (was %v)", p.Calls(mUnpinAll), p.PinnedSessionIDs(), before)
			}
			if res.stdout != "" || !strings.HasSuffix(res.stderr, "linedesk: cancelled; nothing was changed.\n") {
				t.Errorf("declined: stdout %q, stderr %q", res.stdout, res.stderr)
			}
		})
	}
}

func TestBulkPromptInterrupted(t *testing.T) {
	t.Parallel()
	p, url := newSim(t, portalsim.Options{Sessions: 10, Seed: 2})
	ctx, cancel := contextWithCancel(t)
	stdinR, stdinW := io.Pipe() // nobody ever answers
	defer stdinW.Close()
	stderrR, stderrW := io.Pipe()
	done := make(chan int, 1)
	go func() {
		d := testDeps(t, runOpts{terminal: true}, stdinR, io.Discard, stderrW)
		done <- run(ctx, []string{"unpin-all", "--webhook", url}, d)
		stderrW.Close()
	}()
	// Wait for the question, then press Ctrl+C.
	buf := make([]byte, 0, 256)
	for !strings.Contains(string(buf), "[y/N] ") {
		chunk := make([]byte, 256)
		n, err := stderrR.Read(chunk)
		if err != nil {
			t.Fatalf("stderr ended before the prompt: %q", buf)
		}
		buf = append(buf, chunk[:n]...)
	}
	cancel()
	rest, _ := io.ReadAll(stderrR)
	if code := <-done; code != exitInterrupted {
		t.Errorf("exit %d, want %d", code, exitInterrupted)
	}
	if p.Calls(mUnpinAll) != 0 {
		t.Error("unpinAll was called after Ctrl+C at the prompt")
	}
	if !strings.Contains(string(rest), "linedesk: interrupted; nothing was changed") {
		t.Errorf("stderr after the prompt: %q", rest)
	}
}

func TestUnpinAllOutcomeUnknown(t *testing.T) {
	t.Parallel()
	p, url := newSim(t, portalsim.Options{Sessions: 20, Seed: 8})
	if len(p.PinnedSessionIDs()) == 0 {
		t.Fatal("nothing pinned")
	}
	p.InjectFault(mUnpinAll, portalsim.FaultDropAfter, 1)
	res := runCLI(t, runOpts{}, "unpin-all", "--yes", "--json", "--webhook", url)
	if res.code != exitFailure {
		t.Fatalf("exit %d, want 1; stderr %q", res.code, res.stderr)
	}
	requireOneLine(t, res.stderr, webhookSecret(url))
	for _, want := range []string{"may or may not have happened", "linedesk sessions"} {
		if !strings.Contains(res.stderr, want) {
			t.Errorf("stderr %q lacks %q", res.stderr, want)
		}
	}
	if res.stdout != "" {
		t.Errorf("stdout %q, want nothing", res.stdout)
	}
	if got := p.Calls(mUnpinAll); got != 1 {
		t.Errorf("unpinAll received %d times after a dropped answer, want 1 (never retried)", got)
	}
	if left := p.PinnedSessionIDs(); len(left) != 0 {
		t.Errorf("the portal applied the change, yet %v are pinned", left)
	}
}

func TestPinAllEmptyCodeRefusal(t *testing.T) {
	t.Parallel()
	p, url := newSim(t, portalsim.Options{Sessions: 10, Seed: 8})
	p.InjectFault(mPinAll, portalsim.FaultEmptyCode, 1)
	res := runCLI(t, runOpts{}, "pin-all", "--yes", "--webhook", url)
	if res.code != exitFailure {
		t.Fatalf("exit %d, want 1; stderr %q", res.code, res.stderr)
	}
	requireOneLine(t, res.stderr, webhookSecret(url))
	if !strings.Contains(res.stderr, "portal refused") {
		t.Errorf("stderr %q", res.stderr)
	}
	if p.Calls(mPinAll) != 1 {
		t.Errorf("pinAll received %d times, want 1", p.Calls(mPinAll))
	}
}
