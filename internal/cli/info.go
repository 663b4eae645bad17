package cli

import (
	"fmt"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/adrg/xdg"
	"github.com/spf13/cobra"
)

// Where linedesk keeps its files (XDG base directories; xdg gives the macOS
// and Windows equivalents). Paths only: nothing is created here.
func configFile() string { return filepath.Join(xdg.ConfigHome, "linedesk", "config.toml") }
func stateDir() string   { return filepath.Join(xdg.StateHome, "linedesk") }
func logFile() string    { return filepath.Join(stateDir(), "linedesk.log") }

type infoJSON struct {
	Version     string `json:"version"`
	Go          string `json:"go"`
	Platform    string `json:"platform"`
	ConfigFile  string `json:"config_file"`
	StateDir    string `json:"state_dir"`
	LogFile     string `json:"log_file"`
	Credentials string `json:"credentials"`
}

func (a *app) infoCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "info",
		Short: "Show where config, logs and state live, the version, and the active credentials",
		Long: "Show where linedesk keeps its config file, state and log, its version and Go\n" +
			"runtime, and where the portal's webhook comes from (never the secret itself).",
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error {
			info := infoJSON{
				Version:     version(),
				Go:          runtime.Version(),
				Platform:    runtime.GOOS + "/" + runtime.GOARCH,
				ConfigFile:  configFile(),
				StateDir:    stateDir() + string(filepath.Separator),
				LogFile:     logFile(),
				Credentials: a.credentialsInfo(),
			}
			if asJSON {
				return writeJSON(a.d.stdout, info)
			}
			var b strings.Builder
			row := func(k, v string) { fmt.Fprintf(&b, "%-12s %s\n", k, v) }
			row("version", info.Version)
			row("go", info.Go+" "+info.Platform)
			row("config", info.ConfigFile)
			row("state", info.StateDir)
			row("log", info.LogFile)
			row("credentials", info.Credentials)
			_, err := fmt.Fprint(a.d.stdout, b.String())
			return err
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// credentialsInfo says which credential source is active, never the secret.
func (a *app) credentialsInfo() string {
	creds, ok, err := resolveCredentials(a.webhook, a.d.env, a.d.profile)
	switch {
	case err != nil:
		return "error: " + err.Error()
	case !ok:
		return "none (pass --webhook or set " + envWebhook + "; 'linedesk --demo' needs none)"
	}
	a.addSecret(webhookSecret(creds.webhook))
	s := describeSource(creds)
	if err := checkWebhook(creds); err != nil {
		s += " — not usable: " + err.Error()
	}
	return s
}
