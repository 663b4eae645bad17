package logging

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"

	"gopkg.in/natefinch/lumberjack.v2"
)

// Size cap of the log: the file is rotated at MaxSizeMB and MaxBackups old
// files are kept, so the log never takes more than about 20 MB.
const (
	MaxSizeMB  = 5
	MaxBackups = 3
)

// Options configure Open.
type Options struct {
	Path    string          // the log file, e.g. $XDG_STATE_HOME/linedesk/linedesk.log
	Debug   bool            // log debug records too (--debug)
	Secrets func() []string // secrets known at the time of a record (webhook codes, tokens); may be nil
	Attrs   []slog.Attr     // attributes of every record, e.g. the process id
}

// Log is an open log file and the logger that writes to it.
type Log struct {
	*slog.Logger
	file *lumberjack.Logger
}

// Close flushes and closes the file. A closed Log keeps working: lumberjack
// reopens the file on the next write.
func (l *Log) Close() error {
	if l == nil || l.file == nil {
		return nil
	}
	return l.file.Close()
}

// Discard is a logger that writes nothing.
func Discard() *slog.Logger { return slog.New(slog.DiscardHandler) }

// Open creates the log's directory (0700) and file (0600) when needed and
// returns a logger that writes text records to it through the redacting
// handler. On error it returns a Log that discards, and the error says in one
// line why the file could not be used.
func Open(o Options) (*Log, error) {
	if o.Path == "" {
		return &Log{Logger: Discard()}, errors.New("no log file given")
	}
	if err := prepare(o.Path); err != nil {
		return &Log{Logger: Discard()}, err
	}
	file := &lumberjack.Logger{
		Filename:   o.Path,
		MaxSize:    MaxSizeMB,
		MaxBackups: MaxBackups,
		LocalTime:  true,
	}
	level := slog.LevelInfo
	if o.Debug {
		level = slog.LevelDebug
	}
	var h slog.Handler = slog.NewTextHandler(file, &slog.HandlerOptions{Level: level})
	h = NewRedactor(h, o.Secrets)
	if len(o.Attrs) > 0 {
		h = h.WithAttrs(o.Attrs)
	}
	return &Log{Logger: slog.New(h), file: file}, nil
}

// prepare makes the directory private and the file 0600 before the rotating
// writer (which would use 0755 for a directory it creates) touches them.
func prepare(path string) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("cannot create the log directory %s: %s", dir, pathErr(err))
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("cannot open the log file %s: %s", path, pathErr(err))
	}
	defer f.Close()
	if runtime.GOOS == "windows" {
		return nil
	}
	st, err := f.Stat()
	if err == nil && st.Mode().Perm()&0o077 != 0 {
		// A log may hold portal names and session data: keep it private.
		if err := f.Chmod(0o600); err != nil {
			return fmt.Errorf("cannot make the log file %s private: %s", path, pathErr(err))
		}
	}
	return nil
}

func pathErr(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// AtLeast returns a logger whose records are written at level min or above:
// a record below min is raised to min. linedesk gives it to the REST client,
// whose per-request lines are debug records, so that every request is in the
// log without --debug.
func AtLeast(l *slog.Logger, min slog.Level) *slog.Logger {
	return slog.New(&atLeast{inner: l.Handler(), min: min})
}

type atLeast struct {
	inner slog.Handler
	min   slog.Level
}

func (h *atLeast) Enabled(ctx context.Context, level slog.Level) bool {
	return h.inner.Enabled(ctx, max(level, h.min))
}

func (h *atLeast) Handle(ctx context.Context, r slog.Record) error {
	if r.Level < h.min {
		r.Level = h.min
	}
	return h.inner.Handle(ctx, r)
}

func (h *atLeast) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &atLeast{inner: h.inner.WithAttrs(attrs), min: h.min}
}

func (h *atLeast) WithGroup(name string) slog.Handler {
	return &atLeast{inner: h.inner.WithGroup(name), min: h.min}
}
