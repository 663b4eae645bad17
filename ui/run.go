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
	// Bubble Tea compares frames on a fixed ticker even when nothing
	// changed; 30 a second is smooth for a table and halves that idle cost.
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

// frameRate is the most frames a second the program draws.
const frameRate = 30

// ansiTruncate cuts a styled line to width cells.
func ansiTruncate(s string, width int) string { return ansi.Truncate(s, width, "") }
