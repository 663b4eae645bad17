package api

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Snapshot tuning (PROTOCOL §4.4, §7.2).
const (
	pageLimit  = 200 // im.recent.list LIMIT (the maximum)
	firstPages = 3   // pages asked for before the list size is known
	maxPages   = MaxListRows / pageLimit
	linesTTL   = 10 * time.Minute // how long line names are trusted
)

// MaxListRows is how many rows of the recent list a Snapshot reads at most
// (100 pages of 200): twice the 10,000 sessions the dashboard is built for.
// A portal that lists more (or keeps saying hasMore) gives the most recent
// ones with Snapshot.Truncated set, never an error and never unbounded
// memory.
const MaxListRows = 20000

// snapshotCache keeps what a refresh need not re-read: the user (never
// changes for a client), the line names (re-read every linesTTL) and how
// many pages the last listing needed.
type snapshotCache struct {
	mu      sync.Mutex
	me      *User
	lines   []Line
	linesAt time.Time
	pages   int
	rows    int // sessions the last listing kept from its pages

	// prev is the last snapshot's sessions, read only: a refresh hands
	// out the same *Session again when nothing about it changed, so the
	// snapshot the caller still shows and the one being read hold each
	// unchanged session once (most of a 10,000-session list does not
	// change in 10 s). The caller keeps that snapshot anyway, so keeping
	// it here costs nothing.
	prev []*Session
}

// keep returns what to list for s, just decoded: prev (the previous
// snapshot's version of the session, or nil) when nothing changed, else a
// new session that shares the strings and bindings that did not change. s
// is not kept.
func keep(s, prev *Session) *Session {
	if prev != nil {
		if sameSession(prev, s) {
			return prev
		}
		s.DialogID = prev.DialogID
		if s.Title == prev.Title {
			s.Title, s.Client = prev.Title, prev.Client
		}
		if s.LastMessage == prev.LastMessage {
			s.LastMessage = prev.LastMessage
		}
		if slices.Equal(s.CRM, prev.CRM) {
			s.CRM = prev.CRM
		}
	}
	n := new(Session)
	*n = *s
	return n
}

// sameSession reports whether a and b are equal in every field (times as
// instants). TestSameSessionSeesEveryField keeps it complete.
func sameSession(a, b *Session) bool {
	return a.SessionID == b.SessionID && a.ChatID == b.ChatID && a.DialogID == b.DialogID &&
		a.LineID == b.LineID && a.LineName == b.LineName && a.Connector == b.Connector &&
		a.Client == b.Client && a.Title == b.Title && a.Status == b.Status &&
		a.StatusKnown == b.StatusKnown && a.Pinned == b.Pinned && a.Unread == b.Unread &&
		a.MarkedUnread == b.MarkedUnread && a.LastMessage == b.LastMessage &&
		a.LastFile == b.LastFile && a.LastAuthorID == b.LastAuthorID &&
		a.LastActivity.Equal(b.LastActivity) && a.Started.Equal(b.Started) &&
		a.OwnerID == b.OwnerID && slices.Equal(a.CRM, b.CRM) && a.CRMLinked == b.CRMLinked
}

func (s *snapshotCache) setPrev(sessions []*Session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.prev = sessions
}

func (s *snapshotCache) getPrev() []*Session {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.prev
}

func (s *snapshotCache) setMe(u User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.me = &u
}

func (s *snapshotCache) setLines(l []Line, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lines, s.linesAt = l, at
}

func (s *snapshotCache) setPages(n, rows int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pages, s.rows = n, rows
}

// sizeHint is a capacity for the next listing's arena: what the last one
// decoded, plus room to grow, so that it is not reallocated on the way.
func (s *snapshotCache) sizeHint() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rows + s.rows/16 + 2*pageLimit
}

func (s *snapshotCache) get(now time.Time) (me *User, lines []Line, linesFresh bool, pages int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fresh := !s.linesAt.IsZero() && now.Sub(s.linesAt) < linesTTL && now.After(s.linesAt.Add(-time.Minute))
	return s.me, s.lines, fresh, s.pages
}

// listing accumulates im.recent.list pages: de-duplicated by item id
// (first occurrence wins), open-line chats only. A batch's pages are
// decoded as they arrive, one at a time into a scratch page, and
// de-duplicated on the way (the queue offers the portal repeats on every
// page, the dialogs that show on two pages); a session that did not change
// since the last snapshot is listed as the same *Session, so a refresh
// allocates only what changed. When the pages arrived in the order they
// were asked for (the usual case) the list is then compacted in place.
type listing struct {
	// dialogs indexes by dialog ID both the last snapshot's sessions and
	// the pages read so far: one map, not two, since a refresh of 10,000
	// sessions holds it while it reads (each is ~400 KB).
	dialogs  map[string]dialogMark
	prev     []*Session // the last snapshot's sessions, read only
	sessions []*Session
	pages    int // pages consumed, including the last

	names   map[int64]string // line ID → name, from the lines known when the listing began
	decoded int              // sessions kept from all batches' pages
	scratch []Session        // the page being decoded
	arena   []*Session       // the current batch's pages, in arrival order
	spans   map[string]pageSpan
}

// dialogMark is what the listing knows of one dialog ID; 0 means none.
type dialogMark struct {
	prev int32 // 1 + its place in listing.prev
	page int32 // 1 + the index of the first page it came in
}

type pageSpan struct {
	index    int // page number: OFFSET / LIMIT
	from, to int
	more     bool
	err      error // the page was not readable
}

func newListing(sizeHint int, prev []*Session, lines []Line) *listing {
	l := &listing{
		dialogs: make(map[string]dialogMark, max(sizeHint, len(prev))), prev: prev,
		arena: make([]*Session, 0, sizeHint), spans: map[string]pageSpan{}, names: lineNames(lines),
	}
	for i, p := range prev {
		l.dialogs[p.DialogID] = dialogMark{prev: int32(i + 1)}
	}
	return l
}

// previous is the last snapshot's version of the session with this mark.
func (l *listing) previous(m dialogMark) *Session {
	if m.prev == 0 {
		return nil
	}
	return l.prev[m.prev-1]
}

// shared reports whether s is the last snapshot's: it must then not be
// changed, since the caller may still be reading it.
func (l *listing) shared(s *Session) bool { return l.previous(l.dialogs[s.DialogID]) == s }

// firstPage is the index of the page the dialog was first seen on; -1
// when no page had it.
func (l *listing) firstPage(dialogID string) int { return int(l.dialogs[dialogID].page) - 1 }

// reset forgets the current batch's pages: its answer is being read again.
func (l *listing) reset() {
	for _, sp := range l.spans {
		l.decoded -= sp.to - sp.from
	}
	for d, m := range l.dialogs {
		switch {
		case int(m.page)-1 < l.pages:
		case m.prev == 0:
			delete(l.dialogs, d)
		default:
			l.dialogs[d] = dialogMark{prev: m.prev}
		}
	}
	clear(l.arena)
	l.arena = l.arena[:0]
	clear(l.spans)
}

// page decodes the page with the given command key as it arrives. An item
// already seen on the same or an earlier page is dropped at once; one seen
// only on a later page (an answer out of order) is kept, and add sorts it
// out.
func (l *listing) page(key string) func([]byte) {
	offset, err := strconv.Atoi(strings.TrimPrefix(key, "page"))
	if !strings.HasPrefix(key, "page") || err != nil {
		return nil
	}
	index := offset / pageLimit
	return func(raw []byte) {
		from := len(l.arena)
		var more bool
		var err error
		l.scratch, more, err = appendRecentSessions(l.scratch[:0], raw, pageLimit)
		if err != nil {
			l.scratch = l.scratch[:0]
		}
		for i := range l.scratch {
			s := &l.scratch[i]
			m := l.dialogs[s.DialogID]
			if s.DialogID == "" || m.page > 0 && int(m.page)-1 <= index {
				continue
			}
			m.page = int32(index + 1)
			l.dialogs[s.DialogID] = m
			s.LineName = l.names[s.LineID]
			l.arena = append(l.arena, keep(s, l.previous(m)))
		}
		clear(l.scratch) // drop what the page's items pointed to
		l.spans[key] = pageSpan{index: index, from: from, to: len(l.arena), more: more, err: err}
		l.decoded += len(l.arena) - from
	}
}

// Snapshot reads who I am, my lines and all my open-line sessions (current
// and closed) in as few HTTP requests as batch allows: one batch with
// user.current (once per client), imopenlines.config.list.get (every 10
// minutes, when it leaves room for the pages) and as many im.recent.list
// pages as the last refresh needed plus one; if the last page still says
// hasMore, another batch follows. So a list of fewer than 10,000 rows (50
// pages of 200, the most one batch holds) costs one request per refresh
// once its size is known. Pages are decoded as the answer arrives. A failed
// command fails the whole snapshot with its typed error: a partial list is
// never returned as complete. A list longer than MaxListRows is cut there
// and marked Truncated.
func (c *Client) Snapshot(ctx context.Context) (Snapshot, error) {
	var snap Snapshot
	me, lines, linesFresh, pages := c.cache.get(c.now())
	l := newListing(c.cache.sizeHint(), c.cache.getPrev(), lines)
	n := firstPages
	if pages > 0 {
		n = pages + 1
	}
	wantLines := !linesFresh
	for first := true; ; first = false {
		var cmds []BatchCommand
		if first && me == nil {
			cmds = append(cmds, BatchCommand{Key: "me", Method: MethodCurrentUser})
		}
		want := min(n, maxPages-l.pages)
		// The line names are re-read when they have room: a stale name is
		// better than a second request per refresh for a 10,000-row list.
		if wantLines && (lines == nil || len(cmds)+1+want <= MaxBatch) {
			cmds = append(cmds, BatchCommand{Key: "lines", Method: MethodLines, Params: linesParams})
			wantLines = false
		}
		cmds = appendPages(cmds, l.pages, min(want, MaxBatch-len(cmds)))
		res, err := c.batchStream(ctx, cmds, false, &snap.Requests, l)
		if err != nil {
			return Snapshot{}, err
		}
		if me, lines, err = c.readHeader(res, me, lines); err != nil {
			return Snapshot{}, err
		}
		done, err := l.add(res, cmds)
		if err != nil {
			return Snapshot{}, err
		}
		if done {
			break
		}
		if l.pages >= maxPages {
			snap.Truncated = true
			break
		}
		n = max(l.pages, 2) // grow: double what was read so far
	}
	l.nameLines(lines)
	c.cache.setPages(l.pages, l.decoded)
	c.cache.setPrev(l.sessions)
	snap.Me, snap.Lines, snap.Sessions = *me, lines, l.sessions
	snap.Fetched = c.now()
	return snap, nil
}

// appendPages adds n im.recent.list commands starting at page index from.
func appendPages(cmds []BatchCommand, from, n int) []BatchCommand {
	for i := range n {
		offset := (from + i) * pageLimit
		cmds = append(cmds, BatchCommand{
			Key:    "page" + strconv.Itoa(offset),
			Method: MethodRecentList,
			Params: map[string]any{
				"SKIP_DIALOG": "Y", "SKIP_CHAT": "Y", "SKIP_OPENLINES": "N",
				"SKIP_UNDISTRIBUTED_OPENLINES": "N", "LIMIT": pageLimit, "OFFSET": offset,
			},
		})
	}
	return cmds
}

// readHeader takes user.current and the lines from the first batch, when
// they were asked for, and caches them.
func (c *Client) readHeader(res *BatchResult, me *User, lines []Line) (*User, []Line, error) {
	if _, asked := res.Methods["me"]; asked {
		if err := res.Err("me"); err != nil {
			return nil, nil, err
		}
		u, err := decodeUser(res.Results["me"])
		if err != nil {
			return nil, nil, err
		}
		c.cache.setMe(u)
		me = &u
	}
	if _, asked := res.Methods["lines"]; asked {
		if err := res.Err("lines"); err != nil {
			return nil, nil, err
		}
		lines = decodeLines(res.Results["lines"])
		c.cache.setLines(lines, c.now())
	}
	return me, lines, nil
}

// add consumes the batch's pages in order and reports whether the listing
// is complete. Pages after the first one without hasMore are spares and are
// ignored, errors included.
func (l *listing) add(res *BatchResult, cmds []BatchCommand) (bool, error) {
	var use []pageSpan
	done := false
	for _, cmd := range cmds {
		if cmd.Method != MethodRecentList {
			continue
		}
		if err := res.Err(cmd.Key); err != nil {
			return false, err
		}
		span, ok := l.spans[cmd.Key]
		if !ok {
			return false, fmt.Errorf("%s: the batch answer lost page %q", MethodRecentList, cmd.Key)
		}
		if span.err != nil {
			return false, fmt.Errorf("%s: unreadable page: %v", MethodRecentList, span.err)
		}
		use = append(use, span)
		if !span.more {
			done = true
			break
		}
	}
	inPlace := len(l.sessions) == 0
	for i := 1; i < len(use) && inPlace; i++ {
		inPlace = use[i].from >= use[i-1].to
	}
	dst := l.sessions
	if inPlace {
		// Writing never overtakes reading: every span starts at or after
		// the end of the one before.
		dst = l.arena[:0]
	}
	for _, span := range use {
		l.pages++
		for _, s := range l.arena[span.from:span.to] {
			if l.firstPage(s.DialogID) == span.index { // its first page: keep it here
				dst = append(dst, s)
			}
		}
	}
	l.sessions = dst
	if inPlace {
		l.arena = nil // it holds the listing now; another batch gets its own
	}
	return done, nil
}

func lineNames(lines []Line) map[int64]string {
	names := make(map[int64]string, len(lines))
	for _, ln := range lines {
		names[ln.ID] = ln.Name
	}
	return names
}

// nameLines gives every session its line's name from lines, the list the
// refresh ended with. The pages were named from the lines known when the
// listing began, so this changes something only when the names changed
// or were not known yet; a session shared with the last snapshot is then
// copied, never changed.
func (l *listing) nameLines(lines []Line) {
	names := lineNames(lines)
	for i, s := range l.sessions {
		name := names[s.LineID]
		if s.LineName == name {
			continue
		}
		if l.shared(s) {
			c := *s
			s = &c
			l.sessions[i] = s
		}
		s.LineName = name
	}
}
