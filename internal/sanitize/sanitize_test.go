package sanitize

import (
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLine(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"plain", "Hello, where is my order?", "Hello, where is my order?"},
		{"cyrillic", "Мария Петрова", "Мария Петрова"},
		{"newlines collapse", "one\n\ntwo\r\nthree\tfour", "one two three four"},
		{"leading and trailing space", "  padded  ", "padded"},
		{"SGR colour", "\x1b[31mred\x1b[0m text", "red text"},
		{"CSI with params", "a\x1b[38;2;1;2;3mb", "ab"},
		{"cursor movement", "x\x1b[2J\x1b[Hy", "xy"},
		{"OSC title with BEL", "\x1b]0;pwned\x07safe", "safe"},
		{"OSC 52 clipboard with ST", "\x1b]52;c;ZXZpbA==\x1b\\after", "after"},
		{"OSC 8 hyperlink", "\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\", "link"},
		{"DCS string", "\x1bPq#0;2;0;0;0\x1b\\ok", "ok"},
		{"C1 CSI", "a\u009b31mb", "ab"},
		{"C1 OSC ended by C1 ST", "a\u009d0;t\u009cb", "ab"},
		{"two-byte escape", "a\x1bcb", "ab"},
		{"bell and backspace", "ding\x07\x08!", "ding!"},
		{"DEL", "a\x7fb", "ab"},
		{"bidi override", "user\u202eexe.txt", "userexe.txt"},
		{"bidi isolates", "\u2067abc\u2069", "abc"},
		{"invalid utf8", "a\xffb", "a\ufffdb"},
		{"emoji with ZWJ kept", "👩\u200d💻 hi", "👩\u200d💻 hi"},
		{"lone ESC at end", "tail\x1b", "tail"},
		{"unterminated CSI", "a\x1b[12", "a"},
		{"empty", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Line(c.in); got != c.want {
				t.Errorf("Line(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

func TestText(t *testing.T) {
	cases := []struct{ in, want string }{
		{"line one\r\nline two\nthree", "line one\nline two\nthree"},
		{"keep  double  spaces", "keep  double  spaces"},
		{"\x1b[1mbold\x1b[0m\nnext", "bold\nnext"},
		{"mac\rbreak", "mac\nbreak"},
		{"tab\there", "tab here"},
	}
	for _, c := range cases {
		if got := Text(c.in); got != c.want {
			t.Errorf("Text(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestTruncate(t *testing.T) {
	cases := []struct {
		in    string
		width int
		want  string
	}{
		{"short", 10, "short"},
		{"exactly10!", 10, "exactly10!"},
		{"eleven char", 10, "eleven ch…"},
		{"Мария Петрова", 6, "Мария…"},
		{"李雷和韩梅梅", 5, "李雷…"}, // CJK is two cells: 4 + ellipsis
		{"abc", 0, ""},
		{"abc", 1, "…"},
	}
	for _, c := range cases {
		got := Truncate(c.in, c.width)
		if got != c.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", c.in, c.width, got, c.want)
		}
		if w := Width(got); w > c.width && c.width >= 0 {
			t.Errorf("Truncate(%q, %d) is %d cells wide", c.in, c.width, w)
		}
	}
}

func TestPlainInputIsNotCopied(t *testing.T) {
	s := strings.Repeat("abc ", 10) + "end"
	if got := Line(s); got != s {
		t.Fatalf("plain text changed: %q", got)
	}
	if n := testing.AllocsPerRun(100, func() { _ = Line(s) }); n != 0 {
		t.Errorf("Line allocated %v times on plain ASCII", n)
	}
}

// checkSafe asserts the invariants every sanitised string must hold.
func checkSafe(t *testing.T, in, out string, multiline bool) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Fatalf("invalid UTF-8 out of %q: %q", in, out)
	}
	for _, r := range out {
		switch {
		case r == '\n' && multiline:
		case r < 0x20, r >= 0x7f && r <= 0x9f:
			t.Fatalf("control %U survived in %q (from %q)", r, out, in)
		case isFormatControl(r):
			t.Fatalf("format control %U survived in %q (from %q)", r, out, in)
		}
	}
}

func FuzzLine(f *testing.F) {
	for _, s := range []string{
		"plain", "\x1b[31mred", "\x1b]0;t\x07", "\x1bP\x1b\\", "\u202e", "a\xffb", "\u009b1m",
		"Мария\r\nПетрова", "👩\u200d💻", "\x1b]52;c;AA==\x1b\\", "\x1b[?1049h", "李雷",
	} {
		f.Add(s, 10)
	}
	f.Fuzz(func(t *testing.T, s string, width int) {
		line := Line(s)
		checkSafe(t, s, line, false)
		if strings.ContainsRune(line, '\n') {
			t.Fatalf("Line kept a newline: %q", line)
		}
		if again := Line(line); again != line {
			t.Fatalf("Line is not idempotent: %q then %q", line, again)
		}
		text := Text(s)
		checkSafe(t, s, text, true)
		width = width % 200
		if width < 0 {
			width = -width
		}
		cut := Truncate(line, width)
		if w := Width(cut); w > width {
			t.Fatalf("Truncate(%q, %d) is %d cells wide", line, width, w)
		}
		if cut != line && !strings.HasPrefix(line, strings.TrimSuffix(cut, Ellipsis)) {
			t.Fatalf("Truncate(%q, %d) = %q is not a cut of it", line, width, cut)
		}
		if fit := Fit(s, width); fit != cut || Width(fit) > width {
			t.Fatalf("Fit(%q, %d) = %q, want %q", s, width, fit, cut)
		}
		// Head: a prefix of at most width bytes, cut where a rune starts
		// (at most three bytes short of width; invalid bytes may be cut
		// anywhere), and whatever it leaves open is still cleaned safely.
		head, cutHead := Head(s, width)
		n := len(head)
		if !strings.HasPrefix(s, head) || n > width || cutHead != (len(s) > width) ||
			cutHead && (n < width-3 || n > 0 && n > width-3 && !utf8.RuneStart(s[n])) {
			t.Fatalf("Head(%q, %d) = %q, %v", s, width, head, cutHead)
		}
		checkSafe(t, head, Text(head), true)
	})
}

func BenchmarkLine(b *testing.B) {
	plain := "Hello, where is my order? I paid yesterday."
	dirty := "Здравствуйте!\n\x1b[31mЗаказ\x1b[0m №123 \u202eне пришёл"
	b.Run("plain", func(b *testing.B) {
		for b.Loop() {
			_ = Line(plain)
		}
	})
	b.Run("dirty", func(b *testing.B) {
		for b.Loop() {
			_ = Line(dirty)
		}
	})
}

// TestHostileMegabyte: a megabyte of text thick with escape sequences,
// bidi overrides and controls is cleaned in one pass: the memory it takes
// follows its length (twice the text costs twice, not four times) and the
// number of allocations does not grow with it.
func TestHostileMegabyte(t *testing.T) {
	piece := "Очень длинное имя \x1b[31mкрасное\x1b[0m \u202eобратно\u202c \x1b]0;title\x07\tтаб\r\n \x9b2J\x00"
	cost := func(n int) (allocs float64, bytes uint64) {
		s := strings.Repeat(piece, n/len(piece))
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		out := Line(s)
		runtime.ReadMemStats(&after)
		checkSafe(t, s[:200], out[:min(len(out), 400)], false)
		return testing.AllocsPerRun(3, func() { _ = Line(s) }), after.TotalAlloc - before.TotalAlloc
	}
	a1, b1 := cost(1 << 20)
	a2, b2 := cost(2 << 20)
	if a2 > a1 || b2 > 5*b1/2 {
		t.Errorf("1 MB: %v allocations, %d bytes; 2 MB: %v allocations, %d bytes", a1, b1, a2, b2)
	}
	// A table cell cleans only what it shows.
	s := strings.Repeat(piece, (1<<20)/len(piece))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	cell := Fit(s, 23)
	runtime.ReadMemStats(&after)
	if got := after.TotalAlloc - before.TotalAlloc; got > 16<<10 || cell != Truncate(Line(s), 23) {
		t.Errorf("Fit of a megabyte into 23 cells: %q, %d bytes allocated", cell, got)
	}
}

func TestHead(t *testing.T) {
	for _, c := range []struct {
		in   string
		n    int
		want string
		cut  bool
	}{
		{"hello", 10, "hello", false},
		{"hello", 5, "hello", false},
		{"hello", 3, "hel", true},
		{"привет", 3, "п", true}, // not inside the second letter
		{"привет", 4, "пр", true},
		{"日本", 2, "", true},
		{"a\xff\xfeb", 2, "a\xff", true}, // invalid bytes may be cut anywhere
		{"abc", -1, "", true},
	} {
		got, cut := Head(c.in, c.n)
		if got != c.want || cut != c.cut {
			t.Errorf("Head(%q, %d) = %q, %v; want %q, %v", c.in, c.n, got, cut, c.want, c.cut)
		}
	}
}
