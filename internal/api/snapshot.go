package api

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"
)

// Snapshot tuning (PROTOCOL §4.4, §7.2).
const (
	pageLimit  = 200              // im.recent.list LIMIT (the maximum)
	firstPages = 3                // pages asked for before the list size is known
	maxPages   = 250              // 50,000 rows: beyond this the portal is looping
	linesTTL   = 10 * time.Minute // how long line names are trusted
)

// snapshotCache keeps what a refresh need not re-read: the user (never
// changes for a client), the line names (re-read every linesTTL) and how
// many pages the last listing needed.
type snapshotCache struct {
	mu      sync.Mutex
	me      *User
	lines   []Line
	linesAt time.Time
	pages   int
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

func (s *snapshotCache) setPages(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pages = n
}

func (s *snapshotCache) get(now time.Time) (me *User, lines []Line, linesFresh bool, pages int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fresh := !s.linesAt.IsZero() && now.Sub(s.linesAt) < linesTTL && now.After(s.linesAt.Add(-time.Minute))
	return s.me, s.lines, fresh, s.pages
}

// listing accumulates im.recent.list pages: de-duplicated by item id
// (first occurrence wins), open-line chats only.
type listing struct {
	seen     map[string]bool
	sessions []Session
	pages    int // pages consumed, including the last
}

// Snapshot reads who I am, my lines and all my open-line sessions (current
// and closed) in as few HTTP requests as batch allows: one batch with
// user.current (once per client), imopenlines.config.list.get (every 10
// minutes) and as many im.recent.list pages as the last refresh needed plus
// one; if the last page still says hasMore, another batch follows. A failed
// command fails the whole snapshot with its typed error: a partial list is
// never returned as complete.
func (c *Client) Snapshot(ctx context.Context) (Snapshot, error) {
	var snap Snapshot
	me, lines, linesFresh, pages := c.cache.get(c.now())
	l := &listing{seen: make(map[string]bool)}
	n := firstPages
	if pages > 0 {
		n = pages + 1
	}
	for first := true; ; first = false {
		var cmds []BatchCommand
		if first && me == nil {
			cmds = append(cmds, BatchCommand{Key: "me", Method: MethodCurrentUser})
		}
		if first && !linesFresh {
			cmds = append(cmds, BatchCommand{Key: "lines", Method: MethodLines, Params: linesParams})
		}
		cmds = appendPages(cmds, l.pages, min(n, MaxBatch-len(cmds)))
		res, err := c.batch(ctx, cmds, false, &snap.Requests)
		if err != nil {
			return Snapshot{}, err
		}
		if first {
			if me, lines, err = c.readHeader(res, me, lines); err != nil {
				return Snapshot{}, err
			}
		}
		done, err := l.add(res, cmds)
		if err != nil {
			return Snapshot{}, err
		}
		if done {
			break
		}
		if l.pages >= maxPages {
			return Snapshot{}, fmt.Errorf("%s: still more after %d pages; the portal keeps saying hasMore", MethodRecentList, l.pages)
		}
		n = max(l.pages, 2) // grow: double what was read so far
	}
	c.cache.setPages(l.pages)
	snap.Me, snap.Lines, snap.Sessions = *me, lines, l.sessions
	nameLines(snap.Sessions, lines)
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
	for _, cmd := range cmds {
		if cmd.Method != MethodRecentList {
			continue
		}
		if err := res.Err(cmd.Key); err != nil {
			return false, err
		}
		sessions, more, err := decodeRecentSessions(res.Results[cmd.Key], pageLimit)
		if err != nil {
			return false, fmt.Errorf("%s: unreadable page: %v", MethodRecentList, err)
		}
		l.pages++
		l.addSessions(sessions)
		if !more {
			return true, nil
		}
	}
	return false, nil
}

func (l *listing) addSessions(sessions []Session) {
	for _, s := range sessions {
		if s.DialogID == "" || l.seen[s.DialogID] {
			continue
		}
		l.seen[s.DialogID] = true
		l.sessions = append(l.sessions, s)
	}
}

func nameLines(sessions []Session, lines []Line) {
	names := make(map[int64]string, len(lines))
	for _, ln := range lines {
		names[ln.ID] = ln.Name
	}
	for i := range sessions {
		sessions[i].LineName = names[sessions[i].LineID]
	}
}
