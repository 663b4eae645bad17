package api

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Status is an open-line session status code (PROTOCOL §9).
type Status int

// Session status codes from the imopenlines core (PROTOCOL §9).
const (
	StatusNew                 Status = 0
	StatusSkip                Status = 5
	StatusAnswer              Status = 10
	StatusClient              Status = 20
	StatusClientAfterOperator Status = 25
	StatusOperator            Status = 40
	StatusWaitClient          Status = 50
	StatusClose               Status = 60
	StatusSpam                Status = 65
	StatusDuplicate           Status = 69
	StatusSilentlyClose       Status = 75
)

var statusNames = map[Status]string{
	StatusNew:                 "NEW",
	StatusSkip:                "SKIP",
	StatusAnswer:              "ANSWER",
	StatusClient:              "CLIENT",
	StatusClientAfterOperator: "CLIENT_AFTER_OPERATOR",
	StatusOperator:            "OPERATOR",
	StatusWaitClient:          "WAIT_CLIENT",
	StatusClose:               "CLOSE",
	StatusSpam:                "SPAM",
	StatusDuplicate:           "DUPLICATE",
	StatusSilentlyClose:       "SILENTLY_CLOSE",
}

// String is the core's name for the status ("OPERATOR"); an unknown code
// prints as "STATUS_<n>" so that a newer portal never breaks the list.
func (s Status) String() string {
	if n, ok := statusNames[s]; ok {
		return n
	}
	return fmt.Sprintf("STATUS_%d", int(s))
}

// Closed reports whether the session has ended (status ≥ 60). PROTOCOL §9
// marks "current = status < 60" as inferred; it is the one place to change.
func (s Status) Closed() bool { return s >= StatusClose }

// Offer reports whether the session is a queue offer not yet accepted.
func (s Status) Offer() bool { return s < StatusAnswer }

// ClientWaiting reports whether the client waits for the operator's reply.
func (s Status) ClientWaiting() bool {
	return s == StatusClient || s == StatusClientAfterOperator
}

// User is the calling operator (user.current).
type User struct {
	ID       int64
	Name     string
	LastName string
}

// FullName is "Name LastName", trimmed.
func (u User) FullName() string { return strings.TrimSpace(u.Name + " " + u.LastName) }

// Line is an open-line configuration (imopenlines.config.list.get).
type Line struct {
	ID     int64
	Name   string
	Active bool
}

// CRMBinding is one TYPE|ID pair of entity_data_2 (PROTOCOL §8.2).
type CRMBinding struct {
	Type string // LEAD, COMPANY, CONTACT, DEAL
	ID   int64
}

// Session is one open-line conversation as the dashboard shows it. Every
// string here is exactly what the portal sent: sanitising for the terminal is
// the UI's job, since the CLI's --json must round-trip the portal's text.
// The fields are ordered so that no padding is wasted: the dashboard holds
// 10,000 of them all shift (264 bytes in the order of their meaning, 248
// in this one, one malloc size class smaller).
type Session struct {
	SessionID    int64     // lines.id, else field 6 of entity_data_1; 0 = unknown
	ChatID       int64     // chat_id
	LineID       int64     // field 2 of entity_id
	LastAuthorID int64     // message.author_id; 0 = system message
	OwnerID      int64     // chat.owner: the responsible operator
	DialogID     string    // "chat<ChatID>"
	LineName     string    // from imopenlines.config.list.get; "" when unknown
	Connector    string    // field 1 of entity_id: livechat, telegrambot, …
	Client       string    // title before " - ", else the whole title
	Title        string    // the chat title as sent
	LastMessage  string    // message.text
	LastFile     string    // message.file's name when the last message carries a file ("" = none)
	LastActivity time.Time // date_last_activity, else message.date, else date_update
	Started      time.Time // lines.date_create, else field 7 of entity_data_1
	CRM          []CRMBinding
	Status       Status // lines.status
	Unread       int    // counter
	StatusKnown  bool   // false when the item had no lines object
	Pinned       bool   // field 4 of entity_data_1 == "Y" (NOT the messenger pin)
	MarkedUnread bool   // unread (manual mark)
	CRMLinked    bool   // field 1 of entity_data_1 == "Y"
}

// Current reports whether the session is still open (status < 60).
func (s Session) Current() bool { return !s.StatusKnown || !s.Status.Closed() }

// Snapshot is one refresh of the dashboard: who I am, my lines, my sessions.
type Snapshot struct {
	Me    User
	Lines []Line

	// Sessions are current and closed ones; callers filter with Current.
	// They are shared, read only: a later Snapshot of the same client
	// returns the same *Session for a session that did not change, so
	// neither the caller nor the client may change one (copy it first).
	Sessions []*Session
	Fetched  time.Time // when the answer arrived (client clock)
	Requests int       // HTTP requests this snapshot cost
	// Truncated is set when the portal listed more than MaxListRows rows:
	// Sessions then holds the most recent ones only. Say so to the user.
	Truncated bool
}

// HistoryMessage is one message of a session's history.
type HistoryMessage struct {
	ID       int64
	AuthorID int64 // 0 = system
	Author   string
	Date     time.Time
	Text     string
}

// History is imopenlines.session.history.get, decoded.
type History struct {
	SessionID int64
	ChatID    int64
	Messages  []HistoryMessage // oldest first
}

// Error is a failure the portal reported: a Bitrix24 error code (possibly
// empty, PROTOCOL §10.5) with its description and the HTTP status. It never
// contains the webhook code or a token.
type Error struct {
	Method      string // REST method called
	Code        string // as sent; may be ""
	Description string
	HTTPStatus  int
}

func (e *Error) Error() string {
	code := e.Code
	if code == "" {
		code = "refused without a reason (empty error code)"
	}
	s := fmt.Sprintf("%s: %s", e.Method, code)
	if e.Description != "" {
		s += ": " + e.Description
	}
	if e.HTTPStatus != 0 {
		s += fmt.Sprintf(" (HTTP %d)", e.HTTPStatus)
	}
	return s
}

// Is matches another *Error by code, case-insensitively, so that
// errors.Is(err, api.ErrExpiredToken) works whatever the portal's casing.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok {
		return false
	}
	return strings.EqualFold(e.Code, t.Code)
}

// Sentinels for errors.Is by code (PROTOCOL §3).
var (
	ErrQueryLimit      = &Error{Code: "QUERY_LIMIT_EXCEEDED"}
	ErrOperationLimit  = &Error{Code: "OPERATION_TIME_LIMIT"}
	ErrOverload        = &Error{Code: "OVERLOAD_LIMIT"}
	ErrNoAuth          = &Error{Code: "NO_AUTH_FOUND"}
	ErrExpiredToken    = &Error{Code: "expired_token"}
	ErrInvalidToken    = &Error{Code: "invalid_token"}
	ErrInsufficientScp = &Error{Code: "insufficient_scope"}
	ErrMethodNotFound  = &Error{Code: "ERROR_METHOD_NOT_FOUND"}
	ErrAccessDenied    = &Error{Code: "ACCESS_DENIED"}
	ErrEmptyCode       = &Error{Code: ""}
)

// ErrOutcomeUnknown wraps an ambiguous failure (network error, timeout, 5xx
// without a code, unreadable body) of a call that changes state and so was
// not retried: the change may or may not have happened. Re-read the list.
var ErrOutcomeUnknown = errors.New("outcome unknown: the portal may have applied the change")

// ErrUnreachable wraps failures where no answer came from the portal at all
// (DNS, refused connection, timeout, dropped connection).
var ErrUnreachable = errors.New("portal unreachable")

// ErrNotExecuted marks a batch command that did not run (halt stopped the
// batch before it, or the portal left it out).
var ErrNotExecuted = errors.New("batch command was not executed")

// ErrResponseTooLarge marks an answer bigger than Options.MaxResponseBytes.
var ErrResponseTooLarge = errors.New("portal answer too large")

// ErrBadAnswer marks an HTTP answer that carries no Bitrix24 envelope: an
// HTML error page from a proxy, JSON after a PHP warning, a 5xx without an
// error code. AnswerStatus gives its HTTP status.
var ErrBadAnswer = errors.New("not a Bitrix24 answer")

// AnswerStatus is the HTTP status of an ErrBadAnswer failure.
func AnswerStatus(err error) (int, bool) {
	var be *bodyError
	if errors.As(err, &be) {
		return be.status, true
	}
	return 0, false
}

// Detail is a failure in words without the REST method and the request's
// address, for a person's screen where both are noise; an error from
// elsewhere is given as it is.
func Detail(err error) string {
	var te *transportError
	if errors.As(err, &te) && te.detail != "" {
		return te.detail
	}
	return err.Error()
}
