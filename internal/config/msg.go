package config

import (
	"errors"
	"fmt"
	"strings"
)

// Every message this package writes is a msg: an English format (which is
// also its key in the Russian table, text_ru.go) and its arguments. Errors
// keep their English text for Error(); Message renders any of them in the
// user's language.

// msg is one message before it is rendered. The zero msg means "no problem".
type msg struct {
	format string
	args   []any
}

func msgf(format string, args ...any) msg { return msg{format: format, args: args} }

// raw is text that needs no translation (a path, a name).
func raw(s string) msg { return msg{format: "%s", args: []any{s}} }

func (m msg) empty() bool { return m.format == "" }

// in renders m in lang ("en" or "ru"); arguments that are msgs themselves
// are rendered in the same language.
func (m msg) in(lang string) string {
	if m.format == "" {
		return ""
	}
	format := m.format
	if lang == "ru" {
		if ru, ok := textRU[format]; ok {
			format = ru
		}
	}
	args := make([]any, len(m.args))
	for i, a := range m.args {
		switch x := a.(type) {
		case msg:
			args[i] = x.in(lang)
		case Origin:
			args[i] = x.In(lang)
		case localized:
			args[i] = x.In(lang)
		case error:
			args[i] = x.Error()
		default:
			args[i] = a
		}
	}
	return fmt.Sprintf(format, args...)
}

func (m msg) String() string { return m.in("en") }

// msgError is an error whose text is a msg, optionally wrapping a cause
// (for errors.Is) that is not printed again.
type msgError struct {
	m     msg
	cause error
}

func (e *msgError) Error() string { return oneLine(e.m.in("en")) }
func (e *msgError) Unwrap() error { return e.cause }

// In renders the error in lang.
func (e *msgError) In(lang string) string { return oneLine(e.m.in(lang)) }

func errorf(cause error, format string, args ...any) error {
	return &msgError{m: msgf(format, args...), cause: cause}
}

// localized is an error that can say itself in another language.
type localized interface {
	error
	In(lang string) string
}

// Message renders err in lang ("en" or "ru"): errors from this package in
// that language, any other error as its Error text. Each is one line.
func Message(err error, lang string) string {
	if err == nil {
		return ""
	}
	var l localized
	if errors.As(err, &l) {
		return l.In(lang)
	}
	return err.Error()
}

// In renders an Origin in lang: "flag --refresh" or "флаг --refresh".
func (o Origin) In(lang string) string {
	src := msgf(sourceNames[o.Source])
	if o.Name == "" {
		return src.in(lang)
	}
	name := msg{format: "%s", args: []any{o.Name}}
	if strings.HasPrefix(o.Name, "profile ") {
		name = msgf("profile %s", strings.TrimPrefix(o.Name, "profile "))
	} else if n, ok := originNames[o.Name]; ok {
		name = msgf(n)
	}
	if o.Source == FromFile || o.Source == FromDefault {
		return msgf("%s (%s)", src, name).in(lang)
	}
	return msgf("%s %s", src, name).in(lang)
}

var sourceNames = map[Source]string{FromDefault: "default", FromFile: "file", FromEnv: "env", FromFlag: "flag"}

// originNames are the fixed names an Origin may carry that need translating.
var originNames = map[string]string{"the only profile": "the only profile"}
