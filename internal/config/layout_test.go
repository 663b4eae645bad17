package config

import (
	"testing"

	"github.com/BurntSushi/toml"
)

func TestLayoutLines(t *testing.T) {
	text := `# top
a = 1
"quoted.key" = "x"   # comment with = and [brackets]
b.c.d = 'lit'
multi = """
line "one"
"""
e = 2
arr = [
  1, # one
  { x = 1 },
]
[t]  # table
inline = { p = 1, q = { r = "}" } }
date = 1979-05-27 07:32:00Z
[ "s p" . 'u' ]
v = true
[[aot]]
w = 1
[[aot]]
w = 2
z = '''
]
'''
last = "\u00e9\"" # escaped
`
	want := map[string]int{
		"a": 2, `"quoted.key"`: 3, "b": 4, "b.c": 4, "b.c.d": 4, "multi": 5, "e": 8,
		"arr": 9, "arr.x": 11, "t": 13, "t.inline": 14, "t.inline.p": 14, "t.inline.q": 14,
		"t.inline.q.r": 14, "t.date": 15, `"s p"`: 16, `"s p".u`: 16, `"s p".u.v`: 17,
		"aot": 18, "aot.w": 19, "aot.z": 22, "aot.last": 25,
	}
	lay := scanLayout(text)
	for k, line := range want {
		p, ok := lay.keys[k]
		if !ok {
			t.Errorf("key %s not found", k)
			continue
		}
		if got := lay.line(p.at); got != line {
			t.Errorf("key %s on line %d, want %d", k, got, line)
		}
	}
	// Every key the TOML library reports is located.
	var m map[string]any
	md, err := toml.Decode(text, &m)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range md.Keys() {
		if lay.lineOf(k) == 0 {
			t.Errorf("library key %q not located", k.String())
		}
	}
	// Value spans cover exactly the value.
	for k, v := range map[string]string{"a": "1", "e": "2", "t.date": "1979-05-27 07:32:00Z", `"quoted.key"`: `"x"`, "b.c.d": "'lit'", "aot.last": `"\u00e9\""`} {
		p := lay.keys[k]
		if got := text[p.valStart:p.valEnd]; got != v {
			t.Errorf("value of %s = %q, want %q", k, got, v)
		}
	}
	if got := lay.headers["t"]; text[got-1] != '\n' || text[got:got+6] != "inline" {
		t.Errorf("insertion point of [t] at %d: %q", got, text[got:got+6])
	}
}

// FuzzLayout: for any text the TOML library accepts, the scanner finds
// every key it reports; for any text at all, it does not panic.
func FuzzLayout(f *testing.F) {
	for _, s := range []string{fullFile, "a.b = {c = [1, {d = 2}]}\n", "x = \"\"\"\na = 1\n\"\"\"\n", "[a]\n[[a.b]]\nc = 1\n", "'k' = 1", "k = '''a''''\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		lay := scanLayout(text)
		var m map[string]any
		md, err := toml.Decode(text, &m)
		if err != nil {
			return
		}
		for _, k := range md.Keys() {
			if lay.lineOf(k) == 0 {
				t.Fatalf("key %q of %q not located", k.String(), text)
			}
		}
	})
}

func TestLayoutEscapedKeys(t *testing.T) {
	text := "\"a\\u0041\\tb\" = 1\n\"\\x41\\\\\\\"\" = 2\n'lit\\n' = 3\n"
	var m map[string]any
	md, err := toml.Decode(text, &m)
	if err != nil {
		t.Fatal(err)
	}
	lay := scanLayout(text)
	for i, k := range md.Keys() {
		if got := lay.lineOf(k); got != i+1 {
			t.Errorf("key %q on line %d, want %d", k.String(), got, i+1)
		}
	}
	if len(md.Keys()) != 3 {
		t.Fatalf("keys: %v", md.Keys())
	}
}
