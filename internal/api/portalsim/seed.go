package portalsim

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"
)

// seeder builds a world deterministically from a seed and a clock reading.
type seeder struct {
	w     *world
	rng   *rand.Rand
	now   time.Time
	owner int64
	peers []int64 // other operators
	fresh bool    // new arrivals: the conversation starts now
}

var colleagueIDs = []int64{27, 103, 205, 311, 412}

func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

func chance(rng *rand.Rand, p float64) bool { return rng.Float64() < p }

func jitter(rng *rand.Rand, lo, hi time.Duration) time.Duration {
	if hi <= lo {
		return lo
	}
	return lo + time.Duration(rng.Int64N(int64(hi-lo)))
}

// seedWorld creates the portal's users, lines and chats: n current sessions
// of the owner, plus closed ones, colleagues' sessions, queue offers and a few
// ordinary chats.
func seedWorld(seed int64, owner int64, n int, now time.Time) *world {
	s := &seeder{
		w:     newWorld(),
		rng:   rand.New(rand.NewPCG(uint64(seed), 0x6c696e656465736b)),
		now:   now,
		owner: owner,
	}
	// Client IDs start above every operator's, so a large UserID never
	// collides with a generated client.
	s.w.nextUser = max(s.w.nextUser, owner+10, slices.Max(colleagueIDs)+10)
	s.users()
	s.lines()
	for range n {
		s.linesChat(s.ownerLine(), s.owner, s.currentStatus(), true)
	}
	for range min(n/4+3, 250) {
		c := s.linesChat(s.ownerLine(), s.owner, pick(s.rng, []int{60, 60, 60, 60, 65, 69, 75}), true)
		if chance(s.rng, 0.3) {
			c.ed1Fields = 8 // an older chat: fewer fields in entity_data_1
		}
	}
	for range min(50, max(2, n/20)) {
		s.linesChat(pick(s.rng, s.w.lines[:4]), pick(s.rng, s.peers), s.currentStatus(), true)
	}
	for range 3 {
		s.linesChat(pick(s.rng, s.w.lines[:4]), pick(s.rng, s.peers), s.currentStatus(), false)
	}
	for range min(25, 3+n/40) {
		s.linesChat(s.ownerLine(), 0, pick(s.rng, []int{StatusNew, StatusNew, StatusNew, StatusSkip}), false)
	}
	// An offer on a line the owner does not serve: never visible to them.
	s.linesChat(s.w.lines[2], 0, StatusNew, false)
	s.ordinaryChats()
	return s.w
}

func (s *seeder) users() {
	w := s.w
	w.users[s.owner] = &user{id: s.owner, first: "Svetlana", last: "Ivanova", gender: "F", color: "#df532d",
		position: "Старший оператор", email: "s.ivanova@example.com", online: true, dept: []int64{1, 7}}
	peers := []struct{ first, last, gender, pos string }{
		{"Иван", "Петров", "M", "Оператор"},
		{"Анна", "Смирнова", "F", "Оператор"},
		{"Дмитрий", "Козлов", "M", "Руководитель КЦ"},
		{"Olga", "Brown", "F", "Support agent"},
	}
	for _, id := range colleagueIDs {
		if id == s.owner || len(s.peers) == len(peers) {
			continue
		}
		p := peers[len(s.peers)]
		w.users[id] = &user{id: id, first: p.first, last: p.last, gender: p.gender, position: p.pos,
			color: pick(s.rng, avatarColors), online: chance(s.rng, 0.7), dept: []int64{1}}
		s.peers = append(s.peers, id)
	}
}

func (s *seeder) lines() {
	o, p := s.owner, s.peers
	s.w.lines = []*line{
		{id: 1, name: "Sales", active: true, queue: []int64{o, p[0], p[1]}, crm: true},
		{id: 3, name: "Support", active: true, queue: []int64{o, p[1], p[2]}, crm: true},
		{id: 5, name: "VIP", active: true, queue: []int64{p[0], p[2]}, crm: true},
		{id: 7, name: "Доставка", active: true, queue: []int64{o, p[0], p[3]}},
		{id: 9, name: "Отдел продаж (архив)", active: false, queue: []int64{p[1]}},
	}
	for _, l := range s.w.lines {
		l.color = pick(s.rng, avatarColors)
	}
}

// ownerLine picks one of the lines whose queue holds the owner.
func (s *seeder) ownerLine() *line {
	for {
		l := pick(s.rng, s.w.lines)
		if l.active && l.hasOperator(s.owner) {
			return l
		}
	}
}

func (s *seeder) currentStatus() int {
	return pick(s.rng, []int{10, 20, 20, 20, 25, 40, 40, 40, 50, 50})
}

func (s *seeder) connector() string {
	total := 0
	for _, c := range connectors {
		total += c.weight
	}
	n := s.rng.IntN(total)
	for _, c := range connectors {
		if n < c.weight {
			return c.code
		}
		n -= c.weight
	}
	return "livechat"
}

// newClient invents the external user who writes into an open line.
func (s *seeder) newClient(connector string) (*user, string) {
	w := s.w
	w.nextUser += 1 + int64(s.rng.IntN(4))
	u := &user{id: w.nextUser, connector: true, color: pick(s.rng, avatarColors), gender: "M"}
	lang := "en"
	switch r := s.rng.IntN(100); {
	case connector == "livechat" && r < 35:
		n := 1 + s.rng.IntN(99)
		if chance(s.rng, 0.5) {
			u.first = fmt.Sprintf("%s guest #%d", pick(s.rng, guestColorsEN), n)
		} else {
			u.first, lang = fmt.Sprintf("%s гость №%d", pick(s.rng, guestColorsRU), n), "ru"
		}
	case r < 50:
		u.first, u.last, u.gender, lang = pick(s.rng, ruFemaleFirst), pick(s.rng, ruFemaleLast), "F", "ru"
	case r < 68:
		u.first, u.last, lang = pick(s.rng, ruMaleFirst), pick(s.rng, ruMaleLast), "ru"
	case r < 86:
		u.first, u.last = pick(s.rng, enFirst), pick(s.rng, enLast)
	case r < 91:
		u.first, lang = pick(s.rng, cnNames), "cn"
	default:
		u.first = pick(s.rng, nicknames)
		if !isASCII(u.first) {
			lang = "ru"
		}
	}
	u.lang = lang
	w.users[u.id] = u
	return u, lang
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func clientLine(rng *rand.Rand, lang string) string {
	switch lang {
	case "ru":
		return pick(rng, clientRU)
	case "cn":
		return pick(rng, clientCN)
	}
	return pick(rng, clientEN)
}

func operatorLine(rng *rand.Rand, lang string) string {
	if lang == "ru" {
		return pick(rng, operatorRU)
	}
	return pick(rng, operatorEN)
}

// linesChat creates an open-line chat with one session of the given status.
func (s *seeder) linesChat(l *line, op int64, status int, inRecent bool) *chat {
	w, rng := s.w, s.rng
	conn := s.connector()
	client, lang := s.newClient(conn)
	w.nextChat += 1 + int64(rng.IntN(3))
	c := &chat{
		id: w.nextChat, kind: kindLines, line: l, connector: conn, client: client,
		title: client.name() + " - " + l.name, color: client.color, owner: op,
		ed1Fields: 10, ed1Line: chance(rng, 0.2), silent: chance(rng, 0.03),
		dupLag: dupLag(rng), msgrPinned: chance(rng, 0.06), marked: chance(rng, 0.04),
		mutedByMe: chance(rng, 0.08), optDefault: chance(rng, 0.08), inRecent: inRecent,
	}
	if conn == "livechat" {
		c.connChatID = c.id - 2
	} else {
		c.connChatID = 100000 + rng.Int64N(900000000)
	}
	s.crm(c)
	if op != 0 {
		c.members = []int64{op}
	}
	if inRecent && op != s.owner {
		c.members = append(c.members, s.owner) // the owner took part earlier
	}
	var age time.Duration
	switch {
	case s.fresh:
	case closedStatus(status):
		age = jitter(rng, 3*time.Hour, 14*24*time.Hour)
	case status < StatusAnswer:
		age = jitter(rng, time.Minute, 40*time.Minute)
	default:
		age = jitter(rng, 2*time.Minute, 30*time.Hour)
	}
	last := s.now.Add(-age).Truncate(time.Second)
	started := last
	if !s.fresh {
		started = last.Add(-jitter(rng, 5*time.Minute, 3*time.Hour))
	}
	c.created = started.Add(-jitter(rng, 0, 60*24*time.Hour))
	w.nextSession += 1 + int64(rng.IntN(2))
	sess := &session{id: w.nextSession, chat: c, operator: op, status: status, created: started}
	c.session, c.sessions = sess, []*session{sess}
	w.sessions[sess.id] = sess
	w.chats[c.id] = c
	s.conversation(c, lang, started, last)
	switch {
	case closedStatus(status):
		sess.closed = last
	case op != 0 && chance(rng, 0.2):
		sess.pause = true
		sess.autoClose = last.Add(pinWeek)
	default:
		sess.autoClose = s.now.Add(jitter(rng, 2*time.Hour, autoCloseAfter)).Truncate(time.Second)
	}
	sess.wait = status == StatusWaitClient
	w.touch()
	return c
}

// dupLag gives about one chat in sixteen a second, older raw recent row.
func dupLag(rng *rand.Rand) time.Duration {
	if !chance(rng, 0.06) {
		return 0
	}
	return jitter(rng, 10*time.Minute, 5*24*time.Hour)
}

func (s *seeder) crm(c *chat) {
	rng := s.rng
	c.crm = crmLink{typ: "NONE"}
	if !c.line.crm || chance(rng, 0.25) {
		c.crm.bound = chance(rng, 0.5)
		return
	}
	c.crm.bound = true
	if chance(rng, 0.6) {
		c.crm.lead = 1000 + rng.Int64N(9000)
		c.crm.typ, c.crm.id = "LEAD", c.crm.lead
		return
	}
	c.crm.contact = 100 + rng.Int64N(5000)
	c.crm.typ, c.crm.id = "CONTACT", c.crm.contact
	if chance(rng, 0.5) {
		c.crm.deal = 200 + rng.Int64N(3000)
	}
	if chance(rng, 0.3) {
		c.crm.company = 10 + rng.Int64N(500)
	}
}

// conversation writes messages between started and last that agree with the
// session's status: a waiting client spoke last, an answered one did not.
func (s *seeder) conversation(c *chat, lang string, started, last time.Time) {
	w, rng, sess := s.w, s.rng, c.session
	op := sess.operator
	n := 1 + rng.IntN(5)
	if s.fresh {
		n = 0
	}
	span := last.Sub(started)
	at := func(i int) time.Time {
		if n <= 1 {
			return last
		}
		return started.Add(span * time.Duration(i) / time.Duration(n)).Truncate(time.Second)
	}
	clientLast := sess.status < StatusOperator || closedStatus(sess.status) && chance(rng, 0.3)
	for i := 0; i <= n; i++ {
		t := at(i)
		if i == n {
			t = last
		}
		fromClient := (n-i)%2 == 0 == clientLast
		if op == 0 {
			fromClient = true
		}
		switch {
		case i == 0 && op != 0 && chance(rng, 0.5):
			w.addMessage(c, 0, fmt.Sprintf(sysNewDialog, c.connector), t)
		case fromClient:
			m := w.addMessage(c, c.client.id, clientLine(rng, lang), t)
			if chance(rng, 0.05) {
				m.text, m.file = "", pick(rng, fileNames)
			}
		default:
			m := w.addMessage(c, op, operatorLine(rng, lang), t)
			m.uuid = fmt.Sprintf("%08x-%04x-4%03x-a%03x-%012x", rng.Uint32(), rng.IntN(1<<16), rng.IntN(1<<12), rng.IntN(1<<12), rng.Int64N(1<<48))
		}
	}
	if closedStatus(sess.status) && chance(rng, 0.6) {
		w.addMessage(c, 0, sysClosed, last)
	}
	switch {
	case closedStatus(sess.status), sess.status >= StatusOperator:
		c.counter = 0
	case sess.status < StatusAnswer:
		c.counter = 1
	default:
		c.counter = 1 + rng.IntN(4)
	}
	c.lastAct = last
}

// ordinaryChats adds a few non-open-line items (1:1 dialogs and group chats)
// that the client must filter out.
func (s *seeder) ordinaryChats() {
	w, rng := s.w, s.rng
	for i, id := range s.peers[:min(3, len(s.peers))] {
		w.nextChat += 1
		c := &chat{id: w.nextChat, kind: kindPrivate, client: w.users[id], title: w.users[id].name(),
			color: w.users[id].color, owner: s.owner, members: []int64{s.owner, id}, inRecent: true,
			created: s.now.Add(-90 * 24 * time.Hour), ed1Fields: 10}
		c.lastAct = s.now.Add(-jitter(rng, time.Minute, 48*time.Hour)).Truncate(time.Second)
		w.addMessage(c, id, pick(rng, []string{"Светлана, подменишь меня в 15:00?", "Глянь, пожалуйста, чат VIP", "Thanks!"}), c.lastAct)
		c.counter = i % 2
		w.chats[c.id] = c
	}
	for _, name := range []string{"Операторы КЦ", "Sales team"} {
		w.nextChat += 1
		members := append([]int64{s.owner}, s.peers...)
		c := &chat{id: w.nextChat, kind: kindGroup, title: name, color: pick(rng, avatarColors),
			owner: s.peers[len(s.peers)-1], members: slices.Clone(members), inRecent: true,
			created: s.now.Add(-200 * 24 * time.Hour), ed1Fields: 10}
		c.lastAct = s.now.Add(-jitter(rng, time.Minute, 72*time.Hour)).Truncate(time.Second)
		w.addMessage(c, s.peers[0], pick(rng, []string{"Коллеги, планёрка в 10:00", "New price list is in the drive"}), c.lastAct)
		w.chats[c.id] = c
	}
}
