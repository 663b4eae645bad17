package ui

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"slices"

	tea "charm.land/bubbletea/v2"

	"github.com/linedesk/linedesk/internal/api"
	"github.com/linedesk/linedesk/internal/journal"
	"github.com/linedesk/linedesk/internal/sanitize"
	"github.com/linedesk/linedesk/internal/state"
)

// The actions that change the portal: pin one (p), pin all (P), unpin all
// (u) and undo (U). Each runs in a command and reports with a message;
// Update applies the message and asks for the journal entry to be written
// by another command.

type (
	pinMsg struct {
		key, sessionID, chatID int64
		want                   bool
		err                    error
	}
	undoMsg struct {
		plan    journal.Plan
		results []api.PinResult
		err     error
	}
	// journalMsg: an entry was appended (err nil) or not.
	journalMsg struct{ err error }
	// lastBulkMsg: what the journal says the last bulk action was.
	lastBulkMsg struct {
		last  journal.Last
		found bool
		err   error
	}
)

// bulk is the command for the one unpin-all or pin-all call.
func (m Model) bulk(kind bulkKind) tea.Cmd {
	p, ctx := m.portal, m.ctx
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, unpinTimeout)
		defer cancel()
		var ids []int64
		var err error
		if kind == bulkPin {
			ids, err = p.PinAll(ctx)
		} else {
			ids, err = p.UnpinAll(ctx)
		}
		return bulkMsg{kind: kind, ids: ids, err: err}
	}
}

// confirmDialog runs what the open dialog asks for.
func (m Model) confirmDialog() (Model, tea.Cmd) {
	d := m.dialog
	m.dialog = nil
	if d == nil || m.busy != bulkNone {
		return m, nil
	}
	was := m.spinning()
	switch d.kind {
	case bulkUndo:
		if m.plan == nil || len(m.plan.Restore) == 0 {
			return m, nil
		}
		plan := *m.plan
		m.busy = bulkUndo
		m.status = status{statusInfo, m.tx.Undoing(len(plan.Restore), plan.Pin)}
		p, ctx := m.portal, m.ctx
		return m, tea.Batch(func() tea.Msg {
			ctx, cancel := context.WithTimeout(ctx, unpinTimeout)
			defer cancel()
			res, err := p.PinMany(ctx, plan.ChatIDs(), plan.Pin)
			return undoMsg{plan: plan, results: res, err: err}
		}, m.spinStart(was))
	case bulkPin:
		m.busy = bulkPin
		m.status = status{statusInfo, m.tx.PinningAll}
	default:
		m.busy = bulkUnpin
		m.status = status{statusInfo, m.tx.Unpinning}
	}
	return m, tea.Batch(m.bulk(m.busy), m.spinStart(was))
}

// onBulk applies the answer to unpin-all or pin-all: the returned IDs are
// highlighted and shown in their new state, the list is read again, and
// the action goes to the journal and becomes what U undoes.
func (m Model) onBulk(msg bulkMsg) (Model, tea.Cmd) {
	m.busy = bulkNone
	// Whatever happened, the list is read again, and an answer to a
	// refresh begun before this point is dropped as stale.
	m.sched.Invalidate()
	pin := msg.kind == bulkPin
	switch {
	case msg.err == nil:
		m.result = &bulkResult{kind: msg.kind, ids: msg.ids}
		m.hl = state.Highlights{}.Set(msg.ids, m.highlightUntil()) // this action's sessions only
		m = m.setList(m.list.WithPinned(msg.ids, pin))
		m.status = m.resultStatus(*m.result)
	case errors.Is(msg.err, api.ErrOutcomeUnknown):
		m.result = nil
		m.status = status{statusWarn, m.tx.bulkUnknown(pin)}
	default:
		m.result = nil
		var ae *api.Error
		if !errors.As(msg.err, &ae) && errors.Is(msg.err, api.ErrUnreachable) {
			m.status = status{statusErr, m.tx.bulkNotSent(pin, m.tx.reason(msg.err))}
		} else if ae == nil {
			// Not a portal answer and not a known failure to connect: the
			// call may have run.
			m.status = status{statusWarn, m.tx.bulkUnknown(pin)}
		} else {
			m.status = status{statusErr, m.tx.bulkFailed(pin, m.tx.reason(msg.err))}
		}
	}
	action := journal.UnpinAll
	if pin {
		action = journal.PinAll
	}
	e := m.entry(journal.BulkEntry(action, msg.ids, msg.err))
	m.last = &journal.Last{Bulk: e}
	m.report = nil
	m = m.replan()
	m, rec := m.record(e)
	m, ref := m.refresh()
	return m, tea.Batch(rec, ref)
}

// entry fills in who and where an entry is about, when, and its ID, so
// that an undo can name it before it is written.
func (m Model) entry(e journal.Entry) journal.Entry {
	e.Profile, e.Portal, e.User, e.Time = m.profile, m.host, m.me.ID, m.clock
	e.ID = newEntryID()
	return e
}

// newEntryID is 16 random hex digits, as the journal makes them.
func newEntryID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand panics rather than return an error)
	return hex.EncodeToString(b[:])
}

// record appends e to the journal in a command; without a journal it
// does nothing.
func (m Model) record(e journal.Entry) (Model, tea.Cmd) {
	j := m.journal
	if j == nil {
		return m, nil
	}
	m.writing++
	return m, func() tea.Msg {
		_, err := j.Append(e)
		return journalMsg{err: err}
	}
}

// onJournal says when an entry could not be written.
func (m Model) onJournal(msg journalMsg) (Model, tea.Cmd) {
	m.writing = max(m.writing-1, 0)
	if msg.err == nil {
		return m, nil
	}
	note := m.tx.JournalFailed(sanitize.Line(journal.ErrorText(msg.err)))
	if m.result != nil { // kept through the refreshes that re-check the result
		r := *m.result
		r.note = note
		m.result = &r
		m.status = m.resultStatus(r)
		return m, nil
	}
	if m.status.text != "" {
		note = m.status.text + " " + note
	}
	m.status = status{statusWarn, note}
	return m, nil
}

// readLastBulk asks the journal for the last bulk action of this portal
// and operator, so that U can undo one made before this run.
func (m Model) readLastBulk() tea.Cmd {
	j := m.journal
	if j == nil {
		return nil
	}
	match := journal.Actor(m.host, m.me.ID)
	return func() tea.Msg {
		last, found, _, err := j.LastBulk(match)
		return lastBulkMsg{last: last, found: found, err: err}
	}
}

func (m Model) onLastBulk(msg lastBulkMsg) Model {
	m.lastAsked = true
	if msg.err != nil {
		if m.status.kind == statusNone {
			m.status = status{statusWarn, m.tx.JournalUnreadable(sanitize.Line(journal.ErrorText(msg.err)))}
		}
		return m
	}
	if m.last == nil && msg.found { // an action of this run is newer
		last := msg.last
		m.last = &last
		m = m.replan()
	}
	return m
}

// replan works out what undo would do against the latest list.
func (m Model) replan() Model {
	m.plan = nil
	if m.last == nil || journal.CheckUndo(*m.last, true) != journal.CanUndo {
		return m
	}
	p := journal.PlanUndoBy(m.last.Bulk, m.findSession)
	m.plan = &p
	return m
}

// findSession is a session of the last snapshot by ID: from the list when
// it is current (with the pins an action just changed there), else from
// the closed ones.
func (m Model) findSession(id int64) (api.Session, bool) {
	if s, ok := m.list.Session(id); ok {
		return s, true
	}
	if s, ok := m.closed[id]; ok {
		return *s, true
	}
	return api.Session{}, false
}

// closedOf indexes the sessions of a snapshot that are not current, the
// most recent one of an ID first.
func closedOf(sessions []*api.Session) map[int64]*api.Session {
	var out map[int64]*api.Session
	for _, s := range sessions {
		if s.Current() || s.SessionID <= 0 {
			continue
		}
		if out == nil {
			out = map[int64]*api.Session{}
		}
		if _, dup := out[s.SessionID]; !dup {
			out[s.SessionID] = s
		}
	}
	return out
}

// onUndo applies the answer to an undo: every session's result, the
// restored ones highlighted, the journal entry.
func (m Model) onUndo(msg undoMsg) (Model, tea.Cmd) {
	m.busy = bulkNone
	m.sched.Invalidate()
	e := msg.plan.Entry(msg.results, msg.err) // about the portal and operator of the action undone
	e.Time, e.ID = m.clock, newEntryID()
	if m.last != nil && m.last.Bulk.ID == msg.plan.Of.ID {
		last := *m.last
		last.Undo = &e
		m.last = &last
	}
	m.result = &bulkResult{kind: bulkUndo, ids: e.Returned, undo: &msg}
	m.hl = state.Highlights{}.Set(e.Returned, m.highlightUntil())
	m = m.setList(m.list.WithPinned(e.Returned, msg.plan.Pin))
	m.status = m.resultStatus(*m.result)
	m.report = m.undoReport(e, msg.plan.Pin)
	m, rec := m.record(e)
	m, ref := m.refresh()
	return m, tea.Batch(rec, ref)
}

// undoReport is one line per session of an undo, for the help.
func (m Model) undoReport(e journal.Entry, pin bool) []string {
	out := make([]string, 0, len(e.Results))
	for _, r := range e.Results {
		out = append(out, m.tx.UndoLine(r.SessionID, string(r.Outcome), r.Reason, pin, sanitize.Line(r.Error)))
	}
	return out
}

// pinOne pins or unpins the selected session: the row changes at once,
// the call runs, the next refresh confirms.
func pinOne(m Model) (Model, tea.Cmd) {
	s, ok := m.selected()
	if !ok {
		return m, nil
	}
	key := keyOf(s)
	want := !s.Pinned
	was := m.spinning()
	m.pins = withPin(m.pins, key, &pinOp{want: want})
	m.confirm = withBool(m.confirm, key, nil)
	m = m.setList(m.list.WithPinned([]int64{key}, want))
	m.status = status{statusInfo, m.tx.PinningOne(s.SessionID, want)}
	p, ctx := m.portal, m.ctx
	sid, chat := s.SessionID, s.ChatID
	return m, tea.Batch(func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, pinTimeout)
		defer cancel()
		err := p.Pin(ctx, chat, want)
		return pinMsg{key: key, sessionID: sid, chatID: chat, want: want, err: err}
	}, m.spinStart(was))
}

// onPin: on success the new state stays and the next refresh checks it;
// on a refusal or a failure to send, the row goes back. An answer that
// was lost leaves the row to the refresh that follows.
func (m Model) onPin(msg pinMsg) (Model, tea.Cmd) {
	m.pins = withPin(m.pins, msg.key, nil)
	m.sched.Invalidate()
	res := api.PinResult{ChatID: msg.chatID, Err: msg.err}
	id := msg.sessionID
	var ae *api.Error
	switch {
	case msg.err == nil:
		res.Outcome = api.PinDone
		m.confirm = withBool(m.confirm, msg.key, &msg.want)
		m.status = status{statusOK, m.tx.PinnedOne(id, msg.want, m.clientOf(msg.key))}
	case errors.Is(msg.err, api.ErrOutcomeUnknown):
		res.Outcome = api.PinUnknown
		m.status = status{statusWarn, m.tx.PinUnknown(id, msg.want)}
	case errors.As(msg.err, &ae):
		res.Outcome = api.PinRefused
		m = m.setList(m.list.WithPinned([]int64{msg.key}, !msg.want))
		why := m.tx.reason(msg.err)
		if ae.Code == "" {
			why = m.tx.NotYourSession
		}
		m.status = status{statusErr, m.tx.PinFailed(id, msg.want, why)}
	default:
		res.Outcome = api.PinNotSent
		m = m.setList(m.list.WithPinned([]int64{msg.key}, !msg.want))
		m.status = status{statusErr, m.tx.PinNotSent(id, msg.want, m.tx.reason(msg.err))}
	}
	m.result = nil
	action := journal.Pin
	if !msg.want {
		action = journal.Unpin
	}
	e := m.entry(journal.PinEntry(action, []journal.Target{{SessionID: msg.sessionID, ChatID: msg.chatID}}, []api.PinResult{res}, nil, nil))
	m, rec := m.record(e)
	m, ref := m.refresh()
	return m, tea.Batch(rec, ref)
}

// checkPins compares the pins the portal accepted with the list just
// read: a "yes" that changed nothing is said (PROTOCOL §10.2).
func (m Model) checkPins() Model {
	for key, want := range m.confirm {
		if r, ok := m.list.Session(key); ok && r.Pinned != want {
			m.status = status{statusWarn, m.tx.PinDidNotStick(r.SessionID, want)}
		}
	}
	m.confirm = nil
	return m
}

// clientOf is the client's name of a listed session, for sentences.
func (m Model) clientOf(key int64) string {
	s, ok := m.list.Session(key)
	if !ok {
		return ""
	}
	return nameOf(&s, 30)
}

// keyOf is a session's key in the list.
func keyOf(s api.Session) int64 {
	if s.SessionID != 0 {
		return s.SessionID
	}
	return -s.ChatID
}

// withPin is pins with key set to op (nil: removed), a new map so that
// earlier models keep theirs.
func withPin(pins map[int64]pinOp, key int64, op *pinOp) map[int64]pinOp {
	n := make(map[int64]pinOp, len(pins)+1)
	for k, v := range pins {
		n[k] = v
	}
	if op == nil {
		delete(n, key)
	} else {
		n[key] = *op
	}
	if len(n) == 0 {
		return nil
	}
	return n
}

func withBool(m map[int64]bool, key int64, v *bool) map[int64]bool {
	n := make(map[int64]bool, len(m)+1)
	for k, x := range m {
		n[k] = x
	}
	if v == nil {
		delete(n, key)
	} else {
		n[key] = *v
	}
	if len(n) == 0 {
		return nil
	}
	return n
}

// resultStatus is the status line for the last bulk result, naming the
// IDs the list does not show.
func (m Model) resultStatus(r bulkResult) status {
	st := m.bulkStatus(r)
	if r.note != "" {
		st.text += " " + r.note
		st.kind = max(st.kind, statusWarn)
	}
	return st
}

func (m Model) bulkStatus(r bulkResult) status {
	if r.kind == bulkUndo && r.undo != nil {
		return m.undoStatus(*r.undo)
	}
	pin := r.kind == bulkPin
	if len(r.ids) == 0 {
		return status{statusOK, m.tx.nothingWas(pin)}
	}
	s := m.tx.bulkDone(r.ids, pin)
	if _, missing := m.list.Split(r.ids); len(missing) > 0 {
		s += " " + m.tx.NotListed(missing)
	}
	return status{statusOK, s}
}

// undoStatus reports an undo session by session: restored, refused,
// unanswered, not sent, skipped (closed, gone, already so).
func (m Model) undoStatus(u undoMsg) status {
	e := u.plan.Entry(u.results, u.err)
	var done, refused, unknown, notSent, closed, gone, already []int64
	for _, r := range e.Results {
		switch {
		case r.Outcome == journal.OK:
			done = append(done, r.SessionID)
		case r.Outcome == journal.Unknown:
			unknown = append(unknown, r.SessionID)
		case r.Reason == journal.ReasonRefused:
			refused = append(refused, r.SessionID)
		case r.Reason == journal.ReasonNotSent:
			notSent = append(notSent, r.SessionID)
		case r.Reason == journal.ReasonClosed:
			closed = append(closed, r.SessionID)
		case r.Reason == journal.ReasonGone, r.Reason == journal.ReasonNoChat:
			gone = append(gone, r.SessionID)
		default:
			already = append(already, r.SessionID)
		}
	}
	tx := m.tx
	var parts []string
	kind := statusOK
	if len(done) > 0 {
		parts = append(parts, tx.Restored(done, u.plan.Pin))
	} else {
		parts = append(parts, tx.RestoredNone)
	}
	if len(refused) > 0 {
		parts = append(parts, tx.UndoRefused(refused))
		kind = statusErr
	}
	if len(notSent) > 0 {
		parts = append(parts, tx.UndoNotSent(notSent))
		kind = statusErr
	}
	if len(unknown) > 0 {
		parts = append(parts, tx.UndoUnknown(unknown))
		kind = max(kind, statusWarn)
	}
	if len(closed) > 0 {
		parts = append(parts, tx.SkippedClosed(closed))
	}
	if len(gone) > 0 {
		parts = append(parts, tx.SkippedGone(gone))
	}
	if len(already) > 0 {
		parts = append(parts, tx.SkippedAlready(already, u.plan.Pin))
	}
	if kind == statusErr && len(done) > 0 {
		kind = statusWarn
	}
	return status{kind, joinSentences(parts)}
}

func joinSentences(parts []string) string {
	parts = slices.DeleteFunc(parts, func(s string) bool { return s == "" })
	out := ""
	for i, p := range parts {
		if i > 0 {
			out += " "
		}
		out += p
	}
	return out
}

// The sentences of unpin-all and pin-all, chosen by which it was.

func (tx *text) bulkUnknown(pin bool) string {
	if pin {
		return tx.PinAllUnknown
	}
	return tx.Unknown
}

func (tx *text) bulkNotSent(pin bool, reason string) string {
	if pin {
		return tx.PinAllNotSent(reason)
	}
	return tx.UnpinNotSent(reason)
}

func (tx *text) bulkFailed(pin bool, reason string) string {
	if pin {
		return tx.PinAllFailed(reason)
	}
	return tx.UnpinFailed(reason)
}

func (tx *text) nothingWas(pin bool) string {
	if pin {
		return tx.NothingWasToPin
	}
	return tx.NothingWas
}

func (tx *text) bulkDone(ids []int64, pin bool) string {
	if pin {
		return tx.PinnedAll(ids)
	}
	return tx.Unpinned(ids)
}
