package ui

import (
	"runtime"
	"runtime/debug"
	"testing"
)

// TestTuneRuntime: the dashboard runs on one P at gcPercent and puts both
// back when it ends; a setting given in the environment is left alone.
func TestTuneRuntime(t *testing.T) {
	procs := runtime.GOMAXPROCS(0)
	gc := debug.SetGCPercent(100)
	defer debug.SetGCPercent(gc)

	restore := tuneRuntime(func(string) (string, bool) { return "", false })
	gotProcs, gotGC := runtime.GOMAXPROCS(0), debug.SetGCPercent(gcPercent)
	restore()
	if gotProcs != 1 || gotGC != gcPercent {
		t.Errorf("while running: GOMAXPROCS %d, GOGC %d; want 1 and %d", gotProcs, gotGC, gcPercent)
	}
	if p, g := runtime.GOMAXPROCS(0), debug.SetGCPercent(100); p != procs || g != 100 {
		t.Errorf("after: GOMAXPROCS %d, GOGC %d; want %d and 100", p, g, procs)
	}

	set := func(k string) (string, bool) { return "7", k == "GOMAXPROCS" || k == "GOGC" }
	restore = tuneRuntime(set)
	gotProcs, gotGC = runtime.GOMAXPROCS(0), debug.SetGCPercent(100)
	restore()
	if gotProcs != procs || gotGC != 100 {
		t.Errorf("with both set in the environment: GOMAXPROCS %d, GOGC %d; want them untouched (%d, 100)", gotProcs, gotGC, procs)
	}
}
