// Package logging writes linedesk's diagnostic log: log/slog records to a
// size-capped, rotated file in the XDG state directory (never the terminal
// or the working directory), with every secret scrubbed before it is written.
package logging
