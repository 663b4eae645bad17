package cli

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"charm.land/fang/v2"
	"github.com/spf13/cobra"
	"golang.org/x/term"
	"golang.org/x/time/rate"

	"github.com/linedesk/linedesk/internal/config"
	"github.com/linedesk/linedesk/internal/i18n"
	"github.com/linedesk/linedesk/internal/logging"
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
		form:       runInitForm,
		editor:     runEditor,
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
	secrets        config.SecretStore                               // where keyring profiles keep the webhook; nil: the OS keyring
	logPath        string                                           // "": linedesk.log in the XDG state directory
	dashboard      func(ctx context.Context, o dashboardOptions) error
	form           func(ctx context.Context, f initForm) (initAnswers, error) // init's questions on the terminal
	editor         func(ctx context.Context, argv []string) error             // runs `config edit`'s editor on the terminal
}

// rootFlags are the flags every command shares, and the dashboard's own.
type rootFlags struct {
	webhook, config, profile string
	debug, enterprise, demo  bool
	plan, timeout            string // checked by config.Load
	refresh, highlight       string // the dashboard's; checked by config.Load
}

// app is one run of linedesk: its language, flags, configuration and log.
type app struct {
	d    deps
	lang i18n.Lang
	t    *text
	f    rootFlags
	eff  *config.Effective // the configuration, once a command has loaded it

	mu      sync.Mutex
	secrets []string // webhook codes and tokens seen in this run; scrubbed from every message and log line

	logMu    sync.Mutex
	log      *logging.Log // nil until a command needs it
	logTried bool
}

func run(ctx context.Context, args []string, d deps) int {
	if d.env == nil {
		d.env = func(string) string { return "" }
	}
	a := &app{d: d}
	a.collectSecrets(args)
	a.lang = a.probeLanguage(args)
	a.t = textFor(a.lang)
	root := a.rootCmd()
	root.SetArgs(args)
	root.SetIn(d.stdin)
	root.SetOut(a.helpOut(d.stdout))
	root.SetErr(d.stderr)

	// fang styles --help and sets --version. Its error handler is replaced
	// because the contract wants one plain "linedesk: …" line and our own
	// exit codes; the hidden `man` command is dropped since it writes to
	// os.Stdout rather than the command's writer.
	start := time.Now()
	err := fang.Execute(ctx, root,
		fang.WithVersion(version()),
		fang.WithoutManpage(),
		fang.WithErrorHandler(func(io.Writer, fang.Styles, error) {}),
	)
	code, msg := exitOK, ""
	if err != nil {
		code, msg = a.message(err)
		msg = oneLine(msg, a.secretList())
		fmt.Fprintln(d.stderr, "linedesk: "+msg)
	}
	a.closeLog(code, msg, time.Since(start))
	return code
}

// lookupEnv adapts deps.env to the config package: an empty variable
// counts as unset.
func (a *app) lookupEnv(name string) (string, bool) {
	v := a.d.env(name)
	return v, v != ""
}

// probeLanguage decides the language before the commands are built (their
// help is in it): the config file's language setting (from --config,
// LINEDESK_CONFIG or the default path) over LC_ALL, LC_MESSAGES and LANG. A
// config that does not load is reported later by the command that needs it.
func (a *app) probeLanguage(args []string) i18n.Lang {
	setting := "auto"
	e, err := config.Load(config.Options{
		ConfigPath: scanFlag(args, "config"),
		LookupEnv:  a.lookupEnvExcept(config.EnvProfile),
		Secrets:    noSecrets{},
	})
	if err == nil {
		setting = e.Language
	}
	return i18n.Lang(config.ResolveLanguage(setting, a.lookupEnv))
}

// lookupEnvExcept is lookupEnv with some variables hidden.
func (a *app) lookupEnvExcept(hidden ...string) func(string) (string, bool) {
	return func(name string) (string, bool) {
		for _, h := range hidden {
			if name == h {
				return "", false
			}
		}
		return a.lookupEnv(name)
	}
}

// scanFlag finds --name VALUE or --name=VALUE in args before "--".
func scanFlag(args []string, name string) string {
	long := "--" + name
	for i, arg := range args {
		switch {
		case arg == "--":
			return ""
		case arg == long && i+1 < len(args):
			return args[i+1]
		case strings.HasPrefix(arg, long+"="):
			return strings.TrimPrefix(arg, long+"=")
		}
	}
	return ""
}

// noSecrets is a SecretStore that has nothing: for loads that never read a
// secret.
type noSecrets struct{}

func (noSecrets) Get(string) (string, error) { return "", config.ErrSecretNotFound }
func (noSecrets) Set(string, string) error   { return config.ErrSecretNotFound }
func (noSecrets) Delete(string) error        { return nil }

// collectSecrets remembers the webhook codes that could appear anywhere in
// this run, so that no message can ever print one, even a parse error.
func (a *app) collectSecrets(args []string) {
	for _, arg := range args {
		if _, v, ok := strings.Cut(arg, "="); ok && strings.HasPrefix(arg, "-") {
			arg = v
		}
		a.addSecret(webhookSecret(arg))
	}
	a.addSecret(webhookSecret(a.d.env(config.EnvWebhook)))
}

func (a *app) addSecret(s string) {
	if len(s) < 4 {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if !slices.Contains(a.secrets, s) { // the saved tokens are read on every refresh
		a.secrets = append(a.secrets, s)
	}
}

func (a *app) secretList() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.secrets...)
}

func (a *app) rootCmd() *cobra.Command {
	t := a.t
	root := &cobra.Command{
		Use:           "linedesk",
		Short:         t.RootShort,
		Long:          t.RootLong,
		Example:       t.RootExample,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageErrorf(t.SeeHelp, a.flagError(c, err), c.CommandPath())
	})
	pf := root.PersistentFlags()
	pf.StringVar(&a.f.webhook, "webhook", "", t.FlagWebhook)
	pf.StringVar(&a.f.config, "config", "", t.FlagConfig)
	pf.StringVar(&a.f.profile, "profile", "", t.FlagProfile)
	pf.Var(&settingValue{&a.f.plan, "plan"}, "plan", t.FlagPlan)
	pf.BoolVar(&a.f.enterprise, "enterprise", false, t.FlagEnterprise)
	pf.Var(&settingValue{&a.f.timeout, "duration"}, "timeout", t.FlagTimeout)
	pf.BoolVar(&a.f.debug, "debug", false, t.FlagDebug)

	a.addDashboard(root)
	root.AddCommand(a.sessionsCmd(), a.bulkCmd(unpinAll), a.bulkCmd(pinAll), a.simCmd(),
		a.initCmd(), a.configCmd(), a.infoCmd())
	root.AddCommand(a.pinCmd(true), a.pinCmd(false), a.undoCmd(), a.journalCmd())
	a.localizeCobra(root)
	return root
}

// settingValue is a flag whose text config.Load checks, so that a flag and
// the same setting in the file get the same validation and messages.
type settingValue struct {
	s   *string
	typ string
}

func (v *settingValue) String() string     { return *v.s }
func (v *settingValue) Set(s string) error { *v.s = s; return nil }
func (v *settingValue) Type() string       { return v.typ }

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
func (a *app) noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageErrorf(a.t.NoArgs, cmd.CommandPath(), args[0])
	}
	return nil
}
