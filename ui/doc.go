// Package ui is linedesk's operator dashboard: one Bubble Tea v2 root model
// that lists the operator's open-line sessions live, unpins all of them
// behind a confirmation and highlights the sessions the portal returned.
package ui
