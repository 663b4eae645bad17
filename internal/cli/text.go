package cli

import (
	"github.com/linedesk/linedesk/internal/i18n"
)

// text holds every sentence the command line writes for a person: help,
// prompts, results and errors. textEN is below; textRU (text_ru.go) has the
// same fields in Russian. Formats use fmt verbs; where Russian needs another
// word order they use explicit argument indexes (%[2]s). Plural phrases are
// i18n.Forms chosen with Lang.N or Lang.Pick.
type text struct {
	// root command and shared flags
	RootShort, RootLong, RootExample                          string
	FlagWebhook, FlagConfig, FlagProfile, FlagDebug           string
	FlagEnterprise, FlagPlan, FlagTimeout                     string
	FlagDemo, FlagRefresh, FlagHighlight, FlagJSON, FlagYes   string
	FlagHelp                                                  string // %s = command name
	FlagVersion                                               string
	VersionLine                                               string // %s = version
	HelpCmdShort, HelpCmdLong                                 string
	CompletionShort, CompletionLong                           string
	CompletionShellShort, CompletionShellLong                 string // %[1]s = shell, %[2]s = program
	CompletionNoDesc                                          string
	HelpHeadings                                              map[string]string // fang's headings → this language; nil = as they are
	SeeHelp                                                   string            // "%s — see '%s --help'"
	SeeRootHelp                                               string            // "%s — see 'linedesk --help'"
	NoArgs                                                    string            // %[1]s command, %[2]q argument
	UnknownCommand, DidYouMean, UnknownFlag, UnknownShorthand string
	FlagNeedsArg, InvalidFlagArg                              string
	WantInt, WantDuration, WantBool, Or                       string
	PlanConflict                                              string

	// configuration
	ConfigError    string // %s = the config package's one-line message
	Warning        string // prefix of warnings: "warning: %s"
	LogUnavailable string // %s = why
	TokenSaveFail  string // %[1]s profile, %[2]s why

	// credentials
	NoPortal                                   string
	WebhookNotURL, WebhookHTTP, WebhookScheme  string
	WebhookWrong, OAuthWrong                   string
	SourceFlag, SourceEnv, SourceDemo          string
	SourceProfile, SourceKeyring, SourceOAuth  string // %s = profile
	DescribeUser, DescribeHost, DescribeBroken string

	// portal failures
	Interrupted, InterruptedNothing                  string
	CannotReach, OutcomeUnknown, Unusable            string
	Refused, NoErrorCode                             string
	HintAuth, HintExpired, HintScope, HintQueryLimit string
	HintOperationLimit, HintOverload, HintRights     string
	HintHTTPS, HintNoReason, HintGrant               string
	NetRefused, NetNoHost, NetTimeout, NetClosed     string
	NetCert                                          string
	BulkUnknown, BulkNoAnswer, BulkInterrupted       string

	// dashboard
	DemoWithWebhook, NeedTerminal string

	// sessions
	SessionsShort, SessionsLong, SessionsExample, FlagAll string
	NoCurrentSessions, NoSessions                         string // %[1]s operator, %[2]s host
	Truncated                                             string // %s = how many rows were read
	Headers                                               []string
	Yes                                                   string
	AgoNow, AgoSeconds, AgoMinutes, AgoHours, AgoDays     string
	FileMessage                                           string         // a last message that is only a file: "[file] %s"
	StatusNames                                           map[int]string // nil = the core's names

	// unpin-all and pin-all
	UnpinShort, PinShort, BulkLong, BulkExample string
	FlagBulkJSON                                string // %s = JSON key
	NothingUnpinned, NothingPinned              string
	NeedYes                                     string // %s = command
	Cancelled                                   string
	UnpinNone, UnpinOne, UnpinMany              string // %[1]s operator, %[2]s host, %[3]s count phrase
	PinNone, PinOne, PinMany                    string
	PinnedSessions, UnpinnedSessions            i18n.Forms
	Unpinned, Pinned                            i18n.Forms // "Unpinned" before a count
	Sessions                                    i18n.Forms
	BulkResult                                  string // %[1]s verb, %[2]s count, %[3]s IDs
	YesAnswers                                  []string
	UserN                                       string // %d = user ID

	// sim
	SimShort, SimLong, SimExample                     string
	FlagAddr, FlagSessions, FlagSeed, FlagEvolve      string
	FlagPublic                                        string
	SimBadSessions, SimBadEvolve, SimBadAddr          string
	SimNotLoopback, SimCannotListen                   string
	SimStopped, SimNotStopped, SimPublicWarn, SimNote string

	// info
	InfoShort, InfoLong                                       string
	InfoVersion, InfoGo, InfoConfig, InfoState, InfoLog       string
	InfoProfile, InfoCredentials, InfoLanguage                string
	InfoExists, InfoMissing, InfoNone, InfoNoProfile          string
	InfoProfileFrom, InfoCredNone, InfoCredError, InfoCredBad string
	InfoConfigBroken                                          string

	// config
	ConfigShort, ConfigLong, ConfigPathShort, ConfigShowShort string
	ConfigEditShort, ConfigEditLong                           string
	NoEditor, EditorFailed, EditInvalid, EditAgain            string
	EditCannotRead, EditCannotCopy, EditSaveFailed            string
	EditKept, EditSaved, EditUnchanged, EditCreated           string
	EditTokensKept                                            string // %s = profile names

	// init
	InitShort, InitLong, InitExample, FlagReplace, FlagDefault string
	InitNeedTerminal, InitExists, InitBrokenConfig             string
	FormTitle, FormIntro, FormName, FormNameHint               string
	FormURL, FormURLHint, FormNameEmpty, FormURLEmpty          string
	FormURLPlaceholder                                         string
	FormReplace, FormReplaceYes, FormReplaceNo                 string
	FormMakeDefault, FormDefaultYes, FormDefaultNo             string
	FormKeys                                                   map[string]string // huh's key help → this language
	InitCancelled, Checking, Connected                         string
	MissingScopes                                              string // %[1]s scope list, %[2]s forms
	Scopes                                                     i18n.Forms
	SavedKeyring, SavedFile, SavedDefault, SavedNotDefault     string
	InitNextStep                                               string
}

var textEN = text{
	RootShort: "A live dashboard and a scriptable CLI for Bitrix24 open-line operators",
	RootLong: "linedesk lists a Bitrix24 open-line operator's sessions live and unpins them all\n" +
		"behind a confirmation. Without a command it opens the dashboard.\n\n" +
		"The portal comes from --webhook, else $B24_WEBHOOK_URL, else the active profile of\n" +
		"the config file: 'linedesk init' saves one, 'linedesk config' shows the settings.",
	RootExample: "  linedesk init                        # save a portal once\n" +
		"  linedesk                             # then open the dashboard\n" +
		"  linedesk --demo                      # the dashboard on a built-in simulated portal\n" +
		"  linedesk sessions --json | jq '.[] | select(.pinned)'\n" +
		"  linedesk unpin-all --yes --json",
	FlagWebhook:          "incoming webhook URL https://PORTAL/rest/USER_ID/CODE/ (default $B24_WEBHOOK_URL, then the profile)",
	FlagConfig:           "config file (default $LINEDESK_CONFIG, then the XDG config directory)",
	FlagProfile:          "portal profile from the config file (default $LINEDESK_PROFILE, then default_profile)",
	FlagDebug:            "write debug details to the log file (see 'linedesk info')",
	FlagEnterprise:       "the portal is on an Enterprise plan: up to 5 requests/s instead of 2 (same as --plan enterprise)",
	FlagPlan:             "the portal's rate-limit plan: standard or enterprise",
	FlagTimeout:          "how long one request may take, 1s to 10m",
	FlagDemo:             "run the dashboard on a built-in simulated portal (no webhook needed)",
	FlagRefresh:          "refresh the list this often (0 = only on r; at least 3s)",
	FlagHighlight:        "keep the rows an unpin-all returned highlighted this long (0 = until esc)",
	FlagJSON:             "print JSON",
	FlagYes:              "do not ask for confirmation",
	FlagHelp:             "help for %s",
	FlagVersion:          "print the version",
	VersionLine:          "linedesk version %s\n",
	HelpCmdShort:         "Help about any command",
	HelpCmdLong:          "Help shows the help of any command: linedesk help [command].",
	CompletionShort:      "Generate the autocompletion script for the specified shell",
	CompletionLong:       "Generate the autocompletion script of linedesk for the specified shell.\nSee each sub-command's help for how to use the generated script.",
	CompletionShellShort: "Generate the autocompletion script for %[1]s",
	CompletionShellLong: "Generate the autocompletion script of %[2]s for %[1]s.\n" +
		"To load it in the current shell session, source the output, e.g. for bash:\n" +
		"  source <(%[2]s completion bash)",
	CompletionNoDesc: "disable completion descriptions",
	SeeHelp:          "%s — see '%s --help'",
	SeeRootHelp:      "%s — see 'linedesk --help'",
	NoArgs:           "'%[1]s' takes no arguments, but got %[2]q — see '%[1]s --help'",
	UnknownCommand:   "unknown command %q for %q",
	DidYouMean:       "; did you mean %s?",
	UnknownFlag:      "unknown flag: %s",
	UnknownShorthand: "unknown shorthand flag: %q in %s",
	FlagNeedsArg:     "flag needs an argument: %s",
	InvalidFlagArg:   "invalid argument %q for %q flag: %s",
	WantInt:          "want a whole number",
	WantDuration:     "want a duration such as 10s",
	WantBool:         "want true or false",
	Or:               " or ",
	PlanConflict:     "--enterprise and --plan %s contradict each other: drop one of them",

	ConfigError:    "%s",
	Warning:        "warning: %s",
	LogUnavailable: "warning: %s; linedesk runs without a log file",
	TokenSaveFail:  "warning: the refreshed OAuth tokens of profile %[1]s could not be saved (%[2]s); the next run may have to sign in again",

	NoPortal: "no portal given: pass --webhook https://PORTAL/rest/USER_ID/CODE/, set B24_WEBHOOK_URL, or save a profile with 'linedesk init' " +
		"(to try linedesk without a portal, run 'linedesk --demo' or 'linedesk sim')",
	WebhookNotURL:  "the webhook URL from %s is not a URL: it should look like https://PORTAL/rest/USER_ID/CODE/",
	WebhookHTTP:    "the webhook URL from %[1]s uses http:// for %[2]s: only loopback hosts may use plain http; use https://%[2]s/…",
	WebhookScheme:  "the webhook URL from %s has scheme %q: use https://PORTAL/rest/USER_ID/CODE/",
	WebhookWrong:   "the webhook URL from %s is wrong: %s",
	OAuthWrong:     "the OAuth settings of %s are wrong: %s",
	SourceFlag:     "--webhook",
	SourceEnv:      "B24_WEBHOOK_URL",
	SourceDemo:     "--demo",
	SourceProfile:  "profile %s",
	SourceKeyring:  "profile %s (keyring)",
	SourceOAuth:    "profile %s (oauth)",
	DescribeUser:   "%[1]s (portal %[2]s, user %[3]s)",
	DescribeHost:   "%[1]s (portal %[2]s)",
	DescribeBroken: "%s (not a valid URL)",

	Interrupted:        "interrupted",
	InterruptedNothing: "interrupted; nothing was changed",
	CannotReach:        "cannot reach %[1]s: %[2]s — check the webhook URL and your network, then try again",
	OutcomeUnknown:     "%s did not confirm the change, so it may or may not have happened — run 'linedesk sessions' to check before trying again",
	Unusable:           "%[1]s gave an answer linedesk cannot use (%[2]s) — try again later, and report it if it persists",
	Refused:            "portal refused: ",
	NoErrorCode:        "no error code",
	HintAuth:           "check the webhook URL (its user ID and code, and that the webhook still exists)",
	HintExpired:        "the access token expired and could not be refreshed; sign in again",
	HintScope:          "give the webhook the im, imopenlines and user_brief scopes",
	HintQueryLimit:     "the portal's request limit was hit; wait a minute and try again",
	HintOperationLimit: "the portal blocked this method for a while; wait about ten minutes and try again",
	HintOverload:       "REST is blocked on this portal; only Bitrix24 support can lift it",
	HintRights:         "the webhook's user lacks the rights for this; ask the portal administrator",
	HintHTTPS:          "use an https:// webhook URL",
	HintNoReason:       "the portal gave no reason; try again, and check in Bitrix24 that the webhook's user may do this",
	HintGrant:          "the OAuth refresh token is no longer valid (another linedesk may have used it first): run the command again, or install the application again for a new pair",
	NetRefused:         "connection refused",
	NetNoHost:          "no such host",
	NetTimeout:         "no answer in time",
	NetClosed:          "the connection was closed before an answer",
	NetCert:            "its TLS certificate is not valid",
	BulkUnknown:        "%[1]s, so the %[2]s may or may not have happened — run 'linedesk sessions' to check before trying again",
	BulkNoAnswer:       "no usable answer came from %s",
	BulkInterrupted:    "interrupted while waiting for %s",

	DemoWithWebhook: "--demo runs on a simulated portal and takes no --webhook: drop one of them",
	NeedTerminal:    "the dashboard needs a terminal; in scripts use 'linedesk sessions --json' or 'linedesk unpin-all --yes'",

	SessionsShort: "List the operator's current open-line sessions",
	SessionsLong: "List the sessions of the webhook's operator: current ones (status below 60), or\n" +
		"with --all also the closed ones. --json prints an array for scripts.",
	SessionsExample: "  linedesk sessions\n" +
		"  linedesk sessions --all --json | jq '[.[] | select(.pinned)] | length'",
	FlagAll:           "include closed sessions",
	NoCurrentSessions: "No current sessions for %[1]s on %[2]s.",
	NoSessions:        "No sessions for %[1]s on %[2]s.",
	Truncated:         "warning: the portal lists more than %s sessions; only the most recent ones are shown",
	Headers:           []string{"SESSION", "PINNED", "CLIENT", "CHANNEL", "LINE", "STATUS", "UNREAD", "LAST ACTIVITY", "LAST MESSAGE"},
	Yes:               "yes",
	AgoNow:            "now",
	FileMessage:       "[file] %s",
	AgoSeconds:        "%ds ago",
	AgoMinutes:        "%dm ago",
	AgoHours:          "%dh ago",
	AgoDays:           "%dd ago",

	UnpinShort: "Unpin all of the operator's pinned sessions (imopenlines.session.mode.unpinAll)",
	PinShort:   "Pin all of the operator's sessions (imopenlines.session.mode.pinAll)",
	BulkLong: "%s.\n\nOn a terminal linedesk first says how many sessions this touches and asks;\n" +
		"--yes skips the question and is required when stdin is not a terminal.\n" +
		"The call is made once and never repeated: if the answer is lost, linedesk\n" +
		"says so and 'linedesk sessions' shows what happened.",
	BulkExample:      "  linedesk %[1]s\n  linedesk %[1]s --yes --json",
	FlagBulkJSON:     `print {"%s":[session IDs]} in the portal's order`,
	NothingUnpinned:  "Nothing was pinned.",
	NothingPinned:    "Nothing needed pinning.",
	NeedYes:          "%s changes the portal and stdin is not a terminal, so linedesk cannot ask: pass --yes to confirm",
	Cancelled:        "cancelled; nothing was changed.",
	UnpinNone:        "No pinned sessions of %[1]s are listed on %[2]s. Unpin all anyway? [y/N] ",
	UnpinOne:         "Unpin the 1 pinned session of %[1]s on %[2]s? [y/N] ",
	UnpinMany:        "Unpin all %[3]s of %[1]s on %[2]s? [y/N] ",
	PinNone:          "No unpinned sessions of %[1]s are listed on %[2]s. Pin all anyway? [y/N] ",
	PinOne:           "Pin the 1 unpinned session of %[1]s on %[2]s? [y/N] ",
	PinMany:          "Pin all %[3]s of %[1]s on %[2]s? [y/N] ",
	PinnedSessions:   i18n.Forms{One: "pinned session", Other: "pinned sessions"},
	UnpinnedSessions: i18n.Forms{One: "unpinned session", Other: "unpinned sessions"},
	Unpinned:         i18n.Forms{Other: "Unpinned"},
	Pinned:           i18n.Forms{Other: "Pinned"},
	Sessions:         i18n.Forms{One: "session", Other: "sessions"},
	BulkResult:       "%[1]s %[2]s: %[3]s.",
	YesAnswers:       []string{"y", "yes"},
	UserN:            "user %d",

	SimShort: "Run a simulated Bitrix24 portal to try linedesk without a real one",
	SimLong: "Run a simulated portal over plain HTTP on a loopback address. The first line on\n" +
		"stdout is its webhook URL; give it to linedesk with --webhook or $B24_WEBHOOK_URL,\n" +
		"or save it as a profile with 'linedesk init'. Sessions arrive, clients write and\n" +
		"sessions close as time goes by. Ctrl+C stops it.",
	SimExample: "  linedesk sim --addr 127.0.0.1:8024 --sessions 200\n" +
		"  linedesk --webhook http://127.0.0.1:8024/rest/1/CODE/   # in another terminal",
	FlagAddr:        "HOST:PORT to listen on (port 0 picks a free one)",
	FlagSessions:    "current sessions of the webhook's operator",
	FlagSeed:        "seed of the generated data (same seed, same portal)",
	FlagEvolve:      "how often sessions arrive, change and close (0 = never)",
	FlagPublic:      "allow a non-loopback --addr such as 0.0.0.0:8024 (plain HTTP: only on a trusted network)",
	SimBadSessions:  "--sessions must be 0 or more, not %d",
	SimBadEvolve:    "--evolve must be a duration of 0 (off) or more, such as 5s",
	SimBadAddr:      "--addr %q is not HOST:PORT, e.g. 127.0.0.1:8024",
	SimNotLoopback:  "--addr %s is not a loopback address: the simulator serves plain HTTP with a known code; use 127.0.0.1:PORT, or pass --public to allow it",
	SimCannotListen: "cannot listen on %[1]s: %[2]s — choose another --addr",
	SimStopped:      "the simulated portal stopped: %s",
	SimNotStopped:   "the simulated portal did not stop cleanly: %s",
	SimPublicWarn:   "warning: the simulated portal listens on %s over plain HTTP; anyone who can reach it and learns the code can use it",
	SimNote:         "simulated portal on %[1]s (%[2]s, seed %[3]d); point linedesk at the URL above with --webhook or B24_WEBHOOK_URL, or save it with 'linedesk init'; Ctrl+C stops it",

	InfoShort: "Show where config, logs and state live, the version, and the active profile",
	InfoLong: "Show where linedesk keeps its config file, state and log (and whether each exists),\n" +
		"its version and Go runtime, the active profile and where that choice came from, and\n" +
		"where the portal's credentials come from (never the secret itself).",
	InfoVersion:      "version",
	InfoGo:           "go",
	InfoConfig:       "config",
	InfoState:        "state",
	InfoLog:          "log",
	InfoProfile:      "profile",
	InfoCredentials:  "credentials",
	InfoLanguage:     "language",
	InfoExists:       "exists",
	InfoMissing:      "not created yet",
	InfoNone:         "none",
	InfoNoProfile:    "none",
	InfoProfileFrom:  "%[1]s (from %[2]s)",
	InfoCredNone:     "none (pass --webhook, set B24_WEBHOOK_URL or run 'linedesk init'; 'linedesk --demo' needs none)",
	InfoCredError:    "error: %s",
	InfoCredBad:      "%[1]s — not usable: %[2]s",
	InfoConfigBroken: "%[1]s — cannot be used: %[2]s",

	ConfigShort:     "Show, locate or edit the config file",
	ConfigLong:      "The config file holds the dashboard's settings and the portal profiles.\n'config path' prints where it is, 'config show' the settings in force and where each\ncame from (secrets hidden), 'config edit' opens it in $EDITOR and checks it.",
	ConfigPathShort: "Print the config file's path",
	ConfigShowShort: "Print the settings in force, where each came from, with secrets hidden",
	ConfigEditShort: "Open the config file in $EDITOR and check it when the editor exits",
	ConfigEditLong: "Open the config file in $EDITOR (else $VISUAL, else vi or notepad); a missing file\n" +
		"starts from the defaults with comments. When the editor exits linedesk checks the\n" +
		"file; if it is not valid you can edit it again, or your text is kept in a backup\n" +
		"file next to it: an edit is never lost.",
	NoEditor:       "no editor found: set $EDITOR, e.g. export EDITOR=nano",
	EditorFailed:   "the editor %[1]s failed (%[2]s); your text is kept in %[3]s and the config file is unchanged",
	EditInvalid:    "the edited config is not valid: %s",
	EditAgain:      "Edit it again? [Y/n] ",
	EditCannotRead: "cannot read %[1]s: %[2]s",
	EditCannotCopy: "cannot write a copy to edit in %[1]s: %[2]s",
	EditSaveFailed: "%[1]s; your text is kept in %[2]s",
	EditKept:       "your text is kept in %[1]s and %[2]s is unchanged; fix the copy and move it over the file, or run 'linedesk config edit' to start again from the file",
	EditSaved:      "Saved %s.",
	EditTokensKept: "Kept the OAuth tokens of %s that a running linedesk refreshed while you were editing.",
	EditUnchanged:  "No changes; %s is as it was.",
	EditCreated:    "Created %s.",

	InitShort: "Save a portal profile: asks for a webhook, checks it against the portal, stores it",
	InitLong: "Set linedesk up for a portal: give the profile a name and paste the incoming\n" +
		"webhook (Bitrix24 → Developer resources → Other → Incoming webhook, with the im,\n" +
		"imopenlines and user_brief scopes). linedesk checks it against the portal, names\n" +
		"any missing scope, and saves the profile: the webhook goes to the OS keyring, or\n" +
		"into the config file (mode 0600) when there is no keyring. The webhook is never shown.\n\n" +
		"Without a terminal pass --webhook and --profile (and --yes to replace a profile).",
	InitExample: "  linedesk init\n" +
		"  linedesk init --profile work --webhook \"$URL\" --yes",
	FlagReplace:        "replace an existing profile of that name without asking",
	FlagDefault:        "make it the default profile even if another one is",
	InitNeedTerminal:   "init asks its questions on a terminal and stdin is not one: pass --webhook URL and --profile NAME (and --yes to replace an existing profile)",
	InitExists:         "profile %[1]s already exists in %[2]s: pass --yes to replace it",
	InitBrokenConfig:   "%s — fix the config file first ('linedesk config edit')",
	FormTitle:          "linedesk setup",
	FormIntro:          "Connects linedesk to a Bitrix24 portal through an incoming webhook.",
	FormName:           "Profile name",
	FormNameHint:       "A short name for this portal, such as work.",
	FormURL:            "Webhook URL",
	FormURLHint:        "Bitrix24 → Developer resources → Other → Incoming webhook, with the im, imopenlines and user_brief scopes. It is shown as asterisks.",
	FormURLPlaceholder: "https://PORTAL/rest/USER_ID/CODE/",
	FormNameEmpty:      "give the profile a name",
	FormURLEmpty:       "paste the webhook URL",
	FormReplace:        "Profile %s already exists. Replace it?",
	FormReplaceYes:     "Replace",
	FormReplaceNo:      "Cancel",
	FormMakeDefault:    "Make %[1]s the default profile instead of %[2]s?",
	FormDefaultYes:     "Yes",
	FormDefaultNo:      "No",
	InitCancelled:      "cancelled; nothing was saved.",
	Checking:           "Checking the webhook on %s…",
	Connected:          "Connected as %[1]s on %[2]s.",
	MissingScopes:      "the webhook works but lacks the %[1]s %[2]s: in Bitrix24 edit the webhook, tick it, save, and run 'linedesk init' again",
	Scopes:             i18n.Forms{One: "scope", Other: "scopes"},
	SavedKeyring:       "Saved profile %[1]s in %[2]s; the webhook is in the OS keyring.",
	SavedFile:          "Saved profile %[1]s in %[2]s with the webhook in the file (mode 0600): the OS keyring was not available (%[3]s).",
	SavedDefault:       "It is the default profile.",
	SavedNotDefault:    "The default profile stays %[1]s; use this one with 'linedesk --profile %[2]s'.",
	InitNextStep:       "Run 'linedesk' to open the dashboard.",
}

// textFor returns the table of lang.
func textFor(lang i18n.Lang) *text {
	if lang == i18n.RU {
		return &textRU
	}
	return &textEN
}
