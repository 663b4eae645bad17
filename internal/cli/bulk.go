package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/linedesk/linedesk/internal/api"
	"github.com/linedesk/linedesk/internal/i18n"
	"github.com/linedesk/linedesk/internal/sanitize"
)

// bulkAction describes unpin-all or pin-all.
type bulkAction struct {
	use         string
	verb        string // "unpin", for the log and the ambiguous-outcome message
	jsonKey     string // "unpinned"
	isCandidate func(api.Session) bool
	call        func(c *api.Client, ctx context.Context) ([]int64, error)
	// texts of the action in a table
	short      func(t *text) string
	nothing    func(t *text) string
	none, one  func(t *text) string // the question when no or one session is a candidate
	many       func(t *text) string
	candidates func(t *text) i18n.Forms
	past       func(t *text) i18n.Forms
}

var unpinAll = bulkAction{
	use: "unpin-all", verb: "unpin-all", jsonKey: "unpinned",
	isCandidate: func(s api.Session) bool { return s.Current() && s.Pinned },
	call:        (*api.Client).UnpinAll,
	short:       func(t *text) string { return t.UnpinShort },
	nothing:     func(t *text) string { return t.NothingUnpinned },
	none:        func(t *text) string { return t.UnpinNone },
	one:         func(t *text) string { return t.UnpinOne },
	many:        func(t *text) string { return t.UnpinMany },
	candidates:  func(t *text) i18n.Forms { return t.PinnedSessions },
	past:        func(t *text) i18n.Forms { return t.Unpinned },
}

var pinAll = bulkAction{
	use: "pin-all", verb: "pin-all", jsonKey: "pinned",
	isCandidate: func(s api.Session) bool { return s.Current() && !s.Pinned },
	call:        (*api.Client).PinAll,
	short:       func(t *text) string { return t.PinShort },
	nothing:     func(t *text) string { return t.NothingPinned },
	none:        func(t *text) string { return t.PinNone },
	one:         func(t *text) string { return t.PinOne },
	many:        func(t *text) string { return t.PinMany },
	candidates:  func(t *text) i18n.Forms { return t.UnpinnedSessions },
	past:        func(t *text) i18n.Forms { return t.Pinned },
}

func (a *app) bulkCmd(act bulkAction) *cobra.Command {
	var yes, asJSON bool
	t := a.t
	cmd := &cobra.Command{
		Use:     act.use,
		Short:   act.short(t),
		Long:    fmt.Sprintf(t.BulkLong, act.short(t)),
		Example: fmt.Sprintf(t.BulkExample, act.use),
		Args:    a.noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			c, creds, err := a.portal(cmd)
			if err != nil {
				return err
			}
			if !yes && !a.d.isTerminal(a.d.stdin) {
				return usageErrorf(t.NeedYes, act.use)
			}
			if !yes {
				ok, err := a.confirm(ctx, c, act)
				if err != nil {
					return err
				}
				if !ok {
					fmt.Fprintln(a.d.stderr, "linedesk: "+t.Cancelled)
					return nil
				}
			}
			ids, err := act.call(c, ctx)
			a.journalBulk(c, creds, act, ids, err)
			if err != nil {
				return a.bulkError(ctx, c.Host(), act, err)
			}
			if ids == nil {
				ids = []int64{}
			}
			a.logger().Info(act.verb, "host", c.Host(), "sessions", len(ids), "ids", ids)
			if asJSON {
				return writeJSON(a.d.stdout, map[string][]int64{act.jsonKey: ids})
			}
			_, err = fmt.Fprintln(a.d.stdout, bulkSentence(t, a.lang, act, ids))
			return err
		},
	}
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, t.FlagYes)
	cmd.Flags().BoolVar(&asJSON, "json", false, fmt.Sprintf(t.FlagBulkJSON, act.jsonKey))
	return cmd
}

// confirm fetches the list to say how many sessions the action touches, asks
// on stderr and reads the answer from stdin.
func (a *app) confirm(ctx context.Context, c *api.Client, act bulkAction) (bool, error) {
	t := a.t
	snap, err := c.Snapshot(ctx)
	if err != nil {
		return false, a.portalError(ctx, c.Host(), err)
	}
	n := 0
	for _, s := range snap.Sessions {
		if act.isCandidate(*s) {
			n++
		}
	}
	who := sanitize.Fit(snap.Me.FullName(), 60)
	if who == "" {
		who = fmt.Sprintf(t.UserN, snap.Me.ID)
	}
	var q string
	switch n {
	case 0:
		q = fmt.Sprintf(act.none(t), who, c.Host())
	case 1:
		q = fmt.Sprintf(act.one(t), who, c.Host())
	default:
		q = fmt.Sprintf(act.many(t), who, c.Host(), a.lang.N(n, act.candidates(t)))
	}
	fmt.Fprint(a.d.stderr, q)
	answer, err := readLine(ctx, a.d.stdin)
	if err != nil {
		fmt.Fprintln(a.d.stderr)
		if ctx.Err() != nil {
			return false, &cliError{code: exitInterrupted, msg: t.InterruptedNothing, err: err}
		}
		return false, nil // EOF: no answer is a no
	}
	return slices.Contains(t.YesAnswers, strings.ToLower(strings.TrimSpace(answer))), nil
}

// readLine reads one line, giving up when ctx ends (Ctrl+C at the prompt).
func readLine(ctx context.Context, r io.Reader) (string, error) {
	type result struct {
		s   string
		err error
	}
	ch := make(chan result, 1)
	go func() {
		s, err := bufio.NewReader(r).ReadString('\n')
		if err == io.EOF && s != "" {
			err = nil
		}
		ch <- result{s, err}
	}()
	select {
	case res := <-ch:
		return res.s, res.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// bulkError explains a failed bulk call. An ambiguous failure was not
// retried by the client (a repeat would lose the list of changed sessions),
// so the user is told the change may have happened and how to check.
func (a *app) bulkError(ctx context.Context, host string, act bulkAction, err error) error {
	if errors.Is(err, api.ErrOutcomeUnknown) {
		code, why := exitFailure, fmt.Sprintf(a.t.BulkNoAnswer, host)
		if ctx.Err() != nil {
			code, why = exitInterrupted, fmt.Sprintf(a.t.BulkInterrupted, host)
		}
		return &cliError{code: code, err: err, msg: fmt.Sprintf(a.t.BulkUnknown, why, act.use)}
	}
	return a.portalError(ctx, host, err)
}

// bulkSentence is "Unpinned 2 sessions: 339, 337." or the nothing-sentence.
func bulkSentence(t *text, lang i18n.Lang, act bulkAction, ids []int64) string {
	if len(ids) == 0 {
		return act.nothing(t)
	}
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	n := len(ids)
	return fmt.Sprintf(t.BulkResult, lang.Pick(n, act.past(t)), lang.N(n, t.Sessions), strings.Join(s, ", "))
}
