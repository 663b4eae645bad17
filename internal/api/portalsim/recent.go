package portalsim

import (
	"net/http"
	"time"
)

// JSON shapes of im.recent.list items (PROTOCOL §7.2). Structs keep the key
// order of the documented examples and make 10,000-item answers cheap.

type avatarJSON struct {
	URL   string `json:"url"`
	Color string `json:"color"`
}

type recentMessage struct {
	ID       int64  `json:"id"`
	Text     string `json:"text"`
	File     any    `json:"file"` // false or {type,name}
	AuthorID int64  `json:"author_id"`
	Attach   any    `json:"attach"` // false, true or a description
	Sticker  any    `json:"sticker"`
	Date     string `json:"date"`
	Status   string `json:"status"`
	UUID     any    `json:"uuid"`
}

type fileJSON struct {
	Type string `json:"type"`
	Name string `json:"name"`
}

type restrictions struct {
	Avatar     bool `json:"avatar"`
	Rename     bool `json:"rename"`
	Extend     bool `json:"extend"`
	Call       bool `json:"call"`
	Mute       bool `json:"mute"`
	Leave      bool `json:"leave"`
	LeaveOwner bool `json:"leave_owner"`
	Send       bool `json:"send"`
	UserList   bool `json:"user_list"`
}

var allRestrictions = restrictions{true, true, true, true, true, true, true, true, true}

type entityLink struct {
	Type string `json:"type"`
	URL  string `json:"url"`
	ID   string `json:"id"`
}

type permissions struct {
	ManageUsersAdd    string `json:"manage_users_add"`
	ManageUsersDelete string `json:"manage_users_delete"`
	ManageUI          string `json:"manage_ui"`
	ManageSettings    string `json:"manage_settings"`
	ManageMessages    string `json:"manage_messages"`
	CanPost           string `json:"can_post"`
}

var defaultPermissions = permissions{"member", "manager", "member", "owner", "member", "member"}

type recentChat struct {
	ID               int64        `json:"id"`
	ParentChatID     int64        `json:"parent_chat_id"`
	ParentMessageID  int64        `json:"parent_message_id"`
	Name             string       `json:"name"`
	Owner            int64        `json:"owner"`
	Extranet         bool         `json:"extranet"`
	ContainsCollaber bool         `json:"contains_collaber"`
	Avatar           string       `json:"avatar"`
	Color            string       `json:"color"`
	Type             string       `json:"type"`
	EntityType       string       `json:"entity_type"`
	EntityID         string       `json:"entity_id"`
	EntityData1      string       `json:"entity_data_1"`
	EntityData2      string       `json:"entity_data_2"`
	EntityData3      string       `json:"entity_data_3"`
	MuteList         any          `json:"mute_list"`
	ManagerList      []int64      `json:"manager_list"`
	DateCreate       string       `json:"date_create"`
	MessageType      string       `json:"message_type"`
	UserCounter      int          `json:"user_counter"`
	Restrictions     restrictions `json:"restrictions"`
	Role             string       `json:"role"`
	TextFieldEnabled bool         `json:"text_field_enabled"`
	BackgroundID     any          `json:"background_id"`
	EntityLink       entityLink   `json:"entity_link"`
	Permissions      permissions  `json:"permissions"`
	Public           string       `json:"public"`
}

// offerChat is the reduced chat of an undistributed queue item.
type offerChat struct {
	ID           int64        `json:"id"`
	Name         string       `json:"name"`
	Owner        int64        `json:"owner"`
	Extranet     bool         `json:"extranet"`
	Avatar       string       `json:"avatar"`
	Color        string       `json:"color"`
	Type         string       `json:"type"`
	EntityType   string       `json:"entity_type"`
	EntityID     string       `json:"entity_id"`
	EntityData1  string       `json:"entity_data_1"`
	EntityData2  string       `json:"entity_data_2"`
	EntityData3  string       `json:"entity_data_3"`
	MuteList     any          `json:"mute_list"`
	ManagerList  []int64      `json:"manager_list"`
	DateCreate   string       `json:"date_create"`
	MessageType  string       `json:"message_type"`
	UserCounter  int          `json:"user_counter"`
	Restrictions restrictions `json:"restrictions"`
}

// privateChat is what a 1:1 dialog carries under "chat".
type privateChat struct {
	TextFieldEnabled bool `json:"text_field_enabled"`
	BackgroundID     any  `json:"background_id"`
	MuteList         any  `json:"mute_list"`
}

type linesJSON struct {
	ID         int64  `json:"id"`
	Status     int    `json:"status"`
	DateCreate string `json:"date_create"`
}

type userJSON struct {
	ID               int64   `json:"id"`
	Active           bool    `json:"active"`
	Name             string  `json:"name"`
	FirstName        string  `json:"first_name"`
	LastName         string  `json:"last_name"`
	WorkPosition     string  `json:"work_position"`
	Color            string  `json:"color"`
	Avatar           string  `json:"avatar"`
	AvatarHR         string  `json:"avatar_hr"`
	Gender           string  `json:"gender"`
	Birthday         string  `json:"birthday"`
	Extranet         bool    `json:"extranet"`
	Network          bool    `json:"network"`
	Bot              bool    `json:"bot"`
	Connector        bool    `json:"connector"`
	ExternalAuthID   string  `json:"external_auth_id"`
	Status           string  `json:"status"`
	Idle             any     `json:"idle"`
	LastActivityDate string  `json:"last_activity_date"`
	MobileLastDate   any     `json:"mobile_last_date"`
	DesktopLastDate  any     `json:"desktop_last_date"`
	Absent           any     `json:"absent"`
	Departments      []int64 `json:"departments"`
	Phones           any     `json:"phones"`
	BotData          any     `json:"bot_data"`
	Type             string  `json:"type"`
	Website          string  `json:"website"`
	Email            string  `json:"email"`
}

type idOnly struct {
	ID int64 `json:"id"`
}

type recentItem struct {
	ID               any           `json:"id"` // "chatN", or the user ID for a 1:1 dialog
	ChatID           int64         `json:"chat_id"`
	Type             string        `json:"type"`
	Avatar           avatarJSON    `json:"avatar"`
	Title            string        `json:"title"`
	Message          recentMessage `json:"message"`
	Counter          int           `json:"counter"`
	LastID           int64         `json:"last_id"`
	Pinned           bool          `json:"pinned"`
	Unread           bool          `json:"unread"`
	HasReminder      bool          `json:"has_reminder"`
	DateUpdate       string        `json:"date_update"`
	DateLastActivity string        `json:"date_last_activity"`
	Chat             any           `json:"chat"`
	Lines            any           `json:"lines,omitempty"`
	User             any           `json:"user"`
	Options          any           `json:"options"`
}

type offerItem struct {
	ID          string        `json:"id"`
	ChatID      int64         `json:"chat_id"`
	Type        string        `json:"type"`
	Message     recentMessage `json:"message"`
	Counter     int           `json:"counter"`
	Pinned      bool          `json:"pinned"`
	Unread      bool          `json:"unread"`
	HasReminder bool          `json:"has_reminder"`
	DateUpdate  string        `json:"date_update"`
	Avatar      avatarJSON    `json:"avatar"`
	Title       string        `json:"title"`
	Chat        offerChat     `json:"chat"`
	Lines       linesJSON     `json:"lines"`
	User        idOnly        `json:"user"`
}

type recentPage struct {
	Items            []any `json:"items"`
	HasMorePages     bool  `json:"hasMorePages"`
	HasMore          bool  `json:"hasMore"`
	Copilot          any   `json:"copilot"`
	MessagesAutoConf []any `json:"messagesAutoDeleteConfigs"`
	BirthdayList     []any `json:"birthdayList,omitempty"`
}

func (p *Portal) messageJSON(c *chat) recentMessage {
	m := c.lastMessage()
	if m == nil {
		return recentMessage{Date: p.formatDate(c.created), Status: "received", File: false, Attach: false}
	}
	out := recentMessage{ID: m.id, Text: m.text, File: false, Attach: false, AuthorID: m.author,
		Date: p.formatDate(m.date), Status: "received"}
	if m.file != "" {
		typ := "file"
		if len(m.file) > 4 && (m.file[len(m.file)-4:] == ".jpg" || m.file[len(m.file)-4:] == ".png") {
			typ = "image"
		}
		out.File = fileJSON{Type: typ, Name: m.file}
	}
	if m.uuid != "" {
		out.UUID = m.uuid
	}
	if m.author == p.uid {
		out.Status = "delivered"
	}
	return out
}

func (p *Portal) userBlock(id int64, at time.Time) any {
	u := p.w.users[id]
	if u == nil {
		return idOnly{ID: id}
	}
	out := userJSON{
		ID: u.id, Active: true, Name: u.name(), FirstName: u.first, LastName: u.last,
		WorkPosition: u.position, Color: u.color, AvatarHR: "/bitrix/js/im/images/blank.gif",
		Gender: u.gender, Status: "online", Idle: false, LastActivityDate: p.formatDate(at),
		MobileLastDate: false, DesktopLastDate: false, Absent: false, Departments: u.dept,
		Phones: false, Type: "user", Email: u.email,
	}
	if out.Departments == nil {
		out.Departments = []int64{}
	}
	if u.connector {
		out.Connector, out.ExternalAuthID = true, "imconnector"
	} else {
		out.ExternalAuthID = "socservices"
		if !u.online {
			out.Status = "offline"
			out.DesktopLastDate = p.formatDate(at.Add(-2 * time.Hour))
		}
	}
	return out
}

func (p *Portal) muteList(c *chat) any {
	if c.mutedByMe {
		return map[string]bool{itoa(p.uid): true}
	}
	return []any{}
}

func (p *Portal) fullItem(c *chat) recentItem {
	msg := p.messageJSON(c)
	last := c.lastAct
	it := recentItem{
		ChatID: c.id, Type: "chat", Avatar: avatarJSON{Color: c.color}, Title: c.title,
		Message: msg, Counter: c.counter, Pinned: c.msgrPinned, Unread: c.marked,
		DateUpdate: p.formatDate(last), DateLastActivity: p.formatDate(last), Options: []any{},
	}
	if lm := c.lastMessage(); lm != nil {
		it.LastID = lm.id - int64(c.counter)
		it.User = p.userBlock(lm.author, lm.date)
	} else {
		it.User = idOnly{}
	}
	if c.optDefault {
		it.Options = map[string]bool{"DEFAULT_USER_RECORD": true}
	}
	switch c.kind {
	case kindPrivate:
		it.ID, it.Type = c.client.id, "user"
		it.Title = c.client.name()
		it.Chat = privateChat{TextFieldEnabled: true, MuteList: []any{}}
		it.User = p.userBlock(c.client.id, c.lastAct)
		return it
	case kindGroup:
		it.ID = c.dialogID()
		it.Chat = p.chatJSON(c)
		return it
	}
	it.ID = c.dialogID()
	it.Chat = p.chatJSON(c)
	it.Lines = p.linesFor(c)
	if p.quirk(QuirkNewerPortal) {
		switch c.id % 7 {
		case 0:
			it.Message.Attach = true
		case 1:
			it.Message.Attach = "Карточка товара"
		}
	}
	return it
}

func (p *Portal) chatJSON(c *chat) recentChat {
	role := "MEMBER"
	if c.owner == p.uid {
		role = "OWNER"
	}
	out := recentChat{
		ID: c.id, Name: c.title, Owner: c.owner, Color: c.color, Type: "chat",
		MuteList: p.muteList(c), ManagerList: []int64{}, DateCreate: p.formatDate(c.created),
		MessageType: "C", UserCounter: len(c.members), Restrictions: allRestrictions, Role: role,
		TextFieldEnabled: true, Permissions: defaultPermissions,
	}
	if c.kind == kindLines {
		out.Type, out.EntityType, out.MessageType = "lines", "LINES", "L"
		out.EntityID = c.userCode()
		out.EntityData1, out.EntityData2, out.EntityData3 = c.entityData1(), c.entityData2(), c.entityData3()
		out.EntityLink = entityLink{Type: "LINES", ID: c.userCode()}
		out.UserCounter = len(c.members) + 1
		if c.owner != 0 {
			out.ManagerList = []int64{c.owner}
		}
	}
	return out
}

func (p *Portal) offerJSON(c *chat) offerItem {
	s := c.session
	return offerItem{
		ID: c.dialogID(), ChatID: c.id, Type: "chat", Message: p.messageJSON(c), Counter: 1,
		DateUpdate: p.formatDate(c.lastAct), Avatar: avatarJSON{Color: c.color}, Title: c.title,
		Chat: offerChat{
			ID: c.id, Name: c.title, Owner: 0, Color: c.color, Type: "lines", EntityType: "LINES",
			EntityID: c.userCode(), EntityData1: c.entityData1(), EntityData2: c.entityData2(),
			EntityData3: c.entityData3(), MuteList: []any{}, ManagerList: []int64{},
			DateCreate: p.formatDate(c.created), MessageType: "L", UserCounter: 1, Restrictions: allRestrictions,
		},
		Lines: linesJSON{ID: s.id, Status: s.status, DateCreate: p.formatDate(s.created)},
	}
}

// recentFilter is the set of SKIP_*/UNREAD_ONLY switches.
type recentFilter struct {
	skipLines, skipDialog, skipChat, skipQueue, unreadOnly bool
	before                                                 time.Time // LAST_MESSAGE_DATE cursor; zero = none
	since                                                  time.Time // LAST_UPDATE / LAST_SYNC_DATE (im.recent.get)
}

func readRecentFilter(c *call) (recentFilter, *restError) {
	get := func(k string) any { v, _ := c.params.lookupCI(k); return v }
	f := recentFilter{
		skipLines: yes(get("SKIP_OPENLINES")), skipDialog: yes(get("SKIP_DIALOG")),
		skipChat: yes(get("SKIP_CHAT")), skipQueue: yes(get("SKIP_UNDISTRIBUTED_OPENLINES")),
		unreadOnly: yes(get("UNREAD_ONLY")),
	}
	for _, k := range []string{"LAST_MESSAGE_DATE"} {
		if v := asString(get(k)); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				return f, errf(http.StatusBadRequest, "ERROR_ARGUMENT", k+" must be an ATOM date such as 2026-03-16T20:50:30+03:00")
			}
			f.before = t
		}
	}
	for _, k := range []string{"LAST_UPDATE", "LAST_SYNC_DATE"} {
		if v := asString(get(k)); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				return f, errf(http.StatusBadRequest, "ERROR_ARGUMENT", k+" must be an ATOM date such as 2026-03-16T20:50:30+03:00")
			}
			f.since = t
		}
	}
	return f, nil
}

func (f recentFilter) keep(c *chat) bool {
	switch c.kind {
	case kindLines:
		if f.skipLines {
			return false
		}
	case kindPrivate:
		if f.skipDialog {
			return false
		}
	case kindGroup:
		if f.skipChat {
			return false
		}
	}
	if f.unreadOnly && c.counter == 0 && !c.marked {
		return false
	}
	if !f.before.IsZero() && c.lastAct.After(f.before) {
		return false
	}
	if !f.since.IsZero() && c.lastAct.Before(f.since) {
		return false
	}
	return true
}

const (
	recentDefaultLimit = 50
	recentMaxLimit     = 200
)

// imRecentList pages over raw rows: a page is LIMIT raw rows from OFFSET,
// collapsed into dialogs, so a chat with two rows can show on two pages;
// hasMore means "the raw page was full"; queue offers follow on every page.
func imRecentList(p *Portal, c *call) outcome {
	f, e := readRecentFilter(c)
	if e != nil {
		return fail(e)
	}
	limit := int64(recentDefaultLimit)
	if v, has := c.params.lookupCI("LIMIT"); has {
		if n, okN := asInt(v); okN && n > 0 {
			limit = min(n, recentMaxLimit)
		}
	}
	var offset int64
	if v, has := c.params.lookupCI("OFFSET"); has && f.before.IsZero() {
		if n, okN := asInt(v); okN && n > 0 {
			offset = n
		}
	}
	rows := p.w.rawRows()
	var filtered []*chat
	for _, ch := range rows {
		if f.keep(ch) {
			filtered = append(filtered, ch)
		}
	}
	var page []*chat
	if offset < int64(len(filtered)) {
		page = filtered[offset:min(int64(len(filtered)), offset+limit)]
	}
	items := make([]any, 0, len(page)+8)
	seen := map[int64]bool{}
	for _, ch := range page {
		if seen[ch.id] {
			continue
		}
		seen[ch.id] = true
		items = append(items, p.fullItem(ch))
	}
	if !f.skipLines && !f.skipQueue {
		for _, ch := range p.w.offers(p.uid) {
			items = append(items, p.offerJSON(ch))
		}
	}
	full := int64(len(page)) == limit
	total := -1
	res := recentPage{Items: items, HasMorePages: full, HasMore: full, MessagesAutoConf: []any{}}
	if p.quirk(QuirkNewerPortal) {
		res.Copilot, res.BirthdayList = newerCopilot, []any{map[string]any{"id": 205, "name": "Анна Смирнова", "birthday": "16-03"}}
	}
	return outcome{result: res, total: &total}
}

// imRecentGet is the unpaginated variant: a plain array of items; with
// open lines not skipped, only open-line chats plus the queue (PROTOCOL §7.3).
func imRecentGet(p *Portal, c *call) outcome {
	f, e := readRecentFilter(c)
	if e != nil {
		return fail(e)
	}
	onlyLines := yes(func() any { v, _ := c.params.lookupCI("ONLY_OPENLINES"); return v }())
	items := []any{}
	if !f.skipLines && !f.skipQueue {
		for _, ch := range p.w.offers(p.uid) {
			items = append(items, p.offerJSON(ch))
		}
	}
	seen := map[int64]bool{}
	for _, ch := range p.w.rawRows() {
		if seen[ch.id] || !f.keep(ch) || (onlyLines || !f.skipLines) && ch.kind != kindLines {
			continue
		}
		seen[ch.id] = true
		items = append(items, p.fullItem(ch))
	}
	return ok(items)
}
