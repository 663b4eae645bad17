// Package sanitize makes text that came from the portal safe to print on a
// terminal: no escape sequences, no control characters, no bidi overrides,
// valid UTF-8, and cut to a display width (Cyrillic, CJK, emoji).
package sanitize
