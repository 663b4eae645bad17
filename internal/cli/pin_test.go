package cli

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/linedesk/linedesk/internal/api"
	"github.com/linedesk/linedesk/internal/api/portalsim"
	"github.com/linedesk/linedesk/internal/journal"
)

func TestParseRef(t *testing.T) {
	for _, tc := range []struct {
		arg  string
		mode refKind
		ok   bool
		kind refKind
		id   int64
	}{
		{"343", refBare, true, refBare, 343},
		{" 343 ", refBare, true, refBare, 343},
		{"343", refChat, true, refChat, 343},
		{"343", refSession, true, refSession, 343},
		{"chat1777", refBare, true, refChat, 1777},
		{"CHAT1777", refSession, true, refChat, 1777}, // the dialog form always names a chat
		{"chat", refBare, false, 0, 0},
		{"chat-1", refBare, false, 0, 0},
		{"0", refBare, false, 0, 0},
		{"-5", refBare, false, 0, 0},
		{"+5", refBare, false, 0, 0},
		{"3.5", refBare, false, 0, 0},
		{"99999999999999999999", refBare, false, 0, 0},
		{"", refBare, false, 0, 0},
		{"sess343", refBare, false, 0, 0},
	} {
		r, ok := parseRef(tc.arg, tc.mode)
		if ok != tc.ok || ok && (r.kind != tc.kind || r.id != tc.id || r.arg != tc.arg) {
			t.Errorf("parseRef(%q, %d) = %+v, %v", tc.arg, tc.mode, r, ok)
		}
	}
}

func FuzzParseRef(f *testing.F) {
	for _, s := range []string{"343", "chat1777", "CHAT0", " 12 ", "chat", "-1", "1e3", "chat١٢"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, arg string) {
		r, ok := parseRef(arg, refBare)
		if !ok {
			return
		}
		if r.id <= 0 || r.arg != arg || (r.kind != refBare && r.kind != refChat) {
			t.Fatalf("parseRef(%q) = %+v", arg, r)
		}
		if r.kind == refChat != strings.HasPrefix(strings.ToLower(strings.TrimSpace(arg)), "chat") {
			t.Fatalf("kind %d for %q", r.kind, arg)
		}
	})
}

func TestResolveRefs(t *testing.T) {
	sessions := []api.Session{
		{SessionID: 343, ChatID: 1777, StatusKnown: true, Status: api.StatusOperator},
		{SessionID: 1777, ChatID: 900, StatusKnown: true, Status: api.StatusClient}, // a session ID that is also chat 1777's ID
		{SessionID: 55, ChatID: 343, StatusKnown: true, Status: api.StatusClose},    // chat 343 exists too
		{SessionID: 60, ChatID: 0},
	}
	refsOf := func(mode refKind, args ...string) []ref {
		var out []ref
		for _, a := range args {
			r, ok := parseRef(a, mode)
			if !ok {
				t.Fatalf("bad test argument %q", a)
			}
			out = append(out, r)
		}
		return out
	}
	for _, tc := range []struct {
		name    string
		refs    []ref
		want    []journal.Target
		notes   []ambiguity
		missing int64
	}{
		{"bare session first, noting the chat", refsOf(refBare, "343"), []journal.Target{tg(343, 1777)}, []ambiguity{{343, 1777}}, 0},
		{"explicit chat", refsOf(refBare, "chat343"), []journal.Target{tg(55, 343)}, nil, 0},
		{"--chat", refsOf(refChat, "1777"), []journal.Target{tg(343, 1777)}, nil, 0},
		{"bare chat when no such session", refsOf(refBare, "900"), []journal.Target{tg(1777, 900)}, nil, 0},
		{"a chat the list does not show is still sent", refsOf(refBare, "chat4242"), []journal.Target{tg(0, 4242)}, nil, 0},
		{"--session", refsOf(refSession, "1777", "55"), []journal.Target{tg(1777, 900), tg(55, 343)}, nil, 0},
		{"--session not found", refsOf(refSession, "343", "4242"), nil, nil, 4242},
		{"--session without a chat", refsOf(refSession, "60"), nil, nil, 60},
		{"bare not found", refsOf(refBare, "4242"), nil, nil, 4242},
		{"one chat twice", refsOf(refBare, "343", "chat1777", "1777"), []journal.Target{tg(343, 1777), tg(1777, 900)}, []ambiguity{{343, 1777}, {1777, 900}}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			targets, notes, missing := resolveRefs(tc.refs, ptrs(sessions))
			if tc.missing != 0 {
				if missing == nil || missing.id != tc.missing || targets != nil {
					t.Fatalf("missing %+v, targets %v; want %d missing", missing, targets, tc.missing)
				}
				return
			}
			if missing != nil {
				t.Fatalf("missing %+v", missing)
			}
			var got []journal.Target
			for _, tg := range targets {
				got = append(got, tg.Target)
				if tg.SessionID != 0 && (tg.session == nil || tg.session.SessionID != tg.SessionID) {
					t.Errorf("target %+v without its session", tg)
				}
			}
			if !slices.Equal(got, tc.want) || !slices.Equal(notes, tc.notes) {
				t.Errorf("targets %v notes %v; want %v %v", got, notes, tc.want, tc.notes)
			}
		})
	}
}

func tg(session, chat int64) journal.Target { return journal.Target{SessionID: session, ChatID: chat} }

// listed finds sessions of the simulated portal by what they are.
func listed(snap api.Snapshot, keep func(api.Session) bool) []api.Session {
	var out []api.Session
	for _, s := range snap.Sessions {
		if keep(*s) {
			out = append(out, *s)
		}
	}
	return out
}

func TestPinAndUnpinOne(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, portalsim.Options{Sessions: 20, Seed: 31})
	snap := e.snapshot()
	free := listed(snap, func(s api.Session) bool {
		return s.Current() && !s.Pinned && s.OwnerID == snap.Me.ID && !s.Status.Offer()
	})
	if len(free) < 2 {
		t.Fatal("the seed has too few unpinned sessions of mine")
	}
	a, b := free[0], free[1]

	// By session ID.
	res := e.run(runOpts{}, "pin", formatID(a.SessionID))
	if res.code != exitOK || res.stdout != "Pinned: session "+formatID(a.SessionID)+" (chat "+formatID(a.ChatID)+").\n" {
		t.Fatalf("pin: exit %d, %q %q", res.code, res.stdout, res.stderr)
	}
	if !slices.Contains(e.portal.PinnedSessionIDs(), a.SessionID) {
		t.Fatal("not pinned on the portal")
	}
	// By chat, with one already pinned: that one is left alone.
	calls := e.portal.Calls(api.MethodPin)
	res = e.run(runOpts{}, "pin", "chat"+formatID(b.ChatID), formatID(a.SessionID))
	if res.code != exitOK || e.portal.Calls(api.MethodPin)-calls != 1 {
		t.Fatalf("pin two: exit %d, %d pins, %q", res.code, e.portal.Calls(api.MethodPin)-calls, res.stderr)
	}
	want := "Pinned: session " + formatID(b.SessionID) + " (chat " + formatID(b.ChatID) + ").\n" +
		"Already pinned: session " + formatID(a.SessionID) + " (chat " + formatID(a.ChatID) + ").\n"
	if res.stdout != want {
		t.Errorf("stdout %q, want %q", res.stdout, want)
	}
	// Unpin both by chat ID, as JSON.
	res = e.run(runOpts{}, "unpin", "--chat", "--json", formatID(a.ChatID), formatID(b.ChatID))
	if res.code != exitOK {
		t.Fatalf("unpin: exit %d, %q", res.code, res.stderr)
	}
	var out struct{ Results []journal.Result }
	if err := json.Unmarshal([]byte(res.stdout), &out); err != nil || len(out.Results) != 2 {
		t.Fatalf("unpin --json: %v %s", err, res.stdout)
	}
	for i, s := range []api.Session{a, b} {
		if r := out.Results[i]; r.SessionID != s.SessionID || r.ChatID != s.ChatID || r.Outcome != journal.OK {
			t.Errorf("result %d: %+v", i, r)
		}
	}
	pinned := e.portal.PinnedSessionIDs()
	if slices.Contains(pinned, a.SessionID) || slices.Contains(pinned, b.SessionID) {
		t.Error("still pinned after unpin")
	}
	// Each run that sent something is journalled; none is a bulk action.
	entries := e.entries()
	if len(entries) != 3 || entries[0].Action != journal.Pin || entries[2].Action != journal.Unpin ||
		!slices.Equal(entries[1].Sent, []int64{b.SessionID}) || len(entries[1].Results) != 2 {
		t.Errorf("journal %+v", entries)
	}
	if res := e.run(runOpts{}, "undo", "--yes"); res.code != exitFailure || !strings.Contains(res.stderr, "nothing to undo") {
		t.Errorf("undo after single pins: %d %q", res.code, res.stderr)
	}
}

func TestPinRefusedWithTheEmptyCode(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, portalsim.Options{Sessions: 20, Seed: 32})
	snap := e.snapshot()
	colleague := listed(snap, func(s api.Session) bool {
		return s.Current() && !s.Pinned && s.OwnerID != snap.Me.ID && s.OwnerID != 0
	})
	closed := listed(snap, func(s api.Session) bool { return !s.Current() && !s.Pinned })
	if len(colleague) == 0 || len(closed) == 0 {
		t.Fatal("the seed has no colleague's or closed session")
	}
	res := e.run(runOpts{}, "pin", formatID(colleague[0].SessionID), formatID(closed[0].SessionID))
	if res.code != exitFailure {
		t.Fatalf("exit %d, %q", res.code, res.stderr)
	}
	requireOneLine(t, res.stderr, e.secret)
	if !strings.Contains(res.stderr, "could not pin 2 of 2 sessions") {
		t.Errorf("stderr %q", res.stderr)
	}
	lines := strings.Split(strings.TrimSuffix(res.stdout, "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("stdout:\n%s", res.stdout)
	}
	for i, detail := range []string{"this session's operator is user " + formatID(colleague[0].OwnerID), "this session is closed"} {
		if !strings.HasPrefix(lines[i], "Not pinned: session ") ||
			!strings.Contains(lines[i], "the portal refused without a reason, which it does when you are not the operator") ||
			!strings.Contains(lines[i], detail) {
			t.Errorf("line %d: %q, want the sentence and %q", i, lines[i], detail)
		}
	}
	entries := e.entries()
	if len(entries) != 1 || entries[0].Outcome != journal.Failed || len(entries[0].Returned) != 0 {
		t.Errorf("journal %+v", entries)
	}
}

func TestPinMistakes(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, portalsim.Options{Sessions: 5, Seed: 33})
	for _, tc := range []struct {
		args   []string
		stderr string
	}{
		{[]string{"pin"}, "'linedesk pin' needs at least one session or chat ID"},
		{[]string{"unpin", "abc"}, `"abc" is not a session or chat ID`},
		{[]string{"pin", "--chat", "--session", "5"}, "--chat and --session contradict each other"},
		{[]string{"pin", "987654321"}, "987654321 is neither a session nor a chat in your list on "},
		{[]string{"unpin", "--session", "987654321"}, "session 987654321 is not in your list on "},
	} {
		res := e.run(runOpts{}, tc.args...)
		if res.code != exitUsage || !strings.Contains(res.stderr, tc.stderr) || res.stdout != "" {
			t.Errorf("%v: exit %d, stderr %q, stdout %q", tc.args, res.code, res.stderr, res.stdout)
		}
		requireOneLine(t, res.stderr, e.secret)
	}
	if e.portal.Calls(api.MethodPin) != 0 {
		t.Error("a mistake reached the portal")
	}
}

func TestPinWholeBatchRefused(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, portalsim.Options{Sessions: 10, Seed: 34})
	snap := e.snapshot()
	free := listed(snap, func(s api.Session) bool {
		return s.Current() && !s.Pinned && s.OwnerID == snap.Me.ID && !s.Status.Offer()
	})
	e.portal.InjectFault(api.MethodPin, portalsim.FaultNoAuth, 1)
	res := e.run(runOpts{}, "pin", formatID(free[0].SessionID))
	if res.code != exitFailure || !strings.Contains(res.stderr, "NO_AUTH_FOUND") || res.stdout != "" {
		t.Errorf("exit %d, stdout %q, stderr %q", res.code, res.stdout, res.stderr)
	}
	requireOneLine(t, res.stderr, e.secret)
}

// ptrs lists sessions the way a snapshot does.
func ptrs(ss []api.Session) []*api.Session {
	out := make([]*api.Session, len(ss))
	for i := range ss {
		out[i] = &ss[i]
	}
	return out
}
