package state

// Cursor is the selected row, remembered by key so that it follows its
// session across refreshes, plus the first visible row of a window of
// Height rows that always contains the selection.
type Cursor struct {
	key    int64
	index  int
	offset int
	height int
	valid  bool // false until a non-empty list was seen
}

// Selected returns the selected row index and key; ok is false when the
// list is empty.
func (c Cursor) Selected() (index int, key int64, ok bool) {
	return c.index, c.key, c.valid
}

// Offset is the index of the first visible row.
func (c Cursor) Offset() int { return c.offset }

// SetHeight sets how many rows are visible and keeps the selection in view.
func (c *Cursor) SetHeight(l List, h int) {
	c.height = max(h, 1)
	c.clamp(l)
}

// Move moves the selection by delta rows (negative: up), stopping at the ends.
func (c *Cursor) Move(l List, delta int) { c.jump(l, c.index+delta) }

// Page moves the selection and the window by one window height each.
func (c *Cursor) Page(l List, pages int) {
	d := pages * max(c.height, 1)
	c.offset += d
	c.jump(l, c.index+d)
}

// Home selects the first row.
func (c *Cursor) Home(l List) { c.jump(l, 0) }

// End selects the last row.
func (c *Cursor) End(l List) { c.jump(l, l.Len()-1) }

func (c *Cursor) jump(l List, i int) {
	if l.Len() == 0 {
		*c = Cursor{height: c.height}
		return
	}
	c.index = min(max(i, 0), l.Len()-1)
	c.key = l.At(c.index).Key
	c.valid = true
	c.clamp(l)
}

// Follow re-finds the selection after the list changed from old to cur: the
// same session if it is still listed, else the nearest session after it in
// the old order that still is, else the nearest before it, else the same
// row number. A window at the top of the list stays there (so arrivals and
// sessions that just changed show up) as long as the selection stays in
// view; otherwise the selection keeps its screen row where it can.
func (c *Cursor) Follow(old, cur List) {
	if cur.Len() == 0 {
		*c = Cursor{height: c.height}
		return
	}
	if !c.valid {
		c.jump(cur, 0)
		return
	}
	screenRow := c.index - c.offset
	i, ok := cur.Index(c.key)
	if !ok {
		i, ok = neighbour(old, cur, c.key, c.index)
	}
	if !ok {
		i = min(c.index, cur.Len()-1)
	}
	c.index = i
	c.key = cur.At(i).Key
	if c.offset != 0 || i >= max(c.height, 1) {
		c.offset = i - screenRow
	}
	c.clamp(cur)
}

func neighbour(old, cur List, key int64, index int) (int, bool) {
	at, ok := old.Index(key)
	if !ok {
		at = min(index, old.Len())
	}
	for j := at + 1; j < old.Len(); j++ {
		if i, ok := cur.Index(old.At(j).Key); ok {
			return i, true
		}
	}
	for j := min(at, old.Len()) - 1; j >= 0; j-- {
		if i, ok := cur.Index(old.At(j).Key); ok {
			return i, true
		}
	}
	return 0, false
}

// clamp keeps the index in range and the window around it and inside the list.
func (c *Cursor) clamp(l List) {
	n := l.Len()
	if n == 0 {
		c.index, c.offset = 0, 0
		return
	}
	c.index = min(max(c.index, 0), n-1)
	h := max(c.height, 1)
	if c.offset > c.index {
		c.offset = c.index
	}
	if c.index >= c.offset+h {
		c.offset = c.index - h + 1
	}
	c.offset = max(min(c.offset, n-h), 0)
}
