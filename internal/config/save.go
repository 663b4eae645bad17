package config

import (
	"bytes"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// lockTimeout bounds the wait for another linedesk that holds the config lock.
var lockTimeout = 10 * time.Second

// Save replaces the config file with data atomically (a temporary file in
// the same directory, fsync, rename) with mode 0600, under the config lock,
// creating the directory (0700) when needed. It is for `config edit` and
// `init`; to change one value, prefer SaveTokens and SaveWebhookProfile,
// which keep the user's comments.
func Save(path string, data []byte) error {
	unlock, err := lockConfig(path)
	if err != nil {
		return err
	}
	defer unlock()
	return writeAtomic(path, data)
}

// lockConfig creates the config directory (0700) when needed and takes the
// config lock.
func lockConfig(path string) (func(), error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, errorf(err, "cannot create %s: %s", dir, errText(err))
	}
	return lockFile(path+".lock", lockTimeout)
}

// update runs fn on the file's current text under an exclusive lock and
// writes its result atomically. A missing file is empty text.
func update(path string, fn func(text string) (string, error)) error {
	unlock, err := lockConfig(path)
	if err != nil {
		return err
	}
	defer unlock()
	data, err := readConfig(path)
	if err != nil {
		return err
	}
	out, err := fn(strings.TrimPrefix(string(data), "\uFEFF"))
	if err != nil {
		return err
	}
	return writeAtomic(path, []byte(out))
}

// writeAtomic writes data to a temporary file beside path, syncs it and
// renames it over path, so that a reader sees the old or the new file,
// never a part.
func writeAtomic(path string, data []byte) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return errorf(err, "cannot write %s: %s", path, errText(err))
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = os.Remove(tmp)
		}
	}()
	fail := func(e error) error {
		_ = f.Close()
		return errorf(e, "cannot write %s: %s", path, errText(e))
	}
	if err := f.Chmod(0o600); err != nil && runtime.GOOS != "windows" {
		return fail(err)
	}
	if _, err := f.Write(data); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		return errorf(err, "cannot write %s: %s", path, errText(err))
	}
	if err := os.Rename(tmp, path); err != nil {
		return errorf(err, "cannot replace %s: %s", path, errText(err))
	}
	syncDir(dir)
	return nil
}

// syncDir makes the rename durable where the OS allows it.
func syncDir(dir string) {
	if runtime.GOOS == "windows" {
		return
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}

// SaveTokens stores a refreshed OAuth token pair in profile's oauth table:
// it re-reads the file under the config lock, replaces only that profile's
// access_token, refresh_token, expires (and endpoint, when the portal moved
// it), keeps everything else as the user wrote it, and writes atomically.
// Use it as the client's OnRefresh:
//
//	OnRefresh: func(t api.Token) { err := config.SaveTokens(path, name, config.Token(t)) }
func SaveTokens(path, profile string, t Token) error {
	if m := checkProfileName(profile); !m.empty() {
		return errorf(nil, "cannot save the new tokens: profile %q: %s", profile, m)
	}
	return update(path, func(text string) (string, error) {
		doc, err := decodeDoc(path, text)
		if err != nil {
			return "", err
		}
		if _, ok := lookup(doc, []string{"profiles", profile, "oauth"}); !ok {
			return "", errorf(nil, "cannot save the new tokens: %s has no [profiles.%s.oauth] table", path, toml.Key{profile}.String())
		}
		return edit(path, text, tokenChanges(doc, profile, t))
	})
}

// tokenChanges are the edits that store t in profile's oauth table.
func tokenChanges(doc map[string]any, profile string, t Token) []change {
	base := []string{"profiles", profile, "oauth"}
	at := func(k string) []string { return append(slices.Clone(base), k) }
	changes := []change{{path: at("access_token"), value: t.Access}}
	if t.Refresh != "" {
		changes = append(changes, change{path: at("refresh_token"), value: t.Refresh})
	}
	if !t.Expires.IsZero() {
		changes = append(changes, change{path: at("expires"), value: t.Expires.UTC().Truncate(time.Second)})
	}
	if t.Endpoint != "" {
		if old, _ := lookupString(doc, base[0], base[1], base[2], "endpoint"); old != t.Endpoint {
			changes = append(changes, change{path: at("endpoint"), value: t.Endpoint})
		}
	}
	return changes
}

// LoadTokens reads profile's OAuth token pair as the file holds it now:
// another linedesk using the same profile may have refreshed and saved it
// since this one loaded the configuration. ok is false when the file or
// the profile's oauth table has no refresh token.
func LoadTokens(path, profile string) (t Token, ok bool, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Token{}, false, errorf(err, "cannot read the saved tokens: %s", path)
	}
	doc, err := decodeDoc(path, string(data))
	if err != nil {
		return Token{}, false, err
	}
	t, ok = tokensIn(doc, profile)
	return t, ok, nil
}

// tokensIn is profile's token pair in a decoded file; ok is false without
// a refresh token.
func tokensIn(doc map[string]any, profile string) (t Token, ok bool) {
	at := func(k string) (string, bool) { return lookupString(doc, "profiles", profile, "oauth", k) }
	t.Access, _ = at("access_token")
	t.Refresh, ok = at("refresh_token")
	t.Endpoint, _ = at("endpoint")
	if v, found := lookup(doc, []string{"profiles", profile, "oauth", "expires"}); found {
		if e, isTime := v.(time.Time); isTime {
			t.Expires = e
		}
	}
	return t, ok && t.Refresh != ""
}

func sameTokens(a, b Token) bool {
	return a.Access == b.Access && a.Refresh == b.Refresh && a.Endpoint == b.Endpoint && a.Expires.Equal(b.Expires)
}

// SaveEdit replaces the config file with edited, the user's edit of orig
// (what the file held when the editor opened), like Save. A token pair
// that a refresh saved into the file meanwhile is carried into edited
// where the user left orig's pair as it was: an edit must not put back a
// pair the portal has already replaced. It returns the profiles whose
// tokens were carried over.
func SaveEdit(path string, orig, edited []byte) ([]string, error) {
	unlock, err := lockConfig(path)
	if err != nil {
		return nil, err
	}
	defer unlock()
	text := string(edited)
	var carried []string
	if cur, err := os.ReadFile(path); err == nil && !bytes.Equal(cur, orig) {
		curDoc, err1 := decodeDoc(path, string(cur))
		origDoc, err2 := decodeDoc(path, string(orig))
		editDoc, err3 := decodeDoc(path, text)
		if err1 == nil && err2 == nil && err3 == nil {
			profiles, _ := curDoc["profiles"].(map[string]any)
			for _, name := range slices.Sorted(maps.Keys(profiles)) {
				now, ok := tokensIn(curDoc, name)
				was, _ := tokensIn(origDoc, name)
				mine, _ := tokensIn(editDoc, name)
				if _, hasOAuth := lookup(editDoc, []string{"profiles", name, "oauth"}); !ok || !hasOAuth || sameTokens(now, was) || !sameTokens(mine, was) {
					continue
				}
				out, err := edit(path, text, tokenChanges(editDoc, name, now))
				if err != nil {
					return nil, err
				}
				text = out
				carried = append(carried, name)
			}
		}
	}
	return carried, writeAtomic(path, []byte(text))
}

// SaveWebhookProfile creates or updates profile name with a webhook URL
// (for `linedesk init`). The URL goes to store when it works: the file then
// says webhook_in_keyring = true and holds no secret. Otherwise (store nil,
// or it fails or times out) the URL is written into the file, mode 0600,
// and keyringErr says why the keyring was not used. makeDefault also sets
// default_profile. An oauth table of that profile is removed.
func SaveWebhookProfile(path, name, webhookURL string, store SecretStore, makeDefault bool) (inKeyring bool, keyringErr error, err error) {
	if m := checkProfileName(name); !m.empty() {
		return false, nil, errorf(nil, "profile %q: %s", name, m)
	}
	url, m := checkWebhookURL(webhookURL)
	if !m.empty() {
		return false, nil, errorf(nil, "%s", m)
	}
	base := []string{"profiles", name}
	at := func(k string) []string { return append(slices.Clone(base), k) }
	var changes []change
	if store != nil {
		keyringErr = store.Set(name, url)
		inKeyring = keyringErr == nil
	}
	if inKeyring {
		changes = []change{{path: at("webhook_in_keyring"), value: true}, {path: at("webhook_url")}}
	} else {
		changes = []change{{path: at("webhook_url"), value: url}, {path: at("webhook_in_keyring")}}
	}
	changes = append(changes, change{path: at("oauth")})
	if makeDefault {
		changes = append(changes, change{path: []string{"default_profile"}, value: name})
	}
	err = update(path, func(text string) (string, error) { return edit(path, text, changes) })
	return inKeyring, keyringErr, err
}

// decodeDoc parses text as TOML for an update.
func decodeDoc(path, text string) (map[string]any, error) {
	var doc map[string]any
	if _, err := toml.Decode(text, &doc); err != nil {
		return nil, syntaxError(path, text, err, msgf("fix it before linedesk can update the file"))
	}
	if doc == nil {
		doc = map[string]any{}
	}
	return doc, nil
}

// change sets path to value, or deletes it when value is nil.
type change struct {
	path  []string
	value any
}

// edit applies changes to text. It splices new values into the text so the
// user's comments and layout survive, checks that the result decodes to
// exactly the intended document, and otherwise re-encodes the document
// (losing comments, never data).
func edit(path, text string, changes []change) (string, error) {
	doc, err := decodeDoc(path, text)
	if err != nil {
		return "", err
	}
	want := cloneDoc(doc)
	for _, c := range changes {
		if err := applyChange(want, c); err != nil {
			return "", errorf(err, "cannot update %s: %s", path, err)
		}
	}
	if out, ok := splice(text, scanLayout(text), changes); ok {
		var got map[string]any
		if _, err := toml.Decode(out, &got); err == nil && sameValue(got, want) {
			return out, nil
		}
	}
	var b bytes.Buffer
	if err := toml.NewEncoder(&b).Encode(want); err != nil {
		return "", errorf(err, "cannot update %s: %s", path, err)
	}
	var got map[string]any
	if _, err := toml.Decode(b.String(), &got); err != nil || !sameValue(got, want) {
		return "", errorf(nil, "cannot update %s: the new content would not read back the same", path)
	}
	return b.String(), nil
}

func applyChange(doc map[string]any, c change) error {
	cur := doc
	for i, k := range c.path[:len(c.path)-1] {
		next, ok := cur[k]
		if !ok {
			if c.value == nil {
				return nil
			}
			m := map[string]any{}
			cur[k] = m
			cur = m
			continue
		}
		m, ok := next.(map[string]any)
		if !ok {
			return errorf(nil, "key %q is not a table", toml.Key(c.path[:i+1]).String())
		}
		cur = m
	}
	last := c.path[len(c.path)-1]
	if c.value == nil {
		delete(cur, last)
	} else {
		cur[last] = c.value
	}
	return nil
}

func cloneDoc(m map[string]any) map[string]any {
	out := maps.Clone(m)
	for k, v := range out {
		if t, ok := v.(map[string]any); ok {
			out[k] = cloneDoc(t)
		}
	}
	return out
}

// sameValue compares decoded TOML documents; times by instant.
func sameValue(a, b any) bool {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !sameValue(v, w) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !sameValue(x[i], y[i]) {
				return false
			}
		}
		return true
	case []map[string]any:
		y, ok := b.([]map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !sameValue(x[i], y[i]) {
				return false
			}
		}
		return true
	case time.Time:
		y, ok := b.(time.Time)
		return ok && x.Equal(y)
	default:
		return a == b
	}
}

// encodeValue renders one TOML value with the library's encoder.
func encodeValue(v any) (string, bool) {
	var b bytes.Buffer
	if err := toml.NewEncoder(&b).Encode(map[string]any{"v": v}); err != nil {
		return "", false
	}
	s, ok := strings.CutPrefix(strings.TrimRight(b.String(), "\n"), "v = ")
	return s, ok && !strings.Contains(s, "\n")
}

type textEdit struct {
	start, end int
	seq        int
	text       string
}

// splice turns changes into text edits; ok=false when a change needs more
// than a value replacement, a line removal or an inserted line.
func splice(text string, lay *layout, changes []change) (string, bool) {
	var edits []textEdit
	newTables := map[string][]string{} // table → lines, for tables not in the text
	var newOrder []string
	topInserted := false
	topAt := len(text)
	if lay.first >= 0 {
		topAt = lineStart(text, lay.first)
	}
	add := func(start, end int, s string) {
		edits = append(edits, textEdit{start, end, len(edits), s})
	}
	for _, c := range changes {
		pos, exists := lay.keys[toml.Key(c.path).String()]
		if exists && (pos.valStart < 0 || (c.value == nil && pos.nested)) {
			return "", false // a table, or a key inside an inline value
		}
		if c.value == nil {
			if exists {
				add(lineStart(text, pos.at), lineEnd(text, pos.valEnd), "")
			}
			continue
		}
		val, ok := encodeValue(c.value)
		if !ok {
			return "", false
		}
		if exists {
			add(pos.valStart, pos.valEnd, val)
			continue
		}
		line := toml.Key{c.path[len(c.path)-1]}.String() + " = " + val + "\n"
		parent := c.path[:len(c.path)-1]
		if len(parent) == 0 {
			add(topAt, topAt, newlineBefore(text, topAt)+line)
			topInserted = true
			continue
		}
		pk := toml.Key(parent).String()
		if off, ok := lay.headers[pk]; ok {
			add(off, off, newlineBefore(text, off)+line)
			continue
		}
		if _, ok := lay.keys[pk]; ok {
			return "", false // defined by dotted keys or inline: let the encoder do it
		}
		if _, ok := newTables[pk]; !ok {
			newOrder = append(newOrder, pk)
		}
		newTables[pk] = append(newTables[pk], line)
	}
	for _, pk := range newOrder {
		block := "[" + pk + "]\n" + strings.Join(newTables[pk], "")
		sep := newlineBefore(text, len(text))
		if len(text) > 0 || topInserted {
			sep += "\n"
		}
		add(len(text), len(text), sep+block)
	}
	slices.SortStableFunc(edits, func(a, b textEdit) int {
		if a.start != b.start {
			return a.start - b.start
		}
		return a.seq - b.seq
	})
	var b strings.Builder
	cur := 0
	for _, e := range edits {
		if e.start < cur {
			return "", false
		}
		b.WriteString(text[cur:e.start])
		b.WriteString(e.text)
		cur = e.end
	}
	b.WriteString(text[cur:])
	return b.String(), true
}

// newlineBefore is "\n" when inserting at off would not start a line.
func newlineBefore(text string, off int) string {
	if off > 0 && text[off-1] != '\n' {
		return "\n"
	}
	return ""
}

func lineStart(text string, off int) int {
	return strings.LastIndexByte(text[:off], '\n') + 1
}

// lineEnd is the offset after the newline that ends the line holding off.
func lineEnd(text string, off int) int {
	if j := strings.IndexByte(text[off:], '\n'); j >= 0 {
		return off + j + 1
	}
	return len(text)
}
