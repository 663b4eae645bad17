// Package state is the dashboard's domain with no IO and no terminal: the
// list of current sessions, selection by session ID, highlights with expiry,
// the refresh scheduler's rules and the connection state.
package state
