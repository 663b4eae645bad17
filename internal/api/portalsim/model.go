package portalsim

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Session status codes (PROTOCOL §9). The simulator keeps its own copy: it
// knows nothing of the client package.
const (
	StatusNew                 = 0
	StatusSkip                = 5
	StatusAnswer              = 10
	StatusClient              = 20
	StatusClientAfterOperator = 25
	StatusOperator            = 40
	StatusWaitClient          = 50
	StatusClose               = 60
	StatusSpam                = 65
	StatusDuplicate           = 69
	StatusSilentlyClose       = 75
)

func closedStatus(s int) bool { return s >= StatusClose }

// pinWeek is how far a pin postpones the automatic close (PROTOCOL §10.1).
const pinWeek = 7 * 24 * time.Hour

// autoCloseAfter is the line's ordinary "close when silent" delay.
const autoCloseAfter = 24 * time.Hour

type chatKind int

const (
	kindLines   chatKind = iota // open-line chat (entity_type LINES)
	kindPrivate                 // 1:1 dialog with a colleague
	kindGroup                   // ordinary group chat
)

type user struct {
	id        int64
	first     string
	last      string
	gender    string
	color     string
	position  string
	email     string
	connector bool   // an external client (imconnector)
	lang      string // the language the client writes in: ru, en, cn
	online    bool
	dept      []int64
}

func (u *user) name() string { return strings.TrimSpace(u.first + " " + u.last) }

type line struct {
	id     int64
	name   string
	active bool
	queue  []int64
	color  string
	crm    bool
}

func (l *line) hasOperator(id int64) bool { return slices.Contains(l.queue, id) }

type message struct {
	id        int64
	chatID    int64
	sessionID int64
	author    int64 // 0 = system
	text      string
	date      time.Time
	file      string // file name for an attachment message ("" = none)
	uuid      string
}

type session struct {
	id        int64
	chat      *chat
	operator  int64 // 0 while it is a queue offer
	status    int
	pause     bool // the open-line pin (entity_data_1 field 4)
	wait      bool // WAIT_ACTION (entity_data_1 field 5)
	created   time.Time
	closed    time.Time
	autoClose time.Time
	vote      int
}

type crmLink struct {
	typ     string // entity_data_1 field 2: LEAD, CONTACT, COMPANY, DEAL or NONE
	id      int64
	lead    int64
	company int64
	contact int64
	deal    int64
	bound   bool // entity_data_2 present at all
}

type chat struct {
	id         int64
	kind       chatKind
	title      string
	color      string
	line       *line
	connector  string
	connChatID int64
	client     *user // the open-line client; the colleague for a 1:1 dialog
	owner      int64 // responsible operator; 0 for a queue offer
	members    []int64
	created    time.Time
	crm        crmLink
	ed1Fields  int  // fields written to entity_data_1 (older chats have fewer)
	ed1Line    bool // field 8 carries the line ID instead of 0
	silent     bool
	session    *session // the latest session of the chat
	sessions   []*session
	messages   []*message
	counter    int           // unread for the webhook owner
	marked     bool          // manually marked unread
	msgrPinned bool          // messenger list pin (im.recent.pin), unrelated to PAUSE
	dupLag     time.Duration // > 0: a second raw recent row this much older (pages overlap)
	inRecent   bool          // the webhook owner is a member: it is in their recent list
	mutedByMe  bool
	optDefault bool // options: {"DEFAULT_USER_RECORD": true} instead of []
	lastAct    time.Time
}

func (c *chat) dialogID() string { return "chat" + strconv.FormatInt(c.id, 10) }

func (c *chat) lastMessage() *message {
	if len(c.messages) == 0 {
		return nil
	}
	return c.messages[len(c.messages)-1]
}

// userCode is the chat's entity_id (PROTOCOL §8.4).
func (c *chat) userCode() string {
	if c.kind != kindLines {
		return ""
	}
	return fmt.Sprintf("%s|%d|%d|%d", c.connector, c.line.id, c.connChatID, c.client.id)
}

// entityData1 renders LINES_SESSION from the chat's state (PROTOCOL §8.1).
// It is derived, never stored, so it cannot drift from the session.
func (c *chat) entityData1() string {
	if c.kind != kindLines || c.session == nil {
		return ""
	}
	s := c.session
	crm := "N"
	if c.crm.typ != "NONE" && c.crm.id > 0 {
		crm = "Y"
	}
	lineField := int64(0)
	if c.ed1Line {
		lineField = c.line.id
	}
	fields := []string{
		crm, c.crm.typ, strconv.FormatInt(c.crm.id, 10),
		yn(s.pause), yn(s.wait),
		strconv.FormatInt(s.id, 10), strconv.FormatInt(s.created.Unix(), 10),
		strconv.FormatInt(lineField, 10), "0", "0",
	}
	n := c.ed1Fields
	if n <= 0 || n > len(fields) {
		n = len(fields)
	}
	return strings.Join(fields[:n], "|")
}

// entityData2 renders LINES_CRM (PROTOCOL §8.2).
func (c *chat) entityData2() string {
	if c.kind != kindLines || !c.crm.bound {
		return ""
	}
	return fmt.Sprintf("LEAD|%d|COMPANY|%d|CONTACT|%d|DEAL|%d", c.crm.lead, c.crm.company, c.crm.contact, c.crm.deal)
}

func (c *chat) entityData3() string {
	if c.kind != kindLines {
		return ""
	}
	if c.silent {
		return "Y"
	}
	if c.id%3 == 0 {
		return "N"
	}
	return ""
}

// isOffer reports whether the chat is an undistributed queue item.
func (c *chat) isOffer() bool {
	return c.kind == kindLines && c.owner == 0 && c.session != nil && c.session.status < StatusAnswer
}

func (c *chat) isMember(uid int64) bool { return c.owner == uid || slices.Contains(c.members, uid) }

func yn(b bool) string {
	if b {
		return "Y"
	}
	return "N"
}

// world is the portal's data, guarded by Portal.mu.
type world struct {
	users    map[int64]*user
	lines    []*line
	chats    map[int64]*chat
	sessions map[int64]*session

	nextUser, nextChat, nextSession, nextMessage, nextConnChat int64

	version   int     // bumped on every change that affects the recent list
	rowsCache []*chat // raw recent rows of the owner, newest first
	rowsVer   int
}

func newWorld() *world {
	return &world{
		users:       map[int64]*user{},
		chats:       map[int64]*chat{},
		sessions:    map[int64]*session{},
		nextUser:    500,
		nextChat:    1700,
		nextSession: 300,
		nextMessage: 80000,
		version:     1,
	}
}

func (w *world) touch() { w.version++ }

// rawRows returns the owner's raw recent rows, newest first. Some chats
// have a second, older row (an earlier activity of the same dialog); pages
// are cut over rows and then collapsed into dialogs, which is what makes a
// dialog show up on two pages (PROTOCOL §7.2).
func (w *world) rawRows() []*chat {
	if w.rowsVer == w.version && w.rowsCache != nil {
		return w.rowsCache
	}
	type row struct {
		c *chat
		t time.Time
	}
	rows := make([]row, 0, len(w.chats)+len(w.chats)/8)
	for _, c := range w.chats {
		if !c.inRecent {
			continue
		}
		rows = append(rows, row{c, c.lastAct})
		if c.dupLag > 0 {
			rows = append(rows, row{c, c.lastAct.Add(-c.dupLag)})
		}
	}
	slices.SortFunc(rows, func(a, b row) int {
		if c := b.t.Compare(a.t); c != 0 {
			return c
		}
		return cmp.Compare(b.c.id, a.c.id)
	})
	out := make([]*chat, len(rows))
	for i, r := range rows {
		out[i] = r.c
	}
	w.rowsCache, w.rowsVer = out, w.version
	return out
}

// offers returns the queue items offered to uid, newest first.
func (w *world) offers(uid int64) []*chat {
	var out []*chat
	for _, c := range w.chats {
		if c.isOffer() && c.line.hasOperator(uid) {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b *chat) int {
		if c := b.lastAct.Compare(a.lastAct); c != 0 {
			return c
		}
		return cmp.Compare(b.id, a.id)
	})
	return out
}

func (w *world) addMessage(c *chat, author int64, text string, at time.Time) *message {
	w.nextMessage += 1 + int64(len(c.messages)%3)
	m := &message{id: w.nextMessage, chatID: c.id, author: author, text: text, date: at}
	if c.session != nil {
		m.sessionID = c.session.id
	}
	c.messages = append(c.messages, m)
	// Keep history bounded for long demo runs.
	if len(c.messages) > 200 {
		c.messages = slices.Delete(c.messages, 0, len(c.messages)-200)
	}
	c.lastAct = at
	w.touch()
	return m
}
