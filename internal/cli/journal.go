package cli

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"charm.land/lipgloss/v2/table"
	"github.com/spf13/cobra"

	"github.com/linedesk/linedesk/internal/api"
	"github.com/linedesk/linedesk/internal/config"
	"github.com/linedesk/linedesk/internal/journal"
	"github.com/linedesk/linedesk/internal/sanitize"
)

// journalPath is journal.jsonl in the state directory: next to the log
// file when deps moved it (tests, so they never touch the real journal),
// else in the XDG state directory.
func (a *app) journalPath() string {
	switch {
	case a.d.logPath != "":
		return filepath.Join(filepath.Dir(a.d.logPath), "journal.jsonl")
	case a.eff != nil:
		return a.eff.Paths.JournalFile
	}
	return config.Paths(a.f.config).JournalFile
}

func (a *app) journal() *journal.Journal { return journal.New(a.journalPath()) }

// operator is the user a webhook acts as (0 for OAuth, which does not say
// it in the URL).
func operator(creds config.Credentials) int64 {
	if creds.WebhookURL == "" {
		return 0
	}
	w, err := api.ParseWebhookURL(creds.WebhookURL)
	if err != nil {
		return 0
	}
	return w.UserID
}

// record appends e to the journal, stamped with the portal, profile,
// operator and time. A journal that cannot be written does not undo what
// was done on the portal: it is a warning, and the command's result stands.
func (a *app) record(e journal.Entry, c *api.Client, creds config.Credentials) journal.Entry {
	e.Portal = c.Host()
	e.Profile = creds.Profile
	e.User = operator(creds)
	e.Time = a.d.now()
	written, err := a.journal().Append(e)
	if err != nil {
		fmt.Fprintln(a.d.stderr, "linedesk: "+oneLine(fmt.Sprintf(a.act().JournalWriteFail, err.Error()), a.secretList()))
		a.logger().Warn("journal not written", "error", err)
		return e
	}
	return written
}

// journalBulk records an unpin-all or pin-all that answered ids and err:
// the hook of bulk.go.
func (a *app) journalBulk(c *api.Client, creds config.Credentials, act bulkAction, ids []int64, err error) {
	action := journal.UnpinAll
	if act.use == pinAll.use {
		action = journal.PinAll
	}
	a.record(journal.BulkEntry(action, ids, err), c, creds)
}

// warnDamaged says once that some journal lines were skipped.
func (a *app) warnDamaged(damaged []journal.Damage) {
	if len(damaged) > 0 {
		fmt.Fprintln(a.d.stderr, "linedesk: "+oneLine(fmt.Sprintf(a.act().JournalDamaged, len(damaged), damaged[0].String()), nil))
	}
}

func (a *app) journalCmd() *cobra.Command {
	at := a.act()
	var asJSON bool
	var since string
	cmd := &cobra.Command{
		Use:     "journal",
		Short:   at.JournalShort,
		Long:    at.JournalLong,
		Example: at.JournalExample,
		Args:    a.noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var from time.Time
			if since != "" {
				d, ok := parseSince(since)
				if !ok {
					return usageErrorf(at.BadSince, since)
				}
				from = a.d.now().Add(-d)
			}
			j := a.journal()
			log, err := j.Read(from)
			if err != nil {
				return &cliError{code: exitFailure, msg: fmt.Sprintf(at.JournalReadFail, err.Error()), err: err}
			}
			a.warnDamaged(log.Damaged)
			if asJSON {
				entries := log.Entries
				if entries == nil {
					entries = []journal.Entry{}
				}
				return writeJSON(a.d.stdout, entries)
			}
			if len(log.Entries) == 0 {
				if since != "" {
					_, err = fmt.Fprintf(a.d.stdout, at.JournalNoneSince+"\n", since, j.Path())
				} else {
					_, err = fmt.Fprintf(a.d.stdout, at.JournalEmpty+"\n", j.Path())
				}
				return err
			}
			// Undos of entries before --since still belong to them.
			all := log
			if since != "" {
				if all, err = j.Read(time.Time{}); err != nil {
					return &cliError{code: exitFailure, msg: fmt.Sprintf(at.JournalReadFail, err.Error()), err: err}
				}
			}
			_, err = fmt.Fprint(a.d.stdout, a.journalTable(log.Entries, all.Entries))
			return err
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, at.FlagJournalJSON)
	cmd.Flags().StringVar(&since, "since", "", at.FlagSince)
	return cmd
}

// parseSince reads a duration such as 90s, 30m, 2h, 1h30m, 7d or 1d12h:
// Go's units plus d for days. It must be positive.
func parseSince(s string) (time.Duration, bool) {
	s = strings.TrimSpace(s)
	var days int64
	if i := strings.IndexAny(s, "dD"); i >= 0 {
		n, err := strconv.ParseInt(s[:i], 10, 64)
		if err != nil || n < 0 || n > 100*365 {
			return 0, false
		}
		days, s = n, s[i+1:]
	}
	var d time.Duration
	if s != "" {
		var err error
		if d, err = time.ParseDuration(s); err != nil || d < 0 {
			return 0, false
		}
	}
	total := time.Duration(days)*24*time.Hour + d
	if total <= 0 || total < d {
		return 0, false
	}
	return total, true
}

// Widths of the journal table, in terminal cells.
const (
	widthPortal   = 30
	widthSessions = 48
	widthNote     = 60
)

// journalTable renders entries (oldest first) as an aligned table; all is
// the whole journal, for the undos of bulk actions.
func (a *app) journalTable(entries, all []journal.Entry) string {
	at := a.act()
	undoOf := map[string]journal.Entry{}
	byID := map[string]journal.Entry{}
	for _, e := range all {
		byID[e.ID] = e
		if e.Undoes != "" {
			undoOf[e.Undoes] = e // the latest wins
		}
	}
	rows := make([][]string, 0, len(entries))
	for _, e := range entries {
		portal := e.Portal
		if e.Profile != "" {
			portal += " (" + e.Profile + ")"
		}
		ids := e.Returned
		if !e.Action.Bulk() {
			ids = e.Sent
		}
		rows = append(rows, []string{
			e.Time.Local().Format("2006-01-02 15:04:05"),
			sanitize.Fit(portal, widthPortal),
			nameOr(at.Actions[e.Action], string(e.Action)),
			a.outcomeText(e),
			sanitize.Fit(idList(ids, widthSessions, at.MoreIDs), widthSessions),
			sanitize.Fit(a.note(e, undoOf, byID), widthNote),
		})
	}
	t := table.New().
		Headers(at.JournalHeaders...).
		Rows(rows...).
		BorderTop(false).BorderBottom(false).BorderLeft(false).BorderRight(false).
		BorderHeader(false).BorderColumn(false).BorderRow(false).
		StyleFunc(func(_, _ int) lipgloss.Style { return lipgloss.NewStyle().PaddingRight(2) })
	var b strings.Builder
	for line := range strings.SplitSeq(t.Render(), "\n") {
		b.WriteString(strings.TrimRight(line, " "))
		b.WriteByte('\n')
	}
	return b.String()
}

// outcomeText is "ok", or for entries with per-session results also their
// counts: "failed (2 done, 1 failed)".
func (a *app) outcomeText(e journal.Entry) string {
	at := a.act()
	s := nameOr(at.Outcomes[e.Outcome], string(e.Outcome))
	if len(e.Results) > 0 && e.Outcome != journal.OK {
		s += " (" + a.counts(e.Results) + ")"
	}
	return s
}

// counts is "3 done, 1 failed, 2 skipped".
func (a *app) counts(results []journal.Result) string {
	at := a.act()
	n := journal.Count(results)
	var parts []string
	for _, o := range []journal.Outcome{journal.OK, journal.Failed, journal.Unknown, journal.Skipped} {
		if n[o] > 0 {
			parts = append(parts, strconv.Itoa(n[o])+" "+at.CountWords[o])
		}
	}
	if len(parts) == 0 {
		return "0"
	}
	return strings.Join(parts, ", ")
}

// note answers "was it restored?" for a bulk action, names the action an
// undo undid, and gives the error of a failed or unknown entry.
func (a *app) note(e journal.Entry, undoOf, byID map[string]journal.Entry) string {
	at := a.act()
	var parts []string
	if u, ok := undoOf[e.ID]; ok && e.Action.Bulk() && e.ID != "" {
		format := at.NoteUndone
		switch u.Outcome {
		case journal.Failed:
			format = at.NoteUndoFailed
		case journal.Unknown:
			format = at.NoteUndoLost
		}
		parts = append(parts, fmt.Sprintf(format, u.Time.Local().Format("15:04:05"), a.counts(u.Results)))
	}
	if e.Undoes != "" {
		when := "?"
		action := "?"
		if b, ok := byID[e.Undoes]; ok {
			when = b.Time.Local().Format("2006-01-02 15:04:05")
			action = nameOr(at.Actions[b.Action], string(b.Action))
		}
		parts = append(parts, fmt.Sprintf(at.NoteUndoes, action, when))
	}
	if e.Error != "" && e.Outcome != journal.OK && len(e.Results) == 0 { // else the counts say it; --json has each error
		parts = append(parts, sanitize.Line(e.Error))
	}
	return strings.Join(parts, "; ")
}

// idList is "339, 337, 335" cut to about width cells with "… +N".
func idList(ids []int64, width int, more string) string {
	if len(ids) == 0 {
		return "-"
	}
	var b strings.Builder
	for i, id := range ids {
		s := strconv.FormatInt(id, 10)
		rest := fmt.Sprintf(more, len(ids)-i)
		if i > 0 && b.Len()+2+len(s) > width-len(rest)-1 {
			b.WriteString(" ")
			b.WriteString(rest)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(s)
	}
	return b.String()
}

func nameOr(name, fallback string) string {
	if name != "" {
		return name
	}
	return sanitize.Line(fallback)
}

// whenText is a journal time for a sentence: the clock time if it is
// today, else the date too; local time.
func (a *app) whenText(t time.Time) string {
	t = t.Local()
	now := a.d.now().Local()
	if y, m, d := t.Date(); y == now.Year() && m == now.Month() && d == now.Day() {
		return t.Format("15:04:05")
	}
	return t.Format("2006-01-02 15:04")
}
