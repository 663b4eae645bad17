package portalsim

import (
	"bytes"
	"net/http"
	"strings"
)

// Hostile answers: what a broken proxy or a hostile portal can send, for
// the client's hardening tests.

const defaultHuge = 100 << 20

// SetHugeSize sets how many bytes FaultHugeBody sends (default 100 MB).
func (p *Portal) SetHugeSize(n int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.huge = max(n, 64)
}

// hugeItem is one element of the endless item list: a well-formed
// im.recent.list item, so that a client which does not stop reading also
// keeps decoding.
const hugeItem = `{"id":"chat1","chat_id":1,"type":"chat","title":"` +
	`\u0411\u0435\u0441\u043a\u043e\u043d\u0435\u0447\u043d\u044b\u0439 \u043e\u0442\u0432\u0435\u0442 - Support",` +
	`"chat":{"id":1,"type":"lines","entity_type":"LINES","entity_id":"livechat|1|1|1",` +
	`"entity_data_1":"N|NONE|0|N|N|1|0|0|0|0"},"lines":{"id":1,"status":20}},`

// writeHuge answers 200 with a JSON envelope of p.huge bytes, streamed in
// chunks without a Content-Length, so that the client learns the size only
// by reading. The simulator never holds the answer in memory.
func (p *Portal) writeHuge(w http.ResponseWriter) {
	p.mu.Lock()
	n := p.huge
	p.mu.Unlock()
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	head := []byte(`{"result":{"items":[`)
	tail := []byte(`{}],"hasMore":false},"total":-1}`)
	chunk := bytes.Repeat([]byte(hugeItem), max(1, 64<<10/len(hugeItem)))
	left := n - int64(len(head)+len(tail))
	if _, err := w.Write(head); err != nil {
		return
	}
	for left > 0 {
		c := chunk
		if int64(len(c)) > left {
			c = c[:left-left%int64(len(hugeItem))]
			if len(c) == 0 {
				break
			}
		}
		if _, err := w.Write(c); err != nil {
			return // the client stopped reading
		}
		left -= int64(len(c))
	}
	_, _ = w.Write(tail)
}

// SetLongName gives the owner's most recently active current session a
// client name of about n bytes: Cyrillic text with terminal escape
// sequences, bidi overrides and control characters sprinkled through it,
// as a hostile or broken connector might send. It returns the session ID.
func (p *Portal) SetLongName(n int) int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	var target *chat
	for _, c := range p.w.chats {
		s := c.session
		if c.kind != kindLines || s == nil || s.operator != p.uid || closedStatus(s.status) || !c.inRecent {
			continue
		}
		if target == nil || c.lastAct.After(target.lastAct) || c.lastAct.Equal(target.lastAct) && c.id > target.id {
			target = c
		}
	}
	if target == nil {
		return 0
	}
	piece := "Очень длинное имя \x1b[31mкрасное\x1b[0m \u202eобратно\u202c \x1b]0;title\x07\tтаб\r\n "
	var b strings.Builder
	for b.Len() < n {
		b.WriteString(piece)
	}
	target.client.first, target.client.last = b.String(), ""
	target.title = target.client.name() + " - " + target.line.name
	p.w.touch()
	return target.session.id
}
