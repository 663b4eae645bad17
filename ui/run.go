package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	tea "charm.land/bubbletea/v2"
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
	// frameRate for what that costs and why it is 15.
	popts := []tea.ProgramOption{tea.WithContext(ctx), tea.WithFPS(frameRate)}
	if opts.Env != nil {
		popts = append(popts, tea.WithEnvironment(opts.Env))
	}
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

// frameRate is the most frames a second the program draws. Bubble Tea v2
// has no draw-on-change mode: its renderer wakes frameRate times a second
// to compare the frame, and each wake costs the process about 0.015 % of a
// core (measured under tmux with a static frame: 0.45 % at 30, 0.05 % at
// 1). With the dashboard's own once-a-second clock text and a refresh
// every 10 s on top, 30 frames a second idled at 0.62 % and 15 at 0.47 %,
// under the 0.5 % budget. A key then shows within 67 ms (33 on average).
const frameRate = 15

// ansiTruncate cuts a styled line to width cells.
func ansiTruncate(s string, width int) string { return ansi.Truncate(s, width, "") }
