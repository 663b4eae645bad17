package portalsim

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

type handler func(p *Portal, c *call) outcome

// handlers maps lower-case method names to their implementation; the server
// lower-cases the requested name before the lookup (PROTOCOL §1.1).
var handlers map[string]handler

func init() {
	handlers = map[string]handler{
		"user.current":                      userCurrent,
		"imopenlines.config.list.get":       configListGet,
		"imopenlines.config.path.get":       configPathGet,
		"im.recent.list":                    imRecentList,
		"im.recent.get":                     imRecentGet,
		"imopenlines.dialog.get":            dialogGet,
		"imopenlines.session.history.get":   historyGet,
		"imopenlines.session.mode.pin":      sessionPin,
		"imopenlines.session.mode.unpin":    sessionUnpin,
		"imopenlines.session.mode.pinall":   sessionPinAll,
		"imopenlines.session.mode.unpinall": sessionUnpinAll,
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func sortIDs(ids []int64) { slices.Sort(ids) }

func userCurrent(p *Portal, c *call) outcome {
	u := p.w.users[c.uid]
	now := p.now().In(p.loc)
	return ok(map[string]any{
		"ID":                 itoa(u.id),
		"XML_ID":             "",
		"ACTIVE":             true,
		"NAME":               u.first,
		"LAST_NAME":          u.last,
		"SECOND_NAME":        "",
		"EMAIL":              u.email,
		"LAST_LOGIN":         p.formatDate(now.Add(-3 * 60 * 60 * 1e9)),
		"DATE_REGISTER":      "2024-07-22T00:00:00+03:00",
		"IS_ONLINE":          "Y",
		"TIME_ZONE_OFFSET":   "0",
		"TIMESTAMP_X":        "22.07.2024 10:00:00",
		"LAST_ACTIVITY_DATE": now.Format("2006-01-02 15:04:05"),
		"PERSONAL_GENDER":    u.gender,
		"PERSONAL_BIRTHDAY":  "",
		"WORK_POSITION":      u.position,
		"UF_EMPLOYMENT_DATE": "",
		"UF_DEPARTMENT":      u.dept,
		"USER_TYPE":          "employee",
	})
}

var configFields = []string{"ID", "ACTIVE", "LINE_NAME", "CRM", "CRM_CREATE", "QUEUE_TYPE", "QUEUE_TIME", "DATE_CREATE", "DATE_MODIFY", "MODIFY_USER_ID", "TEMPORARY"}

func configListGet(p *Portal, c *call) outcome {
	var prm *obj
	if v, has := c.params.lookupCI("PARAMS"); has && v != nil && v != "" {
		o, isObj := v.(*obj)
		if !isObj {
			return fail(errf(http.StatusBadRequest, "INVALID_FORMAT", "PARAMS must be an object: {\"select\": [...], \"filter\": {...}, \"order\": {...}}"))
		}
		prm = o
	}
	var opts *obj
	if v, has := c.params.lookupCI("OPTIONS"); has && v != nil && v != "" {
		o, isObj := v.(*obj)
		if !isObj {
			return fail(errf(http.StatusBadRequest, "INVALID_FORMAT", "OPTIONS must be an object such as {\"QUEUE\": \"Y\"}"))
		}
		opts = o
	}
	selected := configFields
	filter := map[string]string{}
	limit, offset := 50, 0
	desc := false
	if prm != nil {
		if v, has := prm.getCI("select"); has {
			list, isList := v.([]any)
			if !isList {
				return fail(errf(http.StatusBadRequest, "INVALID_FORMAT", "PARAMS.select must be a list of field names"))
			}
			selected = nil
			for _, f := range list {
				name := strings.ToUpper(asString(f))
				if name == "*" {
					selected = configFields
					break
				}
				selected = append(selected, name)
			}
		}
		if v, has := prm.getCI("filter"); has {
			if o, isObj := v.(*obj); isObj {
				for _, k := range o.keys {
					filter[strings.ToUpper(k)] = asString(o.vals[k])
				}
			}
		}
		if v, has := prm.getCI("order"); has {
			if o, isObj := v.(*obj); isObj {
				if d, has := o.getCI("ID"); has && strings.EqualFold(asString(d), "DESC") {
					desc = true
				}
			}
		}
		if v, has := prm.getCI("limit"); has {
			if n, okN := asInt(v); okN && n > 0 {
				limit = int(min(n, 200))
			}
		}
		if v, has := prm.getCI("offset"); has {
			if n, okN := asInt(v); okN && n > 0 {
				offset = int(n)
			}
		}
	}
	withQueue := false
	if opts != nil {
		if v, has := opts.getCI("QUEUE"); has {
			withQueue = yes(v)
		}
	}
	lines := slices.Clone(p.w.lines)
	if desc {
		slices.Reverse(lines)
	}
	out := []any{}
	for _, l := range lines {
		row := p.lineRow(l)
		keep := true
		for k, want := range filter {
			if got, has := row[k]; !has || asString(got) != want {
				keep = false
			}
		}
		if !keep {
			continue
		}
		if offset > 0 {
			offset--
			continue
		}
		if len(out) == limit {
			break
		}
		sel := map[string]any{}
		for _, f := range selected {
			if v, has := row[f]; has {
				sel[f] = v
			}
		}
		if withQueue {
			sel["QUEUE"] = l.queue
			fields := map[string]any{}
			for _, id := range l.queue {
				u := p.w.users[id]
				var pos any
				if u.position != "" {
					pos = u.position
				}
				fields[itoa(id)] = map[string]any{"USER_NAME": u.name(), "USER_WORK_POSITION": pos, "USER_AVATAR": "", "USER_AVATAR_ID": nil}
			}
			sel["QUEUE_USERS_FIELDS"] = fields
		}
		out = append(out, sel)
	}
	return ok(out)
}

func (p *Portal) lineRow(l *line) map[string]any {
	return map[string]any{
		"ID": itoa(l.id), "ACTIVE": yn(l.active), "LINE_NAME": l.name, "CRM": yn(l.crm),
		"CRM_CREATE": "lead", "QUEUE_TYPE": "evenly", "QUEUE_TIME": "60",
		"DATE_CREATE": "2024-03-01T12:00:00+03:00", "DATE_MODIFY": "2026-01-15T09:30:00+03:00",
		"MODIFY_USER_ID": itoa(p.uid), "TEMPORARY": "N",
	}
}

func configPathGet(p *Portal, c *call) outcome {
	return ok(map[string]string{"SERVER_ADDRESS": c.base, "PUBLIC_PATH": "/contact_center/"})
}

// canSee says whether uid may open the chat: a member, or an operator of
// the chat's line (queue offers and colleagues' dialogs on their lines).
func (p *Portal) canSee(ch *chat, uid int64) bool {
	if ch.isMember(uid) {
		return true
	}
	return ch.kind == kindLines && ch.line.hasOperator(uid) && ch.isOffer()
}

// findChat resolves CHAT_ID, DIALOG_ID, SESSION_ID or USER_CODE (keys in any
// case: dialog.get upper-cases them).
func (p *Portal) findChat(c *call) (*chat, bool) {
	get := func(k string) (any, bool) { return c.params.lookupCI(k) }
	if v, has := get("CHAT_ID"); has {
		if id, okN := asInt(v); okN && id > 0 {
			ch, found := p.w.chats[id]
			return ch, found
		}
	}
	if v, has := get("DIALOG_ID"); has {
		s := asString(v)
		if id, err := strconv.ParseInt(strings.TrimPrefix(s, "chat"), 10, 64); err == nil && strings.HasPrefix(s, "chat") {
			ch, found := p.w.chats[id]
			return ch, found
		}
		return nil, false
	}
	if v, has := get("SESSION_ID"); has {
		if id, okN := asInt(v); okN {
			if s, found := p.w.sessions[id]; found {
				return s.chat, true
			}
		}
		return nil, false
	}
	if v, has := get("USER_CODE"); has {
		code := strings.TrimPrefix(asString(v), "imol|")
		for _, ch := range p.w.chats {
			if ch.kind == kindLines && ch.userCode() == code {
				return ch, true
			}
		}
	}
	return nil, false
}

func dialogGet(p *Portal, c *call) outcome {
	ch, found := p.findChat(c)
	if !found || ch.kind != kindLines || !p.canSee(ch, c.uid) {
		return fail(errf(http.StatusBadRequest, "ACCESS_ERROR", "You do not have access to the specified dialog"))
	}
	rc := p.chatJSON(ch)
	lm := ch.lastMessage()
	var lastID int64
	if lm != nil {
		lastID = lm.id
	}
	role := "member"
	if ch.owner == c.uid {
		role = "owner"
	}
	readed := []any{map[string]any{"user_id": ch.client.id, "user_name": ch.client.name(), "message_id": lastID - int64(ch.counter), "date": nil}}
	return ok(map[string]any{
		"id": ch.id, "parent_chat_id": 0, "parent_message_id": 0, "name": ch.title, "description": nil,
		"owner": ch.owner, "extranet": false, "avatar": "", "color": ch.color, "type": "lines",
		"counter": ch.counter, "user_counter": rc.UserCounter, "message_count": len(ch.messages),
		"unread_id": 0, "restrictions": allRestrictions, "last_message_id": lastID, "last_id": lastID,
		"marked_id": 0, "disk_folder_id": 0, "entity_type": "LINES", "entity_id": rc.EntityID,
		"entity_data_1": rc.EntityData1, "entity_data_2": rc.EntityData2, "entity_data_3": rc.EntityData3,
		"mute_list": rc.MuteList, "date_create": rc.DateCreate, "message_type": "L", "public": "",
		"role": role, "entity_link": rc.EntityLink, "text_field_enabled": true, "background_id": nil,
		"permissions": defaultPermissions, "is_new": ch.isOffer(), "readed_list": readed,
		"manager_list":       rc.ManagerList,
		"last_message_views": map[string]any{"message_id": lastID, "first_viewers": []any{}, "count_of_viewers": 0},
		"dialog_id":          ch.dialogID(),
	})
}

// historyGet answers imopenlines.session.history.get with the collapsed
// lower-case keys of PROTOCOL §7.6. Keys are read verbatim (UPPER only).
func historyGet(p *Portal, c *call) outcome {
	var sess *session
	sid, hasS := c.params.lookup("SESSION_ID")
	cid, hasC := c.params.lookup("CHAT_ID")
	switch {
	case hasS:
		id, _ := asInt(sid)
		sess = p.w.sessions[id]
	case hasC:
		id, _ := asInt(cid)
		if ch := p.w.chats[id]; ch != nil {
			sess = ch.session
		}
	default:
		return fail(errf(http.StatusBadRequest, "MISSING_REQUIRED_PARAM", "SESSION_ID or CHAT_ID is required"))
	}
	if sess == nil {
		return fail(errf(http.StatusBadRequest, "INVALID_SESSION_ID", "Session not found"))
	}
	ch := sess.chat
	if sess.operator != c.uid && !p.canSee(ch, c.uid) {
		return fail(errf(http.StatusBadRequest, "ACCESS_DENIED", "Вы не можете открыть этот разговор, так как он ведется другим оператором"))
	}
	dialog := ch.dialogID()
	msgs := map[string]any{}
	var ids []string
	authors := map[int64]bool{}
	for _, m := range ch.messages {
		if m.sessionID != sess.id {
			continue
		}
		id := itoa(m.id)
		entry := map[string]any{
			"id": id, "chatid": itoa(ch.id), "senderid": itoa(m.author), "recipientid": dialog,
			"date": p.formatDate(m.date), "text": m.text, "textlegacy": m.text, "params": []any{},
		}
		if m.file != "" {
			entry["params"] = map[string]any{"fileId": []int64{5000 + m.id%1000}}
		}
		msgs[id] = entry
		ids = append([]string{id}, ids...) // newest first, as the portal lists them
		if m.author != 0 {
			authors[m.author] = true
		}
	}
	users := map[string]any{}
	for id := range authors {
		if u := p.w.users[id]; u != nil {
			users[itoa(id)] = map[string]any{
				"id": itoa(id), "name": u.name(), "active": true, "firstname": u.first, "lastname": u.last,
				"connector": u.connector, "type": "user", "status": "online", "idle": false,
				"mobilelastdate": false, "desktoplastdate": false, "absent": false, "phones": false,
				"departments": nonNilIDs(u.dept),
			}
		}
	}
	var message any = msgs
	if len(msgs) == 0 {
		message = []any{}
	}
	var usersAny any = users
	if len(users) == 0 {
		usersAny = []any{}
	}
	members := append([]int64{ch.client.id}, ch.members...)
	return ok(map[string]any{
		"chatId": ch.id, "canJoin": yn(!ch.isMember(c.uid)), "canVoteHead": "Y", "sessionId": sess.id,
		"sessionVoteHead": sess.vote, "sessionCommentHead": nil, "userId": dialog,
		"message": message, "usersMessage": map[string]any{dialog: nonNilStrings(ids)}, "users": usersAny,
		"openlines":   map[string]any{"canvoteashead": map[string]bool{itoa(ch.line.id): true}},
		"userInGroup": []any{}, "woUserInGroup": []any{},
		"chat": map[string]any{itoa(ch.id): map[string]any{
			"id": itoa(ch.id), "name": ch.title, "owner": itoa(ch.owner), "entitytype": "LINES",
			"entityid": ch.userCode(), "entitydata1": ch.entityData1(), "entitydata2": ch.entityData2(),
			"entitydata3": ch.entityData3(), "messagecount": len(ch.messages), "managerlist": []int64{ch.owner},
			"datecreate": p.formatDate(ch.created), "type": "lines", "messagetype": "L", "isnew": false,
		}},
		"userBlockChat": map[string]any{itoa(ch.id): map[string]bool{}},
		"userInChat":    map[string]any{itoa(ch.id): members},
		"files":         []any{},
	})
}

func nonNilIDs(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return ids
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
