package api

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Fuzz targets for the decoders of portal answers not covered elsewhere
// (envelope, stream, batch, item and entity fields have theirs). Seeds
// are the documented examples in testdata plus the quirks of PROTOCOL §12.

// resultOf is the result of a documented answer in testdata.
func resultOf(f *testing.F, name string) []byte {
	env, err := decodeEnvelope(200, readTestdata(f, name))
	if err != nil {
		f.Fatal(err)
	}
	return env.Result
}

func FuzzDecodeIDList(f *testing.F) {
	f.Add(resultOf(f, "doc_unpin_all.json"))
	f.Add(resultOf(f, "doc_pin_all.json"))
	for _, s := range []string{`[]`, `null`, `true`, `false`, `[339,"337",0,-5,"x"]`, `{"0":339,"1":"337"}`, `{"339":true}`, `7`, `"8"`, `[1e3]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		ids, err := DecodeIDList(raw)
		if err != nil {
			if ids != nil {
				t.Fatalf("ids %v with an error", ids)
			}
			return
		}
		if ids == nil {
			t.Fatal("nil list without an error: callers print it as JSON")
		}
		for _, id := range ids {
			if id <= 0 {
				t.Fatalf("kept %d", id)
			}
		}
		// An array of positive integers comes back exactly, in order.
		var plain []int64
		if json.Unmarshal(raw, &plain) == nil && plain != nil && !slices.ContainsFunc(plain, func(v int64) bool { return v <= 0 }) &&
			!slices.Equal(ids, plain) {
			t.Fatalf("%s decoded as %v", raw, ids)
		}
	})
}

func FuzzDecodeUser(f *testing.F) {
	f.Add(resultOf(f, "doc_user_current.json"))
	for _, s := range []string{`{"ID":27}`, `{"ID":"0"}`, `[]`, `false`, `{"ID":"27","NAME":5,"LAST_NAME":null}`, `{"ID":"9223372036854775808"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		u, err := decodeUser(raw)
		if (err == nil) != (u.ID > 0) {
			t.Fatalf("user %+v with error %v", u, err)
		}
		if err != nil && strings.ContainsAny(err.Error(), "\n\r") {
			t.Fatalf("error is not one line: %q", err)
		}
	})
}

func FuzzDecodeLines(f *testing.F) {
	f.Add(resultOf(f, "doc_config_list.json"))
	for _, s := range []string{`[]`, `null`, `{"0":{"ID":"22","LINE_NAME":"Docs","ACTIVE":"N"}}`, `[{"ID":5,"ACTIVE":false},{"ID":"x"}]`, `[{"ID":1,"LINE_NAME":["a"]}]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		lines := decodeLines(raw)
		if lines == nil {
			t.Fatal("nil lines: the cache would never count as read")
		}
		for _, l := range lines {
			if l.ID <= 0 {
				t.Fatalf("line %+v", l)
			}
		}
	})
}

func FuzzDecodeHistory(f *testing.F) {
	f.Add(resultOf(f, "doc_history.json"), int64(0), int64(0))
	for _, s := range []string{`{"chatId":"5","sessionId":7,"message":{"3":{"id":"3","senderid":"0","date":"2026-03-16T20:50:30+03:00","text":"a"},"1":{"id":1,"date":1773682918}},"users":{"0":{"name":"sys"}}}`,
		`{"message":[],"users":[]}`, `[]`, `null`, `{"message":{"x":{"text":["no"]}}}`} {
		f.Add([]byte(s), int64(1), int64(2))
	}
	f.Fuzz(func(t *testing.T, raw []byte, sessionID, chatID int64) {
		h := decodeHistory(raw, sessionID, chatID)
		if sessionID != 0 && h.SessionID == 0 || chatID != 0 && h.ChatID == 0 {
			t.Fatalf("lost the IDs asked for: %+v", h)
		}
		if !slices.IsSortedFunc(h.Messages, func(a, b HistoryMessage) int {
			if c := a.Date.Compare(b.Date); c != 0 {
				return c
			}
			return int(min(max(a.ID-b.ID, -1), 1))
		}) {
			t.Fatal("messages not oldest first")
		}
	})
}

// FuzzRecentPage: a whole im.recent.list page decoded into the arena is
// what the tolerant item-by-item path gives, appended after what the
// arena held, and hasMore follows hasMore, else hasMorePages, else a full
// page.
func FuzzRecentPage(f *testing.F) {
	f.Add(resultOf(f, "doc_recent_list_lines.json"), 200)
	f.Add(readTestdata(f, "quirks_page0.json"), 200)
	f.Add(readTestdata(f, "quirks_page200.json"), 2)
	f.Add([]byte(`{"items":{"0":{"id":"chat1","chat":{"entity_type":"LINES"}}},"hasMorePages":"Y"}`), 1)
	f.Add([]byte(`[{"id":"chat1","chat":{"type":"lines"},"lines":false}]`), 1)
	prefix := Session{DialogID: "chat0", Title: "already there"}
	f.Fuzz(func(t *testing.T, raw []byte, limit int) {
		got, more, err := appendRecentSessions([]Session{prefix}, raw, limit)
		if len(got) == 0 || !reflect.DeepEqual(got[0], prefix) {
			t.Fatalf("the arena's earlier sessions changed: %+v", got)
		}
		items, tmore, terr := decodeRecentPage(raw, limit)
		if (err == nil) != (terr == nil) {
			t.Fatalf("page error %v, tolerant error %v", err, terr)
		}
		if err != nil || hasDuplicateKeys(raw) {
			// An object naming a key twice ("chat" and "ChAt") has no one
			// meaning (RFC 8259 §4) and PHP's json_encode cannot write one:
			// the two decoders may keep different occurrences.
			return
		}
		var want []Session
		for _, it := range items {
			if s, ok, err := DecodeRecentItem(it); err == nil && ok {
				want = append(want, s)
			}
		}
		if !reflect.DeepEqual(got[1:], want) && (len(got) > 1 || len(want) > 0) {
			t.Fatalf("page decoder: %+v\ntolerant: %+v", got[1:], want)
		}
		if more != tmore {
			t.Fatalf("hasMore %v, tolerant %v", more, tmore)
		}
	})
}

func FuzzTokenAnswer(f *testing.F) {
	f.Add(readTestdata(f, "doc_oauth_token.json"))
	for _, s := range []string{`{"access_token":"a","expires_in":"3600"}`, `{"error":"invalid_grant","error_description":"x"}`, `{"expires":1e300}`, `[]`} {
		f.Add([]byte(s))
	}
	now := time.Date(2026, 3, 16, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, raw []byte) {
		var a tokenAnswer
		if json.Unmarshal(raw, &a) != nil {
			return
		}
		tok := a.token(now)
		s := strings.ReplaceAll(tok.String()+tok.GoString()+fmt.Sprintf("%v %+v %#v", tok, tok, tok), tok.Endpoint, "")
		for _, secret := range []string{tok.Access, tok.Refresh} {
			if len(secret) >= 8 && strings.Contains(s, secret) {
				t.Fatalf("the token prints itself: %s", s)
			}
		}
	})
}

// FuzzParseWebhookURL: whatever is typed, an error repeats nothing of the
// URL's path (the code lives there) beyond the words of its own messages,
// and a URL that parses gives back, through BaseURL, one that parses to the
// same webhook, while Redacted never shows the code.
func FuzzParseWebhookURL(f *testing.F) {
	for _, s := range []string{"https://portal.bitrix24.ru/rest/1/abcDEF123_-x/", "http://127.0.0.1:8024/rest/27/code/profile",
		"https://p/rest/x/y/", "http://evil.example.com/rest/1/secretcode/", "https://u:p@h/rest/1/c/?q", " https://h/rest/1/c ", "://", ""} {
		f.Add(s)
	}
	vocab := webhookShape + " (no user name, query or fragment) (the path must be /rest/USER_ID/CODE/)" +
		" (USER_ID must be a positive number) (CODE may hold only letters, digits, '_' and '-')" +
		"no webhook URL given; webhook URL must use https:// (plain http:// is allowed only for loopback hosts such as 127.0.0.1)" +
		"webhook URL must start with https://"
	f.Fuzz(func(t *testing.T, raw string) {
		w, err := ParseWebhookURL(raw)
		if err != nil {
			for _, seg := range strings.Split(raw, "/") {
				if len(seg) >= 6 && strings.Contains(err.Error(), seg) && !strings.Contains(vocab, seg) {
					t.Fatalf("error %q repeats %q from the URL", err, seg)
				}
			}
			return
		}
		again, err := ParseWebhookURL(w.BaseURL())
		if err != nil || again != w {
			t.Fatalf("%q → %+v → %q → %+v, %v", raw, w, w.BaseURL(), again, err)
		}
		redacted := w.Scheme + "://" + w.Host + "/rest/" + strconv.FormatInt(w.UserID, 10) + "/***/"
		for _, s := range []string{w.Redacted(), w.String(), w.GoString(), fmt.Sprintf("%v %+v %#v", w, w, w)} {
			if !strings.Contains(s, redacted) || strings.Contains(s, "/rest/"+strconv.FormatInt(w.UserID, 10)+"/"+w.Code+"/") {
				t.Fatalf("the code prints: %s", s)
			}
		}
	})
}

// hasDuplicateKeys reports whether some object in raw names a key twice,
// case ignored as encoding/json matches struct fields; invalid JSON has
// none (both decoders reject it alike).
func hasDuplicateKeys(raw []byte) bool {
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	type frame struct {
		object bool
		keys   map[string]bool
		key    bool // the next string token is a key
	}
	var stack []frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		top := len(stack) - 1
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{', '[':
				if top >= 0 && stack[top].object {
					stack[top].key = true // the value is done once it closes
				}
				stack = append(stack, frame{object: v == '{', keys: map[string]bool{}, key: v == '{'})
			default:
				stack = stack[:top]
			}
			continue
		case string:
			if top >= 0 && stack[top].object && stack[top].key {
				k := strings.ToLower(v)
				if stack[top].keys[k] {
					return true
				}
				stack[top].keys[k] = true
				stack[top].key = false
				continue
			}
		}
		if top >= 0 && stack[top].object {
			stack[top].key = true // a value ended; a key comes next
		}
	}
}

// TestHasDuplicateKeys: the fuzz target above compares the decoders on
// every page without a repeated key, so the check must not see repeats
// where there are none.
func TestHasDuplicateKeys(t *testing.T) {
	for raw, want := range map[string]bool{
		`{"items":[{"id":"a","chat":{"type":"LINES"}},{"id":"b","chat":{}}]}`: false,
		`{"a":{"b":1},"c":{"b":2},"d":[{"b":3},{"b":4}]}`:                     false,
		`{"a":1,"b":"a","c":["a","a"]}`:                                       false,
		`{"chat":{},"ChAt":{}}`:                                               true,
		`[{"x":{"y":1,"Y":2}}]`:                                               true,
		`{"items":[{"id":"a","id":"b"}]}`:                                     true,
		`{"a":`:                                                               false,
	} {
		if got := hasDuplicateKeys([]byte(raw)); got != want {
			t.Errorf("hasDuplicateKeys(%s) = %v, want %v", raw, got, want)
		}
	}
}
