package logging

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
)

// Redacted replaces every secret in the log.
const Redacted = "***"

// NewRedactor wraps h so that no record reaches it with a secret in its
// message or in any attribute: a second guard behind code that already never
// logs one. It scrubs the secrets secrets returns at the time of each record
// (webhook codes, tokens; nil = none), every webhook code in a
// /rest/USER_ID/CODE/ path, the values of query parameters and JSON fields
// named like credentials (auth, access_token, refresh_token, client_secret,
// password, token), and the whole value of an attribute whose key names a secret.
func NewRedactor(h slog.Handler, secrets func() []string) slog.Handler {
	return &redactor{inner: h, secrets: secrets}
}

type redactor struct {
	inner   slog.Handler
	secrets func() []string
}

func (r *redactor) Enabled(ctx context.Context, level slog.Level) bool {
	return r.inner.Enabled(ctx, level)
}

func (r *redactor) Handle(ctx context.Context, rec slog.Record) error {
	known := r.known()
	out := slog.NewRecord(rec.Time, rec.Level, Scrub(rec.Message, known), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(scrubAttr(a, known))
		return true
	})
	return r.inner.Handle(ctx, out)
}

func (r *redactor) WithAttrs(attrs []slog.Attr) slog.Handler {
	known := r.known()
	clean := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		clean[i] = scrubAttr(a, known)
	}
	return &redactor{inner: r.inner.WithAttrs(clean), secrets: r.secrets}
}

func (r *redactor) WithGroup(name string) slog.Handler {
	return &redactor{inner: r.inner.WithGroup(name), secrets: r.secrets}
}

func (r *redactor) known() []string {
	if r.secrets == nil {
		return nil
	}
	return r.secrets()
}

// secretKey matches attribute keys whose whole value is a secret.
var secretKey = regexp.MustCompile(`(?i)^(auth|token|access_token|refresh_token|client_secret|secret|password|passwd|webhook_code|authorization|cookie)$`)

func scrubAttr(a slog.Attr, known []string) slog.Attr {
	v := a.Value.Resolve()
	if secretKey.MatchString(a.Key) && !emptyValue(v) {
		return slog.String(a.Key, Redacted)
	}
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, Scrub(v.String(), known))
	case slog.KindGroup:
		group := v.Group()
		clean := make([]slog.Attr, len(group))
		for i, g := range group {
			clean[i] = scrubAttr(g, known)
		}
		return slog.Attr{Key: a.Key, Value: slog.GroupValue(clean...)}
	case slog.KindAny:
		// Errors, Stringers, structs, maps: whatever they print is scrubbed.
		switch x := v.Any().(type) {
		case error:
			return slog.String(a.Key, Scrub(x.Error(), known))
		case fmt.Stringer:
			return slog.String(a.Key, Scrub(x.String(), known))
		default:
			return slog.String(a.Key, Scrub(fmt.Sprintf("%+v", x), known))
		}
	}
	// Numbers, booleans, durations and times hold no secret.
	return slog.Attr{Key: a.Key, Value: v}
}

func emptyValue(v slog.Value) bool {
	return v.Kind() == slog.KindString && v.String() == ""
}

var (
	// /rest/USER_ID/CODE → /rest/USER_ID/***
	webhookCode = regexp.MustCompile(`(?i)(/rest/[0-9]+/)([^/\s?#"'<>]+)`)
	// auth=…, access_token=…, "refresh_token":"…", client_secret: …
	credentialParam = regexp.MustCompile(`(?i)\b(auth|access_token|refresh_token|client_secret|password|token)(["']?\s*[=:]\s*["']?)([^\s&"',;}<>]+)`)
	// Authorization: Bearer …
	bearer = regexp.MustCompile(`(?i)\b(bearer\s+)([A-Za-z0-9._~+/=-]+)`)
)

// Scrub removes secrets from s: each of known (case-insensitively, when at
// least 4 characters long), webhook codes, credential parameters and bearer
// tokens.
func Scrub(s string, known []string) string {
	for _, k := range known {
		if len(k) >= 4 {
			s = replaceFold(s, k, Redacted)
		}
	}
	s = webhookCode.ReplaceAllStringFunc(s, func(m string) string {
		sub := webhookCode.FindStringSubmatch(m)
		if sub[2] == Redacted {
			return m
		}
		return sub[1] + Redacted
	})
	s = credentialParam.ReplaceAllStringFunc(s, func(m string) string {
		sub := credentialParam.FindStringSubmatch(m)
		if sub[3] == Redacted {
			return m
		}
		return sub[1] + sub[2] + Redacted
	})
	s = bearer.ReplaceAllString(s, "${1}"+Redacted)
	return s
}

// replaceFold replaces every occurrence of old in s, ignoring the case of
// ASCII letters; it works on bytes, so invalid UTF-8 cannot hide a secret.
func replaceFold(s, old, repl string) string {
	if old == "" {
		return s
	}
	var b strings.Builder
	last := 0
	for i := 0; i+len(old) <= len(s); {
		if equalFoldASCII(s[i:i+len(old)], old) {
			b.WriteString(s[last:i])
			b.WriteString(repl)
			i += len(old)
			last = i
			continue
		}
		i++
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

func equalFoldASCII(a, b string) bool {
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
