package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/cli/browser"
)

// Run shows the dashboard in the alternate screen until the operator quits
// (nil) or ctx ends. If the operator quit while unpin-all was running, its
// outcome is printed once the screen is restored, so it is not lost.
func Run(ctx context.Context, opts Options) error {
	tx := textFor(opts.Lang)
	if opts.Portal == nil {
		return errors.New(tx.NoPortal)
	}
	m := New(opts)
	m.ctx = ctx
	// The system's browser opener must not write over the dashboard.
	browser.Stdout, browser.Stderr = io.Discard, io.Discard
	// Bubble Tea draws on a fixed ticker, also when nothing changed; see
	// frameRate for what that costs and why it is 30.
	popts := []tea.ProgramOption{tea.WithContext(ctx), tea.WithFPS(frameRate)}
	if opts.Env != nil {
		popts = append(popts, tea.WithEnvironment(opts.Env))
	} else {
		// lipgloss detected the terminal's colours for stdout and this
		// environment when it was loaded; Bubble Tea would detect them
		// again, which inside tmux runs 'tmux info' once more (~4 ms of
		// start-up, which pushed the first frame past 50 ms there).
		popts = append(popts, tea.WithColorProfile(lipgloss.Writer.Profile))
	}
	defer tuneRuntime(os.LookupEnv)()
	final, err := tea.NewProgram(m, popts...).Run()
	if fm, ok := final.(Model); ok && fm.exitNote != "" {
		fmt.Fprintln(os.Stdout, tx.ExitSummaryIntro, fm.exitNote)
	}
	if err != nil && ctx.Err() != nil && errors.Is(err, tea.ErrProgramKilled) {
		return ctx.Err()
	}
	if err != nil {
		return fmt.Errorf("%s: %w", tx.RunFailed, err)
	}
	return nil
}

// tuneRuntime sets the Go runtime for a long-running dashboard and returns
// what restores it. Either setting given in the environment is respected.
func tuneRuntime(lookupEnv func(string) (string, bool)) (restore func()) {
	procs, gc := -1, -1
	// One P: the dashboard waits on the network and the terminal, and with
	// a second P idle the runtime wakes another thread on every frame tick
	// to look for work. Measured idle (40 sessions, 30 frames a second):
	// 0.56 % with two, 0.38-0.44 % with one; a static Bubble Tea program
	// 0.48 % and 0.38 %.
	if _, set := lookupEnv("GOMAXPROCS"); !set {
		procs = runtime.GOMAXPROCS(1)
	}
	if _, set := lookupEnv("GOGC"); !set {
		gc = debug.SetGCPercent(gcPercent)
	}
	return func() {
		if procs > 0 {
			runtime.GOMAXPROCS(procs)
		}
		if gc != -1 {
			debug.SetGCPercent(gc)
		}
	}
}

// gcPercent is the dashboard's GOGC. Its live heap is small and steady
// (6.4 MB with 10,000 sessions, 2 MB with 40), and nearly all it
// allocates is garbage at once: a refresh of 10,000 sessions allocates
// ~32 MB decoding a 26 MB answer to keep the few sessions that changed.
// The default GOGC lets the heap grow to twice the live heap before
// collecting, and that growth is what peak RSS measures. With 10,000
// sessions (README "Performance", release build): peak RSS 32.5 MB at
// 50, 30.2 at 20, 29.0-29.2 at 10, for 6 % more CPU over the refreshes
// at 10 than at 50. Idle CPU and start-up do not change: nothing is
// allocated while idle.
const gcPercent = 10

// frameRate is the most frames a second the program draws. Bubble Tea v2
// has no draw-on-change mode: its renderer wakes frameRate times a second
// to compare the frame, even when nothing changed, and the first frame
// waits for the first tick. Measured on the built binary: at 30, exec to
// the first frame takes 44 ms (49 inside tmux; at 15 it was 80), and the
// idle dashboard uses 0.38-0.44 % of a core on one P (see Run). A lower
// rate would miss the 50 ms start-up budget and make held keys slower.
const frameRate = 30

// ansiTruncate cuts a styled line to width cells.
func ansiTruncate(s string, width int) string { return ansi.Truncate(s, width, "") }
