package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/linedesk/linedesk/internal/api"
	"github.com/linedesk/linedesk/internal/journal"
)

func (a *app) undoCmd() *cobra.Command {
	at := a.act()
	var yes, asJSON bool
	cmd := &cobra.Command{
		Use:     "undo",
		Short:   at.UndoShort,
		Long:    at.UndoLong,
		Example: at.UndoExample,
		Args:    a.noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			c, creds, err := a.portal(cmd)
			if err != nil {
				return err
			}
			j := a.journal()
			last, found, damaged, err := j.LastBulk(journal.Actor(c.Host(), operator(creds)))
			if err != nil {
				return &cliError{code: exitFailure, msg: fmt.Sprintf(at.JournalReadFail, err.Error()), err: err}
			}
			a.warnDamaged(damaged)
			if block := journal.CheckUndo(last, found); block != journal.CanUndo {
				return &cliError{code: exitFailure, msg: a.undoBlocked(block, last, c.Host(), j.Path())}
			}
			if !yes && !a.d.isTerminal(a.d.stdin) {
				return usageErrorf(a.t.NeedYes, "undo")
			}
			snap, err := c.Snapshot(ctx)
			if err != nil {
				return a.portalError(ctx, c.Host(), err)
			}
			plan := journal.PlanUndo(last.Bulk, snap.Sessions)
			if plan.Block() == journal.NothingToRestore {
				// Recorded too, so that the journal answers "was it restored?".
				e := a.record(plan.Entry(nil, nil), c, creds)
				return a.undoReport(e, plan, snap, nil, asJSON)
			}
			if !yes {
				ok, err := a.askUndo(ctx, plan, c.Host())
				if err != nil {
					return err
				}
				if !ok {
					fmt.Fprintln(a.d.stderr, "linedesk: "+a.t.Cancelled)
					return nil
				}
			}
			results, callErr := c.PinMany(ctx, plan.ChatIDs(), plan.Pin)
			e := plan.Entry(results, callErr)
			if callErr != nil && journal.OutcomeOf(callErr) == journal.Failed && journal.Count(e.Results)[journal.OK] == 0 {
				// Refused as a whole or never sent: nothing changed. Say why
				// the way every command does; the undo stays on offer.
				a.record(e, c, creds)
				return a.portalError(ctx, c.Host(), callErr)
			}
			e = a.record(e, c, creds)
			errs := make(map[int64]error, len(results))
			for _, r := range results {
				errs[r.ChatID] = r.Err
			}
			if err := a.undoReport(e, plan, snap, errs, asJSON); err != nil {
				return err
			}
			return a.undoOutcome(ctx, e, callErr)
		},
	}
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, a.t.FlagYes)
	cmd.Flags().BoolVar(&asJSON, "json", false, at.FlagUndoJSON)
	return cmd
}

// undoBlocked is the one-line reason undo is not offered.
func (a *app) undoBlocked(block journal.Block, last journal.Last, host, path string) string {
	at := a.act()
	action := nameOr(at.Actions[last.Bulk.Action], string(last.Bulk.Action))
	when := a.whenText(last.Bulk.Time)
	switch block {
	case journal.LastFailed:
		return fmt.Sprintf(at.LastFailed, action, host, when)
	case journal.LastUnknown:
		return fmt.Sprintf(at.LastUnknown, action, host, when)
	case journal.LastChangedNothing:
		return fmt.Sprintf(at.LastChangedNothing, action, host, when)
	case journal.AlreadyUndone:
		return fmt.Sprintf(at.AlreadyUndone, action, host, when, a.whenText(last.Undo.Time))
	}
	return fmt.Sprintf(at.NothingRecorded, host, path)
}

// askUndo says what undo will do and reads the answer, like unpin-all's
// question: anything but yes is no.
func (a *app) askUndo(ctx context.Context, plan journal.Plan, host string) (bool, error) {
	at := a.act()
	format := at.AskRepin
	if !plan.Pin {
		format = at.AskUnpin
	}
	others := ""
	if n := len(plan.Skipped); n > 0 {
		others = fmt.Sprintf(at.AskOthers, n)
	}
	fmt.Fprintf(a.d.stderr, format, a.lang.N(len(plan.Restore), at.SessionsAcc), a.whenText(plan.Of.Time), host, others)
	answer, err := readLine(ctx, a.d.stdin)
	if err != nil {
		fmt.Fprintln(a.d.stderr)
		if ctx.Err() != nil {
			return false, &cliError{code: exitInterrupted, msg: a.t.InterruptedNothing, err: err}
		}
		return false, nil // EOF: no answer is a no
	}
	answer = strings.ToLower(strings.TrimSpace(answer))
	for _, y := range a.t.YesAnswers {
		if answer == y {
			return true, nil
		}
	}
	return false, nil
}

// undoReport prints the undo's entry as JSON, or a heading and one row per
// session of the bulk action: what was restored and why the rest were not.
// errs holds PinMany's error for each chat.
func (a *app) undoReport(e journal.Entry, plan journal.Plan, snap api.Snapshot, errs map[int64]error, asJSON bool) error {
	if asJSON {
		return writeJSON(a.d.stdout, e)
	}
	at := a.act()
	action := nameOr(at.Actions[plan.Of.Action], string(plan.Of.Action))
	when := a.whenText(plan.Of.Time)
	total := len(e.Results)
	var head string
	switch {
	case len(plan.Restore) == 0:
		head = fmt.Sprintf(at.NothingToRestore, action, when, a.lang.N(total, a.t.Sessions))
	case plan.Pin:
		head = fmt.Sprintf(at.Restored, journal.Count(e.Results)[journal.OK], a.lang.N(total, at.SessionsOf), action, when)
	default:
		head = fmt.Sprintf(at.RestoredUnpin, journal.Count(e.Results)[journal.OK], a.lang.N(total, at.SessionsOf), action, when)
	}
	var b strings.Builder
	b.WriteString(head)
	b.WriteByte('\n')
	sessions := make(map[int64]*api.Session, len(snap.Sessions))
	for _, s := range snap.Sessions {
		sessions[s.SessionID] = s
	}
	// Rows in the bulk answer's order, aligned by hand: IDs are ASCII.
	rows := make([][3]string, 0, len(e.Results))
	w0, w1 := 0, 0
	for _, r := range orderLike(e.Results, plan.Of.Returned) {
		chat := at.RowNoChat
		if r.ChatID > 0 {
			chat = fmt.Sprintf(at.RowChat, r.ChatID)
		}
		row := [3]string{fmt.Sprintf(at.RowSession, r.SessionID), chat, a.undoRow(r, errs[r.ChatID], sessions[r.SessionID], snap.Me.ID, plan.Pin)}
		w0, w1 = max(w0, len([]rune(row[0]))), max(w1, len([]rune(row[1])))
		rows = append(rows, row)
	}
	for _, row := range rows {
		fmt.Fprintf(&b, "  %s%s  %s%s  %s\n", row[0], strings.Repeat(" ", w0-len([]rune(row[0]))),
			row[1], strings.Repeat(" ", w1-len([]rune(row[1]))), row[2])
	}
	_, err := fmt.Fprint(a.d.stdout, b.String())
	return err
}

// undoRow is what happened to one session, in a few words; err is
// PinMany's error for it, s what the list says about it.
func (a *app) undoRow(r journal.Result, err error, s *api.Session, me int64, pin bool) string {
	at := a.act()
	switch {
	case r.Outcome == journal.OK && pin:
		return at.RowRepinned
	case r.Outcome == journal.OK:
		return at.RowUnpinned
	case r.Outcome == journal.Skipped:
		return nameOr(at.RowReasons[r.Reason], r.Reason)
	case r.Outcome == journal.Unknown:
		return at.RowNoAnswer
	case r.Reason == journal.ReasonNotSent:
		return at.RowNotSent
	case errors.Is(err, api.ErrEmptyCode):
		return at.RowRefusedEmpty
	}
	return fmt.Sprintf(at.RowRefused, a.refusalText(err, s, me))
}

// undoOutcome is the command's error when some sessions were not restored.
func (a *app) undoOutcome(ctx context.Context, e journal.Entry, callErr error) error {
	at := a.act()
	n := journal.Count(e.Results)
	total := len(e.Results) - n[journal.Skipped]
	code := exitFailure
	if ctx.Err() != nil {
		code = exitInterrupted
	}
	switch {
	case n[journal.Unknown] > 0:
		return &cliError{code: code, err: callErr, msg: fmt.Sprintf(at.UndoUnknown, n[journal.Unknown], a.lang.N(total, at.SessionsOf))}
	case n[journal.Failed] > 0:
		return &cliError{code: code, err: callErr, msg: fmt.Sprintf(at.UndoIncomplete, n[journal.Failed], a.lang.N(total, at.SessionsOf))}
	}
	return nil
}

// orderLike sorts results by the position of their session in order (the
// bulk answer); results for sessions not in it keep their place at the end.
func orderLike(results []journal.Result, order []int64) []journal.Result {
	pos := make(map[int64]int, len(order))
	for i, id := range order {
		if _, ok := pos[id]; !ok {
			pos[id] = i
		}
	}
	out := make([]journal.Result, 0, len(results))
	for _, id := range order {
		for _, r := range results {
			if r.SessionID == id && pos[id] >= 0 {
				out = append(out, r)
				pos[id] = -1
				break
			}
		}
	}
	for _, r := range results {
		if _, ok := pos[r.SessionID]; !ok {
			out = append(out, r)
		}
	}
	return out
}
