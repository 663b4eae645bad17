package api_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/linedesk/linedesk/internal/api"
	"github.com/linedesk/linedesk/internal/api/portalsim"
)

// pinSim is a simulated portal over HTTP on 127.0.0.1 with a client and the
// snapshot the test starts from.
type pinSim struct {
	portal *portalsim.Portal
	client *api.Client
	snap   api.Snapshot
}

func newPinSim(t *testing.T, o portalsim.Options) *pinSim {
	t.Helper()
	o.Rate = -1
	p := portalsim.New(o)
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	c, err := api.New(api.Options{
		WebhookURL: p.WebhookURL(srv.URL),
		Limiter:    rate.NewLimiter(rate.Inf, 0),
		Sleep:      func(ctx context.Context, _ time.Duration) error { return ctx.Err() },
	})
	if err != nil {
		t.Fatal(err)
	}
	snap, err := c.Snapshot(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return &pinSim{portal: p, client: c, snap: snap}
}

// chats returns the chat IDs of sessions that match keep, with their
// session IDs.
func (s *pinSim) chats(keep func(api.Session) bool) (chats, sessions []int64) {
	for _, ss := range s.snap.Sessions {
		if keep(*ss) {
			chats = append(chats, ss.ChatID)
			sessions = append(sessions, ss.SessionID)
		}
	}
	return chats, sessions
}

func (s *pinSim) mine(ss api.Session) bool {
	return ss.Current() && ss.OwnerID == s.snap.Me.ID && !ss.Status.Offer()
}

func sortedIDs(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

func TestPinManyMixedResults(t *testing.T) {
	s := newPinSim(t, portalsim.Options{Sessions: 30, Seed: 11})
	unpinned, unpinnedSessions := s.chats(func(ss api.Session) bool { return s.mine(ss) && !ss.Pinned })
	offers, _ := s.chats(func(ss api.Session) bool { return ss.Current() && ss.Status.Offer() })
	closed, _ := s.chats(func(ss api.Session) bool { return !ss.Current() && !ss.Pinned })
	if len(unpinned) < 3 || len(offers) == 0 || len(closed) == 0 {
		t.Fatalf("seed gives %d unpinned, %d offers, %d closed", len(unpinned), len(offers), len(closed))
	}
	const missing = 987654321
	ask := append(append(append(slices.Clone(unpinned[:3]), offers[0], closed[0], missing), unpinned[0]), unpinned[3:]...)
	before := s.portal.Requests()
	res, err := s.client.PinMany(t.Context(), ask, true)
	if err != nil {
		t.Fatalf("PinMany: %v", err)
	}
	if got := s.portal.Requests() - before; got != 1 {
		t.Errorf("%d chats cost %d requests, want 1", len(ask), got)
	}
	// One result per distinct chat, in the order given.
	var order []int64
	for _, r := range res {
		order = append(order, r.ChatID)
	}
	dedup := []int64{}
	for _, id := range ask {
		if !slices.Contains(dedup, id) {
			dedup = append(dedup, id)
		}
	}
	if !slices.Equal(order, dedup) {
		t.Fatalf("results for %v, want %v", order, dedup)
	}
	for _, r := range res {
		switch {
		case slices.Contains(unpinned, r.ChatID):
			if r.Outcome != api.PinDone || r.Err != nil {
				t.Errorf("own chat %d: %v %v", r.ChatID, r.Outcome, r.Err)
			}
		case r.ChatID == offers[0] || r.ChatID == closed[0]:
			// Not this operator's session: the portal's empty error code.
			var ae *api.Error
			if r.Outcome != api.PinRefused || !errors.As(r.Err, &ae) || ae.Code != "" || !errors.Is(r.Err, api.ErrEmptyCode) {
				t.Errorf("chat %d: %v %v, want the empty-code refusal", r.ChatID, r.Outcome, r.Err)
			}
		case r.ChatID == missing:
			if r.Outcome != api.PinRefused || !errors.Is(r.Err, &api.Error{Code: "CHAT_ID"}) {
				t.Errorf("missing chat: %v %v, want CHAT_ID", r.Outcome, r.Err)
			}
		}
	}
	pinned := s.portal.PinnedSessionIDs()
	for _, id := range unpinnedSessions {
		if !slices.Contains(pinned, id) {
			t.Errorf("session %d is not pinned after PinMany", id)
		}
	}

	// And back: unpinning them all is as many results, all done.
	res, err = s.client.PinMany(t.Context(), unpinned, false)
	if err != nil || len(res) != len(unpinned) {
		t.Fatalf("unpin: %d results, %v", len(res), err)
	}
	for _, r := range res {
		if r.Outcome != api.PinDone {
			t.Errorf("unpin chat %d: %v %v", r.ChatID, r.Outcome, r.Err)
		}
	}
	for _, id := range s.portal.PinnedSessionIDs() {
		if slices.Contains(unpinnedSessions, id) {
			t.Errorf("session %d still pinned after unpinning", id)
		}
	}
}

func TestPinManyOverFiftyTakesTwoRequests(t *testing.T) {
	s := newPinSim(t, portalsim.Options{Sessions: 120, Seed: 12})
	mine, sessions := s.chats(s.mine)
	if len(mine) < 60 {
		t.Fatalf("only %d own sessions", len(mine))
	}
	for _, n := range []int{api.MaxBatch, api.MaxBatch + 1, 2 * api.MaxBatch, 2*api.MaxBatch + 1} {
		if n > len(mine) {
			continue
		}
		before, calls := s.portal.Requests(), s.portal.Calls(api.MethodPin)
		res, err := s.client.PinMany(t.Context(), mine[:n], n%2 == 0)
		if err != nil {
			t.Fatalf("%d chats: %v", n, err)
		}
		wantReq := (n + api.MaxBatch - 1) / api.MaxBatch
		if got := s.portal.Requests() - before; got != wantReq {
			t.Errorf("%d chats: %d requests, want %d", n, got, wantReq)
		}
		if got := s.portal.Calls(api.MethodPin) - calls; got != n {
			t.Errorf("%d chats: the portal ran pin %d times", n, got)
		}
		if len(res) != n {
			t.Errorf("%d chats: %d results", n, len(res))
		}
	}
	// The last round (n even or odd) decides the state; pin everything to
	// check it lands.
	if _, err := s.client.PinMany(t.Context(), mine, true); err != nil {
		t.Fatal(err)
	}
	if got, want := s.portal.PinnedSessionIDs(), sortedIDs(sessions); !slices.Equal(got, want) {
		t.Errorf("pinned %d sessions, want all %d of mine", len(got), len(want))
	}
}

func TestPinManyDropAfterIsUnknownAndNeverResent(t *testing.T) {
	s := newPinSim(t, portalsim.Options{Sessions: 80, Seed: 13})
	mine, sessions := s.chats(func(ss api.Session) bool { return s.mine(ss) && !ss.Pinned })
	if len(mine) <= api.MaxBatch {
		t.Fatalf("only %d unpinned own sessions", len(mine))
	}
	s.portal.InjectFault(api.MethodPin, portalsim.FaultDropAfter, 1)
	before := s.portal.Requests()
	res, err := s.client.PinMany(t.Context(), mine, true)
	if !errors.Is(err, api.ErrOutcomeUnknown) {
		t.Fatalf("err %v, want ErrOutcomeUnknown", err)
	}
	if got := s.portal.Requests() - before; got != 1 {
		t.Errorf("%d requests after a dropped answer, want 1 (never resent, the rest not sent)", got)
	}
	if len(res) != len(mine) {
		t.Fatalf("%d results for %d chats", len(res), len(mine))
	}
	for i, r := range res {
		switch {
		case i < api.MaxBatch && (r.Outcome != api.PinUnknown || !errors.Is(r.Err, api.ErrOutcomeUnknown)):
			t.Errorf("chat %d in the dropped batch: %v %v", r.ChatID, r.Outcome, r.Err)
		case i >= api.MaxBatch && (r.Outcome != api.PinNotSent || !errors.Is(r.Err, api.ErrNotExecuted)):
			t.Errorf("chat %d after it: %v %v", r.ChatID, r.Outcome, r.Err)
		}
	}
	// The dropped batch did run: "unknown" was the honest answer.
	pinned := s.portal.PinnedSessionIDs()
	for i, id := range sessions {
		if got := slices.Contains(pinned, id); got != (i < api.MaxBatch) {
			t.Errorf("session %d (#%d) pinned=%v", id, i, got)
		}
	}
}

func TestPinManyWholeBatchFailures(t *testing.T) {
	s := newPinSim(t, portalsim.Options{Sessions: 10, Seed: 14})
	mine, _ := s.chats(s.mine)

	// A rate limit means nothing ran: retried, then answered.
	s.portal.InjectFault(api.MethodPin, portalsim.FaultRateLimit, 1)
	before := s.portal.Requests()
	res, err := s.client.PinMany(t.Context(), mine, true)
	if err != nil || s.portal.Requests()-before != 2 {
		t.Fatalf("after a rate limit: %v, %d requests", err, s.portal.Requests()-before)
	}
	for _, r := range res {
		if r.Outcome != api.PinDone {
			t.Errorf("chat %d: %v", r.ChatID, r.Outcome)
		}
	}

	// The portal refuses the whole call: every chat refused with its error.
	s.portal.InjectFault(api.MethodPin, portalsim.FaultNoAuth, 1)
	res, err = s.client.PinMany(t.Context(), mine, false)
	if !errors.Is(err, api.ErrNoAuth) {
		t.Fatalf("err %v, want NO_AUTH_FOUND", err)
	}
	for _, r := range res {
		if r.Outcome != api.PinRefused || !errors.Is(r.Err, api.ErrNoAuth) {
			t.Errorf("chat %d: %v %v", r.ChatID, r.Outcome, r.Err)
		}
	}

	// A context that has ended sends nothing.
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	before = s.portal.Requests()
	res, err = s.client.PinMany(ctx, mine, false)
	if err == nil || s.portal.Requests() != before {
		t.Fatalf("cancelled: %v, %d requests", err, s.portal.Requests()-before)
	}
	for _, r := range res {
		if r.Outcome != api.PinNotSent {
			t.Errorf("chat %d: %v", r.ChatID, r.Outcome)
		}
	}
}

func TestPinManyInput(t *testing.T) {
	s := newPinSim(t, portalsim.Options{Sessions: 5, Seed: 15})
	before := s.portal.Requests()
	if _, err := s.client.PinMany(t.Context(), []int64{5, 0}, true); err == nil {
		t.Error("chat ID 0 accepted")
	}
	res, err := s.client.PinMany(t.Context(), nil, true)
	if err != nil || len(res) != 0 {
		t.Errorf("no chats: %v %v", res, err)
	}
	if s.portal.Requests() != before {
		t.Errorf("%d requests for nothing", s.portal.Requests()-before)
	}
}

func TestPinOutcomeString(t *testing.T) {
	names := map[api.PinOutcome]string{api.PinDone: "ok", api.PinRefused: "refused", api.PinUnknown: "unknown",
		api.PinNotSent: "not sent", api.PinOutcome(9): "PinOutcome(9)"}
	for o, want := range names {
		if got := o.String(); got != want {
			t.Errorf("%d: %q, want %q", int(o), got, want)
		}
	}
}
