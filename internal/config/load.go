package config

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/adrg/xdg"
)

// Environment variables linedesk reads.
const (
	EnvConfig  = "LINEDESK_CONFIG"  // the config file's path
	EnvProfile = "LINEDESK_PROFILE" // the profile to use
	EnvWebhook = "B24_WEBHOOK_URL"  // a webhook URL that overrides every profile
)

// Overridable are the settings env variables and flags may set, in the
// order they apply; EnvName gives each one's variable ("refresh" →
// LINEDESK_REFRESH). Flags are passed in Options.Flags by the same names.
var Overridable = []string{"refresh", "highlight", "plan", "timeout", "theme", "language"}

// EnvName is the env variable that overrides setting.
func EnvName(setting string) string { return "LINEDESK_" + strings.ToUpper(setting) }

// maxFileSize bounds the config file; anything larger is not a config.
const maxFileSize = 1 << 20

// Source says where a value came from.
type Source int

// Sources in increasing precedence.
const (
	FromDefault Source = iota
	FromFile
	FromEnv
	FromFlag
)

func (s Source) String() string {
	switch s {
	case FromFile:
		return "file"
	case FromEnv:
		return "env"
	case FromFlag:
		return "flag"
	}
	return "default"
}

// Origin is a value's source with its detail: the env variable
// ("LINEDESK_REFRESH"), the flag ("--refresh") or, for a file value that
// came from a profile, "profile NAME".
type Origin struct {
	Source Source
	Name   string
}

func (o Origin) String() string {
	if o.Name == "" {
		return o.Source.String()
	}
	if o.Source == FromFile || o.Source == FromDefault {
		return o.Source.String() + " (" + o.Name + ")"
	}
	return o.Source.String() + " " + o.Name
}

// Options are what the caller knows before loading: flag values and hooks.
type Options struct {
	ConfigPath string                      // --config; "" = LINEDESK_CONFIG, then the XDG default
	Profile    string                      // --profile; "" = LINEDESK_PROFILE, default_profile, the only profile
	Flags      map[string]string           // setting → flag value, only for flags the user gave (names from Overridable)
	LookupEnv  func(string) (string, bool) // nil = os.LookupEnv
	Secrets    SecretStore                 // where webhook_in_keyring profiles keep the URL; nil = NewKeyring(0)
}

// Effective is the configuration in force, and where each value came from.
type Effective struct {
	Config
	Paths         Locations
	Loaded        bool     // the config file existed and was read
	Profile       string   // active profile; "" = none (flag/env credentials or nothing configured)
	ProfileOrigin Origin   // why that profile: flag, env, file (default_profile) or default (the only one)
	Warnings      []string // one-line notices for stderr, e.g. a secret in a file others can read

	warnings  []msg // Warnings, for WarningsIn
	origins   map[string]Origin
	lookupEnv func(string) (string, bool)
	secrets   SecretStore
}

// Origin tells where the value of a dotted key ("refresh", "keys.up",
// "profiles.work.webhook_url") came from; FromDefault for anything else.
func (e *Effective) Origin(key string) Origin { return e.origins[key] }

// WarningsIn returns Warnings rendered in lang ("en" or "ru").
func (e *Effective) WarningsIn(lang string) []string {
	out := make([]string, len(e.warnings))
	for i, w := range e.warnings {
		out[i] = oneLine(w.in(lang))
	}
	return out
}

// ActiveProfile returns the active profile, if any.
func (e *Effective) ActiveProfile() (Profile, bool) {
	if e.Profile == "" {
		return Profile{}, false
	}
	p, ok := e.Profiles[e.Profile]
	return p, ok
}

func orOSEnv(f func(string) (string, bool)) func(string) (string, bool) {
	if f == nil {
		return os.LookupEnv
	}
	return f
}

func getenv(env func(string) (string, bool), name string) string {
	v, ok := env(name)
	if !ok {
		return ""
	}
	return strings.TrimSpace(v)
}

// Locations are the files linedesk reads and writes.
type Locations struct {
	ConfigFile   string
	ConfigOrigin Origin // flag --config, env LINEDESK_CONFIG or default
	StateDir     string // $XDG_STATE_HOME/linedesk
	LogFile      string
	JournalFile  string
}

// Paths resolves the locations; configFlag is the --config value ("" if
// none given). It creates nothing.
func Paths(configFlag string) Locations { return paths(configFlag, os.LookupEnv) }

// PathsEnv is Paths with LINEDESK_CONFIG looked up by lookupEnv (nil =
// os.LookupEnv), the way Load finds the file.
func PathsEnv(configFlag string, lookupEnv func(string) (string, bool)) Locations {
	return paths(configFlag, orOSEnv(lookupEnv))
}

func paths(configFlag string, env func(string) (string, bool)) Locations {
	loc := Locations{StateDir: filepath.Join(xdg.StateHome, "linedesk")}
	loc.LogFile = filepath.Join(loc.StateDir, "linedesk.log")
	loc.JournalFile = filepath.Join(loc.StateDir, "journal.jsonl")
	switch {
	case configFlag != "":
		loc.ConfigFile, loc.ConfigOrigin = expandHome(configFlag), Origin{Source: FromFlag, Name: "--config"}
	case getenv(env, EnvConfig) != "":
		loc.ConfigFile, loc.ConfigOrigin = expandHome(getenv(env, EnvConfig)), Origin{Source: FromEnv, Name: EnvConfig}
	default:
		loc.ConfigFile = filepath.Join(xdg.ConfigHome, "linedesk", "config.toml")
	}
	return loc
}

func expandHome(p string) string {
	if p == "~" || strings.HasPrefix(p, "~/") || strings.HasPrefix(p, `~\`) {
		return filepath.Join(xdg.Home, p[1:])
	}
	return p
}

// readConfig reads the file; a missing file is (nil, nil).
func readConfig(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, nil
		}
		return nil, newError(raw(path), "", msgf("cannot read the config file: %s", errText(err)))
	}
	if st.IsDir() {
		return nil, newError(raw(path), "", msgf("is a directory, not a config file (point --config or %s at a file)", EnvConfig))
	}
	if st.Size() > maxFileSize {
		return nil, newError(raw(path), "", msgf("is larger than 1 MiB, so it is not a linedesk config (check --config or %s)", EnvConfig))
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, newError(raw(path), "", msgf("cannot read the config file: %s", errText(err)))
	}
	return data, nil
}

// errText is an OS error without the path it repeats.
func errText(err error) string {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err.Error()
	}
	return err.Error()
}

// Load reads the config file (a missing one means defaults), applies env
// variables and flags over it, and picks the active profile. Every error is
// an *Error with a one-line message; the caller exits 2.
func Load(opts Options) (*Effective, error) {
	env := orOSEnv(opts.LookupEnv)
	e := &Effective{
		Config:    Default().clone(),
		Paths:     paths(opts.ConfigPath, env),
		origins:   map[string]Origin{},
		lookupEnv: env,
		secrets:   opts.Secrets,
	}
	if e.secrets == nil {
		e.secrets = NewKeyring(0)
	}
	path := e.Paths.ConfigFile
	data, err := readConfig(path)
	if err != nil {
		return nil, err
	}
	if data != nil {
		e.Loaded = true
		holdsSecret, err := parseFile(path, string(data), &e.Config, e.origins)
		if err != nil {
			return nil, err
		}
		if holdsSecret {
			if w := permissionWarning(path); !w.empty() {
				e.Warnings = append(e.Warnings, w.in("en"))
				e.warnings = append(e.warnings, w)
			}
		}
	}
	for _, key := range Overridable {
		name := EnvName(key)
		if v := getenv(env, name); v != "" {
			if m, _ := setScalar(&e.Config, key, v); !m.empty() {
				return nil, newError(msgf("env %s", name), "", m)
			}
			e.origins[key] = Origin{Source: FromEnv, Name: name}
		}
	}
	flagKeys := make([]string, 0, len(opts.Flags))
	for k := range opts.Flags {
		flagKeys = append(flagKeys, k)
	}
	slices.Sort(flagKeys)
	for _, key := range flagKeys {
		where := msgf("flag --%s", key)
		if !slices.Contains(Overridable, key) {
			return nil, newError(where, "", msgf("is not a setting linedesk can override (known: %s)", strings.Join(Overridable, ", ")))
		}
		if m, _ := setScalar(&e.Config, key, opts.Flags[key]); !m.empty() {
			return nil, newError(where, "", m)
		}
		e.origins[key] = Origin{Source: FromFlag, Name: "--" + key}
	}
	if err := e.selectProfile(opts.Profile, env); err != nil {
		return nil, err
	}
	if p, ok := e.ActiveProfile(); ok && p.Plan != "" {
		if o := e.origins["plan"]; o.Source <= FromFile {
			e.Plan = p.Plan
			e.origins["plan"] = Origin{Source: FromFile, Name: "profile " + p.Name}
		}
	}
	return e, nil
}

// selectProfile applies --profile, LINEDESK_PROFILE, default_profile, then
// the only profile; with several and no choice, no profile is active.
func (e *Effective) selectProfile(flag string, env func(string) (string, bool)) error {
	name, origin, where := flag, Origin{Source: FromFlag, Name: "--profile"}, msgf("flag --%s", "profile")
	if name == "" {
		name, origin, where = getenv(env, EnvProfile), Origin{Source: FromEnv, Name: EnvProfile}, msgf("env %s", EnvProfile)
	}
	if name != "" {
		if _, ok := e.Profiles[name]; !ok {
			return newError(where, "", msgf("no profile %q in %s %s", name, e.Paths.ConfigFile, knownProfiles(e.ProfileNames())))
		}
		e.Profile, e.ProfileOrigin = name, origin
		return nil
	}
	if e.DefaultProfile != "" {
		e.Profile, e.ProfileOrigin = e.DefaultProfile, Origin{Source: FromFile, Name: "default_profile"}
		return nil
	}
	if names := e.ProfileNames(); len(names) == 1 {
		e.Profile, e.ProfileOrigin = names[0], Origin{Source: FromDefault, Name: "the only profile"}
	}
	return nil
}
