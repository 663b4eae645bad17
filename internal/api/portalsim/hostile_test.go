package portalsim

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"unicode/utf8"
)

// TestHugeBody: the answer is exactly the size asked for, has no length,
// is JSON all the way, and the call behind it ran.
func TestHugeBody(t *testing.T) {
	s := newSim(t, Options{Sessions: 10, Seed: 2})
	pinned := len(s.p.PinnedSessionIDs())
	if pinned == 0 {
		t.Fatal("no pinned sessions seeded")
	}
	s.p.SetHugeSize(300 << 10)
	s.p.InjectFault(unpinAll, FaultHugeBody, 1)
	resp, body, err := s.rawPost(context.Background(), unpinAll)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || resp.ContentLength != -1 || int64(len(body)) > 300<<10 || len(body) < 290<<10 {
		t.Fatalf("HTTP %d, length %d, %d bytes", resp.StatusCode, resp.ContentLength, len(body))
	}
	if v, err := decodeJSON(body); err != nil || v == nil {
		t.Fatalf("not JSON: %v", err)
	}
	if got := s.p.PinnedSessionIDs(); len(got) != 0 {
		t.Errorf("the call did not run: still pinned %v", got)
	}
}

// TestHugeBodyStopsWhenTheClientDoes: a client that hangs up after a few
// bytes does not keep the simulator writing 100 MB.
func TestHugeBodyStopsWhenTheClientDoes(t *testing.T) {
	s := newSim(t, Options{Sessions: 5, Seed: 2})
	s.p.InjectFault("", FaultHugeBody, 1)
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, s.hook+"user.current", strings.NewReader("{}"))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(resp.Body, make([]byte, 1<<20)); err != nil {
		t.Fatal(err)
	}
	cancel()
	resp.Body.Close()
	// the next request is served normally
	s.mustOK(s.call("user.current", nil), "after a hang-up")
}

func TestSetLongName(t *testing.T) {
	s := newSim(t, Options{Sessions: 30, Seed: 5})
	id := s.p.SetLongName(1 << 20)
	if id == 0 {
		t.Fatal("no session chosen")
	}
	items, _ := s.recentPage(0, 200)
	for _, it := range items {
		title, _ := it["title"].(string)
		if len(title) < 1<<20 {
			continue
		}
		if !utf8.ValidString(title) || !strings.Contains(title, "\x1b[31m") || !strings.Contains(title, "\u202e") {
			t.Fatalf("the long name is not the hostile mix: %q…", title[:80])
		}
		if lines := obj_(t, it["lines"]); num(t, lines["id"]) != id {
			t.Fatalf("long name on session %d, SetLongName said %d", num(t, lines["id"]), id)
		}
		return
	}
	t.Fatal("no item with a 1 MB title on the first page")
}

// TestServerRefuseAndAccept: between Refuse and Accept the port refuses
// connections; afterwards the same URL works again.
func TestServerRefuseAndAccept(t *testing.T) {
	p := New(Options{Sessions: 3, Seed: 1, Rate: -1})
	srv, err := NewServer(p)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	hook := p.WebhookURL(srv.URL)
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	post := func() error {
		resp, err := client.Post(hook+"user.current", "application/json", strings.NewReader("{}"))
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		_, err = io.Copy(io.Discard, resp.Body)
		return err
	}
	if err := post(); err != nil {
		t.Fatal(err)
	}
	srv.Refuse()
	if err := post(); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("while refusing: %v", err)
	}
	if err := srv.Accept(); err != nil {
		t.Fatal(err)
	}
	if err := post(); err != nil {
		t.Fatalf("after Accept: %v", err)
	}
	if p.Requests() != 2 {
		t.Errorf("portal saw %d requests, want 2", p.Requests())
	}
}

// TestExecutedCountsWhatRan: Calls counts what arrived, Executed what ran.
func TestExecutedCountsWhatRan(t *testing.T) {
	s := newSim(t, Options{Sessions: 10, Seed: 3})
	for _, c := range []struct {
		f   Fault
		ran int
	}{{FaultRateLimit, 0}, {FaultDropBefore, 0}, {FaultDropAfter, 1}, {FaultMalformedJSON, 1}, {0, 1}} {
		calls, ran := s.p.Calls(unpinAll), s.p.Executed(unpinAll)
		if c.f != 0 {
			s.p.InjectFault(unpinAll, c.f, 1)
		}
		_, _, _ = s.rawPost(context.Background(), unpinAll)
		if got := s.p.Calls(unpinAll) - calls; got != 1 {
			t.Errorf("%v: %d calls, want 1", c.f, got)
		}
		if got := s.p.Executed(unpinAll) - ran; got != c.ran {
			t.Errorf("%v: executed %d times, want %d", c.f, got, c.ran)
		}
	}
	s.mustOK(s.call("batch", map[string]any{"cmd": map[string]string{"a": unpinAll, "b": "imopenlines.session.mode.pinAll"}}), "batch")
	if s.p.Executed("IMOPENLINES.SESSION.MODE.PINALL") != 1 || s.p.Executed("batch") != 0 {
		t.Errorf("inside a batch: pinAll executed %d, batch %d", s.p.Executed("imopenlines.session.mode.pinAll"), s.p.Executed("batch"))
	}
}
