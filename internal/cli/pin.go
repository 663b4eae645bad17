package cli

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/linedesk/linedesk/internal/api"
	"github.com/linedesk/linedesk/internal/config"
	"github.com/linedesk/linedesk/internal/journal"
)

// refKind says how an argument of pin/unpin names a session.
type refKind int

const (
	refBare    refKind = iota // a number: a session ID if there is such a session, else a chat ID
	refChat                   // "chat1777" or --chat: a chat ID
	refSession                // --session: a session ID
)

// ref is one parsed argument of pin/unpin.
type ref struct {
	kind refKind
	id   int64
	arg  string // as typed
}

// parseRef reads "343" or "chat1777" (any case, spaces around ignored);
// mode (from --chat or --session) turns a bare number into that kind.
func parseRef(arg string, mode refKind) (ref, bool) {
	s := strings.TrimSpace(arg)
	kind := mode
	if len(s) > 4 && strings.EqualFold(s[:4], "chat") {
		s, kind = s[4:], refChat
	}
	if s == "" || s[0] < '0' || s[0] > '9' {
		return ref{}, false
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return ref{}, false
	}
	return ref{kind: kind, id: id, arg: arg}, true
}

// pinTarget is a session to pin or unpin: its chat (what the portal takes)
// and, when the list knows it, the session.
type pinTarget struct {
	journal.Target
	session *api.Session // nil: a chat the list does not show
}

// resolveRefs finds each ref in the session list. A bare number is looked
// up as a session ID first, then as a chat ID; when it is a session ID
// that is also another chat's ID, notes says which was taken. A chat ID
// the list does not show is still sent (the portal decides); a session ID
// or bare number that matches nothing is an error naming it. Targets are
// unique by chat, in the order given.
func resolveRefs(refs []ref, sessions []*api.Session) (targets []pinTarget, notes []ambiguity, missing *ref) {
	bySession := make(map[int64]int, len(sessions))
	byChat := make(map[int64]int, len(sessions))
	for i, s := range sessions {
		if _, dup := bySession[s.SessionID]; s.SessionID > 0 && !dup {
			bySession[s.SessionID] = i
		}
		// One chat is one row of the recent list; if a portal repeats it,
		// an open session of it wins over a closed one.
		if j, dup := byChat[s.ChatID]; s.ChatID > 0 && (!dup || !sessions[j].Current() && s.Current()) {
			byChat[s.ChatID] = i
		}
	}
	seen := map[int64]bool{}
	add := func(t pinTarget) {
		if !seen[t.ChatID] {
			seen[t.ChatID] = true
			targets = append(targets, t)
		}
	}
	session := func(i int) pinTarget {
		s := sessions[i]
		return pinTarget{Target: journal.Target{SessionID: s.SessionID, ChatID: s.ChatID}, session: s}
	}
	for _, r := range refs {
		switch r.kind {
		case refChat:
			if i, ok := byChat[r.id]; ok {
				add(session(i))
			} else {
				add(pinTarget{Target: journal.Target{ChatID: r.id}})
			}
		case refSession:
			i, ok := bySession[r.id]
			if !ok || sessions[i].ChatID <= 0 {
				return nil, nil, &r
			}
			add(session(i))
		default:
			if i, ok := bySession[r.id]; ok && sessions[i].ChatID > 0 {
				if _, alsoChat := byChat[r.id]; alsoChat && sessions[i].ChatID != r.id {
					notes = append(notes, ambiguity{id: r.id, chat: sessions[i].ChatID})
				}
				add(session(i))
			} else if i, ok := byChat[r.id]; ok {
				add(session(i))
			} else {
				return nil, nil, &r
			}
		}
	}
	return targets, notes, nil
}

// ambiguity: a bare number that is a session ID was also a chat ID.
type ambiguity struct{ id, chat int64 }

func (a *app) pinCmd(pin bool) *cobra.Command {
	at := a.act()
	var asJSON, chats, sessionIDs bool
	use, short, long, example := "pin", at.PinShort, at.PinLong, at.PinExample
	if !pin {
		use, short, long, example = "unpin", at.UnpinShort, at.UnpinLong, at.UnpinExample
	}
	cmd := &cobra.Command{
		Use:     use + " SESSION_OR_CHAT_ID...",
		Short:   short,
		Long:    long,
		Example: example,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageErrorf(at.NeedIDs, cmd.CommandPath())
			}
			if chats && sessionIDs {
				return usageErrorf("%s", at.ChatAndSession)
			}
			mode := refBare
			switch {
			case chats:
				mode = refChat
			case sessionIDs:
				mode = refSession
			}
			refs := make([]ref, 0, len(args))
			for _, arg := range args {
				r, ok := parseRef(arg, mode)
				if !ok {
					return usageErrorf(at.BadRef, arg)
				}
				refs = append(refs, r)
			}
			c, creds, err := a.portal(cmd)
			if err != nil {
				return err
			}
			return a.runPin(cmd.Context(), c, creds, refs, pin, asJSON)
		},
	}
	cmd.Flags().BoolVar(&chats, "chat", false, at.FlagChat)
	cmd.Flags().BoolVar(&sessionIDs, "session", false, at.FlagSession)
	cmd.Flags().BoolVar(&asJSON, "json", false, at.FlagPinJSON)
	return cmd
}

func (a *app) runPin(ctx context.Context, c *api.Client, creds config.Credentials, refs []ref, pin, asJSON bool) error {
	at := a.act()
	snap, err := c.Snapshot(ctx)
	if err != nil {
		return a.portalError(ctx, c.Host(), err)
	}
	targets, notes, missing := resolveRefs(refs, snap.Sessions)
	if missing != nil {
		if missing.kind == refSession {
			return usageErrorf(at.NoSuchSession, missing.id, c.Host())
		}
		return usageErrorf(at.NoSuchID, missing.id, c.Host())
	}
	for _, n := range notes {
		fmt.Fprintln(a.d.stderr, "linedesk: "+fmt.Sprintf(at.TakenAsSession, n.id, n.chat))
	}

	var send []journal.Target
	var skipped []journal.Result
	for _, t := range targets {
		if t.session != nil && t.session.Pinned == pin {
			reason := journal.ReasonAlreadyPinned
			if !pin {
				reason = journal.ReasonAlreadyUnpinned
			}
			skipped = append(skipped, journal.Result{SessionID: t.SessionID, ChatID: t.ChatID, Outcome: journal.Skipped, Reason: reason})
			continue
		}
		send = append(send, t.Target)
	}
	var results []api.PinResult
	var callErr error
	if len(send) > 0 {
		chatIDs := make([]int64, len(send))
		for i, t := range send {
			chatIDs[i] = t.ChatID
		}
		results, callErr = c.PinMany(ctx, chatIDs, pin)
		var apiErr *api.Error
		if callErr != nil && errors.As(callErr, &apiErr) || callErr != nil && ctx.Err() != nil && !errors.Is(callErr, api.ErrOutcomeUnknown) {
			// Refused as a whole, or interrupted before sending: nothing changed.
			return a.portalError(ctx, c.Host(), callErr)
		}
	}
	action := journal.Pin
	if !pin {
		action = journal.Unpin
	}
	entry := journal.PinEntry(action, send, results, callErr, skipped)
	if len(send) > 0 {
		a.record(entry, c, creds)
	}
	// Report in the order given, whatever was sent or skipped.
	byChat := make(map[int64]journal.Result, len(entry.Results))
	for _, r := range entry.Results {
		byChat[r.ChatID] = r
	}
	errOf := make(map[int64]error, len(results))
	for _, r := range results {
		errOf[r.ChatID] = r.Err
	}
	ordered := make([]journal.Result, 0, len(targets))
	for _, t := range targets {
		ordered = append(ordered, byChat[t.ChatID])
	}
	if asJSON {
		if err := writeJSON(a.d.stdout, map[string][]journal.Result{"results": ordered}); err != nil {
			return err
		}
	} else {
		for i, r := range ordered {
			fmt.Fprintln(a.d.stdout, a.pinLine(r, errOf[r.ChatID], targets[i].session, snap.Me.ID, pin))
		}
	}
	n := journal.Count(ordered)
	if bad := n[journal.Failed] + n[journal.Unknown]; bad > 0 {
		format := at.CouldNotPin
		if !pin {
			format = at.CouldNotUnpin
		}
		code := exitFailure
		if ctx.Err() != nil {
			code = exitInterrupted
		}
		return &cliError{code: code, err: callErr,
			msg: fmt.Sprintf(format, bad, a.lang.N(len(ordered), at.SessionsOf))}
	}
	return nil
}

// pinLine is one session's line of pin/unpin's report; err is PinMany's
// error for it, s what the list says about it (nil: not listed).
func (a *app) pinLine(r journal.Result, err error, s *api.Session, me int64, pin bool) string {
	at := a.act()
	target := fmt.Sprintf(at.TargetChat, r.ChatID)
	if r.SessionID > 0 {
		target = fmt.Sprintf(at.TargetSession, r.SessionID, r.ChatID)
	}
	pick := func(p, u string) string {
		if pin {
			return p
		}
		return u
	}
	switch {
	case r.Outcome == journal.OK:
		return fmt.Sprintf(pick(at.Pinned, at.Unpinned), target)
	case r.Outcome == journal.Skipped:
		return fmt.Sprintf(pick(at.AlreadyPinned, at.AlreadyUnpinned), target)
	case r.Outcome == journal.Unknown:
		return fmt.Sprintf(pick(at.NoAnswerPin, at.NoAnswerUnpin), target)
	case r.Reason == journal.ReasonNotSent:
		why := at.NotSentEarlier
		switch {
		case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
			why = a.t.Interrupted
		case err != nil && !errors.Is(err, api.ErrNotExecuted):
			why = tidy(err)
		}
		return fmt.Sprintf(at.NotSentLine, target, why)
	}
	return fmt.Sprintf(pick(at.NotPinned, at.NotUnpinned), target, a.refusalText(err, s, me))
}

// refusalText explains why the portal refused one session: the empty code
// in a sentence, with what the list says about the session, else the
// portal's code, description and hint.
func (a *app) refusalText(err error, s *api.Session, me int64) string {
	at := a.act()
	var ae *api.Error
	switch {
	case errors.Is(err, api.ErrEmptyCode):
		why := at.EmptyCode
		switch {
		case s == nil:
		case !s.Current():
			why += at.EmptyClosed
		case s.StatusKnown && s.Status.Offer():
			why += at.EmptyOffer
		case s.OwnerID > 0 && me > 0 && s.OwnerID != me:
			why += fmt.Sprintf(at.EmptyOther, s.OwnerID)
		}
		return why
	case errors.As(err, &ae):
		return refusal(a.t, ae)
	case err != nil:
		return tidy(err)
	}
	return at.EmptyCode
}
