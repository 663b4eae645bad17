package ui

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// styles is every style the dashboard draws with. Colours come from the
// terminal's ANSI 16/256 palette and are picked for a dark or a light
// background; with NO_COLOR there is no colour at all and the cursor and
// highlights are carried by markers, bold and underline.
type styles struct {
	noColor bool

	header, headerApp, headerDim                    lipgloss.Style
	online, refreshing, rateLimited, offline        lipgloss.Style
	colTitle                                        lipgloss.Style
	row                                             lipgloss.Style
	cursor, hot, hotCursor                          paint // whole rows
	pin, attention, newOffer, unread, message, dimC lipgloss.Style
	statusInfo, statusOK, statusWarn, statusErr     lipgloss.Style
	helpKey, helpDesc, helpOff                      lipgloss.Style
	dialog, dialogTitle, button, buttonFocus        lipgloss.Style
	buttonDanger, dim                               lipgloss.Style
}

func newStyles(dark, noColor bool) styles {
	s := lipgloss.NewStyle
	if noColor {
		return styles{
			noColor:     true,
			header:      s(),
			headerApp:   s().Bold(true),
			headerDim:   s(),
			online:      s(),
			refreshing:  s(),
			rateLimited: s().Bold(true),
			offline:     s().Bold(true),
			colTitle:    s().Bold(true),
			row:         s(),
			// lipgloss underlines rune by rune; a whole row takes one SGR
			cursor:       sgr(ansi.Style{}.Underline(true)),
			hot:          sgr(ansi.Style{}.Bold()),
			hotCursor:    sgr(ansi.Style{}.Bold().Underline(true)),
			pin:          s(),
			attention:    s(),
			newOffer:     s(),
			unread:       s().Bold(true),
			message:      s(),
			dimC:         s(),
			statusInfo:   s(),
			statusOK:     s(),
			statusWarn:   s().Bold(true),
			statusErr:    s().Bold(true),
			helpKey:      s().Bold(true),
			helpDesc:     s(),
			helpOff:      s(),
			dialog:       s().Border(lipgloss.NormalBorder()).Padding(1, 2),
			dialogTitle:  s().Bold(true),
			button:       s().Padding(0, 1),
			buttonFocus:  s().Padding(0, 1).Bold(true),
			buttonDanger: s().Padding(0, 1),
			dim:          s(),
		}
	}
	ld := lipgloss.LightDark(dark)
	c := lipgloss.Color
	fg := ld(c("235"), c("252"))
	headerBg := ld(c("254"), c("236"))
	return styles{
		header:      s().Background(headerBg).Foreground(fg),
		headerApp:   s().Background(headerBg).Foreground(ld(c("25"), c("75"))).Bold(true),
		headerDim:   s().Background(headerBg).Foreground(ld(c("242"), c("246"))),
		online:      s().Background(headerBg).Foreground(ld(c("28"), c("114"))),
		refreshing:  s().Background(headerBg).Foreground(ld(c("31"), c("80"))),
		rateLimited: s().Background(headerBg).Foreground(ld(c("130"), c("221"))).Bold(true),
		offline:     s().Background(headerBg).Foreground(ld(c("124"), c("203"))).Bold(true),
		colTitle:    s().Foreground(ld(c("240"), c("248"))).Bold(true),
		row:         s(),
		cursor:      s().Background(ld(c("153"), c("24"))).Foreground(ld(c("16"), c("231"))).Render,
		hot:         s().Background(ld(c("229"), c("58"))).Foreground(ld(c("16"), c("230"))).Bold(true).Render,
		hotCursor:   s().Background(ld(c("222"), c("136"))).Foreground(ld(c("16"), c("231"))).Bold(true).Render,
		pin:         s().Foreground(ld(c("25"), c("75"))),
		attention:   s().Foreground(ld(c("130"), c("221"))),
		newOffer:    s().Foreground(ld(c("90"), c("213"))),
		unread:      s().Bold(true),
		message:     s().Foreground(ld(c("240"), c("250"))),
		dimC:        s().Foreground(ld(c("244"), c("244"))),
		statusInfo:  s(),
		statusOK:    s().Foreground(ld(c("28"), c("114"))),
		statusWarn:  s().Foreground(ld(c("130"), c("221"))),
		statusErr:   s().Foreground(ld(c("124"), c("203"))).Bold(true),
		helpKey:     s().Foreground(ld(c("236"), c("252"))).Bold(true),
		helpDesc:    s().Foreground(ld(c("242"), c("246"))),
		helpOff:     s().Foreground(ld(c("250"), c("240"))),
		dialog: s().Border(lipgloss.RoundedBorder()).BorderForeground(ld(c("130"), c("221"))).
			Padding(1, 2),
		dialogTitle:  s().Bold(true),
		button:       s().Padding(0, 1).Background(ld(c("252"), c("238"))).Foreground(fg),
		buttonFocus:  s().Padding(0, 1).Background(ld(c("25"), c("75"))).Foreground(ld(c("231"), c("16"))).Bold(true),
		buttonDanger: s().Padding(0, 1).Background(ld(c("252"), c("238"))).Foreground(ld(c("124"), c("203"))),
		dim:          s().Foreground(ld(c("244"), c("244"))),
	}
}

// paint styles a whole string (lipgloss.Style.Render fits).
type paint func(...string) string

func sgr(st ansi.Style) paint {
	return func(s ...string) string { return st.Styled(strings.Join(s, "")) }
}

// noColorSet reports whether NO_COLOR is set to a non-empty value in env
// (no-color.org: any non-empty value).
func noColorSet(env []string) bool {
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "NO_COLOR="); ok && v != "" {
			return true
		}
	}
	return false
}
