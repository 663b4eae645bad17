package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/linedesk/linedesk/internal/api"
	"github.com/linedesk/linedesk/internal/i18n"
)

// text holds every string the dashboard shows. There is one table per
// language (english here, russian in text_ru.go); the model picks one with
// textFor and passes it down, so two dashboards in one process may speak
// different languages. Phrases that count things are functions, so each
// language chooses its own plural forms (through internal/i18n) and word
// order.
type text struct {
	lang    i18n.Lang
	AppName string

	// header
	Connecting   string
	Online       string
	Refreshing   string
	RateLimited  string // followed by ": reason"
	Offline      string
	Failing      string
	UpdatedAt    func(clock string) string // "updated 14:05:09"
	DataOld      func(age string) string   // "data 2m old"
	RetryIn      func(in string) string    // "retry in 40s"
	AutoOff      string
	Seconds      func(n int) string // compact durations: "4s"
	Minutes      func(n int) string
	Hours        func(n int) string
	Days         func(n int) string
	JustNow      string // a row's last activity under a minute ago
	Position     func(row, total, pinned int) string
	LoadingFrom  func(host string) string
	NoSessions   func(refreshKey string) string
	FirstLoadErr func(reason string) string

	// columns
	ColPin, ColID, ColClient, ColChannel, ColLine, ColStatus, ColUnread, ColLast, ColMessage string

	// statuses and channels
	StatusNames map[int]string
	OtherStatus func(code int) string // a status code the table does not name
	Channels    map[string]string

	// reasons a key does nothing now
	NothingPinned      string
	PortalOffline      string
	NotLoaded          string
	UnpinInProgress    string
	AlreadyRefreshing  string
	NothingHighlighed  string
	AllPinned          string
	PinAllInProgress   string
	UndoInProgress     string
	ReadingJournal     string
	NothingToUndo      string
	UndoLastFailed     func(pinned bool) string // pinned: the action was pin-all
	UndoLastUnknown    func(pinned bool) string
	UndoChangedNothing func(pinned bool) string
	AlreadyUndone      string
	NothingToRestore   string
	NoSelection        string
	PinUnderWay        string
	NoChat             string
	NoSessionID        string
	CloseDetailsFirst  string

	// keys: what each action does, for the key help
	KeyMove, KeyUp, KeyDown, KeyPageUp, KeyPageDown, KeyTop, KeyBottom string
	KeyRefresh, KeyUnpin, KeyClear, KeyHelp, KeyQuit                   string
	KeyDetails, KeyFilter, KeySort, KeyPin, KeyPinAll, KeyUndo         string
	KeyOpen, KeyCopyID, KeyCopyURL, KeyScroll, KeyClose                string
	KeyKeepFilter, KeyClearFilter                                      string // while the filter is typed
	HelpScroll                                                         func(arrows string) string
	LastUndo                                                           string
	KeySpace                                                           string // the space bar's name
	Or                                                                 string // joins alternative keys in a sentence: "? or esc"
	HelpTitle, DisabledBecause                                         string
	HelpClose                                                          func(keys string) string
	Legend                                                             func(clearKey, lastCol string) []string

	// dialog
	DialogTitle  string
	DialogPinned func(pinned, mine, listed int) string
	DialogNames  func(names []string, more int) string
	DialogScope  string
	Cancel       string
	Confirm      string
	DialogKeys   string
	// pin-all
	PinAllTitle    string
	DialogUnpinned func(unpinned, mine, listed int) string
	PinAllScope    string
	ConfirmPinAll  string
	HiddenByFilter func(n int) string
	// undo; pins: the undo pins again (it undoes an unpin-all)
	UndoTitle   func(when string, pins bool) string
	UndoWill    func(n int, names []string, more int, pins bool) string
	UndoCannot  func(closed, gone []int64) string
	UndoAlready func(ids []int64, pins bool) string
	ConfirmUndo func(pins bool) string

	// results
	Unpinning    string
	QuitWhenDone string
	Unpinned     func(ids []int64) string
	NotListed    func(ids []int64) string
	NothingWas   string
	Unknown      string
	UnpinFailed  func(reason string) string
	UnpinNotSent func(reason string) string

	PinningAll      string
	PinnedAll       func(ids []int64) string
	NothingWasToPin string
	PinAllUnknown   string
	PinAllFailed    func(reason string) string
	PinAllNotSent   func(reason string) string

	// pin one; want: pin (true) or unpin
	PinningOne     func(id int64, want bool) string
	PinnedOne      func(id int64, want bool, client string) string
	PinFailed      func(id int64, want bool, why string) string
	PinNotSent     func(id int64, want bool, reason string) string
	PinUnknown     func(id int64, want bool) string
	PinDidNotStick func(id int64, want bool) string
	NotYourSession string

	// undo results; pins: sessions were pinned again
	Undoing        func(n int, pins bool) string
	Restored       func(ids []int64, pins bool) string
	RestoredNone   string
	UndoRefused    func(ids []int64) string
	UndoNotSent    func(ids []int64) string
	UndoUnknown    func(ids []int64) string
	SkippedClosed  func(ids []int64) string
	SkippedGone    func(ids []int64) string
	SkippedAlready func(ids []int64, pins bool) string
	UndoLine       func(id int64, outcome, reason string, pins bool, err string) string // one session, for the help

	// journal
	JournalFailed     func(reason string) string
	JournalUnreadable func(reason string) string

	// filter and sort
	FilterShown func(filter string, shown, total int) string
	NoMatch     func(total int) string
	PositionOf  func(row, shown, total, pinned int) string
	SortNames   []string // by state.Sort
	SortedBy    func(name string) string
	Truncated   func(n int) string // the portal listed more than n sessions

	// details
	DetSession, DetChat                                         func(id int64) string
	DetColleague                                                func(id int64) string
	DetSeen                                                     func(steps string) string
	DetLoadFailed                                               func(reason string) string
	DetPinnedMark, DetNotListed, DetPinLabel, DetPinned         string
	DetNotPinned, DetStarted, DetLastActivity, DetMarkedUnread  string
	DetOperator, DetCRM, DetMessages, DetLoading, DetNoMessages string
	DetNoText                                                   string // a message without text (a file, a sticker)
	You, System, CRMNone, CRMLinkedUnknown                      string
	CRMTypes                                                    map[string]string
	UpdatedAgoShort                                             func(ago string) string
	Months                                                      []string // Jan … Dec, as a date shows them

	// open and copy
	Opening       func(url string) string
	Opened        func(url string) string
	NoBrowser     func(url string) string
	BrowserFailed func(url string) string
	CopiedID      func(id string) string
	CopiedURL     func(url string) string

	// notifications
	NotifyArrivedTitle string
	NotifyWroteTitle   func(client string) string
	FileMessage        func(name string) string // a last message that is only a file
	NotifyMany         func(arrived, wrote int) string

	// errors in short
	RefusedNoReason  string
	ConnRefused      string
	TimedOut         string
	HostNotFound     string
	ConnDropped      string
	BadCertificate   string
	TooLarge         string
	Codes            map[string]string          // Bitrix24 error codes, upper case, in words
	BadAnswer        func(status int) string    // an answer without a Bitrix24 envelope
	OtherError       func(detail string) string // any other failure; detail is the error's own (English) text
	TooSmall         func(w, h, minW, minH int) string
	TooSmallQuit     func(quitKey string) string
	WindowTitle      func(host string) string
	ExitSummaryIntro string
	NoPortal         string
	RunFailed        string
}

// textFor is the table for l; anything but Russian is English.
func textFor(l i18n.Lang) *text {
	if l == i18n.RU {
		return &russian
	}
	return &english
}

var english = text{
	lang:    i18n.EN,
	AppName: "linedesk",

	Connecting:  "connecting…",
	Online:      "online",
	Refreshing:  "refreshing…",
	RateLimited: "rate-limited",
	Offline:     "offline",
	Failing:     "portal error",
	UpdatedAt:   func(clock string) string { return "updated " + clock },
	DataOld:     func(age string) string { return "data " + age + " old" },
	RetryIn:     func(in string) string { return "retry in " + in },
	AutoOff:     "auto-refresh off",
	Seconds:     func(n int) string { return strconv.Itoa(n) + "s" },
	Minutes:     func(n int) string { return strconv.Itoa(n) + "m" },
	Hours:       func(n int) string { return strconv.Itoa(n) + "h" },
	Days:        func(n int) string { return strconv.Itoa(n) + "d" },
	JustNow:     "now",
	Position:    func(row, total, pinned int) string { return fmt.Sprintf("%d/%d · %d pinned", row, total, pinned) },
	LoadingFrom: func(host string) string { return "Loading sessions from " + host + "…" },
	NoSessions: func(key string) string {
		if key == "" {
			return "No open sessions. The list refreshes by itself."
		}
		return "No open sessions. The list refreshes by itself; press " + key + " to refresh now."
	},
	FirstLoadErr: func(reason string) string { return "Could not load the sessions: " + reason + "." },

	ColPin: "Pin", ColID: "ID", ColClient: "Client", ColChannel: "Channel", ColLine: "Line",
	ColStatus: "Status", ColUnread: "Unread", ColLast: "Last", ColMessage: "Last message",

	StatusNames: map[int]string{
		0: "new", 5: "skipped", 10: "accepted", 20: "client waits", 25: "client waits",
		40: "answered", 50: "closing",
	},
	OtherStatus: func(code int) string { return api.Status(code).String() },
	Channels: map[string]string{
		"livechat": "Live chat", "telegrambot": "Telegram", "whatsappbyedna": "WhatsApp",
		"whatsappbytwilio": "WhatsApp", "olx": "OLX", "avito": "Avito", "vkgroup": "VK",
		"facebook": "Facebook", "facebookcomments": "Facebook", "fbinstagramdirect": "Instagram",
		"fbinstagram": "Instagram", "viber": "Viber", "imessage": "iMessage", "network": "Bitrix24",
		"email": "Email", "wechat": "WeChat", "notifications": "SMS", "yandex": "Yandex",
	},

	NothingPinned:     "nothing pinned",
	PortalOffline:     "portal offline",
	NotLoaded:         "sessions not loaded yet",
	UnpinInProgress:   "unpin-all in progress",
	AlreadyRefreshing: "already refreshing",
	NothingHighlighed: "nothing highlighted",
	AllPinned:         "every session listed is pinned",
	PinAllInProgress:  "pin-all in progress",
	UndoInProgress:    "undo in progress",
	ReadingJournal:    "reading the journal",
	NothingToUndo:     "no unpin-all or pin-all to undo",
	UndoLastFailed: func(pinned bool) string {
		return "the last " + bulkNameEN(pinned) + " failed, so nothing changed"
	},
	UndoLastUnknown: func(pinned bool) string {
		return "the last " + bulkNameEN(pinned) + " got no answer, so what it changed is not known"
	},
	UndoChangedNothing: func(pinned bool) string { return "the last " + bulkNameEN(pinned) + " changed nothing" },
	AlreadyUndone:      "the last bulk action is undone already",
	NothingToRestore:   "nothing left to restore: its sessions are closed, gone or already back",
	NoSelection:        "no session selected",
	PinUnderWay:        "the last pin of this session is under way",
	NoChat:             "the portal gave no chat for this session",
	NoSessionID:        "the portal gave no ID for this session",
	CloseDetailsFirst:  "close the details first",

	KeyMove: "move", KeyUp: "up", KeyDown: "down", KeyPageUp: "page up", KeyPageDown: "page down",
	KeyTop: "first", KeyBottom: "last", KeyRefresh: "refresh", KeyUnpin: "unpin all",
	KeyClear: "clear marks", KeyHelp: "help", KeyQuit: "quit",
	KeyDetails: "details", KeyFilter: "filter", KeySort: "sort", KeyPin: "pin/unpin", KeyPinAll: "pin all",
	KeyUndo: "undo", KeyOpen: "open in browser", KeyCopyID: "copy session ID", KeyCopyURL: "copy dialog link",
	KeyScroll: "scroll", KeyClose: "close", KeyKeepFilter: "keep the filter", KeyClearFilter: "clear it",
	HelpScroll:      func(arrows string) string { return arrows + " scroll" },
	LastUndo:        "Last undo",
	KeySpace:        "space",
	Or:              " or ",
	HelpTitle:       "Keys",
	HelpClose:       func(keys string) string { return keys + " closes this help" },
	DisabledBecause: "now: ",
	Legend: func(clearKey, lastCol string) []string {
		return []string{
			"●  pinned (the portal keeps it from closing automatically)",
			"★  changed by the last unpin-all, pin-all or undo" + ifKey(" ("+clearKey+" clears)", clearKey),
			"›  selected row",
			lastCol + "  time since the last activity",
		}
	},

	DialogTitle: "Unpin all sessions?",
	DialogPinned: func(pinned, mine, listed int) string {
		if mine == pinned {
			return fmt.Sprintf("%s of the %s listed %s pinned to you.",
				i18n.EN.Count(pinned), sessionsEN(listed), isAre(pinned))
		}
		return fmt.Sprintf("%s of the %s listed %s pinned, %s of them to you; the others belong to colleagues and should stay pinned.",
			i18n.EN.Count(pinned), sessionsEN(listed), isAre(pinned), i18n.EN.Count(mine))
	},
	DialogNames: func(names []string, more int) string {
		s := strings.Join(names, ", ")
		if more > 0 {
			s += fmt.Sprintf(" and %d more", more)
		}
		return s + "."
	},
	DialogScope: "The portal unpins every session pinned to you, including any not shown here.",
	Cancel:      "Cancel",
	Confirm:     "Unpin all",
	DialogKeys:  "y confirm · n/esc cancel · tab switch · enter press",

	PinAllTitle: "Pin all sessions?",
	DialogUnpinned: func(unpinned, mine, listed int) string {
		if mine == unpinned {
			return fmt.Sprintf("%s of the %s listed %s not pinned; they will be pinned to you.",
				i18n.EN.Count(unpinned), sessionsEN(listed), isAre(unpinned))
		}
		return fmt.Sprintf("%s of the %s listed %s not pinned, %s of them yours; colleagues' sessions and queue offers are left as they are.",
			i18n.EN.Count(unpinned), sessionsEN(listed), isAre(unpinned), i18n.EN.Count(mine))
	},
	PinAllScope:   "The portal pins every session of yours, including any not shown here.",
	ConfirmPinAll: "Pin all",
	HiddenByFilter: func(n int) string {
		return fmt.Sprintf("%s of them %s hidden by the filter.", i18n.EN.Count(n), isAre(n))
	},
	UndoTitle: func(when string, pins bool) string {
		return "Undo the " + bulkNameEN(!pins) + " of " + when + "?"
	},
	UndoWill: func(n int, names []string, more int, pins bool) string {
		s := fmt.Sprintf("%s will be %s again", sessionsEN(n), pinnedWord(pins))
		if len(names) == 0 {
			return s + "."
		}
		s += ": " + strings.Join(names, ", ")
		if more > 0 {
			s += fmt.Sprintf(" and %d more", more)
		}
		return s + "."
	},
	UndoCannot: func(closed, gone []int64) string {
		var parts []string
		if len(closed) > 0 {
			parts = append(parts, "closed: "+joinIDs(closed))
		}
		if len(gone) > 0 {
			parts = append(parts, "no longer listed: "+joinIDs(gone))
		}
		return fmt.Sprintf("%s cannot be restored (%s).", i18n.EN.Count(len(closed)+len(gone)), strings.Join(parts, "; "))
	},
	UndoAlready: func(ids []int64, pins bool) string {
		return fmt.Sprintf("%s %s already %s: %s.", i18n.EN.Count(len(ids)), isAre(len(ids)), pinnedWord(pins), joinIDs(ids))
	},
	ConfirmUndo: func(pins bool) string {
		if pins {
			return "Pin again"
		}
		return "Unpin again"
	},

	Unpinning:    "Unpinning all pinned sessions…",
	QuitWhenDone: "Will quit when the unpin-all call returns…",
	Unpinned: func(ids []int64) string {
		return fmt.Sprintf("Unpinned %s: %s.", sessionsEN(len(ids)), joinIDs(ids))
	},
	NotListed: func(ids []int64) string {
		return fmt.Sprintf("%d not in the list: %s.", len(ids), joinIDs(ids))
	},
	NothingWas:   "Nothing was pinned: the portal unpinned no sessions.",
	Unknown:      "Outcome unknown: the connection failed after unpin-all was sent, so sessions may or may not be unpinned. Refreshing the list; the call is not repeated.",
	UnpinFailed:  func(reason string) string { return "Unpin-all failed: " + reason + "." },
	UnpinNotSent: func(reason string) string { return "Unpin-all failed: could not reach the portal (" + reason + ")." },

	PinningAll: "Pinning all sessions…",
	PinnedAll: func(ids []int64) string {
		return fmt.Sprintf("Pinned %s: %s.", sessionsEN(len(ids)), joinIDs(ids))
	},
	NothingWasToPin: "Everything was pinned already: the portal pinned no sessions.",
	PinAllUnknown:   "Outcome unknown: the connection failed after pin-all was sent, so sessions may or may not be pinned. Refreshing the list; the call is not repeated.",
	PinAllFailed:    func(reason string) string { return "Pin-all failed: " + reason + "." },
	PinAllNotSent:   func(reason string) string { return "Pin-all failed: could not reach the portal (" + reason + ")." },

	PinningOne: func(id int64, want bool) string {
		return fmt.Sprintf("%s session %d…", pinningEN(want), id)
	},
	PinnedOne: func(id int64, want bool, client string) string {
		s := fmt.Sprintf("%s session %d", pinVerbEN(want)+"ned", id)
		if client != "" {
			s += " (" + client + ")"
		}
		return s + "."
	},
	PinFailed: func(id int64, want bool, why string) string {
		return fmt.Sprintf("Could not %s session %d: %s.", strings.ToLower(pinVerbEN(want)), id, why)
	},
	PinNotSent: func(id int64, want bool, reason string) string {
		return fmt.Sprintf("Could not %s session %d: could not reach the portal (%s).", strings.ToLower(pinVerbEN(want)), id, reason)
	},
	PinUnknown: func(id int64, want bool) string {
		return fmt.Sprintf("No answer for session %d: it may or may not be %s; refreshing.", id, pinnedWord(want))
	},
	PinDidNotStick: func(id int64, want bool) string {
		return fmt.Sprintf("The portal accepted, but session %d is still not %s.", id, pinnedWord(want))
	},
	NotYourSession: "you are not this session's operator",

	Undoing: func(n int, pins bool) string {
		return fmt.Sprintf("%s %s again…", pinningEN(pins), sessionsEN(n))
	},
	Restored: func(ids []int64, pins bool) string {
		return fmt.Sprintf("%s %s again: %s.", pinVerbEN(pins)+"ned", sessionsEN(len(ids)), joinIDs(ids))
	},
	RestoredNone:  "Nothing was restored.",
	UndoRefused:   func(ids []int64) string { return "Refused: " + joinIDs(ids) + "." },
	UndoNotSent:   func(ids []int64) string { return "Not sent: " + joinIDs(ids) + "." },
	UndoUnknown:   func(ids []int64) string { return "No answer (may or may not have changed): " + joinIDs(ids) + "." },
	SkippedClosed: func(ids []int64) string { return "Closed since: " + joinIDs(ids) + "." },
	SkippedGone:   func(ids []int64) string { return "No longer listed: " + joinIDs(ids) + "." },
	SkippedAlready: func(ids []int64, pins bool) string {
		return "Already " + pinnedWord(pins) + ": " + joinIDs(ids) + "."
	},
	UndoLine: func(id int64, outcome, reason string, pins bool, err string) string {
		s := fmt.Sprintf("%d  ", id)
		switch {
		case outcome == "ok":
			s += pinnedWord(pins) + " again"
		case outcome == "unknown":
			s += "no answer: may or may not be " + pinnedWord(pins)
		case reason == "closed":
			s += "skipped: closed"
		case reason == "gone", reason == "no_chat":
			s += "skipped: no longer listed"
		case reason == "already_pinned", reason == "already_unpinned":
			s += "skipped: already " + pinnedWord(pins)
		case reason == "not_sent":
			s += "not sent"
		default:
			s += "refused"
		}
		if err != "" && outcome != "ok" && outcome != "skipped" {
			s += " (" + err + ")"
		}
		return s
	},

	JournalFailed:     func(reason string) string { return "Not written to the journal: " + reason + "." },
	JournalUnreadable: func(reason string) string { return "Could not read the journal: " + reason + "." },

	FilterShown: func(filter string, shown, total int) string {
		return fmt.Sprintf("filter “%s”: %d of %d", filter, shown, total)
	},
	NoMatch: func(total int) string {
		return fmt.Sprintf("No session matches the filter (%s listed); esc clears it.", sessionsEN(total))
	},
	PositionOf: func(row, shown, total, pinned int) string {
		return fmt.Sprintf("%d/%d of %d · %d pinned", row, shown, total, pinned)
	},
	SortNames: []string{"last activity", "wait time", "status", "line", "unread"},
	SortedBy:  func(name string) string { return "sorted by " + name },
	Truncated: func(n int) string { return "only the latest " + i18n.EN.Count(n) + " read" },

	DetSession:       func(id int64) string { return fmt.Sprintf("session %d", id) },
	DetChat:          func(id int64) string { return fmt.Sprintf("chat %d", id) },
	DetColleague:     func(id int64) string { return fmt.Sprintf("a colleague (user %d)", id) },
	DetSeen:          func(steps string) string { return "seen here: " + steps },
	DetLoadFailed:    func(reason string) string { return "Could not load the messages: " + reason + "." },
	DetPinnedMark:    "pinned",
	DetNotListed:     "No longer in the list: closed, or passed to someone else. Shown as last seen.",
	DetPinLabel:      "Pinned",
	DetPinned:        "yes: the portal will not close it automatically",
	DetNotPinned:     "no",
	DetStarted:       "Started",
	DetLastActivity:  "Last activity",
	DetMarkedUnread:  "marked unread",
	DetOperator:      "Operator",
	DetCRM:           "CRM",
	DetMessages:      "Last messages, newest first",
	DetLoading:       "Loading the messages…",
	DetNoMessages:    "No messages.",
	DetNoText:        "(no text)",
	You:              "you",
	System:           "system",
	CRMNone:          "not linked",
	CRMLinkedUnknown: "linked",
	CRMTypes:         map[string]string{"LEAD": "lead", "DEAL": "deal", "CONTACT": "contact", "COMPANY": "company"},
	UpdatedAgoShort:  func(ago string) string { return ago + " ago" },
	Months:           []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},

	Opening:       func(url string) string { return "Opening " + url + " …" },
	Opened:        func(url string) string { return "Opened in the browser: " + url },
	NoBrowser:     func(url string) string { return "No browser here; the link is copied: " + url },
	BrowserFailed: func(url string) string { return "The browser did not start; the link is copied: " + url },
	CopiedID:      func(id string) string { return "Copied session ID " + id + "." },
	CopiedURL:     func(url string) string { return "Copied " + url },

	NotifyArrivedTitle: "New session",
	NotifyWroteTitle:   func(client string) string { return client + " wrote" },
	FileMessage:        func(name string) string { return "[file] " + name },
	NotifyMany: func(arrived, wrote int) string {
		var parts []string
		if arrived > 0 {
			parts = append(parts, i18n.EN.N(arrived, i18n.Forms{One: "new session", Other: "new sessions"}))
		}
		if wrote > 0 {
			parts = append(parts, i18n.EN.N(wrote, i18n.Forms{One: "client wrote", Other: "clients wrote"}))
		}
		return strings.Join(parts, ", ")
	},

	RefusedNoReason: "the portal refused without giving a reason",
	ConnRefused:     "connection refused",
	TimedOut:        "timed out",
	HostNotFound:    "host not found",
	ConnDropped:     "connection dropped",
	BadCertificate:  "the portal's TLS certificate is not valid",
	TooLarge:        "the portal's answer is too large",
	Codes: map[string]string{
		"QUERY_LIMIT_EXCEEDED": "too many requests",
		"OPERATION_TIME_LIMIT": "this method's time budget on the portal is spent",
		"OVERLOAD_LIMIT":       "the portal blocked this application for overload",
		"NO_AUTH_FOUND":        "the portal did not accept the webhook or token",
		"EXPIRED_TOKEN":        "the access token expired",
		"INVALID_TOKEN":        "the access token is not valid",
		"INSUFFICIENT_SCOPE":   "the webhook lacks a permission (scope)",
	},
	BadAnswer: func(status int) string {
		return fmt.Sprintf("unreadable answer from the portal (HTTP %d)", status)
	},
	OtherError: func(detail string) string { return detail },
	TooSmall: func(w, h, minW, minH int) string {
		return fmt.Sprintf("Terminal too small: %d×%d.\nlinedesk needs at least %d×%d.", w, h, minW, minH)
	},
	TooSmallQuit:     func(key string) string { return "Enlarge it, or press " + key + " to quit." },
	WindowTitle:      func(host string) string { return "linedesk — " + host },
	ExitSummaryIntro: "linedesk:",
	NoPortal:         "the dashboard was started without a portal",
	RunFailed:        "the dashboard stopped",
}

// sessionsEN is "1 session", "10,000 sessions".
func sessionsEN(n int) string { return i18n.EN.N(n, i18n.Forms{One: "session", Other: "sessions"}) }

// ifKey is s when the action has a key, else "".
func ifKey(s, key string) string {
	if key == "" {
		return ""
	}
	return s
}

func isAre(n int) string { return i18n.EN.Pick(n, i18n.Forms{One: "is", Other: "are"}) }

// bulkNameEN names a bulk action: pin-all when pinned, else unpin-all.
func bulkNameEN(pinned bool) string {
	if pinned {
		return "pin-all"
	}
	return "unpin-all"
}

// pinVerbEN is "Pin" or "Unpin"; with "ned" it is the past.
func pinVerbEN(pin bool) string {
	if pin {
		return "Pin"
	}
	return "Unpin"
}

func pinningEN(pin bool) string {
	if pin {
		return "Pinning"
	}
	return "Unpinning"
}

func pinnedWord(pin bool) string {
	if pin {
		return "pinned"
	}
	return "unpinned"
}

func joinIDs(ids []int64) string {
	var b strings.Builder
	for i, id := range ids {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.FormatInt(id, 10))
	}
	return b.String()
}

// compact is a short duration for the header and the Last column: "45s",
// "3m", "2h", "5d" ("45 с", "3 мин" …). withSeconds=false shows anything
// under a minute as JustNow. The value shown changes at the step returned
// by untilChange.
func (tx *text) compact(d time.Duration, withSeconds bool) string {
	d = max(d, 0)
	switch {
	case d < time.Minute && withSeconds:
		return tx.Seconds(int(d / time.Second))
	case d < time.Minute:
		return tx.JustNow
	case d < time.Hour:
		return tx.Minutes(int(d / time.Minute))
	case d < 24*time.Hour:
		return tx.Hours(int(d / time.Hour))
	default:
		return tx.Days(int(d / (24 * time.Hour)))
	}
}

// untilChange is how long until compact(d, …) shows another value as d grows.
func untilChange(d time.Duration, withSeconds bool) time.Duration {
	d = max(d, 0)
	var unit time.Duration
	switch {
	case d < time.Minute && withSeconds:
		unit = time.Second
	case d < time.Hour:
		unit = time.Minute
	case d < 24*time.Hour:
		unit = time.Hour
	default:
		unit = 24 * time.Hour
	}
	return unit - d%unit
}

// countdown shows a time left, rounded up, so that "next in 1s" is the last
// value before the refresh: "6s", "2m".
func (tx *text) countdown(d time.Duration) string {
	if d <= 0 {
		return tx.Seconds(0)
	}
	if d <= time.Minute {
		return tx.Seconds(int((d + time.Second - 1) / time.Second))
	}
	return tx.Minutes(int((d + time.Minute - 1) / time.Minute))
}

// untilCountdownChange is how long until countdown(d) shows another value.
func untilCountdownChange(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	unit := time.Second
	if d > time.Minute {
		unit = time.Minute
	}
	r := d % unit
	if r == 0 {
		r = unit
	}
	// countdown rounds up, so the value changes once d drops by r … but a
	// minute countdown switches to seconds at exactly one minute.
	if d > time.Minute && d-r < time.Minute {
		r = d - time.Minute
	}
	return max(r, time.Millisecond)
}
