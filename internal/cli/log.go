package cli

import (
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"time"

	"github.com/linedesk/linedesk/internal/config"
	"github.com/linedesk/linedesk/internal/logging"
)

// logPath is the log file: deps.logPath in tests, else linedesk.log in the
// XDG state directory (never the working directory).
func (a *app) logPath() string {
	if a.d.logPath != "" {
		return a.d.logPath
	}
	return config.Paths("").LogFile
}

// logger opens the log file on first use: only commands that talk to a
// portal or change files write one, so `info` and `config path` create
// nothing. If the file cannot be used, linedesk says so once on stderr and
// carries on without it.
func (a *app) logger() *slog.Logger {
	a.logMu.Lock()
	defer a.logMu.Unlock()
	if a.logTried {
		return a.log.Logger
	}
	a.logTried = true
	l, err := logging.Open(logging.Options{
		Path:    a.logPath(),
		Debug:   a.f.debug,
		Secrets: a.secretList,
		Attrs:   []slog.Attr{slog.Int("pid", os.Getpid())},
	})
	a.log = l
	if err != nil {
		fmt.Fprintln(a.d.stderr, "linedesk: "+fmt.Sprintf(a.t.LogUnavailable, err.Error()))
		return l.Logger
	}
	l.Info("start", "version", version(), "go", runtime.Version(), "lang", string(a.lang))
	return l.Logger
}

// closeLog records how the run ended and closes the file, if one was opened.
func (a *app) closeLog(code int, msg string, took time.Duration) {
	a.logMu.Lock()
	l := a.log
	a.logMu.Unlock()
	if l == nil {
		return
	}
	if code == exitOK {
		l.Info("end", "exit", code, "took", took.Round(time.Millisecond))
	} else {
		l.Warn("end", "exit", code, "took", took.Round(time.Millisecond), "error", msg)
	}
	_ = l.Close()
}
