package ui

import (
	"image/color"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// styles is every style the dashboard draws with. Colours come from the
// terminal's ANSI 16/256 palette and are picked for a dark or a light
// background; the operator's colours (Options.Colors, by role) replace
// them one by one. With NO_COLOR there is no colour at all, whatever was
// configured, and the cursor and highlights are carried by markers, bold
// and underline.
type styles struct {
	noColor bool

	header, headerApp, headerDim, headerView        lipgloss.Style
	filterPrompt                                    lipgloss.Style
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

func newStyles(dark, noColor bool, pal palette) styles {
	s := lipgloss.NewStyle
	if noColor {
		return styles{
			noColor:      true,
			header:       s(),
			headerApp:    s().Bold(true),
			headerDim:    s(),
			headerView:   s().Bold(true),
			filterPrompt: s().Bold(true),
			online:       s(),
			refreshing:   s(),
			rateLimited:  s().Bold(true),
			offline:      s().Bold(true),
			colTitle:     s().Bold(true),
			row:          s(),
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
	// role is the operator's colour for a role, else the first of the
	// more general roles they set, else the default.
	role := func(def color.Color, names ...string) color.Color {
		for _, n := range names {
			if col := pal.get(n); col != nil {
				return col
			}
		}
		return def
	}
	fg := role(ld(c("235"), c("252")), "fg")
	muted := role(ld(c("242"), c("246")), "muted")
	dimmer := role(ld(c("244"), c("244")), "muted")
	accent := role(ld(c("25"), c("75")), "accent")
	ok := role(ld(c("28"), c("114")), "status_ok")
	warn := role(ld(c("130"), c("221")), "status_warn")
	bad := role(ld(c("124"), c("203")), "status_error")
	headerFg := role(fg, "header_fg")
	headerBg := role(ld(c("254"), c("236")), "header_bg")
	cursorFg := role(ld(c("16"), c("231")), "cursor_fg")
	cursorBg := role(ld(c("153"), c("24")), "cursor_bg")
	hotFg := role(ld(c("16"), c("230")), "highlight_fg")
	hotBg := role(ld(c("229"), c("58")), "highlight_bg")
	hotCursorFg := role(ld(c("16"), c("231")), "highlight_fg")
	hotCursorBg := role(ld(c("222"), c("136")), "cursor_bg")
	buttonFg := role(fg, "button_fg")
	buttonBg := role(ld(c("252"), c("238")), "button_bg")
	return styles{
		header:       s().Background(headerBg).Foreground(headerFg),
		headerApp:    s().Background(headerBg).Foreground(accent).Bold(true),
		headerDim:    s().Background(headerBg).Foreground(role(ld(c("242"), c("246")), "muted", "header_fg")),
		headerView:   s().Background(headerBg).Foreground(accent).Bold(true),
		filterPrompt: s().Foreground(accent).Bold(true),
		online:       s().Background(headerBg).Foreground(ok),
		refreshing:   s().Background(headerBg).Foreground(role(ld(c("31"), c("80")), "accent")),
		rateLimited:  s().Background(headerBg).Foreground(warn).Bold(true),
		offline:      s().Background(headerBg).Foreground(bad).Bold(true),
		colTitle:     s().Foreground(role(ld(c("240"), c("248")), "muted")).Bold(true),
		row:          s(),
		cursor:       s().Background(cursorBg).Foreground(cursorFg).Render,
		hot:          s().Background(hotBg).Foreground(hotFg).Bold(true).Render,
		hotCursor:    s().Background(hotCursorBg).Foreground(hotCursorFg).Bold(true).Render,
		pin:          s().Foreground(role(accent, "pinned")),
		attention:    s().Foreground(warn),
		newOffer:     s().Foreground(role(ld(c("90"), c("213")), "offer")),
		unread:       colored(s().Bold(true), pal.get("unread")),
		message:      s().Foreground(role(ld(c("240"), c("250")), "muted")),
		dimC:         s().Foreground(dimmer),
		statusInfo:   s(),
		statusOK:     s().Foreground(ok),
		statusWarn:   s().Foreground(warn),
		statusErr:    s().Foreground(bad).Bold(true),
		helpKey:      s().Foreground(role(ld(c("236"), c("252")), "fg")).Bold(true),
		helpDesc:     s().Foreground(muted),
		helpOff:      s().Foreground(ld(c("250"), c("240"))),
		dialog: s().Border(lipgloss.RoundedBorder()).BorderForeground(role(warn, "dialog_border", "border")).
			Padding(1, 2),
		dialogTitle: s().Bold(true),
		button:      s().Padding(0, 1).Background(buttonBg).Foreground(buttonFg),
		buttonFocus: s().Padding(0, 1).Background(role(accent, "button_focus_bg")).
			Foreground(role(ld(c("231"), c("16")), "button_focus_fg")).Bold(true),
		buttonDanger: s().Padding(0, 1).Background(buttonBg).Foreground(bad),
		dim:          s().Foreground(dimmer),
	}
}

// colored is st in col, or st unchanged when col is nil.
func colored(st lipgloss.Style, col color.Color) lipgloss.Style {
	if col == nil {
		return st
	}
	return st.Foreground(col)
}

// palette is the operator's colour for each role they set (the roles of
// config.ColorRoles: fg, bg, muted, accent, border, header_fg …). fg and
// bg also become the terminal's own colours while the dashboard runs;
// "closed" has nothing to colour yet, as closed sessions are not listed.
type palette map[string]color.Color

// get is the colour for role, nil when not set.
func (p palette) get(role string) color.Color { return p[role] }

// parsePalette reads the operator's colours. A value it cannot read is
// left out (the configuration has already said what was wrong with it).
func parsePalette(colors map[string]string) palette {
	p := palette{}
	for role, v := range colors {
		if col := parseColor(v); col != nil {
			p[strings.ToLower(strings.TrimSpace(role))] = col
		}
	}
	return p
}

// parseColor reads "#rrggbb", "#rgb" or an ANSI index "0"–"255"; nil if
// it is none of these.
func parseColor(v string) color.Color {
	v = strings.TrimSpace(v)
	if hex, ok := strings.CutPrefix(v, "#"); ok {
		if len(hex) != 3 && len(hex) != 6 {
			return nil
		}
		for _, r := range hex {
			if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
				return nil
			}
		}
		return lipgloss.Color(v)
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > 255 || strings.ContainsAny(v, "+-") {
		return nil
	}
	return lipgloss.Color(strconv.Itoa(n))
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
