package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/huh/v2"
	"github.com/spf13/cobra"

	"github.com/linedesk/linedesk/internal/api"
	"github.com/linedesk/linedesk/internal/config"
	"github.com/linedesk/linedesk/internal/i18n"
	"github.com/linedesk/linedesk/internal/sanitize"
)

// initForm is what init asks on a terminal; the fields already known are
// not asked again.
type initForm struct {
	t              *text
	lang           i18n.Lang
	name           string   // the profile name, "" = ask
	askURL         bool     // ask for the webhook URL
	existing       []string // profiles already in the file: asks before replacing one
	replace        bool     // --yes: replace without asking
	currentDefault string   // default_profile of the file: asks before changing it
	makeDefault    bool     // --default: make it the default without asking
	validName      func(string) error
	validURL       func(string) error
}

// initAnswers are the form's answers.
type initAnswers struct {
	name, url   string
	replace     bool // replacing an existing profile was confirmed
	makeDefault bool
}

// errFormCancelled is what a form returns when the user leaves it.
var errFormCancelled = huh.ErrUserAborted

func (a *app) initCmd() *cobra.Command {
	var yes, makeDefault bool
	t := a.t
	cmd := &cobra.Command{
		Use:     "init",
		Short:   t.InitShort,
		Long:    t.InitLong,
		Example: t.InitExample,
		Args:    a.noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runInit(cmd, yes, makeDefault)
		},
	}
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, t.FlagReplace)
	cmd.Flags().BoolVar(&makeDefault, "default", false, t.FlagDefault)
	return cmd
}

func (a *app) runInit(cmd *cobra.Command, yes, makeDefault bool) error {
	ctx, t, lang := cmd.Context(), a.t, string(a.lang)
	// The profile named here is the one to create: LINEDESK_PROFILE must not
	// select (and fail on) a profile that does not exist yet.
	e, err := config.Load(config.Options{
		ConfigPath: a.f.config,
		LookupEnv:  a.lookupEnvExcept(config.EnvProfile),
		Secrets:    noSecrets{},
	})
	if err != nil {
		return &cliError{code: exitUsage, msg: fmt.Sprintf(t.InitBrokenConfig, config.Message(err, lang)), err: err}
	}
	a.eff = e
	path := e.Paths.ConfigFile
	name := strings.TrimSpace(a.f.profile)
	url := strings.TrimSpace(a.f.webhook)
	if url == "" {
		url = strings.TrimSpace(a.d.env(config.EnvWebhook))
	}
	a.addSecret(webhookSecret(url))
	validName := func(s string) error {
		s = strings.TrimSpace(s)
		if s == "" {
			return errors.New(t.FormNameEmpty)
		}
		if msg := config.CheckProfileName(s, lang); msg != "" {
			return errors.New(msg)
		}
		return nil
	}
	validURL := func(s string) error {
		s = strings.TrimSpace(s)
		if s == "" {
			return errors.New(t.FormURLEmpty)
		}
		// The config's check says what is wrong without naming a source
		// and never quotes the URL.
		if msg := config.CheckWebhookURL(s, lang); msg != "" {
			return errors.New(msg)
		}
		return nil
	}

	exists := func(n string) bool { _, ok := e.Profiles[n]; return ok }
	wantDefault := func(n string) bool {
		return makeDefault || e.DefaultProfile == "" || e.DefaultProfile == n
	}
	interactive := a.d.isTerminal(a.d.stdin) && a.d.isTerminal(a.d.stdout)
	switch {
	case name != "" && url != "":
		// Everything was given: no questions, except on a terminal about
		// replacing a profile or the default.
		if err := validName(name); err != nil {
			return usageErrorf("--profile: %s", err.Error())
		}
		if err := validURL(url); err != nil {
			return usageErrorf("%s", err.Error())
		}
		if exists(name) && !yes && !interactive {
			return usageErrorf(t.InitExists, name, path)
		}
	case !interactive:
		return usageErrorf("%s", t.InitNeedTerminal)
	}
	if name != "" {
		if err := validName(name); err != nil {
			return usageErrorf("--profile: %s", err.Error())
		}
	}
	replace, setDefault := yes, wantDefault(name)
	if interactive && (name == "" || url == "" || (exists(name) && !yes) || !setDefault) {
		answers, err := a.d.form(ctx, initForm{
			t: t, lang: a.lang, name: name, askURL: url == "",
			existing: e.ProfileNames(), replace: yes,
			currentDefault: e.DefaultProfile, makeDefault: makeDefault,
			validName: validName, validURL: validURL,
		})
		if errors.Is(err, errFormCancelled) || ctx.Err() != nil {
			return &cliError{code: exitInterrupted, msg: t.InitCancelled, err: err}
		}
		if err != nil {
			return &cliError{code: exitFailure, msg: err.Error(), err: err}
		}
		if answers.name != "" {
			name = strings.TrimSpace(answers.name)
		}
		if url == "" {
			url = strings.TrimSpace(answers.url)
			a.addSecret(webhookSecret(url))
		}
		replace = yes || answers.replace
		setDefault = wantDefault(name) || answers.makeDefault
		// A form that skipped a check (a fake in tests, or a future form)
		// must not let a bad answer through.
		if err := validName(name); err != nil {
			return usageErrorf("%s", err.Error())
		}
		if err := validURL(url); err != nil {
			return usageErrorf("%s", err.Error())
		}
	}
	if exists(name) && !replace {
		if interactive {
			fmt.Fprintln(a.d.stderr, "linedesk: "+t.InitCancelled)
			return nil
		}
		return usageErrorf(t.InitExists, name, path)
	}

	who, host, err := a.checkWebhookOnPortal(ctx, name, url)
	if err != nil {
		return err
	}
	fmt.Fprintln(a.d.stdout, fmt.Sprintf(t.Connected, who, host))

	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		// A new file starts with every setting explained.
		if err := config.Save(path, config.Template(lang)); err != nil {
			return &cliError{code: exitFailure, msg: config.Message(err, lang), err: err}
		}
	}
	inKeyring, keyringErr, err := config.SaveWebhookProfile(path, name, url, a.secretStore(), setDefault)
	if err != nil {
		return &cliError{code: exitFailure, msg: config.Message(err, lang), err: err}
	}
	a.logger().Info("saved profile", "profile", name, "keyring", inKeyring, "default", setDefault)
	if inKeyring {
		fmt.Fprintln(a.d.stdout, fmt.Sprintf(t.SavedKeyring, name, path))
	} else {
		why := config.Message(keyringErr, lang)
		fmt.Fprintln(a.d.stdout, oneLine(fmt.Sprintf(t.SavedFile, name, path, why), a.secretList()))
	}
	if w := config.CheckPermissions(path); w != "" {
		fmt.Fprintln(a.d.stderr, "linedesk: "+w)
	}
	if setDefault {
		fmt.Fprintln(a.d.stdout, t.SavedDefault)
		fmt.Fprintln(a.d.stdout, t.InitNextStep)
	} else {
		fmt.Fprintln(a.d.stdout, fmt.Sprintf(t.SavedNotDefault, e.DefaultProfile, name))
	}
	return nil
}

// scopeOf names the scope each command of init's check needs.
var scopeOf = []struct{ key, method, scope string }{
	{"me", "user.current", "user_brief"},
	{"recent", "im.recent.list", "im"},
	{"lines", "imopenlines.config.list.get", "imopenlines"},
}

// checkWebhookOnPortal calls the portal once (a batch of user.current,
// im.recent.list and imopenlines.config.list.get) to prove the webhook works
// and has the three scopes linedesk needs; a missing scope is named.
func (a *app) checkWebhookOnPortal(ctx context.Context, name, url string) (who, host string, err error) {
	t := a.t
	c, err := a.clientFor(config.Credentials{Label: "profile " + name, Profile: name, WebhookURL: url, Plan: a.eff.Plan})
	if err != nil {
		return "", "", err
	}
	host = c.Host()
	fmt.Fprintln(a.d.stderr, "linedesk: "+fmt.Sprintf(t.Checking, host))
	cmds := make([]api.BatchCommand, len(scopeOf))
	for i, s := range scopeOf {
		cmds[i] = api.BatchCommand{Key: s.key, Method: s.method}
		if s.key == "recent" {
			cmds[i].Params = map[string]any{"LIMIT": 1}
		}
	}
	res, err := c.Batch(ctx, cmds, false)
	if err != nil {
		return "", host, a.portalError(ctx, host, err)
	}
	var missing []string
	for _, s := range scopeOf {
		e := res.Errors[s.key]
		switch {
		case e == nil:
		case errors.Is(e, api.ErrInsufficientScp), errors.Is(e, api.ErrMethodNotFound):
			missing = append(missing, s.scope)
		default:
			return "", host, a.portalError(ctx, host, e)
		}
	}
	if len(missing) > 0 {
		a.logger().Warn("webhook lacks scopes", "host", host, "missing", missing)
		return "", host, &cliError{code: exitFailure,
			msg: fmt.Sprintf(t.MissingScopes, strings.Join(missing, ", "), a.lang.Pick(len(missing), t.Scopes))}
	}
	var me struct {
		ID       any    `json:"ID"`
		Name     string `json:"NAME"`
		LastName string `json:"LAST_NAME"`
	}
	if err := res.Decode("me", &me); err != nil {
		return "", host, a.portalError(ctx, host, err)
	}
	who = sanitize.Fit(strings.TrimSpace(me.Name+" "+me.LastName), 60)
	if who == "" {
		id, _ := strconv.ParseInt(fmt.Sprint(me.ID), 10, 64)
		who = fmt.Sprintf(t.UserN, id)
	}
	return who, host, nil
}

// runInitForm asks init's questions with a huh form on the terminal. The
// webhook is typed blind (dots), and checked before the form moves on.
func runInitForm(ctx context.Context, f initForm) (initAnswers, error) {
	t := f.t
	ans := initAnswers{name: f.name}
	var fields []huh.Field
	if f.name == "" {
		fields = append(fields, huh.NewInput().
			Title(t.FormName).Description(t.FormNameHint).
			Placeholder("work").CharLimit(64).
			Value(&ans.name).Validate(f.validName))
	}
	if f.askURL {
		fields = append(fields, huh.NewInput().
			Title(t.FormURL).Description(t.FormURLHint).
			Placeholder(t.FormURLPlaceholder).
			EchoMode(huh.EchoModePassword).
			Value(&ans.url).Validate(f.validURL))
	}
	var groups []*huh.Group
	if len(fields) > 0 {
		groups = append(groups, huh.NewGroup(fields...).Title(t.FormTitle).Description(t.FormIntro))
	}
	groups = append(groups,
		huh.NewGroup(huh.NewConfirm().
			TitleFunc(func() string { return fmt.Sprintf(t.FormReplace, strings.TrimSpace(ans.name)) }, &ans.name).
			Affirmative(t.FormReplaceYes).Negative(t.FormReplaceNo).
			Value(&ans.replace)).
			WithHideFunc(func() bool {
				return f.replace || !slices.Contains(f.existing, strings.TrimSpace(ans.name))
			}),
		huh.NewGroup(huh.NewConfirm().
			TitleFunc(func() string {
				return fmt.Sprintf(t.FormMakeDefault, strings.TrimSpace(ans.name), f.currentDefault)
			}, &ans.name).
			Affirmative(t.FormDefaultYes).Negative(t.FormDefaultNo).
			Value(&ans.makeDefault)).
			WithHideFunc(func() bool {
				n := strings.TrimSpace(ans.name)
				return f.makeDefault || f.currentDefault == "" || f.currentDefault == n ||
					// Not asked when the profile is not going to be replaced.
					(slices.Contains(f.existing, n) && !f.replace && !ans.replace)
			}),
	)
	form := huh.NewForm(groups...).WithKeyMap(formKeys(t)).WithShowHelp(true)
	err := form.RunWithContext(ctx)
	return ans, err
}

// formKeys is huh's key map with its help in the user's language; a
// confirmation also takes the Russian д and н.
func formKeys(t *text) *huh.KeyMap {
	km := huh.NewDefaultKeyMap()
	if t.FormKeys == nil {
		return km
	}
	for _, b := range []*key.Binding{
		&km.Quit,
		&km.Input.AcceptSuggestion, &km.Input.Prev, &km.Input.Next, &km.Input.Submit,
		&km.Confirm.Prev, &km.Confirm.Next, &km.Confirm.Submit, &km.Confirm.Toggle,
		&km.Confirm.Accept, &km.Confirm.Reject,
	} {
		h := b.Help()
		if tr, ok := t.FormKeys[h.Desc]; ok {
			b.SetHelp(h.Key, tr)
		}
	}
	km.Confirm.Accept.SetKeys(append(km.Confirm.Accept.Keys(), "д", "Д")...)
	km.Confirm.Reject.SetKeys(append(km.Confirm.Reject.Keys(), "н", "Н")...)
	return km
}
