// Package journal records every bulk pin action, undo and single pin in an
// append-only JSON Lines file that survives crashes and concurrent writers,
// and holds the pure undo logic shared by the CLI and the dashboard.
package journal
