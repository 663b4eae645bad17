package api_test

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/linedesk/linedesk/internal/api"
	"github.com/linedesk/linedesk/internal/api/portalsim"
)

// heapDuring runs fn and reports how much the Go heap grew at most while
// it ran (sampled every half millisecond) and how many bytes it allocated
// in total.
func heapDuring(fn func()) (peak, total uint64) {
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	var max atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > max.Load() {
				max.Store(ms.HeapAlloc)
			}
			select {
			case <-stop:
				return
			case <-time.After(500 * time.Microsecond):
			}
		}
	})
	fn()
	close(stop)
	wg.Wait()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if max.Load() > before.HeapAlloc {
		peak = max.Load() - before.HeapAlloc
	}
	return peak, after.TotalAlloc - before.TotalAlloc
}

// TestHundredMegabyteAnswer: a 100 MB answer without a length, to a read
// (the refresh's batch, decoded as it arrives) and to a write (unpin-all,
// read whole), ends in a one-line error that names the limit; the refresh
// is not retried (it would only come back as large), unpin-all is
// reported as maybe done; and memory stays within the 32 MiB limit rather
// than growing with the answer.
func TestHundredMegabyteAnswer(t *testing.T) {
	s := newSim(t, portalsim.Options{Sessions: 20, Seed: 9})
	const limit = api.DefaultMaxResponseBytes
	for _, c := range []struct {
		name, method, says string
		call               func(context.Context) error
		unknown            bool
	}{
		// decoded as it arrives: one value (here the endless list) may not pass 8 MiB
		{"refresh", "batch", "answer with a part larger than 8 MiB",
			func(ctx context.Context) error { _, err := s.client.Snapshot(ctx); return err }, false},
		{"unpin-all", api.MethodUnpinAll, "answer larger than 32 MiB",
			func(ctx context.Context) error { _, err := s.client.UnpinAll(ctx); return err }, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			s.portal.InjectFault(c.method, portalsim.FaultHugeBody, 1)
			before := s.portal.Calls(c.method)
			var err error
			peak, total := heapDuring(func() { err = c.call(context.Background()) })
			t.Logf("heap grew by at most %.1f MiB, %.1f MiB allocated in all", float64(peak)/(1<<20), float64(total)/(1<<20))
			if !errors.Is(err, api.ErrResponseTooLarge) || !strings.Contains(err.Error(), c.says) ||
				strings.Contains(err.Error(), "\n") || strings.Contains(err.Error(), simCode) {
				t.Fatalf("err = %v", err)
			}
			if errors.Is(err, api.ErrOutcomeUnknown) != c.unknown {
				t.Errorf("outcome unknown = %v, want %v: %v", !c.unknown, c.unknown, err)
			}
			if n := s.portal.Calls(c.method) - before; n != 1 {
				t.Errorf("%s received %d times, want 1", c.method, n)
			}
			if peak > limit+limit/2 || total > 3*limit {
				t.Errorf("memory followed the answer: peak +%d, total %d bytes (limit %d)", peak, total, limit)
			}
		})
	}
	// The portal is fine again: the next refresh works.
	if _, err := s.client.Snapshot(context.Background()); err != nil {
		t.Fatalf("after the fault: %v", err)
	}
}
