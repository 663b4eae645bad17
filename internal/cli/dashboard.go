package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/linedesk/linedesk/internal/api"
	"github.com/linedesk/linedesk/internal/api/portalsim"
	"github.com/linedesk/linedesk/ui"
)

// Dashboard settings (issue 3): refresh interval and its floor, highlight
// duration, and the --demo portal.
const (
	defaultRefresh   = 10 * time.Second
	minRefresh       = 3 * time.Second
	defaultHighlight = 60 * time.Second
	demoSessions     = 40
	demoEvolve       = 4 * time.Second
)

// dashboardOptions is what the root command hands to the dashboard.
type dashboardOptions struct {
	portal    ui.Portal
	host      string
	profile   string
	refresh   time.Duration
	highlight time.Duration
	env       []string
	now       func() time.Time
}

// runDashboardUI runs the Bubble Tea dashboard until the operator quits.
func runDashboardUI(ctx context.Context, o dashboardOptions) error {
	return ui.Run(ctx, ui.Options{
		Portal:       o.portal,
		Host:         o.host,
		Profile:      o.profile,
		Refresh:      o.refresh,
		HighlightFor: o.highlight,
		Env:          o.env,
		Now:          o.now,
	})
}

func (a *app) addDashboard(root *cobra.Command) {
	var (
		demo      bool
		refresh   time.Duration
		highlight time.Duration
	)
	f := root.Flags()
	f.BoolVar(&demo, "demo", false, "run the dashboard on a built-in simulated portal (no webhook needed)")
	f.DurationVar(&refresh, "refresh", defaultRefresh, "refresh the list this often (0 = only on r; never below 3s)")
	f.DurationVar(&highlight, "highlight", defaultHighlight, "keep the rows an unpin-all returned highlighted this long")

	root.RunE = func(cmd *cobra.Command, _ []string) error {
		ctx := cmd.Context()
		if refresh < 0 {
			return usageErrorf("--refresh must be 0 (off) or a duration such as 10s, not %s", refresh)
		}
		if highlight <= 0 {
			return usageErrorf("--highlight must be a duration above 0 such as 60s, not %s", highlight)
		}
		if demo && cmd.Flags().Changed("webhook") {
			return usageErrorf("--demo runs on a simulated portal and takes no --webhook: drop one of them")
		}
		var client *api.Client
		if !demo {
			c, err := a.client()
			if err != nil {
				return err
			}
			client = c
		}
		if !a.d.isTerminal(a.d.stdin) || !a.d.isTerminal(a.d.stdout) {
			return usageErrorf("the dashboard needs a terminal; in scripts use 'linedesk sessions --json' or 'linedesk unpin-all --yes'")
		}
		if refresh > 0 && refresh < minRefresh {
			fmt.Fprintf(a.d.stderr, "linedesk: --refresh %s is below the %s minimum; refreshing every %s\n", refresh, minRefresh, minRefresh)
			refresh = minRefresh
		}
		opts := dashboardOptions{
			refresh:   refresh,
			highlight: highlight,
			env:       a.d.environ(),
			now:       a.d.now,
		}
		if demo {
			c, stop, err := a.startDemo(ctx)
			if err != nil {
				return err
			}
			defer stop()
			client, opts.profile = c, "demo"
		}
		opts.portal, opts.host = client, client.Host()
		if err := a.d.dashboard(ctx, opts); err != nil {
			return portalError(ctx, client.Host(), err)
		}
		return nil
	}
}

// startDemo serves a lively simulated portal on a free loopback port and
// returns a client for it, built through the normal webhook path, and a
// function that stops the portal.
func (a *app) startDemo(ctx context.Context) (*api.Client, func(), error) {
	ctx, cancel := context.WithCancel(ctx)
	srv, err := startPortal(ctx, "127.0.0.1:0", false, portalsim.Options{
		Sessions: demoSessions,
		Seed:     1,
		Rate:     10, // generous: the demo should not run into the portal's rate limit
		Burst:    500,
	})
	if err != nil {
		cancel()
		return nil, nil, err
	}
	evolved := make(chan struct{})
	go func() { srv.portal.Run(ctx, demoEvolve); close(evolved) }()
	stop := func() {
		cancel()
		<-evolved
		_ = srv.stop() // nothing to tell the operator once the dashboard has ended
	}
	c, err := a.clientFor(credentials{webhook: srv.webhook, source: "--demo"})
	if err != nil {
		stop()
		return nil, nil, err
	}
	return c, stop, nil
}
