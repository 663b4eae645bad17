package journal

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/linedesk/linedesk/internal/config"
)

// Defaults of a Journal.
const (
	DefaultMaxSize     = 1 << 20          // rotate to FILE.1 once the file would pass 1 MiB
	DefaultLockTimeout = 10 * time.Second // wait for another linedesk's append
	maxReadSize        = 64 << 20         // a file larger than this is not read whole
)

// Journal is the JSON Lines file of actions. Appends are one write(2) of a
// whole line to a file opened with O_APPEND, fsynced, under a lock shared
// by every linedesk process, so a crash leaves at most one cut-short last
// line, which Read skips and reports. Past MaxSize the file is renamed to
// FILE.1 (replacing the older one) and a new one started, so the journal
// never holds much more than twice MaxSize. The file is 0600 in a 0700
// directory.
type Journal struct {
	path        string
	MaxSize     int64         // 0 = DefaultMaxSize
	LockTimeout time.Duration // 0 = DefaultLockTimeout
}

// New is the journal at path (usually config.Paths("").JournalFile). It
// touches nothing until the first Append.
func New(path string) *Journal { return &Journal{path: path} }

// Path is the journal file.
func (j *Journal) Path() string { return j.path }

// Rotated is the previous generation of the file.
func (j *Journal) Rotated() string { return j.path + ".1" }

func (j *Journal) maxSize() int64 {
	if j.MaxSize > 0 {
		return j.MaxSize
	}
	return DefaultMaxSize
}

func (j *Journal) lock() (func(), error) {
	timeout := j.LockTimeout
	if timeout <= 0 {
		timeout = DefaultLockTimeout
	}
	if err := os.MkdirAll(filepath.Dir(j.path), 0o700); err != nil {
		return nil, fmt.Errorf("cannot create the journal's directory: %s", pathless(err))
	}
	// Create the lock file here so that its failure is worded for the journal.
	f, err := os.OpenFile(j.path+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("cannot lock the journal %s: %s", j.path, pathless(err))
	}
	_ = f.Close()
	return config.LockFile(j.path+".lock", timeout)
}

// Append writes e as one line and returns it as written: an empty ID and a
// zero Time are filled in, nil ID lists become []. Entries are never
// rewritten.
func (j *Journal) Append(e Entry) (Entry, error) {
	if e.ID == "" {
		e.ID = newID()
	}
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	if e.Sent == nil {
		e.Sent = []int64{}
	}
	if e.Returned == nil {
		e.Returned = []int64{}
	}
	line, err := json.Marshal(e)
	if err != nil {
		return e, fmt.Errorf("cannot encode the journal entry: %v", err)
	}
	line = append(line, '\n')

	unlock, err := j.lock()
	if err != nil {
		return e, err
	}
	defer unlock()
	if err := j.rotateIfFull(int64(len(line))); err != nil {
		return e, err
	}
	f, err := os.OpenFile(j.path, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return e, fmt.Errorf("cannot open the journal %s: %s", j.path, pathless(err))
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return e, fmt.Errorf("cannot read the journal %s: %s", j.path, pathless(err))
	}
	if st.Mode().Perm()&0o077 != 0 {
		_ = f.Chmod(0o600) // an older or hand-made file: make it private again
	}
	// A crash in an earlier write may have left a line without its newline;
	// start on a fresh line so this entry is not glued to it.
	if n := st.Size(); n > 0 {
		var last [1]byte
		if _, err := f.ReadAt(last[:], n-1); err == nil && last[0] != '\n' {
			line = append([]byte{'\n'}, line...)
		}
	}
	if _, err := f.Write(line); err != nil {
		return e, fmt.Errorf("cannot write the journal %s: %s", j.path, pathless(err))
	}
	if err := f.Sync(); err != nil {
		return e, fmt.Errorf("cannot write the journal %s: %s", j.path, pathless(err))
	}
	if st.Size() == 0 {
		syncDir(filepath.Dir(j.path)) // a new file: make its name durable too
	}
	return e, nil
}

// rotateIfFull renames the file to FILE.1 when adding n bytes would take it
// past MaxSize. The caller holds the lock.
func (j *Journal) rotateIfFull(n int64) error {
	st, err := os.Stat(j.path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("cannot read the journal %s: %s", j.path, pathless(err))
	case st.Size() == 0 || st.Size()+n <= j.maxSize():
		return nil
	}
	if err := os.Rename(j.path, j.Rotated()); err != nil {
		return fmt.Errorf("cannot rotate the journal %s: %s", j.path, pathless(err))
	}
	syncDir(filepath.Dir(j.path))
	return nil
}

// Log is what Read found.
type Log struct {
	Entries []Entry  // oldest first, in the order they were written
	Damaged []Damage // lines that were skipped
}

// Damage is a journal line that could not be read.
type Damage struct {
	File   string // the file's base name
	Line   int    // 1-based
	Reason string
	Last   bool // the file's last line: typically a crash while writing
}

func (d Damage) String() string {
	return fmt.Sprintf("%s line %d: %s", d.File, d.Line, d.Reason)
}

// Read returns the entries at or after since (zero: all), from the rotated
// file and then the current one. A missing journal is empty, not an error;
// a line that cannot be read is skipped and listed in Damaged.
func (j *Journal) Read(since time.Time) (Log, error) {
	var log Log
	if _, err := os.Stat(filepath.Dir(j.path)); errors.Is(err, fs.ErrNotExist) {
		return log, nil // nothing was ever written; do not create anything
	}
	// The lock keeps a rotation from happening mid-read. Without it (a
	// read-only journal, or a writer that hangs) the read goes ahead: appends
	// are whole lines, so the worst case is missing the newest entry.
	if unlock, err := j.lock(); err == nil {
		defer unlock()
	}
	for _, p := range []string{j.Rotated(), j.path} {
		data, err := readCapped(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return log, fmt.Errorf("cannot read the journal %s: %s", p, pathless(err))
		}
		entries, damaged := Parse(data, filepath.Base(p))
		log.Damaged = append(log.Damaged, damaged...)
		for _, e := range entries {
			if since.IsZero() || !e.Time.Before(since) {
				log.Entries = append(log.Entries, e)
			}
		}
	}
	return log, nil
}

// readCapped reads a file, or its last maxReadSize bytes when it is larger
// (a journal never grows so big unless something else writes to it).
func readCapped(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size() > maxReadSize {
		if _, err := f.Seek(st.Size()-maxReadSize, io.SeekStart); err != nil {
			return nil, err
		}
	}
	return io.ReadAll(io.LimitReader(f, maxReadSize))
}

// Parse reads journal lines. Blank lines are ignored; a line that is not a
// JSON entry with a time and an action is skipped and reported, so one bad
// line never hides the rest. file names the source in the reports.
func Parse(data []byte, file string) ([]Entry, []Damage) {
	var entries []Entry
	var damaged []Damage
	lines := bytes.Split(data, []byte{'\n'})
	for i, raw := range lines {
		if len(bytes.TrimSpace(raw)) == 0 {
			continue
		}
		last := i == len(lines)-1 // no newline after it: cut short
		var e Entry
		dec := json.NewDecoder(bytes.NewReader(raw))
		switch err := dec.Decode(&e); {
		case err != nil && (last || errors.Is(err, io.ErrUnexpectedEOF)):
			damaged = append(damaged, Damage{File: file, Line: i + 1, Last: last,
				Reason: "cut short (probably a crash while writing); skipped"})
			continue
		case err != nil:
			damaged = append(damaged, Damage{File: file, Line: i + 1, Reason: "not a journal entry (" + jsonReason(err) + "); skipped"})
			continue
		case dec.More():
			damaged = append(damaged, Damage{File: file, Line: i + 1, Last: last, Reason: "text after the entry; skipped"})
			continue
		case e.Time.IsZero() || e.Action == "":
			damaged = append(damaged, Damage{File: file, Line: i + 1, Last: last, Reason: "an entry without a time or an action; skipped"})
			continue
		}
		entries = append(entries, e)
	}
	return entries, damaged
}

// jsonReason is a short description of a decoding error.
func jsonReason(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("invalid JSON at byte %d", se.Offset)
	case errors.As(err, &te):
		return fmt.Sprintf("%s has the wrong type", te.Field)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "incomplete JSON"
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

// pathless is an OS error without the path it repeats.
func pathless(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err.Error()
	}
	return err.Error()
}

// syncDir makes a rename or a new name in dir durable, where the OS allows.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}
