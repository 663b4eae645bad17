package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"
)

// EntityData1 is an open-line chat's entity_data_1 (PROTOCOL §8.1), e.g.
// "Y|LEAD|1209|N|N|343|1773682918|0|0|0". Missing fields take the core's
// defaults, except the session ID, which is then unknown (0).
type EntityData1 struct {
	CRM         bool      // field 1 == "Y": linked to CRM
	CRMType     string    // field 2: LEAD, CONTACT, COMPANY, DEAL or NONE
	CRMID       int64     // field 3
	Pinned      bool      // field 4 (PAUSE) == "Y": the open-line pin
	WaitAction  bool      // field 5 == "Y"
	SessionID   int64     // field 6; 0 = unknown
	Started     time.Time // field 7, unix seconds; zero = unknown
	LineID      int64     // field 8; often 0, prefer entity_id
	BlockDate   time.Time // field 9, unix seconds; zero = none
	BlockReason string    // field 10; "0" or "" = none
}

// ParseEntityData1 decodes entity_data_1 tolerantly; it never fails.
func ParseEntityData1(s string) EntityData1 {
	f := strings.Split(s, "|")
	d := EntityData1{
		CRM:         field(f, 1) == "Y",
		CRMType:     field(f, 2),
		CRMID:       positive(field(f, 3)),
		Pinned:      field(f, 4) == "Y",
		WaitAction:  field(f, 5) == "Y",
		SessionID:   positive(field(f, 6)),
		Started:     unixTime(field(f, 7)),
		LineID:      positive(field(f, 8)),
		BlockDate:   unixTime(field(f, 9)),
		BlockReason: field(f, 10),
	}
	if d.CRMType == "" {
		d.CRMType = "NONE"
	}
	return d
}

// EntityID is an open-line chat's entity_id, the USER_CODE
// "<connector>|<LINE_ID>|<CONNECTOR_CHAT_ID>|<CONNECTOR_USER_ID>" (§8.4).
type EntityID struct {
	Connector       string // livechat, telegrambot, …
	LineID          int64  // open-line config ID; 0 = unknown
	ConnectorChatID string
	ConnectorUserID string
}

// ParseEntityID decodes entity_id tolerantly; it never fails.
func ParseEntityID(s string) EntityID {
	f := strings.SplitN(s, "|", 4)
	return EntityID{
		Connector:       internConnector(field(f, 1)),
		LineID:          positive(field(f, 2)),
		ConnectorChatID: field(f, 3),
		ConnectorUserID: field(f, 4),
	}
}

// knownConnectors are the connector codes most portals see; sessions share
// one copy of the name instead of each keeping its entity_id alive for it.
var knownConnectors = map[string]string{}

func init() {
	for _, c := range []string{"livechat", "telegrambot", "whatsappbyedna", "whatsappbytwilio", "vkgroup", "facebook",
		"facebookcomments", "fbinstagramdirect", "instagram", "viber", "imessage", "avito", "olx", "wechat", "ok",
		"network", "botframework", "yandex", "notifications", "telegram", "whatsapp", "max"} {
		knownConnectors[c] = c
	}
}

func internConnector(s string) string {
	if c, ok := knownConnectors[s]; ok {
		return c
	}
	return strings.Clone(s)
}

// internCRMType shares the four CRM entity types instead of keeping the
// whole entity_data_2 alive for a slice of it.
func internCRMType(t string) string {
	for _, k := range [...]string{"LEAD", "CONTACT", "COMPANY", "DEAL"} {
		if t == k {
			return k
		}
	}
	return strings.Clone(t)
}

// ParseEntityData2 decodes entity_data_2 ("LEAD|1209|COMPANY|0|…", §8.2)
// into the bindings that point somewhere (ID > 0).
func ParseEntityData2(s string) []CRMBinding {
	f := strings.Split(s, "|")
	var out []CRMBinding
	for i := 0; i+1 < len(f); i += 2 {
		if id := positive(f[i+1]); id > 0 && f[i] != "" {
			out = append(out, CRMBinding{Type: internCRMType(f[i]), ID: id})
		}
	}
	return out
}

// field is the n-th (1-based) field, trimmed; "" when missing.
func field(f []string, n int) string {
	if n > len(f) {
		return ""
	}
	return strings.TrimSpace(f[n-1])
}

func positive(s string) int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

func unixTime(s string) time.Time {
	if n := positive(s); n > 0 && n < 1<<40 {
		return time.Unix(n, 0)
	}
	return time.Time{}
}

// itemFields are the scalar fields of an im.recent.list item the dashboard
// uses (PROTOCOL §7.2), each tolerant of the §12 quirks.
type itemFields struct {
	ID               Text `json:"id"`
	ChatID           ID   `json:"chat_id"`
	Title            Text `json:"title"`
	Counter          ID   `json:"counter"`
	Unread           Bool `json:"unread"`
	DateUpdate       Date `json:"date_update"`
	DateLastActivity Date `json:"date_last_activity"`
}

// strictItem decodes in one pass but fails when an object field holds
// false, [] or a string; tolerantItem accepts those (at some cost).
type strictItem struct {
	itemFields
	Message *recentMessage `json:"message"`
	Chat    *recentChat    `json:"chat"`
	Lines   *recentLines   `json:"lines"`
}

type tolerantItem struct {
	itemFields
	Message Obj[recentMessage] `json:"message"`
	Chat    Obj[recentChat]    `json:"chat"`
	Lines   Obj[recentLines]   `json:"lines"`
}

type recentMessage struct {
	Text     Text            `json:"text"`
	AuthorID ID              `json:"author_id"`
	Date     Date            `json:"date"`
	File     Obj[recentFile] `json:"file"` // false, or {type, name} (§12.3)
}

type recentFile struct {
	Type Text `json:"type"`
	Name Text `json:"name"`
}

type recentChat struct {
	ID          ID   `json:"id"`
	Name        Text `json:"name"`
	Owner       ID   `json:"owner"`
	Type        Text `json:"type"`
	EntityType  Text `json:"entity_type"`
	EntityID    Text `json:"entity_id"`
	EntityData1 Text `json:"entity_data_1"`
	EntityData2 Text `json:"entity_data_2"`
}

type recentLines struct {
	ID         ID   `json:"id"`
	Status     ID   `json:"status"`
	DateCreate Date `json:"date_create"`
}

// recentItem is an item in one shape, whichever way it was decoded.
type recentItem struct {
	itemFields
	message           recentMessage
	chat              recentChat
	lines             recentLines
	hasChat, hasLines bool
}

func (it *strictItem) norm() recentItem {
	n := recentItem{itemFields: it.itemFields, hasChat: it.Chat != nil, hasLines: it.Lines != nil}
	if it.Message != nil {
		n.message = *it.Message
	}
	if it.Chat != nil {
		n.chat = *it.Chat
	}
	if it.Lines != nil {
		n.lines = *it.Lines
	}
	return n
}

func (it *tolerantItem) norm() recentItem {
	return recentItem{itemFields: it.itemFields, message: it.Message.V, chat: it.Chat.V, lines: it.Lines.V,
		hasChat: it.Chat.OK, hasLines: it.Lines.OK}
}

// isLines reports whether the item is an open-line chat: entity_type
// "LINES", or, when the portal left entity_type out, chat type "lines".
func (it *recentItem) isLines() bool {
	if !it.hasChat {
		return false
	}
	if it.chat.EntityType != "" {
		return strings.EqualFold(string(it.chat.EntityType), "LINES")
	}
	return strings.EqualFold(string(it.chat.Type), "lines")
}

// DecodeRecentItem decodes one im.recent.list item. ok is false for items
// that are not open-line chats; err only for input that is not a JSON
// object. Pinned comes from field 4 of entity_data_1, never from the
// messenger's "pinned" flag. LineName is left for the caller.
func DecodeRecentItem(raw []byte) (s Session, ok bool, err error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return Session{}, false, errors.New("recent item is not a JSON object")
	}
	var it tolerantItem
	if err := json.Unmarshal(raw, &it); err != nil {
		return Session{}, false, err
	}
	n := it.norm()
	if !n.isLines() {
		return Session{}, false, nil
	}
	return n.session(), true, nil
}

func (it *recentItem) session() Session {
	ch, msg, ln := it.chat, it.message, it.lines
	d1 := ParseEntityData1(string(ch.EntityData1))
	eid := ParseEntityID(string(ch.EntityID))
	s := Session{
		SessionID:    d1.SessionID,
		ChatID:       int64(it.ChatID),
		LineID:       eid.LineID,
		Connector:    eid.Connector,
		Title:        string(it.Title),
		Pinned:       d1.Pinned,
		Unread:       int(it.Counter),
		MarkedUnread: bool(it.Unread),
		LastMessage:  string(msg.Text),
		LastFile:     lastFile(msg.File),
		LastAuthorID: int64(msg.AuthorID),
		LastActivity: firstTime(it.DateLastActivity.Time(), msg.Date.Time(), it.DateUpdate.Time()),
		Started:      firstTime(ln.DateCreate.Time(), d1.Started),
		OwnerID:      int64(ch.Owner),
		CRM:          ParseEntityData2(string(ch.EntityData2)),
		CRMLinked:    d1.CRM,
	}
	if s.ChatID <= 0 {
		s.ChatID = int64(ch.ID)
	}
	if s.Title == "" {
		s.Title = string(ch.Name)
	}
	switch id := string(it.ID); {
	case strings.HasPrefix(id, "chat"):
		s.DialogID = id
	case s.ChatID > 0:
		s.DialogID = "chat" + strconv.FormatInt(s.ChatID, 10)
	}
	if s.LineID == 0 {
		s.LineID = d1.LineID
	}
	if it.hasLines && ln.ID > 0 {
		s.SessionID = int64(ln.ID)
	}
	if it.hasLines && (ln.ID != 0 || ln.Status != 0) {
		s.Status, s.StatusKnown = Status(ln.Status), true
	}
	s.Client = clientName(s.Title)
	return s
}

// clientName is the title before the last " - " ("<client> - <line>"),
// else the whole title.
func clientName(title string) string {
	if i := strings.LastIndex(title, " - "); i > 0 {
		if c := strings.TrimSpace(title[:i]); c != "" {
			return c
		}
	}
	return title
}

func firstTime(ts ...time.Time) time.Time {
	for _, t := range ts {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

// recentPage is one im.recent.list result, decoded tolerantly.
type recentPage struct {
	Items        Keyed[json.RawMessage] `json:"items"`
	HasMore      *Bool                  `json:"hasMore"`
	HasMorePages *Bool                  `json:"hasMorePages"`
}

// decodeRecentPage returns the page's raw items and whether another page
// follows.
func decodeRecentPage(raw json.RawMessage, limit int) ([]json.RawMessage, bool, error) {
	var p recentPage
	t := bytes.TrimSpace(raw)
	switch {
	case len(t) > 0 && t[0] == '[': // a bare list of items
		if err := json.Unmarshal(t, &p.Items); err != nil {
			return nil, false, err
		}
	case len(t) > 0 && t[0] == '{':
		if err := json.Unmarshal(t, &p); err != nil {
			return nil, false, err
		}
	}
	items := make([]json.RawMessage, len(p.Items))
	for i, e := range p.Items {
		items[i] = e.Value
	}
	return items, hasMore(p.HasMore, p.HasMorePages, len(items), limit), nil
}

// hasMore follows hasMore, else hasMorePages; without either, a full page
// means "maybe more".
func hasMore(more, morePages *Bool, n, limit int) bool {
	switch {
	case more != nil:
		return bool(*more)
	case morePages != nil:
		return bool(*morePages)
	}
	return n >= limit
}

// decodeRecentSessions decodes one page into its open-line sessions, in
// order, not yet de-duplicated.
func decodeRecentSessions(raw json.RawMessage, limit int) ([]Session, bool, error) {
	return appendRecentSessions(nil, raw, limit)
}

// appendRecentSessions appends one page's open-line sessions to dst. The
// common well-formed page is decoded in one pass; a page with a quirk
// anywhere falls back to item-by-item tolerant decoding, which gives the
// same sessions.
func appendRecentSessions(dst []Session, raw []byte, limit int) ([]Session, bool, error) {
	var p struct {
		Items        []strictItem `json:"items"`
		HasMore      *Bool        `json:"hasMore"`
		HasMorePages *Bool        `json:"hasMorePages"`
	}
	if t := bytes.TrimSpace(raw); len(t) > 0 && t[0] == '{' && json.Unmarshal(t, &p) == nil {
		for i := range p.Items {
			if n := p.Items[i].norm(); n.isLines() {
				dst = append(dst, n.session())
			}
		}
		return dst, hasMore(p.HasMore, p.HasMorePages, len(p.Items), limit), nil
	}
	items, more, err := decodeRecentPage(raw, limit)
	if err != nil {
		return dst, false, err
	}
	for _, item := range items {
		if s, ok, err := DecodeRecentItem(item); err == nil && ok {
			dst = append(dst, s)
		}
	}
	return dst, more, nil
}

// lastFile names the file of a message that carries one: its name, else its
// type ("image"), else "file"; "" when the message has no file.
func lastFile(f Obj[recentFile]) string {
	switch {
	case !f.OK:
		return ""
	case f.V.Name != "":
		return string(f.V.Name)
	case f.V.Type != "":
		return string(f.V.Type)
	}
	return "file"
}
