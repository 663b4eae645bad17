package portalsim

// Quirk is an optional wire quirk of PROTOCOL §12 that a client must
// survive but a default portal does not show. Switch them on in tests.
type Quirk int

// The quirk switches.
const (
	// QuirkStringIDs: pinAll/unpinAll answer numeric strings ["339","337"].
	QuirkStringIDs Quirk = iota + 1
	// QuirkObjectIDs: pinAll/unpinAll answer an object {"0":339,"1":337}.
	QuirkObjectIDs
	// QuirkMissingLines: in im.recent.list, open-line chats whose ID ends in
	// 0 or 5 have no `lines` object, and those ending in 1 or 6 have
	// {"id":0,"status":0} (no session info); entity_data_1 still holds the
	// session ID (PROTOCOL §12.13).
	QuirkMissingLines
	// QuirkNewerPortal: keys the docs do not list appear (birthdayList),
	// copilot is an object, and some messages have attach true or a string.
	QuirkNewerPortal
)

// SetQuirk turns a quirk on or off.
func (p *Portal) SetQuirk(q Quirk, on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.quirks == nil {
		p.quirks = map[Quirk]bool{}
	}
	p.quirks[q] = on
}

// quirk reports a switch; the caller holds p.mu.
func (p *Portal) quirk(q Quirk) bool { return p.quirks[q] }

// bulkResult shapes a pinAll/unpinAll answer.
func (p *Portal) bulkResult(ids []int64) any {
	switch {
	case p.quirk(QuirkStringIDs):
		out := make([]string, len(ids))
		for i, id := range ids {
			out[i] = itoa(id)
		}
		return out
	case p.quirk(QuirkObjectIDs) && len(ids) > 0:
		s := newSection()
		s.object = true
		for i, id := range ids {
			s.set(itoa(int64(i)), id)
		}
		return s
	}
	return ids
}

// linesFor is the `lines` value of a recent item (nil = absent).
func (p *Portal) linesFor(c *chat) any {
	s := c.session
	if s == nil {
		return nil
	}
	if p.quirk(QuirkMissingLines) {
		switch c.id % 5 {
		case 0:
			return nil
		case 1:
			return map[string]int{"id": 0, "status": 0}
		}
	}
	return linesJSON{ID: s.id, Status: s.status, DateCreate: p.formatDate(s.created)}
}

// newerCopilot is the copilot object newer portals send even unasked.
var newerCopilot = map[string]any{"chats": nil, "messages": nil, "roles": map[string]any{
	"copilot_assistant": map[string]any{"code": "copilot_assistant", "name": "BitrixGPT", "default": true},
}}
