// Package i18n holds what every text table of linedesk shares: the supported
// languages and CLDR plural selection (1 сессия, 2 сессии, 5 сессий) through
// golang.org/x/text. The strings themselves live next to the code that shows them.
package i18n
