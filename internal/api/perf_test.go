package api_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"golang.org/x/time/rate"

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

// BenchmarkClientRefresh10000 is the client's own cost of a refresh of
// 10,000 sessions: the simulator's answers are recorded once and replayed
// over loopback HTTP, so the figure is the request, the transfer and the
// decoding, not the simulator building 26 MB of JSON.
//
//	go test ./internal/api -run '^$' -bench ClientRefresh10000 -benchmem
func BenchmarkClientRefresh10000(b *testing.B) {
	p := portalsim.New(portalsim.Options{Sessions: 10000, Seed: 1, Code: simCode, Rate: -1, OperatingLimit: -1})
	var mu sync.Mutex
	answers := map[string][]byte{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		key := r.URL.Path + "\x00" + string(body)
		mu.Lock()
		ans, ok := answers[key]
		mu.Unlock()
		if !ok {
			rec := httptest.NewRecorder()
			r.Body = io.NopCloser(bytes.NewReader(body))
			p.ServeHTTP(rec, r)
			ans = rec.Body.Bytes()
			mu.Lock()
			answers[key] = ans
			mu.Unlock()
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(ans)
	}))
	defer srv.Close()
	c, err := api.New(api.Options{WebhookURL: p.WebhookURL(srv.URL), Limiter: rate.NewLimiter(rate.Inf, 0)})
	if err != nil {
		b.Fatal(err)
	}
	for range 2 { // the start-up batches, then one refresh to record its answers
		if _, err := c.Snapshot(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	var snap api.Snapshot
	for b.Loop() {
		if snap, err = c.Snapshot(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(snap.Sessions)), "sessions")
}
