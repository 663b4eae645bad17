package config

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// formatsInCode returns every message format literal the package writes:
// the first argument of msgf and tr, the second of errorf.
func formatsInCode(t *testing.T) []string {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			id, ok := call.Fun.(*ast.Ident)
			if !ok {
				return true
			}
			pos := map[string]int{"msgf": 0, "tr": 0, "c": 0, "errorf": 1}
			i, ok := pos[id.Name]
			if !ok || len(call.Args) <= i {
				return true
			}
			lit, ok := call.Args[i].(*ast.BasicLit)
			if !ok {
				if id.Name == "errorf" || (id.Name == "msgf" && !dynamicFormatOK(call.Args[i])) {
					t.Errorf("%s: %s with a format that is not a literal", fset.Position(call.Pos()), id.Name)
				}
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
			return true
		})
	}
	return out
}

// dynamicFormatOK allows the few msgf calls whose format comes from a table
// the test checks separately.
func dynamicFormatOK(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.IndexExpr: // sourceNames[o.Source]
		return true
	case *ast.Ident: // n from originNames, op from the keyring, format in errorf and tr
		return x.Name == "n" || x.Name == "op" || x.Name == "format"
	case *ast.CallExpr: // ErrKeyringTimeout.Error()
		return true
	}
	return false
}

var verb = regexp.MustCompile(`%[-+# 0]*[0-9]*(\.[0-9]+)?[a-zA-Z%]`)

func TestEveryMessageHasRussian(t *testing.T) {
	t.Parallel()
	formats := formatsInCode(t)
	if len(formats) < 80 {
		t.Fatalf("found only %d formats; is the scan broken?", len(formats))
	}
	for _, s := range sourceNames {
		formats = append(formats, s)
	}
	for _, s := range originNames {
		formats = append(formats, s)
	}
	formats = append(formats, "read", "write", "delete", ErrKeyringTimeout.Error())
	for _, f := range formats {
		ru, ok := textRU[f]
		if !ok {
			t.Errorf("no Russian for %q", f)
			continue
		}
		if !slices.Equal(verb.FindAllString(f, -1), verb.FindAllString(ru, -1)) {
			t.Errorf("verbs differ: %q → %q", f, ru)
		}
	}
	// And no entry is left over from a message that no longer exists.
	for k := range textRU {
		if !slices.Contains(formats, k) {
			t.Errorf("textRU has %q, which the code no longer writes", k)
		}
	}
}

// englishWords are the words of the English messages that must not appear
// in a Russian one (names, keys and values are allowed).
func englishWords(t *testing.T) map[string]bool {
	allowed := map[string]bool{}
	for _, w := range strings.Fields(`linedesk toml io https http localhost url config profile profiles init
		webhook_url webhook_in_keyring oauth endpoint client_id client_secret access_token refresh_token
		expires default_profile keys colors notifications enabled bell desktop refresh highlight plan
		timeout columns theme language standard enterprise auto dark light en ru true false esc up down
		pin id client channel line status unread age message pgdown ctrl rrggbb rgb ansi rest portal
		user_id code linedesk_config linedesk_profile b24_webhook_url mib chmod name webhook e g s k
		ru_ru utf`) {
		allowed[w] = true
	}
	// Names of actions, columns and colour roles, and the profile names the
	// test uses, are names, not English.
	for _, list := range [][]string{Actions, Columns, ColorRoles, {"work", "home", "example", "bitrix24"}} {
		for _, n := range list {
			for _, w := range strings.Split(n, "_") {
				allowed[w] = true
			}
			allowed[n] = true
		}
	}
	words := map[string]bool{}
	for k := range textRU {
		for _, w := range strings.FieldsFunc(strings.ToLower(k), func(r rune) bool { return !unicode.IsLetter(r) && r != '_' }) {
			if len(w) > 2 && !allowed[w] {
				words[w] = true
			}
		}
	}
	return words
}

func TestRussianErrorsHaveNoEnglish(t *testing.T) {
	t.Parallel()
	words := englishWords(t)
	broken := []string{
		"refresh = \"fast\"\n",
		"refresh = \"1s\"\n",
		"timeout = \"1h\"\n",
		"plan = \"gold\"\n",
		"columns = [\"pin\", \"pin\"]\n",
		"columns = []\n",
		"refersh = \"10s\"\n",
		"[keys]\nup = [\"q\"]\n",
		"[keys]\njump = [\"x\"]\n",
		"[colors]\nfg = \"red\"\n",
		"[notifications]\nbell = \"yes\"\n",
		"[profiles.work]\nplan = \"standard\"\n",
		"[profiles.work]\nwebhook_url = \"http://example.com/rest/1/abcdefgh/\"\n",
		"[profiles.work.oauth]\nendpoint = \"https://x.bitrix24.ru/rest/\"\n",
		"default_profile = \"home\"\n",
		"theme = 5\n",
	}
	for _, text := range broken {
		path := writeConfig(t, text, 0o600)
		_, err := load(t, path)
		if err == nil {
			t.Errorf("%q loaded without an error", text)
			continue
		}
		ru := Message(err, "ru")
		rest := strings.ReplaceAll(ru, path, "")
		for _, w := range strings.FieldsFunc(strings.ToLower(rest), func(r rune) bool { return !unicode.IsLetter(r) && r != '_' }) {
			if words[w] {
				t.Errorf("%q: Russian message %q has the English word %q", text, ru, w)
			}
		}
		if ru == err.Error() || strings.Contains(ru, "\n") {
			t.Errorf("%q: %q is not a one-line translation of %q", text, ru, err.Error())
		}
	}
}

func TestRussianSyntaxError(t *testing.T) {
	t.Parallel()
	// The parser's own detail stays as the TOML library wrote it; the frame
	// around it is Russian.
	_, err := load(t, writeConfig(t, "refresh = \n", 0o600))
	if ru := Message(err, "ru"); !strings.Contains(ru, ":1: ошибка в TOML: ") || !strings.HasSuffix(ru, "(исправьте синтаксис; см. toml.io)") {
		t.Errorf("Russian syntax error = %q", ru)
	}
}

func TestRussianShowAndOrigins(t *testing.T) {
	t.Parallel()
	path := writeConfig(t, "refresh = \"20s\"\n[profiles.work]\nwebhook_url = \"https://x.bitrix24.ru/rest/1/abcdefgh12345/\"\n", 0o600)
	e, err := Load(Options{ConfigPath: path, LookupEnv: envMap("LINEDESK_THEME", "dark"), Flags: map[string]string{"timeout": "5s"}, Secrets: newFakeStore()})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := e.ShowIn(&b, "ru"); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"# файл настроек: ", "прочитан", "# активный профиль: work (откуда: по умолчанию (единственный профиль))",
		"# откуда: файл", "# откуда: переменная LINEDESK_THEME", "# откуда: флаг --timeout", "# откуда: по умолчанию"} {
		if !strings.Contains(out, want) {
			t.Errorf("Russian show lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "abcdefgh12345") || strings.Contains(out, "from:") {
		t.Errorf("Russian show leaks a secret or English:\n%s", out)
	}
	if got := (Origin{Source: FromFile, Name: "profile work"}).In("ru"); got != "файл (профиль work)" {
		t.Errorf("origin = %q", got)
	}
}

func TestMessageOfForeignErrors(t *testing.T) {
	t.Parallel()
	if got := Message(os.ErrNotExist, "ru"); got != os.ErrNotExist.Error() {
		t.Errorf("Message(foreign) = %q", got)
	}
	if Message(nil, "ru") != "" {
		t.Error("Message(nil) must be empty")
	}
	e := &Error{Where: "x.toml:3", Key: "refresh", Msg: "bad"} // built by hand
	if got := e.In("ru"); got != `x.toml:3: ключ "refresh": bad` {
		t.Errorf("hand-built error in Russian = %q", got)
	}
}

func TestTemplateLoadsToDefaults(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"en", "ru"} {
		text := string(Template(lang))
		e := mustLoad(t, writeConfig(t, text, 0o600))
		if !e.Loaded || e.Refresh != Default().Refresh || e.Plan != Default().Plan || len(e.Profiles) != 0 {
			t.Errorf("%s template does not load to the defaults: %+v", lang, e.Config)
		}
		// Every setting is in it, so uncommenting is all a user needs.
		for _, key := range append(append([]string{}, topLevel...), Actions...) {
			if key == "keys" || key == "colors" || key == "notifications" || key == "profiles" {
				continue
			}
			if !strings.Contains(text, "# "+key+" = ") {
				t.Errorf("%s template lacks %s", lang, key)
			}
		}
		// Uncommenting a whole section gives a valid file with the defaults.
		uncommented := strings.ReplaceAll(text, "# [keys]\n# ", "[keys]\n")
		for _, a := range Actions {
			uncommented = strings.Replace(uncommented, "# "+a+" = ", a+" = ", 1)
		}
		e = mustLoad(t, writeConfig(t, uncommented, 0o600))
		for _, a := range Actions {
			if !slices.Equal(e.Keys[a], Default().Keys[a]) {
				t.Errorf("%s: uncommented keys.%s = %v", lang, a, e.Keys[a])
			}
		}
	}
	if strings.Contains(string(Template("ru")), "How often") || !strings.Contains(string(Template("ru")), "Как часто") {
		t.Error("the Russian template is not in Russian")
	}
}

func TestSettingBelowAProfileTable(t *testing.T) {
	t.Parallel()
	_, err := load(t, writeConfig(t, "[profiles.w]\nwebhook_url = \"https://x.bitrix24.ru/rest/1/abcdefgh/\"\nrefresh = \"20s\"\n", 0o600))
	if err == nil || !strings.Contains(err.Error(), `:3: key "profiles.w.refresh": unknown key (refresh is a setting of its own: move the line above the first [table]`) {
		t.Errorf("err = %v", err)
	}
	if ru := Message(err, "ru"); !strings.Contains(ru, "перенесите строку выше первой [таблицы]") {
		t.Errorf("Russian: %q", ru)
	}
}
