package sanitize

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Ellipsis ends text that Truncate cut.
const Ellipsis = "…"

// Line returns s as one terminal-safe line: escape sequences (CSI, OSC, DCS,
// SOS, PM, APC, and their C1 forms) are dropped whole, other C0/C1 controls,
// DEL and bidi controls are dropped, line breaks and tabs become one space,
// runs of spaces collapse, and invalid UTF-8 becomes U+FFFD.
func Line(s string) string {
	return clean(s, false)
}

// Text is Line for multi-line text: it keeps '\n' (a "\r\n" pair counts as
// one) and collapses nothing else but the removed characters.
func Text(s string) string {
	return clean(s, true)
}

// Truncate cuts an already sanitised s to at most width display cells,
// ending it with an ellipsis when it was cut. A width below 1 gives "".
func Truncate(s string, width int) string {
	if width < 1 {
		return ""
	}
	if ansi.StringWidth(s) <= width {
		return s
	}
	return ansi.Truncate(s, width, Ellipsis)
}

// Width is the display width of an already sanitised s.
func Width(s string) int { return ansi.StringWidth(s) }

// Fit sanitises s as one line and cuts it to width: the common case for a
// table cell. It is Truncate(Line(s), width), but it cleans only as much of
// s as the cell can show, so a hostile megabyte costs what a name does.
func Fit(s string, width int) string {
	if width < 1 {
		return ""
	}
	// Clean growing prefixes until one is clearly wider than the cell.
	// Whatever a cut at the end of a prefix does (a sequence or a grapheme
	// left open, trailing spaces trimmed) stays in the cells Truncate
	// drops, because the prefix runs two cells past them.
	for n := 256; n < len(s); n *= 4 {
		cut := n
		for k := 0; k < utf8.UTFMax-1 && !utf8.RuneStart(s[cut]); k++ {
			cut-- // not inside a rune (invalid bytes may be cut anywhere)
		}
		if out := clean(s[:cut], false); Width(out) >= width+2 {
			return Truncate(out, width)
		}
	}
	return Truncate(Line(s), width)
}

// Head is at most the first n bytes of s, cut where a rune starts, and
// whether anything was cut. Cleaning Head(s) instead of s bounds the work
// for text that is shown only in part: whatever the cut leaves open (an
// escape sequence, half a grapheme) is dropped by Line and Text or sits at
// the end, where the caller puts its ellipsis.
func Head(s string, n int) (string, bool) {
	if len(s) <= n {
		return s, false
	}
	n = max(n, 0)
	for k := 0; n > 0 && k < utf8.UTFMax-1 && !utf8.RuneStart(s[n]); k++ {
		n--
	}
	return s[:n], true
}

const (
	esc = 0x1b
	bel = 0x07
)

// clean is a small state machine over runes. States: text, after ESC, inside
// a control sequence (CSI), inside a control string (OSC/DCS/SOS/PM/APC, which
// ends at BEL or ST).
func clean(s string, multiline bool) string {
	if isPlain(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	const (
		text = iota
		escape
		csi
		str
	)
	state := text
	space := false // last written rune was a space (Line collapses runs)
	put := func(r rune) {
		if r == ' ' && !multiline {
			if space || b.Len() == 0 {
				return
			}
			space = true
		} else {
			space = false
		}
		b.WriteRune(r)
	}
	prevCR := false
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		if r == utf8.RuneError && n <= 1 {
			r = utf8.RuneError // invalid byte: shown as U+FFFD
		}
		switch state {
		case escape:
			switch {
			case r == '[':
				state = csi
			case r == ']' || r == 'P' || r == 'X' || r == '^' || r == '_':
				state = str
			case r >= 0x20 && r <= 0x2f:
				// intermediate bytes of an nF sequence: keep skipping
			default:
				state = text // ESC + one final character
			}
			continue
		case csi:
			if r >= 0x40 && r <= 0x7e {
				state = text
			} else if r == esc {
				state = escape
			} else if r < 0x20 || r > 0x7e {
				state = text // malformed: end it, drop this rune too
			}
			continue
		case str:
			switch r {
			case bel, 0x9c:
				state = text
			case esc:
				// ESC \ is ST; any other ESC also ends the string.
				state = escape
			}
			continue
		}
		wasCR := prevCR
		prevCR = r == '\r'
		switch {
		case r == esc:
			state = escape
		case r == 0x9b: // C1 CSI
			state = csi
		case r == 0x9d || r == 0x90 || r == 0x98 || r == 0x9e || r == 0x9f: // C1 OSC DCS SOS PM APC
			state = str
		case r == '\n':
			if multiline {
				if !wasCR {
					b.WriteRune('\n')
				}
				space = false
			} else {
				put(' ')
			}
		case r == '\r':
			if multiline {
				b.WriteRune('\n')
				space = false
			} else {
				put(' ')
			}
		case r == '\t' || r == '\u2028' || r == '\u2029' || r == '\u0085':
			if multiline && r != '\t' {
				b.WriteRune('\n')
			} else {
				put(' ')
			}
		case r < 0x20 || (r >= 0x7f && r <= 0x9f):
			// other C0, DEL, C1: dropped
		case isFormatControl(r):
			// bidi and other invisible format controls: dropped
		default:
			put(r)
		}
	}
	out := b.String()
	if !multiline {
		out = strings.TrimRight(out, " ")
	}
	return out
}

// isPlain reports whether s is printable ASCII only, the common case, which
// needs no copy.
func isPlain(s string) bool {
	prevSpace := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f {
			return false
		}
		if c == ' ' && prevSpace {
			return false // leading or doubled space: let clean collapse it
		}
		prevSpace = c == ' '
	}
	return !prevSpace || len(s) == 0
}

// isFormatControl reports bidi embedding/override/isolate marks and other
// invisible characters that can reorder or hide text. The zero-width joiner
// (U+200D) and variation selectors stay: emoji need them.
func isFormatControl(r rune) bool {
	switch {
	case r == '\u061c', r == '\u200e', r == '\u200f': // ALM, LRM, RLM
		return true
	case r >= '\u202a' && r <= '\u202e': // LRE RLE PDF LRO RLO
		return true
	case r >= '\u2066' && r <= '\u2069': // LRI RLI FSI PDI
		return true
	case r == '\u200b', r == '\u2060', r == '\ufeff': // zero-width space, word joiner, BOM
		return true
	case r >= '\u206a' && r <= '\u206f': // deprecated format characters
		return true
	case r == '\ufff9', r == '\ufffa', r == '\ufffb': // interlinear annotation
		return true
	}
	return false
}
