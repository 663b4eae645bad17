package cli

import (
	"context"
	"time"

	"github.com/spf13/cobra"

	"github.com/linedesk/linedesk/internal/api"
	"github.com/linedesk/linedesk/internal/api/portalsim"
	"github.com/linedesk/linedesk/internal/config"
	"github.com/linedesk/linedesk/internal/i18n"
	"github.com/linedesk/linedesk/internal/journal"
	"github.com/linedesk/linedesk/ui"
)

// The --demo portal.
const (
	demoSessions = 40
	demoEvolve   = 4 * time.Second
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
	lang      i18n.Lang
	keys      map[string][]string
	columns   []string
	theme     string
	colors    map[string]string
	journal   *journal.Journal // nil: actions are not recorded (--demo)
	notify    ui.Notify
}

// runDashboardUI runs the Bubble Tea dashboard until the operator quits.
func runDashboardUI(ctx context.Context, o dashboardOptions) error {
	return ui.Run(ctx, uiOptions(o))
}

// uiOptions maps the CLI's view of the dashboard onto ui.Options.
func uiOptions(o dashboardOptions) ui.Options {
	return ui.Options{
		Portal:       o.portal,
		Host:         o.host,
		Profile:      o.profile,
		Refresh:      o.refresh,
		HighlightFor: o.highlight,
		Env:          o.env,
		Now:          o.now,
		Lang:         o.lang,
		Keys:         o.keys,
		Columns:      o.columns,
		Theme:        o.theme,
		Colors:       o.colors,
		Journal:      o.journal,
		Notify:       o.notify,
	}
}

// dashboardFrom takes the dashboard's settings from the configuration.
// highlight = 0 means "until esc" in both the file and ui.Options.
func dashboardFrom(e *config.Effective, lang i18n.Lang) dashboardOptions {
	o := dashboardOptions{
		refresh:   e.Refresh,
		highlight: e.Highlight,
		lang:      lang,
		keys:      e.Keys,
		columns:   e.Columns,
		theme:     e.Theme,
		colors:    e.Colors,
		notify: ui.Notify{
			Bell:    e.Notifications.Enabled && e.Notifications.Bell,
			Desktop: e.Notifications.Enabled && e.Notifications.Desktop,
		},
	}
	return o
}

func (a *app) addDashboard(root *cobra.Command) {
	t := a.t
	f := root.Flags()
	f.BoolVar(&a.f.demo, "demo", false, t.FlagDemo)
	f.Var(&settingValue{&a.f.refresh, "duration"}, "refresh", t.FlagRefresh)
	f.Var(&settingValue{&a.f.highlight, "duration"}, "highlight", t.FlagHighlight)

	root.RunE = func(cmd *cobra.Command, _ []string) error {
		ctx := cmd.Context()
		if a.f.demo && cmd.Flags().Changed("webhook") {
			return usageErrorf("%s", t.DemoWithWebhook)
		}
		e, err := a.loadConfig(cmd)
		if err != nil {
			return err
		}
		var client *api.Client
		var creds config.Credentials
		if !a.f.demo {
			client, creds, err = a.portal(cmd)
			if err != nil {
				return err
			}
		}
		if !a.d.isTerminal(a.d.stdin) || !a.d.isTerminal(a.d.stdout) {
			return usageErrorf("%s", t.NeedTerminal)
		}
		opts := dashboardFrom(e, a.lang)
		opts.env, opts.now, opts.profile = a.d.environ(), a.d.now, creds.Profile
		if !a.f.demo { // the demo's throwaway portal stays out of the journal
			opts.journal = a.journal()
		}
		if a.f.demo {
			c, stop, err := a.startDemo(ctx)
			if err != nil {
				return err
			}
			defer stop()
			client, opts.profile = c, "demo"
		}
		opts.portal, opts.host = client, client.Host()
		a.logger().Info("dashboard", "host", opts.host, "profile", opts.profile, "refresh", opts.refresh)
		if err := a.d.dashboard(ctx, opts); err != nil {
			return a.portalError(ctx, client.Host(), err)
		}
		return nil
	}
}

// startDemo serves a lively simulated portal on a free loopback port and
// returns a client for it, built through the normal webhook path, and a
// function that stops the portal.
func (a *app) startDemo(ctx context.Context) (*api.Client, func(), error) {
	ctx, cancel := context.WithCancel(ctx)
	srv, err := startPortal(ctx, a.t, "127.0.0.1:0", false, portalsim.Options{
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
		_ = srv.stop(a.t) // nothing to tell the operator once the dashboard has ended
	}
	c, err := a.clientFor(config.Credentials{Label: "demo", WebhookURL: srv.webhook, Plan: config.PlanStandard})
	if err != nil {
		stop()
		return nil, nil, err
	}
	return c, stop, nil
}
