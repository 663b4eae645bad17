package i18n

import "testing"

var sessionsRU = Forms{One: "сессия", Few: "сессии", Many: "сессий", Other: "сессии"}
var sessionsEN = Forms{One: "session", Other: "sessions"}

func TestRussianPlurals(t *testing.T) {
	cases := map[int]string{
		0: "0 сессий", 1: "1 сессия", 2: "2 сессии", 4: "4 сессии", 5: "5 сессий",
		11: "11 сессий", 12: "12 сессий", 14: "14 сессий", 21: "21 сессия", 22: "22 сессии",
		25: "25 сессий", 101: "101 сессия", 111: "111 сессий", 1000: "1\u00a0000 сессий",
		10000: "10\u00a0000 сессий",
	}
	for n, want := range cases {
		if got := RU.N(n, sessionsRU); got != want {
			t.Errorf("RU.N(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestEnglishPlurals(t *testing.T) {
	cases := map[int]string{0: "0 sessions", 1: "1 session", 2: "2 sessions", 21: "21 sessions", 10000: "10,000 sessions"}
	for n, want := range cases {
		if got := EN.N(n, sessionsEN); got != want {
			t.Errorf("EN.N(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestPickFallsBack(t *testing.T) {
	if got := RU.Pick(5, Forms{One: "x", Other: "y"}); got != "y" {
		t.Errorf("missing Many should fall back to Other, got %q", got)
	}
	if got := EN.Pick(2, Forms{One: "only"}); got != "only" {
		t.Errorf("missing Other should fall back to One, got %q", got)
	}
}

func TestParse(t *testing.T) {
	cases := map[string]Lang{
		"ru": RU, "ru_RU.UTF-8": RU, "RU-ru": RU, "ru.KOI8-R": RU,
		"en_US.UTF-8": EN, "C": EN, "": EN, "rus": EN, "de_DE": EN,
	}
	for in, want := range cases {
		if got := Parse(in); got != want {
			t.Errorf("Parse(%q) = %q, want %q", in, got, want)
		}
	}
}
