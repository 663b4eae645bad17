package cli

import (
	"strings"
	"testing"

	"github.com/linedesk/linedesk/internal/api/portalsim"
)

// TestPortalFaults runs each command against every fault the simulator can
// inject, for as long as the client keeps retrying: linedesk ends with exit
// 1 and one secret-free sentence, and never repeats a bulk action.
func TestPortalFaults(t *testing.T) {
	t.Parallel()
	faults := []portalsim.Fault{
		portalsim.FaultRateLimit, portalsim.FaultOperatingLimit, portalsim.FaultEmptyCode,
		portalsim.FaultHTML502, portalsim.FaultMalformedJSON, portalsim.FaultTruncated,
		portalsim.FaultDropBefore, portalsim.FaultDropAfter, portalsim.FaultNoAuth,
	}
	commands := []struct {
		args   []string
		method string // "" = every method
		bulk   bool
	}{
		{[]string{"sessions"}, "", false},
		{[]string{"unpin-all", "--yes"}, mUnpinAll, true},
		{[]string{"pin-all", "--yes", "--json"}, mPinAll, true},
	}
	for _, f := range faults {
		for _, c := range commands {
			t.Run(f.String()+"/"+c.args[0], func(t *testing.T) {
				t.Parallel()
				p, url := newSim(t, portalsim.Options{Sessions: 12, Seed: 21})
				p.InjectFault(c.method, f, -1)
				res := runCLI(t, runOpts{}, append(c.args, "--webhook", url)...)
				if res.code != exitFailure {
					t.Errorf("exit %d, want 1; stderr %q", res.code, res.stderr)
				}
				requireOneLine(t, res.stderr, webhookSecret(url))
				if res.stdout != "" {
					t.Errorf("stdout %q on failure", res.stdout)
				}
				if c.bulk && p.Calls(c.method) > 1 && f != portalsim.FaultRateLimit && f != portalsim.FaultOperatingLimit {
					t.Errorf("%s received %d times, want at most 1", c.method, p.Calls(c.method))
				}
				// An ambiguous failure of a bulk action must say so.
				ambiguous := f == portalsim.FaultDropAfter || f == portalsim.FaultDropBefore ||
					f == portalsim.FaultTruncated || f == portalsim.FaultMalformedJSON || f == portalsim.FaultHTML502
				if c.bulk && ambiguous && !strings.Contains(res.stderr, "may or may not have happened") {
					t.Errorf("ambiguous failure not reported as such: %q", res.stderr)
				}
				if !c.bulk && strings.Contains(res.stderr, "may or may not") {
					t.Errorf("a read reported as a change that may have happened: %q", res.stderr)
				}
			})
		}
	}
}
