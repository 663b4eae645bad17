package cli

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"charm.land/fang/v2"
	"github.com/spf13/cobra"
	"golang.org/x/term"
	"golang.org/x/time/rate"

	"github.com/linedesk/linedesk/internal/api"
)

// Version overrides the version read from the build info:
//
//	go build -ldflags "-X github.com/linedesk/linedesk/internal/cli.Version=v1.2.3"
var Version = ""

// Run executes linedesk with args (without the program name) and returns the
// process exit code: 0 ok, 1 portal or network failure, 2 usage or
// configuration mistake, 130 interrupted. Data goes to stdout; every error is
// one line on stderr that starts with "linedesk:". env looks up environment
// variables (os.Getenv in production).
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, env func(string) string) int {
	return run(ctx, args, deps{
		stdin: stdin, stdout: stdout, stderr: stderr, env: env,
		environ:    os.Environ,
		isTerminal: isTerminal,
		now:        time.Now,
		dashboard:  runDashboardUI,
	})
}

// deps is what a command may touch outside itself; tests replace parts.
type deps struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	env            func(string) string
	environ        func() []string
	isTerminal     func(any) bool // stdin or stdout is a terminal (prompts, dashboard)
	now            func() time.Time
	httpClient     *http.Client                                     // nil: the client's default
	limiter        *rate.Limiter                                    // nil: the process-wide limiter of the plan
	sleep          func(ctx context.Context, d time.Duration) error // the client's retry waits; nil: real time
	profile        profileSource                                    // config profiles (a later issue); nil: none
	dashboard      func(ctx context.Context, o dashboardOptions) error
}

// app holds the parsed flags of one run.
type app struct {
	d          deps
	webhook    string
	enterprise bool
	secrets    []string // webhook codes seen in args and env; scrubbed from every message
}

func run(ctx context.Context, args []string, d deps) int {
	if d.env == nil {
		d.env = func(string) string { return "" }
	}
	a := &app{d: d}
	a.collectSecrets(args)
	root := a.rootCmd()
	root.SetArgs(args)
	root.SetIn(d.stdin)
	root.SetOut(d.stdout)
	root.SetErr(d.stderr)

	// fang styles --help and sets --version. Its error handler is replaced
	// because the contract wants one plain "linedesk: …" line and our own
	// exit codes; the hidden `man` command is dropped since it writes to
	// os.Stdout rather than the command's writer.
	err := fang.Execute(ctx, root,
		fang.WithVersion(version()),
		fang.WithoutManpage(),
		fang.WithErrorHandler(func(io.Writer, fang.Styles, error) {}),
	)
	if err == nil {
		return exitOK
	}
	code, msg := message(err)
	fmt.Fprintln(d.stderr, "linedesk: "+oneLine(msg, a.secrets))
	return code
}

// collectSecrets remembers the webhook codes that could appear anywhere in
// this run, so that no message can ever print one, even a parse error.
func (a *app) collectSecrets(args []string) {
	for _, arg := range args {
		if _, v, ok := strings.Cut(arg, "="); ok && strings.HasPrefix(arg, "-") {
			arg = v
		}
		a.addSecret(webhookSecret(arg))
	}
	a.addSecret(webhookSecret(a.d.env(envWebhook)))
}

func (a *app) addSecret(s string) {
	if s != "" {
		a.secrets = append(a.secrets, s)
	}
}

func (a *app) rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "linedesk",
		Short: "A live dashboard and a scriptable CLI for Bitrix24 open-line operators",
		Long: "linedesk lists a Bitrix24 open-line operator's sessions live and unpins them all\n" +
			"behind a confirmation. Without a command it opens the dashboard.\n\n" +
			"The portal comes from --webhook, else $B24_WEBHOOK_URL: an incoming webhook\n" +
			"https://PORTAL/rest/USER_ID/CODE/ with the im, imopenlines and user_brief scopes.",
		Example: "  linedesk --demo                      # the dashboard on a built-in simulated portal\n" +
			"  linedesk --webhook https://example.bitrix24.ru/rest/1/CODE/\n" +
			"  linedesk sessions --json | jq '.[] | select(.pinned)'\n" +
			"  linedesk unpin-all --yes --json",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageErrorf("%s — see '%s --help'", err, c.CommandPath())
	})
	pf := root.PersistentFlags()
	pf.StringVar(&a.webhook, "webhook", "", "incoming webhook URL https://PORTAL/rest/USER_ID/CODE/ (default $"+envWebhook+")")
	pf.BoolVar(&a.enterprise, "enterprise", false, "the portal is on an Enterprise plan: up to 5 requests/s instead of 2")

	a.addDashboard(root)
	root.AddCommand(a.sessionsCmd(), a.bulkCmd(unpinAll), a.bulkCmd(pinAll), a.simCmd(), a.infoCmd())
	return root
}

// client builds the REST client from the resolved credentials. Every mistake
// here is a configuration error (exit 2) found before any traffic.
func (a *app) client() (*api.Client, error) {
	creds, ok, err := resolveCredentials(a.webhook, a.d.env, a.d.profile)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errNoCredentials()
	}
	return a.clientFor(creds)
}

func (a *app) clientFor(creds credentials) (*api.Client, error) {
	a.addSecret(webhookSecret(creds.webhook))
	if err := checkWebhook(creds); err != nil {
		return nil, err
	}
	c, err := api.New(api.Options{
		WebhookURL: creds.webhook,
		HTTPClient: a.d.httpClient,
		Plan:       a.plan(),
		Limiter:    a.d.limiter,
		Sleep:      a.d.sleep,
		UserAgent:  "linedesk/" + shortVersion(),
	})
	if err != nil {
		return nil, usageErrorf("the %s from %s is wrong: %s", "webhook URL", creds.source, strings.TrimPrefix(err.Error(), "webhook URL "))
	}
	return c, nil
}

func (a *app) plan() api.Plan {
	if a.enterprise {
		return api.PlanEnterprise
	}
	return api.PlanStandard
}

// isTerminal reports whether f is an *os.File attached to a terminal.
func isTerminal(f any) bool {
	file, ok := f.(*os.File)
	return ok && term.IsTerminal(int(file.Fd()))
}

// version is "v1.2.3 (abc123def456)" or "devel (abc123def456, modified)".
func version() string {
	v := shortVersion()
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return v
	}
	var rev string
	var modified bool
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	switch {
	case rev == "" || strings.Contains(v, rev): // go build already put it in the version
	case modified:
		v += " (" + rev + ", modified)"
	default:
		v += " (" + rev + ")"
	}
	return v
}

// shortVersion is the ldflags override, else the module version, else "devel".
func shortVersion() string {
	if Version != "" {
		return Version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "devel"
}

// noArgs is cobra.NoArgs with a message that points to the command's help.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageErrorf("'%s' takes no arguments, but got %q — see '%s --help'", cmd.CommandPath(), args[0], cmd.CommandPath())
	}
	return nil
}
