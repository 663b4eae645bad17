package portalsim

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
)

// Pin semantics (PROTOCOL §10): the open-line pin is the session's PAUSE
// flag, mirrored into field 4 of entity_data_1.

var (
	errChatIDEmpty = errf(http.StatusBadRequest, "CHAT_ID_EMPTY", "Chat ID can't be empty")
	errChatID      = errf(http.StatusBadRequest, "CHAT_ID", "Указан не корректный идентификатор чата")
	errChatType    = errf(http.StatusBadRequest, "CHAT_TYPE", "Чат не является чатом открытой линии")
	errAccess      = errf(http.StatusBadRequest, "ACCESS_DENIED", "Вы не можете открыть этот разговор, так как он ведется другим оператором")
)

// sessionPin is imopenlines.session.mode.pin. CHAT_ID and ACTIVATE are read
// verbatim: a lower-case chat_id is as good as none.
func sessionPin(p *Portal, c *call) outcome {
	v, _ := c.params.lookup("CHAT_ID")
	pin := true
	if a, has := c.params.lookup("ACTIVATE"); has {
		if s, isStr := a.(string); isStr && s == "N" {
			pin = false
		}
	}
	return p.pinChat(c, v, pin)
}

// sessionUnpin is the undocumented alias imopenlines.session.mode.unpin.
func sessionUnpin(p *Portal, c *call) outcome {
	v, _ := c.params.lookup("CHAT_ID")
	return p.pinChat(c, v, false)
}

func (p *Portal) pinChat(c *call, chatID any, pin bool) outcome {
	id, _ := asInt(chatID)
	if id <= 0 {
		return fail(errChatIDEmpty)
	}
	ch := p.w.chats[id]
	switch {
	case ch == nil:
		return fail(errChatID)
	case ch.isMember(c.uid) && ch.kind != kindLines:
		return fail(errChatType)
	case !ch.isMember(c.uid) && ch.kind != kindLines:
		return fail(errChatType)
	case !ch.isMember(c.uid) && !ch.line.hasOperator(c.uid):
		return fail(errAccess)
	}
	s := ch.session
	if s != nil && s.pause == pin {
		return ok(true) // already so: nothing happens, no message
	}
	if s == nil || s.operator != c.uid || closedStatus(s.status) {
		return fail(errEmpty) // not this user's session: the wrapper has no reason to report
	}
	p.setPause(s, pin)
	return ok(true)
}

// setPause is the single-chat routine: set PAUSE, post the system message
// (author 0, it becomes the chat's last message), move the auto-close date.
// entity_data_1 is derived from the session, so it is rewritten with it.
func (p *Portal) setPause(s *session, pin bool) {
	now := p.now()
	s.pause = pin
	ch := s.chat
	ch.ed1Fields = 10 // the server rewrites the whole string
	op := p.w.users[s.operator]
	name := ""
	if op != nil {
		name = op.name()
	}
	if pin {
		s.autoClose = now.Add(pinWeek)
		p.w.addMessage(ch, 0, fmt.Sprintf(sysPinned, name, s.autoClose.In(p.loc).Format("02.01.2006 15:04")), now)
	} else {
		s.autoClose = now.Add(autoCloseAfter)
		p.w.addMessage(ch, 0, fmt.Sprintf(sysUnpinned, name), now)
	}
}

// bulkCandidates are the caller's own open sessions with the given pin
// state (working model of PROTOCOL §10.3), newest session first, as the
// docs' example result [339, 337] suggests.
func (p *Portal) bulkCandidates(uid int64, paused bool) []*session {
	var out []*session
	for _, ch := range p.w.chats {
		s := ch.session
		if ch.kind != kindLines || s == nil || ch.owner != uid || s.operator != uid {
			continue
		}
		if closedStatus(s.status) || s.pause != paused {
			continue
		}
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b *session) int { return cmp.Compare(b.id, a.id) })
	return out
}

func sessionPinAll(p *Portal, c *call) outcome   { return p.bulkPin(c.uid, true) }
func sessionUnpinAll(p *Portal, c *call) outcome { return p.bulkPin(c.uid, false) }

func (p *Portal) bulkPin(uid int64, pin bool) outcome {
	ids := []int64{}
	for _, s := range p.bulkCandidates(uid, !pin) {
		p.setPause(s, pin)
		ids = append(ids, s.id)
	}
	return ok(p.bulkResult(ids))
}
