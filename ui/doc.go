// Package ui is linedesk's operator dashboard: one Bubble Tea v2 root model
// that lists the operator's open-line sessions live, pins, unpins and undoes
// behind confirmations, and filters, sorts, details, opens and notifies.
package ui
