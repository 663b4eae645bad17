package portalsim

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

const unpinAll = "imopenlines.session.mode.unpinAll"

// rawPost sends one request and returns the error instead of failing, for
// faults that break the transport.
func (s *sim) rawPost(ctx context.Context, method string) (*http.Response, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.hook+method, strings.NewReader("{}"))
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	// A fresh transport: a dropped keep-alive connection must not be reused.
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

func TestErrorFaults(t *testing.T) {
	for _, tc := range []struct {
		f      Fault
		status int
		code   string
	}{
		{FaultRateLimit, 503, "QUERY_LIMIT_EXCEEDED"},
		{FaultOperatingLimit, 429, "OPERATION_TIME_LIMIT"},
		{FaultExpiredToken, 401, "expired_token"},
		{FaultNoAuth, 401, "NO_AUTH_FOUND"},
		{FaultEmptyCode, 400, ""},
	} {
		t.Run(tc.f.String(), func(t *testing.T) {
			s := newSim(t, Options{Sessions: 20, Seed: 4})
			before := s.p.PinnedSessionIDs()
			s.p.InjectFault(unpinAll, tc.f, 2)
			s.mustErr(s.call(unpinAll, nil), tc.status, tc.code, "first")
			s.mustOK(s.call("user.current", nil), "another method is not affected")
			s.mustErr(s.call(unpinAll, nil), tc.status, tc.code, "second")
			if got := s.p.PinnedSessionIDs(); len(got) != len(before) {
				t.Fatalf("a refused call changed pins: %v → %v", before, got)
			}
			s.mustOK(s.call(unpinAll, nil), "the fault is used up")
			if got := s.p.Calls(unpinAll); got != 3 {
				t.Fatalf("Calls = %d, want 3", got)
			}
			if len(s.p.PinnedSessionIDs()) != 0 {
				t.Fatal("the third call did not apply")
			}
		})
	}
}

func TestHTML502(t *testing.T) {
	s := newSim(t, Options{Sessions: 5})
	s.p.InjectFault("", FaultHTML502, 1)
	a := s.call("user.current", nil)
	if a.status != 502 || !strings.HasPrefix(a.ctype, "text/html") || !bytes.Contains(a.raw, []byte("502 Bad Gateway")) {
		t.Fatalf("HTTP %d %s %s", a.status, a.ctype, a.raw)
	}
	s.mustOK(s.call("user.current", nil), "after")
}

func TestMalformedAndTruncatedApplyTheCall(t *testing.T) {
	for _, f := range []Fault{FaultMalformedJSON, FaultTruncated} {
		t.Run(f.String(), func(t *testing.T) {
			s := newSim(t, Options{Sessions: 20, Seed: 4})
			if len(s.p.PinnedSessionIDs()) == 0 {
				t.Fatal("nothing pinned to start with")
			}
			s.p.InjectFault(unpinAll, f, 1)
			resp, body, err := s.rawPost(context.Background(), unpinAll+".json")
			if f == FaultMalformedJSON {
				if err != nil || resp.StatusCode != 200 {
					t.Fatalf("HTTP %v err %v", resp, err)
				}
			} else if err == nil {
				if resp.StatusCode != 200 || int64(len(body)) >= resp.ContentLength {
					t.Fatalf("truncated answer arrived whole: %d of %d bytes", len(body), resp.ContentLength)
				}
			} else if !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Fatalf("reading a truncated body: %v", err)
			}
			var v any
			if json.Unmarshal(body, &v) == nil {
				t.Fatalf("the body parses as JSON: %s", body)
			}
			if got := s.p.PinnedSessionIDs(); len(got) != 0 {
				t.Fatalf("the call was not applied: still pinned %v", got)
			}
		})
	}
}

func TestDropBeforeAndAfter(t *testing.T) {
	for _, tc := range []struct {
		f       Fault
		applied bool
	}{{FaultDropBefore, false}, {FaultDropAfter, true}} {
		t.Run(tc.f.String(), func(t *testing.T) {
			s := newSim(t, Options{Sessions: 20, Seed: 6})
			before := len(s.p.PinnedSessionIDs())
			s.p.InjectFault(unpinAll, tc.f, 1)
			_, _, err := s.rawPost(context.Background(), unpinAll)
			if err == nil {
				t.Fatal("an answer arrived through a dropped connection")
			}
			after := len(s.p.PinnedSessionIDs())
			if tc.applied != (after == 0) || before == 0 {
				t.Fatalf("pinned %d → %d, applied should be %v", before, after, tc.applied)
			}
			if s.p.Calls(unpinAll) != 1 {
				t.Fatalf("Calls = %d", s.p.Calls(unpinAll))
			}
		})
	}
}

func TestSlowHonoursTheCaller(t *testing.T) {
	s := newSim(t, Options{Sessions: 20, Seed: 6})
	before := len(s.p.PinnedSessionIDs())
	s.p.SetSlow(time.Hour)
	s.p.InjectFault(unpinAll, FaultSlow, 1)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, _, err := s.rawPost(ctx, unpinAll)
		done <- err
	}()
	// Cancel once the call has reached the portal.
	for s.p.Calls(unpinAll) == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if len(s.p.PinnedSessionIDs()) != before {
		t.Fatal("a call abandoned while slow was applied")
	}
	s.p.SetSlow(time.Millisecond)
	s.p.InjectFault(unpinAll, FaultSlow, 1)
	s.mustOK(s.call(unpinAll, nil), "a slow answer still answers")
}

func TestFaultScopeAndClear(t *testing.T) {
	s := newSim(t, Options{Sessions: 5})
	s.p.InjectFault("", FaultRateLimit, -1)
	for _, m := range []string{"user.current", "im.recent.list", "batch"} {
		s.mustErr(s.call(m, map[string]any{"cmd": []string{"user.current"}}), 503, "QUERY_LIMIT_EXCEEDED", m)
	}
	s.p.ClearFaults()
	s.mustOK(s.call("user.current", nil), "after ClearFaults")
	s.p.InjectFault("user.current", FaultNoAuth, 0) // zero times: nothing
	s.mustOK(s.call("user.current", nil), "times 0")
}

func TestFaultsInsideBatch(t *testing.T) {
	s := newSim(t, Options{Sessions: 5})
	// A request-level fault for an inner method hits the whole request.
	s.p.InjectFault("im.recent.list", FaultRateLimit, 1)
	s.mustErr(s.call("batch", map[string]any{"cmd": map[string]any{"me": "user.current", "r": "im.recent.list"}}), 503, "QUERY_LIMIT_EXCEEDED", "batch")
	// A command-level fault hits only its command.
	s.p.InjectFault("im.recent.list", FaultOperatingLimit, 1)
	res := obj_(t, s.mustOK(s.call("batch", map[string]any{"cmd": map[string]any{"me": "user.current", "r": "im.recent.list"}}), "batch"))
	if e := obj_(t, obj_(t, res["result_error"])["r"]); e["error"] != "OPERATION_TIME_LIMIT" {
		t.Fatalf("result_error = %v", res["result_error"])
	}
	if _, has := obj_(t, res["result"])["me"]; !has {
		t.Fatal("the other command did not run")
	}
	s.p.InjectFault("im.recent.list", FaultDropAfter, 1)
	s.p.InjectFault("", FaultSlow, 0)
	if _, _, err := s.rawPost(context.Background(), "batch?cmd[r]=im.recent.list"); err == nil {
		t.Fatal("DropAfter for an inner method answered")
	}
	if got := s.p.Calls("im.recent.list"); got != 3 {
		t.Fatalf("Calls(im.recent.list) = %d, want 3", got)
	}
}
