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
	UpdatedAgo   func(ago string) string // "updated 4s ago"
	DataOld      func(age string) string // "data 2m old"
	NextIn       func(in string) string  // "next in 6s"
	RetryIn      func(in string) string  // "retry in 40s"
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
	NothingPinned     string
	PortalOffline     string
	NotLoaded         string
	UnpinInProgress   string
	AlreadyRefreshing string
	NothingHighlighed string

	// keys: what each action does, for the key help
	KeyMove, KeyUp, KeyDown, KeyPageUp, KeyPageDown, KeyTop, KeyBottom string
	KeyRefresh, KeyUnpin, KeyClear, KeyHelp, KeyQuit                   string
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

	// results
	Unpinning    string
	QuitWhenDone string
	Unpinned     func(ids []int64) string
	NotListed    func(ids []int64) string
	NothingWas   string
	Unknown      string
	UnpinFailed  func(reason string) string
	UnpinNotSent func(reason string) string

	// errors in short
	RefusedNoReason  string
	ConnRefused      string
	TimedOut         string
	HostNotFound     string
	ConnDropped      string
	BadCertificate   string
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
	UpdatedAgo:  func(ago string) string { return "updated " + ago + " ago" },
	DataOld:     func(age string) string { return "data " + age + " old" },
	NextIn:      func(in string) string { return "next in " + in },
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

	KeyMove: "move", KeyUp: "up", KeyDown: "down", KeyPageUp: "page up", KeyPageDown: "page down",
	KeyTop: "first", KeyBottom: "last", KeyRefresh: "refresh", KeyUnpin: "unpin all",
	KeyClear: "clear marks", KeyHelp: "help", KeyQuit: "quit",
	KeySpace:        "space",
	Or:              " or ",
	HelpTitle:       "Keys",
	HelpClose:       func(keys string) string { return keys + " closes this help" },
	DisabledBecause: "now: ",
	Legend: func(clearKey, lastCol string) []string {
		return []string{
			"●  pinned (the portal keeps it from closing automatically)",
			"★  returned by the last unpin-all" + ifKey(" ("+clearKey+" clears)", clearKey),
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

	RefusedNoReason: "the portal refused without giving a reason",
	ConnRefused:     "connection refused",
	TimedOut:        "timed out",
	HostNotFound:    "host not found",
	ConnDropped:     "connection dropped",
	BadCertificate:  "the portal's TLS certificate is not valid",
	OtherError:      func(detail string) string { return detail },
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
