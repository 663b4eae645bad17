package cli

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/linedesk/linedesk/internal/api"
	"github.com/linedesk/linedesk/internal/api/portalsim"
)

// The commands against every fault of the simulator, plus the portal
// refusing connections, a portal slower than the configured timeout and a
// 100 MB answer: linedesk ends with exit 1 and one secret-free sentence,
// never sends a change twice (counted where the portal runs it), says when
// a change may or may not have happened, and the same command works as
// soon as the fault is gone.

// cliSim is a simulated portal behind a server that can refuse connections.
func cliSim(t *testing.T, o portalsim.Options) (*portalsim.Portal, *portalsim.Server, string) {
	t.Helper()
	if o.Rate == 0 {
		o.Rate = -1
	}
	p := portalsim.New(o)
	srv, err := portalsim.NewServer(p)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return p, srv, p.WebhookURL(srv.URL)
}

type cliFault struct {
	name string
	sim  portalsim.Fault // 0: connections are refused
	// sent is how many times a change reaches the portal while the fault
	// lasts; ran how many times the portal runs it.
	sent, ran int
	unknown   bool // the change may or may not have happened
}

var cliFaults = []cliFault{
	{"RateLimit", portalsim.FaultRateLimit, 7, 0, false},
	{"OperatingLimit", portalsim.FaultOperatingLimit, 4, 0, false},
	{"ExpiredToken", portalsim.FaultExpiredToken, 1, 0, false},
	{"EmptyCode", portalsim.FaultEmptyCode, 1, 0, false},
	{"HTML502", portalsim.FaultHTML502, 1, 0, true},
	{"MalformedJSON", portalsim.FaultMalformedJSON, 1, 1, true},
	{"Truncated", portalsim.FaultTruncated, 1, 1, true},
	{"Slow", portalsim.FaultSlow, 1, 0, true},
	{"Refused", 0, 0, 0, false},
	{"DropBefore", portalsim.FaultDropBefore, 1, 0, true},
	{"DropAfter", portalsim.FaultDropAfter, 1, 1, true},
	{"HugeBody", portalsim.FaultHugeBody, 1, 1, true},
}

type cliPath struct {
	name   string
	method string // where the fault is injected and counted
	write  bool
	args   func(t *testing.T, url string) []string
}

// ownSession is a current session of the webhook's operator, pinned or not.
func ownSession(t *testing.T, url string, pinned bool) int64 {
	t.Helper()
	c, err := api.New(api.Options{WebhookURL: url})
	if err != nil {
		t.Fatal(err)
	}
	snap, err := c.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range snap.Sessions {
		if s.Current() && s.StatusKnown && !s.Status.Offer() && s.OwnerID == snap.Me.ID && s.Pinned == pinned {
			return s.SessionID
		}
	}
	t.Fatalf("no own session with pinned=%v", pinned)
	return 0
}

var cliPaths = []cliPath{
	{"sessions", api.MethodRecentList, false, func(*testing.T, string) []string { return []string{"sessions"} }},
	{"sessions-json", api.MethodRecentList, false, func(*testing.T, string) []string { return []string{"sessions", "--json"} }},
	{"unpin-all", api.MethodUnpinAll, true, func(*testing.T, string) []string { return []string{"unpin-all", "--yes"} }},
	{"pin-all", api.MethodPinAll, true, func(*testing.T, string) []string { return []string{"pin-all", "--yes", "--json"} }},
	{"pin", api.MethodPin, true, func(t *testing.T, url string) []string {
		return []string{"pin", "--session", fmt.Sprint(ownSession(t, url, false))}
	}},
	{"unpin", api.MethodPin, true, func(t *testing.T, url string) []string {
		return []string{"unpin", "--session", fmt.Sprint(ownSession(t, url, true))}
	}},
}

func TestCommandFaultMatrix(t *testing.T) {
	for _, f := range cliFaults {
		for _, pa := range cliPaths {
			t.Run(f.name+"/"+pa.name, func(t *testing.T) {
				t.Parallel()
				checkCommandFault(t, f, pa)
			})
		}
	}
}

func checkCommandFault(t *testing.T, f cliFault, pa cliPath) {
	p, srv, url := cliSim(t, portalsim.Options{Sessions: 12, Seed: 21})
	p.SetSlow(10 * time.Second)
	p.SetHugeSize(100 << 20)
	args := append(pa.args(t, url), "--webhook", url)
	o := runOpts{env: map[string]string{"LINEDESK_TIMEOUT": "1s"}}
	sent, ran, requests := p.Calls(pa.method), p.Executed(pa.method), p.Requests()

	if f.sim == 0 {
		srv.Refuse()
	} else {
		p.InjectFault(pa.method, f.sim, -1)
	}
	res := runCLI(t, o, args...)
	sent, ran, requests = p.Calls(pa.method)-sent, p.Executed(pa.method)-ran, p.Requests()-requests
	p.ClearFaults()
	if err := srv.Accept(); err != nil {
		t.Fatal(err)
	}

	if res.code != exitFailure {
		t.Errorf("exit %d, want 1; stderr %q", res.code, res.stderr)
	}
	requireOneLine(t, res.stderr, webhookSecret(url))
	if !pa.write && res.stdout != "" {
		t.Errorf("stdout %q on failure", res.stdout)
	}
	if strings.Contains(res.stdout, webhookSecret(url)) {
		t.Fatalf("the code is on stdout: %q", res.stdout)
	}
	if pa.write {
		wantSent := f.sent
		if pa.method == api.MethodPin && f.name == "OperatingLimit" {
			wantSent = 1 // inside pin's batch the limit refuses that command only; the batch is not resent
		}
		if sent != wantSent || ran != f.ran {
			t.Errorf("%s sent %d times and ran %d times, want %d and %d", pa.method, sent, ran, wantSent, f.ran)
		}
		says := strings.Contains(res.stderr+res.stdout, "may or may not") || strings.Contains(res.stdout, "No answer")
		if f.unknown != says {
			t.Errorf("the change may have happened = %v, but the output says so = %v:\n%s%s", f.unknown, says, res.stdout, res.stderr)
		}
	} else if requests > 7 { // 1 + 6 retries of a rate limit at most
		t.Errorf("a read took %d requests", requests)
	}

	// The fault is over: the same command works at once. (pin and unpin
	// pick their session again: a change that went through moved it.)
	args = append(pa.args(t, url), "--webhook", url)
	if again := runCLI(t, o, args...); again.code != exitOK {
		t.Errorf("after the fault: exit %d, stderr %q", again.code, again.stderr)
	}
}
