// Package state is the dashboard's domain with no IO and no terminal: the
// session list with its filter and sort, selection by session ID, highlights
// with expiry, what changed between two refreshes, the refresh rules.
package state
