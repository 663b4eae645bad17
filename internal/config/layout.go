package config

import (
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
)

// BurntSushi/toml keeps key positions private, so a small scanner finds
// them: the line of each key for error messages, and the byte span of each
// value so that SaveTokens can replace a value without disturbing the
// user's comments and layout. It runs only on text the TOML parser has
// accepted, and never panics on anything else.

// keyPos is where a key sits in the text.
type keyPos struct {
	at       int  // offset of the key (or of the '[' of its table header)
	valStart int  // value span; -1 for tables and implicit keys
	valEnd   int  //
	nested   bool // inside an inline table or an array
}

type layout struct {
	text    string
	nl      []int             // offsets of '\n'
	keys    map[string]keyPos // by toml.Key.String()
	headers map[string]int    // [table] path → offset just after its header line
	first   int               // offset of the first table header, -1 if none
}

const maxNesting = 200

func scanLayout(text string) *layout {
	l := &layout{text: text, keys: map[string]keyPos{}, headers: map[string]int{}, first: -1}
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			l.nl = append(l.nl, i)
		}
	}
	sc := &scanner{s: text, l: l}
	sc.document()
	return l
}

// line returns the 1-based line of offset.
func (l *layout) line(offset int) int {
	return sort.SearchInts(l.nl, offset) + 1
}

// lineOf returns the line of key, or 0 when the scanner did not see it.
func (l *layout) lineOf(key []string) int {
	if p, ok := l.keys[toml.Key(key).String()]; ok {
		return l.line(p.at)
	}
	return 0
}

type scanner struct {
	s     string
	i     int
	l     *layout
	depth int
}

func (sc *scanner) eof() bool { return sc.i >= len(sc.s) }

func (sc *scanner) peek() byte {
	if sc.eof() {
		return 0
	}
	return sc.s[sc.i]
}

func (sc *scanner) record(path []string, p keyPos) {
	k := toml.Key(path).String()
	if _, ok := sc.l.keys[k]; !ok {
		sc.l.keys[k] = p
	}
}

// recordParents records the implicit tables of a dotted key or header.
func (sc *scanner) recordParents(path []string, at int) {
	for n := 1; n < len(path); n++ {
		sc.record(path[:n], keyPos{at: at, valStart: -1, valEnd: -1})
	}
}

func (sc *scanner) skipBlank() { // spaces and tabs
	for !sc.eof() && (sc.s[sc.i] == ' ' || sc.s[sc.i] == '\t') {
		sc.i++
	}
}

// skipSpace skips whitespace, newlines and comments.
func (sc *scanner) skipSpace() {
	for !sc.eof() {
		switch sc.s[sc.i] {
		case ' ', '\t', '\r', '\n':
			sc.i++
		case '#':
			sc.skipLine()
		default:
			return
		}
	}
}

// skipLine moves past the next newline.
func (sc *scanner) skipLine() {
	if j := strings.IndexByte(sc.s[sc.i:], '\n'); j >= 0 {
		sc.i += j + 1
	} else {
		sc.i = len(sc.s)
	}
}

func (sc *scanner) document() {
	var table []string
	for {
		sc.skipSpace()
		if sc.eof() {
			return
		}
		start := sc.i
		if sc.peek() == '[' {
			array := strings.HasPrefix(sc.s[sc.i:], "[[")
			if array {
				sc.i += 2
			} else {
				sc.i++
			}
			parts := sc.keyParts()
			sc.skipLine()
			if len(parts) == 0 {
				continue
			}
			table = parts
			if sc.l.first < 0 {
				sc.l.first = start
			}
			sc.recordParents(parts, start)
			sc.record(parts, keyPos{at: start, valStart: -1, valEnd: -1})
			if _, ok := sc.l.headers[toml.Key(parts).String()]; !ok && !array {
				sc.l.headers[toml.Key(parts).String()] = sc.i
			}
			continue
		}
		sc.keyValue(table, start, false)
		if sc.i == start {
			sc.i++ // not a key: make progress
		}
	}
}

// keyValue scans `dotted.key = value` under prefix, starting at start.
func (sc *scanner) keyValue(prefix []string, start int, nested bool) {
	parts := sc.keyParts()
	if len(parts) == 0 {
		return
	}
	sc.skipBlank()
	if sc.peek() != '=' {
		return
	}
	sc.i++
	sc.skipBlank()
	full := append(append([]string(nil), prefix...), parts...)
	for n := len(prefix) + 1; n < len(full); n++ {
		sc.record(full[:n], keyPos{at: start, valStart: -1, valEnd: -1, nested: nested})
	}
	vs := sc.i
	sc.value(full)
	sc.record(full, keyPos{at: start, valStart: vs, valEnd: sc.i, nested: nested})
}

// keyParts reads a dotted key; nil when there is none here.
func (sc *scanner) keyParts() []string {
	var parts []string
	for {
		sc.skipBlank()
		if sc.eof() {
			return parts
		}
		var part string
		switch c := sc.peek(); c {
		case '"':
			end := sc.basicEnd(sc.i + 1)
			part = unescapeBasic(sc.s[sc.i+1 : max(sc.i+1, end-1)])
			sc.i = end
		case '\'':
			j := strings.IndexAny(sc.s[sc.i+1:], "'\n")
			if j < 0 {
				part, sc.i = sc.s[sc.i+1:], len(sc.s)
			} else {
				part, sc.i = sc.s[sc.i+1:sc.i+1+j], sc.i+2+j
			}
		default:
			j := sc.i
			for j < len(sc.s) && !strings.ContainsRune(" \t\r\n=.[]#,{}\"'", rune(sc.s[j])) {
				j++
			}
			if j == sc.i {
				return parts
			}
			part, sc.i = sc.s[sc.i:j], j
		}
		parts = append(parts, part)
		sc.skipBlank()
		if sc.peek() != '.' {
			return parts
		}
		sc.i++
	}
}

// basicEnd returns the offset just past the closing quote of a one-line
// basic string whose content starts at from.
func (sc *scanner) basicEnd(from int) int {
	j := from
	for j < len(sc.s) {
		switch sc.s[j] {
		case '\\':
			j += 2
			continue
		case '"':
			return j + 1
		case '\n':
			return j
		}
		j++
	}
	return len(sc.s)
}

// multiEnd returns the offset just past a multi-line string's closing
// delimiter (q is `"""` or `”'`); content starts at from.
func (sc *scanner) multiEnd(from int, q string) int {
	j := from
	for j < len(sc.s) {
		if q[0] == '"' && sc.s[j] == '\\' {
			j += 2
			continue
		}
		if strings.HasPrefix(sc.s[j:], q) {
			j += 3
			for extra := 0; extra < 2 && j < len(sc.s) && sc.s[j] == q[0]; extra++ {
				j++
			}
			return j
		}
		j++
	}
	return len(sc.s)
}

// value scans one value; keys inside inline tables are recorded under path.
func (sc *scanner) value(path []string) {
	if sc.eof() {
		return
	}
	sc.depth++
	defer func() { sc.depth-- }()
	rest := sc.s[sc.i:]
	switch {
	case strings.HasPrefix(rest, `"""`):
		sc.i = sc.multiEnd(sc.i+3, `"""`)
	case strings.HasPrefix(rest, `'''`):
		sc.i = sc.multiEnd(sc.i+3, `'''`)
	case rest[0] == '"':
		sc.i = sc.basicEnd(sc.i + 1)
	case rest[0] == '\'':
		if j := strings.IndexAny(rest[1:], "'\n"); j >= 0 && rest[1+j] == '\'' {
			sc.i += j + 2
		} else if j >= 0 {
			sc.i += j + 1
		} else {
			sc.i = len(sc.s)
		}
	case (rest[0] == '[' || rest[0] == '{') && sc.depth > maxNesting:
		sc.skipLine()
	case rest[0] == '[':
		sc.i++
		for {
			sc.skipSpace()
			if sc.eof() {
				return
			}
			switch sc.peek() {
			case ']':
				sc.i++
				return
			case ',':
				sc.i++
				continue
			}
			before := sc.i
			sc.value(path)
			if sc.i == before {
				sc.i++
			}
		}
	case rest[0] == '{':
		sc.i++
		for {
			sc.skipSpace()
			if sc.eof() {
				return
			}
			switch sc.peek() {
			case '}':
				sc.i++
				return
			case ',':
				sc.i++
				continue
			}
			before := sc.i
			sc.keyValue(path, before, true)
			if sc.i == before {
				sc.i++
			}
		}
	default:
		j := sc.i
		for j < len(sc.s) && !strings.ContainsRune(",]}#\r\n", rune(sc.s[j])) {
			j++
		}
		for j > sc.i && (sc.s[j-1] == ' ' || sc.s[j-1] == '\t') {
			j--
		}
		sc.i = j
	}
}

// unescapeBasic decodes a basic string's escapes (TOML 1.1), leaving
// anything it does not understand as it is.
func unescapeBasic(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		i++
		switch s[i] {
		case 'b':
			b.WriteByte('\b')
		case 't':
			b.WriteByte('\t')
		case 'n':
			b.WriteByte('\n')
		case 'f':
			b.WriteByte('\f')
		case 'r':
			b.WriteByte('\r')
		case 'e':
			b.WriteByte(0x1b)
		case '"', '\\':
			b.WriteByte(s[i])
		case 'x', 'u', 'U':
			n := map[byte]int{'x': 2, 'u': 4, 'U': 8}[s[i]]
			if i+1+n <= len(s) {
				if r, err := strconv.ParseUint(s[i+1:i+1+n], 16, 32); err == nil && utf8.ValidRune(rune(r)) {
					b.WriteRune(rune(r))
					i += n
					continue
				}
			}
			b.WriteByte('\\')
			b.WriteByte(s[i])
		default:
			b.WriteByte('\\')
			b.WriteByte(s[i])
		}
	}
	return b.String()
}
