package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/linedesk/linedesk/internal/config"
)

type infoJSON struct {
	Version      string `json:"version"`
	Go           string `json:"go"`
	Platform     string `json:"platform"`
	ConfigFile   string `json:"config_file"`
	ConfigExists bool   `json:"config_exists"`
	ConfigFrom   string `json:"config_from"`
	ConfigError  string `json:"config_error,omitempty"`
	StateDir     string `json:"state_dir"`
	StateExists  bool   `json:"state_exists"`
	LogFile      string `json:"log_file"`
	LogExists    bool   `json:"log_exists"`
	Profile      string `json:"profile"`
	ProfileFrom  string `json:"profile_from,omitempty"`
	Credentials  string `json:"credentials"`
	Language     string `json:"language"`
}

func (a *app) infoCmd() *cobra.Command {
	var asJSON bool
	t := a.t
	cmd := &cobra.Command{
		Use:   "info",
		Short: t.InfoShort,
		Long:  t.InfoLong,
		Args:  a.noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			info := a.info(cmd)
			if asJSON {
				return writeJSON(a.d.stdout, info)
			}
			exists := func(ok bool) string {
				if ok {
					return t.InfoExists
				}
				return t.InfoMissing
			}
			tw := tabwriter.NewWriter(a.d.stdout, 0, 0, 2, ' ', 0)
			row := func(k, v string) { fmt.Fprintf(tw, "%s\t%s\n", k, v) }
			row(t.InfoVersion, info.Version)
			row(t.InfoGo, info.Go+" "+info.Platform)
			cfg := fmt.Sprintf("%s (%s; %s)", info.ConfigFile, exists(info.ConfigExists), info.ConfigFrom)
			if info.ConfigError != "" {
				cfg = fmt.Sprintf(t.InfoConfigBroken, info.ConfigFile, info.ConfigError)
			}
			row(t.InfoConfig, cfg)
			row(t.InfoState, fmt.Sprintf("%s (%s)", info.StateDir, exists(info.StateExists)))
			row(t.InfoLog, fmt.Sprintf("%s (%s)", info.LogFile, exists(info.LogExists)))
			profile := t.InfoNoProfile
			if info.Profile != "" {
				profile = fmt.Sprintf(t.InfoProfileFrom, info.Profile, info.ProfileFrom)
			}
			row(t.InfoProfile, profile)
			row(t.InfoCredentials, info.Credentials)
			row(t.InfoLanguage, info.Language)
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, t.FlagJSON)
	return cmd
}

// info gathers what `info` reports. It reads the config file but creates
// nothing: no directory, no log.
func (a *app) info(cmd *cobra.Command) infoJSON {
	t, lang := a.t, string(a.lang)
	loc := config.PathsEnv(a.f.config, a.lookupEnv)
	info := infoJSON{
		Version:    version(),
		Go:         runtime.Version(),
		Platform:   runtime.GOOS + "/" + runtime.GOARCH,
		ConfigFile: loc.ConfigFile,
		ConfigFrom: loc.ConfigOrigin.In(lang),
		StateDir:   loc.StateDir + string(filepath.Separator),
		LogFile:    a.logPath(),
		Language:   lang,
	}
	info.ConfigExists = exists(loc.ConfigFile)
	info.StateExists = exists(loc.StateDir)
	info.LogExists = exists(info.LogFile)

	e, err := a.loadConfig(cmd)
	if err != nil {
		info.ConfigError = a.messageOf(err)
		// Without a usable file, only the flag and the environment count.
		e, _ = config.Load(config.Options{ConfigPath: os.DevNull, LookupEnv: a.lookupEnvExcept(config.EnvProfile), Secrets: noSecrets{}})
	}
	if e == nil {
		info.Credentials = fmt.Sprintf(t.InfoCredError, info.ConfigError)
		return info
	}
	if e.Profile != "" {
		info.Profile, info.ProfileFrom = e.Profile, e.ProfileOrigin.In(lang)
	}
	info.Credentials = a.credentialsInfo(e)
	return info
}

// credentialsInfo says which credential source is active, never the secret.
func (a *app) credentialsInfo(e *config.Effective) string {
	t := a.t
	creds, err := e.Credentials(a.f.webhook, a.lookupEnv)
	switch {
	case errors.Is(err, config.ErrNoCredentials) && len(e.ProfileNames()) <= 1:
		return t.InfoCredNone
	case err != nil:
		return fmt.Sprintf(t.InfoCredError, config.Message(err, string(a.lang)))
	}
	src := a.sourceLabel(creds)
	if creds.OAuth != nil {
		return describeSource(t, credentials{webhook: creds.OAuth.Endpoint, source: src})
	}
	a.addSecret(webhookSecret(creds.WebhookURL))
	c := credentials{webhook: creds.WebhookURL, source: src}
	s := describeSource(t, c)
	if err := checkWebhook(t, c); err != nil {
		s = fmt.Sprintf(t.InfoCredBad, s, err.Error())
	}
	return oneLine(s, a.secretList())
}

// messageOf is the user's sentence for err.
func (a *app) messageOf(err error) string {
	_, msg := a.message(err)
	return strings.TrimSpace(msg)
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
