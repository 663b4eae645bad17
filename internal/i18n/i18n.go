package i18n

import (
	"strings"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// Lang is a language linedesk speaks.
type Lang string

// The languages with a full text table.
const (
	EN Lang = "en"
	RU Lang = "ru"
)

// Parse maps "ru", "ru_RU.UTF-8", "ru-RU" … to RU and anything else to EN.
func Parse(s string) Lang {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "ru" || strings.HasPrefix(s, "ru_") || strings.HasPrefix(s, "ru-") || strings.HasPrefix(s, "ru.") {
		return RU
	}
	return EN
}

// Tag is the BCP 47 tag of the language.
func (l Lang) Tag() language.Tag {
	if l == RU {
		return language.Russian
	}
	return language.English
}

// Forms are the plural forms of one phrase. English uses One and Other;
// Russian uses One (1, 21, 101 …), Few (2–4, 22–24 …) and Many (5–20, 25 …),
// and Other for fractions. An empty form falls back to Other, then One.
type Forms struct {
	One, Few, Many, Other string
}

// Pick chooses the form for the integer n by the CLDR cardinal rules of l.
func (l Lang) Pick(n int, f Forms) string {
	if n < 0 {
		n = -n
	}
	var s string
	switch plural.Cardinal.MatchPlural(l.Tag(), n, 0, 0, 0, 0) {
	case plural.One:
		s = f.One
	case plural.Few:
		s = f.Few
	case plural.Many:
		s = f.Many
	}
	if s == "" {
		s = f.Other
	}
	if s == "" {
		s = f.One
	}
	return s
}

// Count writes n with the language's digit grouping per CLDR: "10,000" in
// English, "10 000" (with a no-break space) in Russian.
func (l Lang) Count(n int) string {
	return message.NewPrinter(l.Tag()).Sprintf("%d", n)
}

// N is Count(n) + " " + Pick(n, f): "5 сессий", "1 session".
func (l Lang) N(n int, f Forms) string { return l.Count(n) + " " + l.Pick(n, f) }
