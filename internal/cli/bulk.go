package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/linedesk/linedesk/internal/api"
	"github.com/linedesk/linedesk/internal/sanitize"
)

// bulkAction describes unpin-all or pin-all.
type bulkAction struct {
	use, short  string
	verb, past  string // "unpin", "Unpinned"
	jsonKey     string // "unpinned"
	nothing     string // the sentence for an empty result
	candidates  string // what the question counts: "pinned", "unpinned"
	isCandidate func(api.Session) bool
	call        func(c *api.Client, ctx context.Context) ([]int64, error)
}

var unpinAll = bulkAction{
	use: "unpin-all", short: "Unpin all of the operator's pinned sessions (imopenlines.session.mode.unpinAll)",
	verb: "unpin", past: "Unpinned", jsonKey: "unpinned", nothing: "Nothing was pinned.",
	candidates:  "pinned",
	isCandidate: func(s api.Session) bool { return s.Current() && s.Pinned },
	call:        (*api.Client).UnpinAll,
}

var pinAll = bulkAction{
	use: "pin-all", short: "Pin all of the operator's sessions (imopenlines.session.mode.pinAll)",
	verb: "pin", past: "Pinned", jsonKey: "pinned", nothing: "Nothing needed pinning.",
	candidates:  "unpinned",
	isCandidate: func(s api.Session) bool { return s.Current() && !s.Pinned },
	call:        (*api.Client).PinAll,
}

func (a *app) bulkCmd(act bulkAction) *cobra.Command {
	var yes, asJSON bool
	cmd := &cobra.Command{
		Use:   act.use,
		Short: act.short,
		Long: act.short + ".\n\nOn a terminal linedesk first says how many sessions this touches and asks;\n" +
			"--yes skips the question and is required when stdin is not a terminal.\n" +
			"The call is made once and never repeated: if the answer is lost, linedesk\n" +
			"says so and 'linedesk sessions' shows what happened.",
		Example: fmt.Sprintf("  linedesk %s\n  linedesk %s --yes --json", act.use, act.use),
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			c, err := a.client()
			if err != nil {
				return err
			}
			if !yes && !a.d.isTerminal(a.d.stdin) {
				return usageErrorf("%s changes the portal and stdin is not a terminal, so linedesk cannot ask: pass --yes to confirm", act.use)
			}
			if !yes {
				ok, err := a.confirm(ctx, c, act)
				if err != nil {
					return err
				}
				if !ok {
					fmt.Fprintln(a.d.stderr, "linedesk: cancelled; nothing was changed.")
					return nil
				}
			}
			ids, err := act.call(c, ctx)
			if err != nil {
				return a.bulkError(ctx, c.Host(), act, err)
			}
			if ids == nil {
				ids = []int64{}
			}
			if asJSON {
				return writeJSON(a.d.stdout, map[string][]int64{act.jsonKey: ids})
			}
			_, err = fmt.Fprintln(a.d.stdout, bulkSentence(act, ids))
			return err
		},
	}
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "do not ask for confirmation")
	cmd.Flags().BoolVar(&asJSON, "json", false, fmt.Sprintf(`print {"%s":[session IDs]} in the portal's order`, act.jsonKey))
	return cmd
}

// confirm fetches the list to say how many sessions the action touches, asks
// on stderr and reads the answer from stdin.
func (a *app) confirm(ctx context.Context, c *api.Client, act bulkAction) (bool, error) {
	snap, err := c.Snapshot(ctx)
	if err != nil {
		return false, portalError(ctx, c.Host(), err)
	}
	n := 0
	for _, s := range snap.Sessions {
		if act.isCandidate(s) {
			n++
		}
	}
	who := sanitize.Fit(snap.Me.FullName(), 60)
	if who == "" {
		who = "user " + strconv.FormatInt(snap.Me.ID, 10)
	}
	var q string
	switch n {
	case 0:
		q = fmt.Sprintf("No %s sessions of %s are listed on %s. %s all anyway? [y/N] ", act.candidates, who, c.Host(), capitalize(act.verb))
	case 1:
		q = fmt.Sprintf("%s the 1 %s session of %s on %s? [y/N] ", capitalize(act.verb), act.candidates, who, c.Host())
	default:
		q = fmt.Sprintf("%s all %d %s sessions of %s on %s? [y/N] ", capitalize(act.verb), n, act.candidates, who, c.Host())
	}
	fmt.Fprint(a.d.stderr, q)
	answer, err := readLine(ctx, a.d.stdin)
	if err != nil {
		fmt.Fprintln(a.d.stderr)
		if ctx.Err() != nil {
			return false, &cliError{code: exitInterrupted, msg: "interrupted; nothing was changed", err: err}
		}
		return false, nil // EOF: no answer is a no
	}
	switch strings.ToLower(strings.TrimSpace(answer)) {
	case "y", "yes", "д", "да":
		return true, nil
	}
	return false, nil
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
		code, why := exitFailure, "no usable answer came from "+host
		if ctx.Err() != nil {
			code, why = exitInterrupted, "interrupted while waiting for "+host
		}
		return &cliError{code: code, err: err, msg: fmt.Sprintf(
			"%s, so the %s-all may or may not have happened — run 'linedesk sessions' to check before trying again", why, act.verb)}
	}
	return portalError(ctx, host, err)
}

// bulkSentence is "Unpinned 2 sessions: 339, 337." or the nothing-sentence.
func bulkSentence(act bulkAction, ids []int64) string {
	if len(ids) == 0 {
		return act.nothing
	}
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	noun := "sessions"
	if len(ids) == 1 {
		noun = "session"
	}
	return fmt.Sprintf("%s %d %s: %s.", act.past, len(ids), noun, strings.Join(s, ", "))
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
