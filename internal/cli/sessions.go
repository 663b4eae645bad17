package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"charm.land/lipgloss/v2/table"
	"github.com/spf13/cobra"

	"github.com/linedesk/linedesk/internal/api"
	"github.com/linedesk/linedesk/internal/sanitize"
)

func (a *app) sessionsCmd() *cobra.Command {
	var asJSON, all bool
	t := a.t
	cmd := &cobra.Command{
		Use:     "sessions",
		Short:   t.SessionsShort,
		Long:    t.SessionsLong,
		Example: t.SessionsExample,
		Args:    a.noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			c, _, err := a.portal(cmd)
			if err != nil {
				return err
			}
			snap, err := c.Snapshot(ctx)
			if err != nil {
				return a.portalError(ctx, c.Host(), err)
			}
			if snap.Truncated {
				fmt.Fprintln(a.d.stderr, "linedesk: "+fmt.Sprintf(t.Truncated, a.lang.Count(api.MaxListRows)))
			}
			list := make([]api.Session, 0, len(snap.Sessions))
			for _, s := range snap.Sessions {
				if all || s.Current() {
					list = append(list, *s)
				}
			}
			if asJSON {
				return writeJSON(a.d.stdout, sessionsJSON(list))
			}
			if len(list) == 0 {
				format := t.NoCurrentSessions
				if all {
					format = t.NoSessions
				}
				who := sanitize.Fit(snap.Me.FullName(), 60)
				if who == "" {
					who = fmt.Sprintf(t.UserN, snap.Me.ID)
				}
				_, err := fmt.Fprintln(a.d.stdout, fmt.Sprintf(format, who, c.Host()))
				return err
			}
			_, err = io.WriteString(a.d.stdout, sessionsTable(t, list, a.d.now()))
			return err
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, t.FlagJSON)
	cmd.Flags().BoolVar(&all, "all", false, t.FlagAll)
	return cmd
}

// sessionJSON is one element of `sessions --json`. Strings are the portal's
// text as sent: JSON escaping makes them safe, so nothing is sanitised.
type sessionJSON struct {
	SessionID    int64   `json:"session_id"`
	ChatID       int64   `json:"chat_id"`
	DialogID     string  `json:"dialog_id"`
	LineID       int64   `json:"line_id"`
	LineName     string  `json:"line_name"`
	Connector    string  `json:"connector"`
	Client       string  `json:"client"`
	Title        string  `json:"title"`
	Status       string  `json:"status"`
	StatusCode   *int    `json:"status_code"` // null when the portal sent no session status
	Current      bool    `json:"current"`
	Pinned       bool    `json:"pinned"`
	Unread       int     `json:"unread"`
	MarkedUnread bool    `json:"marked_unread"`
	LastMessage  string  `json:"last_message"`
	LastFile     string  `json:"last_file,omitempty"`
	LastActivity *string `json:"last_activity"` // RFC 3339; null when unknown
	Started      *string `json:"started"`       // RFC 3339; null when unknown
	OwnerID      int64   `json:"owner_id"`
}

func sessionsJSON(list []api.Session) []sessionJSON {
	out := make([]sessionJSON, 0, len(list)) // [] rather than null when empty
	for _, s := range list {
		j := sessionJSON{
			SessionID:    s.SessionID,
			ChatID:       s.ChatID,
			DialogID:     s.DialogID,
			LineID:       s.LineID,
			LineName:     s.LineName,
			Connector:    s.Connector,
			Client:       s.Client,
			Title:        s.Title,
			Status:       "UNKNOWN",
			Current:      s.Current(),
			Pinned:       s.Pinned,
			Unread:       s.Unread,
			MarkedUnread: s.MarkedUnread,
			LastMessage:  s.LastMessage,
			LastFile:     s.LastFile,
			LastActivity: rfc3339(s.LastActivity),
			Started:      rfc3339(s.Started),
			OwnerID:      s.OwnerID,
		}
		if j.DialogID == "" && s.ChatID > 0 {
			j.DialogID = "chat" + strconv.FormatInt(s.ChatID, 10)
		}
		if s.StatusKnown {
			code := int(s.Status)
			j.Status, j.StatusCode = s.Status.String(), &code
		}
		out = append(out, j)
	}
	return out
}

func rfc3339(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.Format(time.RFC3339)
	return &s
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // "<" stays readable; control characters are still escaped
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// Column widths of the plain table, in terminal cells.
const (
	widthClient  = 28
	widthChannel = 14
	widthLine    = 20
	widthMessage = 48
)

// sessionsTable renders an aligned, colourless table. Every portal string goes
// through sanitize and is cut by display width, so Cyrillic, CJK and emoji
// stay aligned and nothing from the portal can drive the terminal.
func sessionsTable(t *text, list []api.Session, now time.Time) string {
	rows := make([][]string, 0, len(list))
	for _, s := range list {
		pinned := ""
		if s.Pinned {
			pinned = t.Yes
		}
		status := "?"
		if s.StatusKnown {
			status = s.Status.String()
			if name, ok := t.StatusNames[int(s.Status)]; ok {
				status = name
			}
		}
		id := "?"
		if s.SessionID != 0 {
			id = strconv.FormatInt(s.SessionID, 10)
		}
		rows = append(rows, []string{
			id,
			pinned,
			sanitize.Fit(s.Client, widthClient),
			sanitize.Fit(s.Connector, widthChannel),
			sanitize.Fit(s.LineName, widthLine),
			status,
			strconv.Itoa(s.Unread),
			ago(t, now, s.LastActivity),
			sanitize.Fit(lastMessage(t, s), widthMessage),
		})
	}
	rightAligned := map[int]bool{0: true, 6: true}
	tbl := table.New().
		Headers(t.Headers...).
		Rows(rows...).
		BorderTop(false).BorderBottom(false).BorderLeft(false).BorderRight(false).
		BorderHeader(false).BorderColumn(false).BorderRow(false).
		StyleFunc(func(_, col int) lipgloss.Style {
			st := lipgloss.NewStyle().PaddingRight(2)
			if rightAligned[col] {
				st = st.Align(lipgloss.Right)
			}
			return st
		})
	var b strings.Builder
	for line := range strings.SplitSeq(tbl.Render(), "\n") {
		b.WriteString(strings.TrimRight(line, " "))
		b.WriteByte('\n')
	}
	return b.String()
}

// ago is a compact age: "now", "45s ago", "12m ago", "3h ago", "2d ago", or
// "-" when unknown.
func ago(tx *text, now, t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	d := now.Sub(t)
	switch {
	case d < 5*time.Second:
		return tx.AgoNow
	case d < time.Minute:
		return fmt.Sprintf(tx.AgoSeconds, int(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf(tx.AgoMinutes, int(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf(tx.AgoHours, int(d/time.Hour))
	default:
		return fmt.Sprintf(tx.AgoDays, int(d/(24*time.Hour)))
	}
}

// lastMessage is the text of the session's last message or, when it is only
// a file, the file's name marked as such.
func lastMessage(t *text, s api.Session) string {
	if s.LastMessage == "" && s.LastFile != "" {
		return fmt.Sprintf(t.FileMessage, s.LastFile)
	}
	return s.LastMessage
}
