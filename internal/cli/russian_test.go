package cli

import (
	"bufio"
	"context"
	"io"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/spf13/cobra"

	"github.com/linedesk/linedesk/internal/api/portalsim"
	"github.com/linedesk/linedesk/internal/config"
	"github.com/linedesk/linedesk/internal/i18n"
)

// tableStrings returns every string of a text table: fields, lists, maps
// and plural forms.
func tableStrings(tx *text) []string {
	var out []string
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.String:
			out = append(out, v.String())
		case reflect.Slice:
			for i := range v.Len() {
				walk(v.Index(i))
			}
		case reflect.Map:
			for _, k := range v.MapKeys() {
				walk(v.MapIndex(k))
			}
		case reflect.Struct:
			for i := range v.NumField() {
				walk(v.Field(i))
			}
		}
	}
	walk(reflect.ValueOf(*tx))
	return out
}

// names are the Latin words a Russian message may hold: linedesk's and
// Bitrix24's names, and values a user types.
var names = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`linedesk bitrix bitrix24 json jq oauth go tls rest http https url toml xdg
		standard enterprise auto dark light en ru true false esc ctrl tab enter shift utf
		im imopenlines user_brief user_basic bash zsh fish powershell nano vi notepad
		stdin stdout export source work`) {
		names[w] = true
	}
	// Command names are names too.
	a := &app{d: deps{env: func(string) string { return "" }}, t: &textRU, lang: i18n.RU}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, w := range strings.Split(c.Name(), "-") {
			names[w] = true
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(a.rootCmd())
}

var (
	quoted    = regexp.MustCompile(`'[^']*'|"[^"]*"|` + "`[^`]*`")                // commands, values and keys in quotes
	flagLike  = regexp.MustCompile(`(^|[\s(\[{])(--?|\$)[A-Za-z0-9_-]+`)          // --flags, -y, $VARIABLES
	urlLike   = regexp.MustCompile(`[a-z]+://\S+|\S*/\S*|\S+\.(toml|log|json)\b`) // URLs and paths
	identLike = regexp.MustCompile(`\b[A-Za-z0-9]+(?:[_.][A-Za-z0-9]+)+\b|\b[A-Z0-9]{2,}\b`)
)

// englishLeft returns the words of out that are English words of the
// English table (names, flags, quoted commands, paths and codes aside).
func englishLeft(out string, english map[string]bool) []string {
	s := quoted.ReplaceAllString(out, " ")
	s = urlLike.ReplaceAllString(s, " ")
	s = flagLike.ReplaceAllString(s, " ")
	s = identLike.ReplaceAllString(s, " ")
	var left []string
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !(r <= unicode.MaxASCII && unicode.IsLetter(r)) }) {
		lw := strings.ToLower(w)
		if len(lw) >= 3 && english[lw] && !names[lw] {
			left = append(left, w)
		}
	}
	return left
}

func englishWordsOfTable() map[string]bool {
	words := map[string]bool{}
	for _, s := range tableStrings(&textEN) {
		// Only the prose: the same filters as for the output.
		s = quoted.ReplaceAllString(s, " ")
		s = urlLike.ReplaceAllString(s, " ")
		s = flagLike.ReplaceAllString(s, " ")
		for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }) {
			if len(w) >= 3 {
				words[strings.ToLower(w)] = true
			}
		}
	}
	return words
}

// TestRussianTableComplete: every field of the Russian table is filled in,
// and no Russian text is a copy of the English one (names aside).
func TestRussianTableComplete(t *testing.T) {
	t.Parallel()
	en, ru := reflect.ValueOf(textEN), reflect.ValueOf(textRU)
	for i := range en.NumField() {
		name := en.Type().Field(i).Name
		e, r := en.Field(i), ru.Field(i)
		if r.IsZero() && !e.IsZero() {
			t.Errorf("textRU.%s is empty", name)
		}
	}
	english := englishWordsOfTable()
	shown := textRU
	shown.YesAnswers = nil // what a user may type, not what linedesk writes
	for _, s := range tableStrings(&shown) {
		if left := englishLeft(s, english); len(left) > 0 {
			t.Errorf("Russian text %q has English words %v", s, left)
		}
	}
	if got := i18n.RU.N(21, textRU.PinnedSessions); got != "21 закреплённую сессию" {
		t.Errorf("plural: %q", got)
	}
}

// TestRussianCLI runs each command in Russian (LANG=ru_RU.UTF-8) through
// its successes and its mistakes: nothing it writes has a word of the
// English table left in it.
func TestRussianCLI(t *testing.T) {
	t.Parallel()
	english := englishWordsOfTable()
	p, url := newSim(t, portalsim.Options{Sessions: 6, Seed: 3})
	_, noIM := newSim(t, portalsim.Options{Sessions: 2, Seed: 3, Scopes: []string{"user_brief", "im"}})
	snap := snapshot(t, url)
	operator := snap.Me.FullName()
	wrong := strings.Replace(url, webhookSecret(url), "wr0ngC0de1234567", 1)
	broken := writeConfig(t, "refresh = \"1s\"\n[keys]\nup = [\"q\"]\n")
	profiles := writeConfig(t, "[profiles.a]\nwebhook_url = \""+url+"\"\n[profiles.b]\nwebhook_url = \""+url+"\"\n")

	ru := func(kv ...string) map[string]string {
		m := map[string]string{"LANG": "ru_RU.UTF-8"}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	type scenario struct {
		args     []string
		env      map[string]string
		terminal bool
		stdin    string
		only     func(string) string // the part of stdout that is linedesk's own text
	}
	header := func(out string) string { line, _, _ := strings.Cut(out, "\n"); return line }
	comments := func(out string) string {
		var b strings.Builder
		for line := range strings.SplitSeq(out, "\n") {
			if _, c, ok := strings.Cut(line, "#"); ok {
				b.WriteString(c + "\n")
			}
		}
		return b.String()
	}
	var runs []scenario
	for _, cmd := range [][]string{{}, {"sessions"}, {"unpin-all"}, {"pin-all"}, {"sim"}, {"info"}, {"init"},
		{"config"}, {"config", "path"}, {"config", "show"}, {"config", "edit"}, {"help"}, {"completion"}, {"completion", "bash"}} {
		runs = append(runs, scenario{args: append(cmd, "--help")})
	}
	runs = append(runs,
		scenario{args: []string{"--version"}},
		scenario{args: []string{"sessions"}},
		scenario{args: []string{"sessions", "--webhook", url}, only: header},
		scenario{args: []string{"sessions", "--webhook", wrong}},
		scenario{args: []string{"sessions", "--webhook", "http://example.com/rest/1/abcdefgh1234/"}},
		scenario{args: []string{"sessions", "--webhook", "ftp://example.com/rest/1/abcdefgh1234/"}},
		scenario{args: []string{"sessions", "extra", "--webhook", url}},
		scenario{args: []string{"sessions", "--jsn"}},
		scenario{args: []string{"sesions"}},
		scenario{args: []string{"sim", "--sessions", "many"}},
		scenario{args: []string{"sim", "--addr", "0.0.0.0:0"}},
		scenario{args: []string{"--refresh", "1s", "--webhook", url}},
		scenario{args: []string{"--webhook", url}},
		scenario{args: []string{"--demo", "--webhook", url}},
		scenario{args: []string{"sessions", "--plan", "gold"}},
		scenario{args: []string{"sessions", "--plan", "standard", "--enterprise"}},
		scenario{args: []string{"sessions"}, env: ru(config.EnvConfig, broken)},
		scenario{args: []string{"sessions"}, env: ru(config.EnvConfig, profiles)},
		scenario{args: []string{"sessions", "--profile", "c"}, env: ru(config.EnvConfig, profiles)},
		scenario{args: []string{"config", "show"}, env: ru(config.EnvConfig, profiles), only: comments},
		scenario{args: []string{"info"}, env: ru(config.EnvConfig, profiles)},
		scenario{args: []string{"info"}, env: ru(config.EnvConfig, broken)},
		scenario{args: []string{"unpin-all", "--webhook", url}},
		scenario{args: []string{"unpin-all", "--webhook", url}, terminal: true, stdin: "н\n"},
		scenario{args: []string{"unpin-all", "--webhook", url, "--yes"}},
		scenario{args: []string{"unpin-all", "--webhook", url, "--yes"}},
		scenario{args: []string{"pin-all", "--webhook", url}, terminal: true, stdin: "да\n"},
		scenario{args: []string{"init"}},
		scenario{args: []string{"init", "--profile", "a b", "--webhook", url}},
		scenario{args: []string{"init", "--profile", "w", "--webhook", noIM}},
		scenario{args: []string{"init", "--profile", "w", "--webhook", url}},
		scenario{args: []string{"init", "--profile", "a", "--webhook", url}, env: ru(config.EnvConfig, profiles)},
	)
	for _, r := range runs {
		env := r.env
		if env == nil {
			env = ru()
		}
		res := runCLI(t, runOpts{env: env, terminal: r.terminal, stdin: strings.NewReader(r.stdin)}, r.args...)
		out := res.stdout
		if r.only != nil {
			out = r.only(out)
		}
		// The portal's own words (the operator's name, an error description)
		// and the test keyring's error are not linedesk's text.
		all := strings.NewReplacer(operator, " ", "Wrong authorization data", " ", "no keyring in tests", " ").Replace(out + "\n" + res.stderr)
		if left := englishLeft(all, english); len(left) > 0 {
			t.Errorf("linedesk %s in Russian has English words %v:\n%s", strings.Join(r.args, " "), left, all)
		}
		if strings.TrimSpace(all) == "" {
			t.Errorf("linedesk %s wrote nothing", strings.Join(r.args, " "))
		}
	}
	if len(p.PinnedSessionIDs()) == 0 {
		t.Error("pin-all in Russian pinned nothing: the yes answer \"да\" was not understood")
	}

	// The simulator's note.
	ctx, cancel := context.WithCancel(t.Context())
	outR, outW := io.Pipe()
	var stderr safeBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"sim", "--evolve", "0", "--sessions", "3"}, testDeps(t, runOpts{env: ru()}, strings.NewReader(""), outW, &stderr))
		outW.Close()
	}()
	if _, err := bufio.NewReader(outR).ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	cancel()
	<-done
	if left := englishLeft(stderr.String(), english); len(left) > 0 || !strings.Contains(stderr.String(), "3 сессии") {
		t.Errorf("sim note %q: English words %v", stderr.String(), left)
	}
}

// TestEnglishWordsAreFound makes sure the check above can fail.
func TestEnglishWordsAreFound(t *testing.T) {
	t.Parallel()
	english := englishWordsOfTable()
	got := englishLeft("linedesk: нет связи с 127.0.0.1: connection refused — проверьте 'linedesk sessions' --webhook", english)
	if strings.Join(got, " ") != "connection refused" {
		t.Errorf("englishLeft = %v", got)
	}
}
