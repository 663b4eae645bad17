package api_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/linedesk/linedesk/internal/api"
	"github.com/linedesk/linedesk/internal/api/portalsim"
)

// BenchmarkRequestsPerRefresh reports the HTTP requests the simulator
// receives per refresh once the list's size is known, and what the list
// holds: one batch carries 50 pages of 200 rows, and the last page must
// come back short to end the list, so up to 9,999 rows cost one request.
// The simulator's rows for N current sessions are N plus the closed and
// colleagues' sessions and the older rows of some dialogs.
//
//	go test ./internal/api -run '^$' -bench RequestsPerRefresh -benchtime 3x
func BenchmarkRequestsPerRefresh(b *testing.B) {
	for _, n := range []int{1000, 5000, 9000, 9300, 10000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			s := newSim(b, portalsim.Options{Sessions: n, Seed: 1, OperatingLimit: -1}, func(o *api.Options) { o.Logger = nil })
			first, err := s.client.Snapshot(context.Background())
			if err != nil {
				b.Fatal(err)
			}
			before, pages := s.portal.Requests(), s.portal.Calls(api.MethodRecentList)
			var snap api.Snapshot
			for b.Loop() {
				if snap, err = s.client.Snapshot(context.Background()); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(s.portal.Requests()-before)/float64(b.N), "requests/refresh")
			b.ReportMetric(float64(first.Requests), "requests/start")
			b.ReportMetric(float64(len(snap.Sessions)), "sessions")
			b.ReportMetric(float64(s.portal.Calls(api.MethodRecentList)-pages)/float64(b.N), "pages/refresh")
		})
	}
}
