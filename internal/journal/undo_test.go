package journal_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/linedesk/linedesk/internal/api"
	"github.com/linedesk/linedesk/internal/journal"
)

const host = "example.bitrix24.ru"

func bulk(id string, action journal.Action, outcome journal.Outcome, returned ...int64) journal.Entry {
	return journal.Entry{ID: id, Time: t0, Portal: host, User: 27, Action: action, Outcome: outcome, Returned: returned}
}

func undoOf(b journal.Entry, outcome journal.Outcome) journal.Entry {
	return journal.Entry{ID: "u-" + b.ID, Time: t0.Add(time.Minute), Portal: b.Portal, User: b.User,
		Action: b.Action.Undo(), Outcome: outcome, Undoes: b.ID}
}

func TestLastBulkAndCheckUndo(t *testing.T) {
	unpin := bulk("b1", journal.UnpinAll, journal.OK, 339, 337)
	pinAll := bulk("b2", journal.PinAll, journal.OK, 5)
	other := bulk("b3", journal.UnpinAll, journal.OK, 9)
	other.Portal = "other.bitrix24.ru"
	colleague := bulk("b4", journal.UnpinAll, journal.OK, 8)
	colleague.User = 103
	single := journal.Entry{ID: "s", Time: t0, Portal: host, Action: journal.Pin, Outcome: journal.OK, Returned: []int64{1}}

	cases := []struct {
		name    string
		entries []journal.Entry
		wantID  string // "" = none found
		block   journal.Block
		undone  bool
	}{
		{"empty journal", nil, "", journal.NothingRecorded, false},
		{"only single pins", []journal.Entry{single}, "", journal.NothingRecorded, false},
		{"undoable", []journal.Entry{unpin, single}, "b1", journal.CanUndo, false},
		{"the newest bulk wins", []journal.Entry{unpin, pinAll}, "b2", journal.CanUndo, false},
		{"other portals and operators are ignored", []journal.Entry{unpin, other, colleague}, "b1", journal.CanUndo, false},
		{"undone", []journal.Entry{unpin, undoOf(unpin, journal.OK)}, "b1", journal.AlreadyUndone, true},
		{"a failed undo may be tried again", []journal.Entry{unpin, undoOf(unpin, journal.Failed)}, "b1", journal.CanUndo, false},
		{"the latest undo counts", []journal.Entry{unpin, undoOf(unpin, journal.Unknown), undoOf(unpin, journal.OK)}, "b1", journal.AlreadyUndone, true},
		{"an undo of an older bulk does not count", []journal.Entry{unpin, undoOf(unpin, journal.OK), pinAll}, "b2", journal.CanUndo, false},
		{"failed", []journal.Entry{bulk("f", journal.UnpinAll, journal.Failed)}, "f", journal.LastFailed, false},
		{"unknown", []journal.Entry{bulk("u", journal.PinAll, journal.Unknown)}, "u", journal.LastUnknown, false},
		{"changed nothing", []journal.Entry{bulk("n", journal.UnpinAll, journal.OK)}, "n", journal.LastChangedNothing, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			last, found := journal.Log{Entries: tc.entries}.LastBulk(journal.Actor(host, 27))
			if got := last.Bulk.ID; found != (tc.wantID != "") || got != tc.wantID {
				t.Fatalf("found %v %q, want %q", found, got, tc.wantID)
			}
			if got := journal.CheckUndo(last, found); got != tc.block {
				t.Errorf("CheckUndo = %v, want %v", got, tc.block)
			}
			if last.Undone() != tc.undone {
				t.Errorf("Undone = %v", last.Undone())
			}
		})
	}
}

func TestActor(t *testing.T) {
	e := journal.Entry{Portal: "Example.Bitrix24.ru", User: 27}
	for _, tc := range []struct {
		portal string
		user   int64
		entry  int64
		want   bool
	}{
		{host, 27, 27, true},
		{host, 0, 27, true},    // the caller does not know its user
		{host, 27, 0, true},    // the entry did not record one
		{host, 103, 27, false}, // a colleague on the same portal
		{"other.bitrix24.ru", 27, 27, false},
	} {
		e.User = tc.entry
		if got := journal.Actor(tc.portal, tc.user)(e); got != tc.want {
			t.Errorf("Actor(%s, %d) on user %d = %v", tc.portal, tc.user, tc.entry, got)
		}
	}
}

func session(id, chat int64, status api.Status, pinned bool) api.Session {
	return api.Session{SessionID: id, ChatID: chat, Status: status, StatusKnown: true, Pinned: pinned}
}

func TestPlanUndo(t *testing.T) {
	sessions := []api.Session{
		session(1, 101, api.StatusOperator, false), // restore
		session(2, 102, api.StatusClient, true),    // pinned again already
		session(3, 103, api.StatusClose, false),    // closed
		session(5, 105, api.StatusSpam, true),      // closed, even though pinned
		session(6, 0, api.StatusAnswer, false),     // no chat ID
		session(7, 107, api.StatusNew, false),      // open (an offer is still open)
		{SessionID: 8, ChatID: 108},                // status unknown: treated as open
		session(9, 109, api.StatusWaitClient, false),
	}
	unpin := bulk("b", journal.UnpinAll, journal.OK, 7, 1, 2, 3, 4, 5, 6, 1, 8, 0)
	p := journal.PlanUndo(unpin, ptrs(sessions))
	if p.Action != journal.UndoUnpinAll || !p.Pin || p.Of.ID != "b" || p.Block() != journal.CanUndo {
		t.Fatalf("plan %+v", p)
	}
	want := []journal.Target{{7, 107}, {1, 101}, {8, 108}}
	if !slices.Equal(p.Restore, want) {
		t.Errorf("restore %v, want %v (the bulk answer's order, no repeats, 9 was not in it)", p.Restore, want)
	}
	if !slices.Equal(p.ChatIDs(), []int64{107, 101, 108}) {
		t.Errorf("chat IDs %v", p.ChatIDs())
	}
	skipped := map[int64]string{}
	for _, r := range p.Skipped {
		if r.Outcome != journal.Skipped {
			t.Errorf("skipped result %+v", r)
		}
		skipped[r.SessionID] = r.Reason
	}
	wantSkipped := map[int64]string{2: journal.ReasonAlreadyPinned, 3: journal.ReasonClosed, 4: journal.ReasonGone,
		5: journal.ReasonClosed, 6: journal.ReasonNoChat}
	if fmt.Sprint(skipped) != fmt.Sprint(wantSkipped) {
		t.Errorf("skipped %v, want %v", skipped, wantSkipped)
	}

	// Undoing a pin-all unpins, and skips what is unpinned already.
	pin := bulk("c", journal.PinAll, journal.OK, 1, 2)
	p = journal.PlanUndo(pin, ptrs(sessions))
	if p.Action != journal.UndoPinAll || p.Pin || !slices.Equal(p.Restore, []journal.Target{{2, 102}}) ||
		len(p.Skipped) != 1 || p.Skipped[0].Reason != journal.ReasonAlreadyUnpinned {
		t.Errorf("undo of pin-all: %+v", p)
	}

	// Nothing left: the plan says so.
	p = journal.PlanUndo(bulk("d", journal.UnpinAll, journal.OK, 3, 4), ptrs(sessions))
	if p.Block() != journal.NothingToRestore || len(p.Skipped) != 2 {
		t.Errorf("nothing to restore: %+v", p)
	}
}

func TestPlanEntry(t *testing.T) {
	b := bulk("b", journal.UnpinAll, journal.OK, 1, 2, 3, 4, 5)
	b.Profile = "work"
	p := journal.PlanUndo(b, ptrs([]api.Session{
		session(1, 101, api.StatusOperator, false),
		session(2, 102, api.StatusOperator, false),
		session(3, 103, api.StatusOperator, false),
		session(4, 104, api.StatusClose, false),
	}))
	refusal := &api.Error{Method: api.MethodPin, Code: "", HTTPStatus: 400}
	lost := fmt.Errorf("batch: connection lost (POST https://%s/rest/27/***/batch.json): %w", host, api.ErrOutcomeUnknown)

	for _, tc := range []struct {
		name     string
		results  []api.PinResult
		err      error
		outcome  journal.Outcome
		returned []int64
		errText  string
	}{
		{"all done", []api.PinResult{{ChatID: 101}, {ChatID: 102}, {ChatID: 103}}, nil, journal.OK, []int64{1, 2, 3}, ""},
		{"one refused", []api.PinResult{{ChatID: 101}, {ChatID: 102, Outcome: api.PinRefused, Err: refusal}, {ChatID: 103}},
			nil, journal.Failed, []int64{1, 3}, refusal.Error()},
		{"answer lost", []api.PinResult{{ChatID: 101, Outcome: api.PinUnknown, Err: lost}, {ChatID: 102, Outcome: api.PinUnknown, Err: lost},
			{ChatID: 103, Outcome: api.PinUnknown, Err: lost}}, lost, journal.Unknown, []int64{},
			"batch: connection lost: outcome unknown: the portal may have applied the change"},
		{"not answered", nil, nil, journal.Failed, []int64{}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := p.Entry(tc.results, tc.err)
			if e.Action != journal.UndoUnpinAll || e.Undoes != "b" || e.Portal != host || e.Profile != "work" || e.User != 27 {
				t.Errorf("entry header %+v", e)
			}
			if !slices.Equal(e.Sent, []int64{1, 2, 3}) || !slices.Equal(e.Returned, tc.returned) {
				t.Errorf("sent %v, returned %v, want %v", e.Sent, e.Returned, tc.returned)
			}
			if e.Outcome != tc.outcome || e.Error != tc.errText {
				t.Errorf("outcome %s %q, want %s %q", e.Outcome, e.Error, tc.outcome, tc.errText)
			}
			// Every session of the bulk answer is accounted for, once.
			var ids []int64
			for _, r := range e.Results {
				ids = append(ids, r.SessionID)
			}
			if slices.Sort(ids); !slices.Equal(ids, []int64{1, 2, 3, 4, 5}) {
				t.Errorf("results for %v", ids)
			}
			n := journal.Count(e.Results)
			if n[journal.Skipped] != 2 {
				t.Errorf("counts %v", n)
			}
		})
	}
}

func TestPinResults(t *testing.T) {
	targets := []journal.Target{{1, 101}, {2, 102}, {3, 103}, {4, 104}, {5, 105}}
	res := journal.PinResults(targets, []api.PinResult{
		{ChatID: 104, Outcome: api.PinNotSent, Err: api.ErrNotExecuted},
		{ChatID: 101},
		{ChatID: 102, Outcome: api.PinRefused, Err: &api.Error{Method: api.MethodPin, Code: "ACCESS_DENIED"}},
		{ChatID: 103, Outcome: api.PinUnknown, Err: api.ErrOutcomeUnknown},
	})
	want := []struct {
		outcome journal.Outcome
		reason  string
	}{
		{journal.OK, ""}, {journal.Failed, journal.ReasonRefused}, {journal.Unknown, journal.ReasonNoAnswer},
		{journal.Failed, journal.ReasonNotSent}, {journal.Failed, journal.ReasonNotSent},
	}
	for i, r := range res {
		if r.SessionID != targets[i].SessionID || r.ChatID != targets[i].ChatID ||
			r.Outcome != want[i].outcome || r.Reason != want[i].reason {
			t.Errorf("result %d: %+v, want %v", i, r, want[i])
		}
	}
	if res[1].Error != "imopenlines.session.mode.pin: ACCESS_DENIED" {
		t.Errorf("error text %q", res[1].Error)
	}
	if journal.Overall(res) != journal.Unknown || journal.Overall(res[:2]) != journal.Failed || journal.Overall(res[:1]) != journal.OK {
		t.Error("Overall does not rank unknown over failed over ok")
	}
}

func TestBulkEntryAndOutcomeOf(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want journal.Outcome
	}{
		{nil, journal.OK},
		{fmt.Errorf("x: %w", api.ErrOutcomeUnknown), journal.Unknown},
		{&api.Error{Code: "ACCESS_DENIED"}, journal.Failed},
		{fmt.Errorf("dial: %w", api.ErrUnreachable), journal.Failed},
		{fmt.Errorf("not sent: %w", context.Canceled), journal.Failed},
		{errors.New("imopenlines.session.mode.unpinAll: unreadable list of session IDs"), journal.Unknown},
	} {
		if got := journal.OutcomeOf(tc.err); got != tc.want {
			t.Errorf("OutcomeOf(%v) = %s, want %s", tc.err, got, tc.want)
		}
	}
	e := journal.BulkEntry(journal.UnpinAll, nil, nil)
	if e.Sent == nil || e.Returned == nil || e.Outcome != journal.OK || e.Error != "" || e.Action != journal.UnpinAll {
		t.Errorf("empty bulk entry %+v", e)
	}
	e = journal.BulkEntry(journal.PinAll, nil, &api.Error{Method: api.MethodPinAll, HTTPStatus: 400})
	if e.Outcome != journal.Failed || e.Error != "imopenlines.session.mode.pinAll: refused without a reason (empty error code) (HTTP 400)" {
		t.Errorf("failed bulk entry %+v", e)
	}
}

func TestActionHelpers(t *testing.T) {
	for _, tc := range []struct {
		a          journal.Action
		bulk, pins bool
		undo       journal.Action
	}{
		{journal.UnpinAll, true, false, journal.UndoUnpinAll},
		{journal.PinAll, true, true, journal.UndoPinAll},
		{journal.UndoUnpinAll, false, true, ""},
		{journal.UndoPinAll, false, false, ""},
		{journal.Pin, false, true, ""},
		{journal.Unpin, false, false, ""},
	} {
		if tc.a.Bulk() != tc.bulk || tc.a.Pins() != tc.pins || tc.a.Undo() != tc.undo {
			t.Errorf("%s: bulk %v pins %v undo %q", tc.a, tc.a.Bulk(), tc.a.Pins(), tc.a.Undo())
		}
	}
	if journal.NothingToRestore.String() != "nothing left to restore" || journal.Block(99).String() != "unknown reason" {
		t.Error("Block names")
	}
}

// ptrs lists sessions the way a snapshot does.
func ptrs(ss []api.Session) []*api.Session {
	out := make([]*api.Session, len(ss))
	for i := range ss {
		out[i] = &ss[i]
	}
	return out
}
