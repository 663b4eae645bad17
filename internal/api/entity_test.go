package api

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseEntityData1(t *testing.T) {
	d := ParseEntityData1("Y|LEAD|1209|N|N|343|1773682918|0|0|0")
	want := EntityData1{CRM: true, CRMType: "LEAD", CRMID: 1209, SessionID: 343,
		Started: time.Unix(1773682918, 0), BlockReason: "0"}
	if !reflect.DeepEqual(d, want) {
		t.Errorf("got %+v\nwant %+v", d, want)
	}
	d = ParseEntityData1("N|NONE|0|Y|Y|351|1773683582|5")
	if !d.Pinned || !d.WaitAction || d.SessionID != 351 || d.LineID != 5 || d.CRM {
		t.Errorf("short form: %+v", d)
	}
	// Only exactly "Y" counts; a missing session ID is unknown, not junk.
	d = ParseEntityData1("y|||y")
	if d.CRM || d.Pinned || d.SessionID != 0 || d.CRMType != "NONE" || !d.Started.IsZero() {
		t.Errorf("lower-case/short: %+v", d)
	}
	if d := ParseEntityData1(""); d.Pinned || d.SessionID != 0 {
		t.Errorf("empty: %+v", d)
	}
	if d := ParseEntityData1("N|NONE|0|N|N|-5|abc"); d.SessionID != 0 || !d.Started.IsZero() {
		t.Errorf("junk: %+v", d)
	}
}

func TestParseEntityID(t *testing.T) {
	cases := map[string]EntityID{
		"livechat|22|1775|599":   {"livechat", 22, "1775", "599"},
		"telegrambot|5|4512|745": {"telegrambot", 5, "4512", "745"},
		"custom|x|a|b|c":         {"custom", 0, "a", "b|c"},
		"livechat":               {Connector: "livechat"},
		"":                       {},
	}
	for in, want := range cases {
		if got := ParseEntityID(in); got != want {
			t.Errorf("%q → %+v, want %+v", in, got, want)
		}
	}
}

func TestParseEntityData2(t *testing.T) {
	got := ParseEntityData2("LEAD|1209|COMPANY|0|CONTACT|77|DEAL|0")
	want := []CRMBinding{{"LEAD", 1209}, {"CONTACT", 77}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v", got)
	}
	if got := ParseEntityData2(""); got != nil {
		t.Errorf("empty → %+v", got)
	}
}

func TestClientName(t *testing.T) {
	cases := map[string]string{
		"Green guest #17 - Documentation": "Green guest #17",
		"Мария Петрова - Продажи":         "Мария Петрова",
		"Anne-Marie - Smith - Sales":      "Anne-Marie - Smith",
		"No separator":                    "No separator",
		" - Sales":                        " - Sales",
		"Салатовый гость №17 - Документация": "Салатовый гость №17",
	}
	for in, want := range cases {
		if got := clientName(in); got != want {
			t.Errorf("%q → %q, want %q", in, got, want)
		}
	}
}

// recentItems returns the raw items of a testdata im.recent.list answer.
func recentItems(t *testing.T, name string) []json.RawMessage {
	t.Helper()
	env, err := decodeEnvelope(200, readTestdata(t, name))
	if err != nil {
		t.Fatal(err)
	}
	items, _, err := decodeRecentPage(env.Result, pageLimit)
	if err != nil {
		t.Fatal(err)
	}
	return items
}

func TestDecodeRecentItemDocExample(t *testing.T) {
	items := recentItems(t, "doc_recent_list_lines.json")
	if len(items) != 2 {
		t.Fatalf("%d items", len(items))
	}
	s, ok, err := DecodeRecentItem(items[0])
	if err != nil || !ok {
		t.Fatalf("ok=%v err=%v", ok, err)
	}
	want := Session{
		SessionID: 343, ChatID: 1777, DialogID: "chat1777", LineID: 22, Connector: "livechat",
		Client: "Green guest #17", Title: "Green guest #17 - Documentation",
		Status: StatusClient, StatusKnown: true, Pinned: false, Unread: 1,
		LastMessage: "Hello, where is my order?", LastAuthorID: 599,
		LastActivity: mustTime(t, "2026-03-16T20:50:30+03:00"),
		Started:      mustTime(t, "2026-03-16T20:41:58+03:00"),
		OwnerID:      27, CRM: []CRMBinding{{"LEAD", 1209}}, CRMLinked: true,
	}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("got  %+v\nwant %+v", s, want)
	}
	q, ok, err := DecodeRecentItem(items[1]) // reduced queue-offer shape
	if err != nil || !ok {
		t.Fatalf("queue item ok=%v err=%v", ok, err)
	}
	if q.SessionID != 351 || q.Status != StatusNew || !q.StatusKnown || q.Connector != "telegrambot" ||
		q.LineID != 5 || q.Client != "Maria Petrova" || !q.LastActivity.Equal(mustTime(t, "2026-03-16T20:53:02+03:00")) {
		t.Errorf("queue item: %+v", q)
	}
}

func TestDecodeRecentItemSpecExampleSkipsNonLines(t *testing.T) {
	for _, raw := range recentItems(t, "spec_im.recent.list.json") {
		s, ok, err := DecodeRecentItem(raw)
		if err != nil {
			t.Fatal(err)
		}
		if ok && s.ChatID == 0 {
			t.Errorf("open-line item without chat: %s", raw)
		}
		if !ok && strings.Contains(string(raw), `"entity_type": "LINES"`) {
			t.Errorf("LINES item skipped: %s", raw)
		}
	}
}

func TestDecodeRecentItemQuirks(t *testing.T) {
	cases := []struct {
		name  string
		json  string
		check func(Session) bool
	}{
		{"pinned comes from entity_data_1, not the messenger flag",
			`{"id":"chat5","chat_id":5,"pinned":true,"chat":{"entity_type":"LINES","entity_data_1":"N|NONE|0|N|N|9|0"}}`,
			func(s Session) bool { return !s.Pinned && s.SessionID == 9 }},
		{"pin set in entity_data_1",
			`{"id":"chat5","chat_id":5,"pinned":false,"chat":{"entity_type":"LINES","entity_data_1":"N|NONE|0|Y|N|9|0"}}`,
			func(s Session) bool { return s.Pinned }},
		{"lines absent: status unknown, session ID from entity_data_1",
			`{"id":"chat5","chat_id":"5","chat":{"entity_type":"LINES","entity_data_1":"N|NONE|0|N|N|77"}}`,
			func(s Session) bool { return !s.StatusKnown && s.SessionID == 77 && s.ChatID == 5 && s.Current() }},
		{"lines {id:0,status:0} means no session info",
			`{"id":"chat5","chat_id":5,"lines":{"id":0,"status":0},"chat":{"entity_type":"LINES","entity_data_1":"N|NONE|0|N|N|78"}}`,
			func(s Session) bool { return !s.StatusKnown && s.SessionID == 78 }},
		{"lines.id wins over entity_data_1; string status",
			`{"id":"chat5","chat_id":5,"lines":{"id":"80","status":"60"},"chat":{"entity_type":"LINES","entity_data_1":"N|NONE|0|N|N|78"}}`,
			func(s Session) bool { return s.SessionID == 80 && s.Status == StatusClose && !s.Current() }},
		{"false and [] where objects are expected",
			`{"id":"chat5","chat_id":5,"message":false,"lines":[],"user":false,"options":[],"chat":{"entity_type":"LINES","mute_list":[]}}`,
			func(s Session) bool { return s.LastMessage == "" && !s.StatusKnown }},
		{"chat ID only inside chat; entity_type missing but type lines",
			`{"id":"chat9","chat":{"id":"9","type":"lines","owner":"27"}}`,
			func(s Session) bool { return s.ChatID == 9 && s.DialogID == "chat9" && s.OwnerID == 27 }},
		{"last activity falls back to message date then date_update",
			`{"id":"chat5","chat_id":5,"date_update":"2026-01-02T00:00:00+00:00","chat":{"entity_type":"LINES"}}`,
			func(s Session) bool { return s.LastActivity.Equal(time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)) }},
		{"a file-only last message keeps the file's name",
			`{"id":"chat5","chat_id":5,"message":{"text":"","file":{"type":"image","name":"photo.jpg"}},"chat":{"entity_type":"LINES"}}`,
			func(s Session) bool { return s.LastMessage == "" && s.LastFile == "photo.jpg" }},
		{"a file without a name is named by its type",
			`{"id":"chat5","chat_id":5,"message":{"text":"see","file":{"type":"audio"}},"chat":{"entity_type":"LINES"}}`,
			func(s Session) bool { return s.LastMessage == "see" && s.LastFile == "audio" }},
		{"file false means no file",
			`{"id":"chat5","chat_id":5,"message":{"text":"hi","file":false},"chat":{"entity_type":"LINES"}}`,
			func(s Session) bool { return s.LastFile == "" }},
		{"unknown keys ignored",
			`{"id":"chat5","chat_id":5,"birthdayList":[],"chat":{"entity_type":"LINES","contains_collaber":false,"new_thing":{"x":1}}}`,
			func(s Session) bool { return s.ChatID == 5 }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, ok, err := DecodeRecentItem([]byte(c.json))
			if err != nil || !ok {
				t.Fatalf("ok=%v err=%v", ok, err)
			}
			if !c.check(s) {
				t.Errorf("got %+v", s)
			}
		})
	}
	for _, notLines := range []string{
		`{"id":547,"chat_id":1231,"type":"user","chat":{"mute_list":[]}}`,
		`{"id":"chat1","chat_id":1,"chat":{"entity_type":"TASKS_TASK","type":"tasksTask"}}`,
		`{"id":"chat1","chat_id":1,"chat":false}`,
	} {
		if _, ok, err := DecodeRecentItem([]byte(notLines)); ok || err != nil {
			t.Errorf("%s: ok=%v err=%v", notLines, ok, err)
		}
	}
	if _, _, err := DecodeRecentItem([]byte(`[1]`)); err == nil {
		t.Error("an array decoded as an item")
	}
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func addRecentSeeds(f *testing.F) {
	for _, name := range []string{"doc_recent_list_lines.json", "spec_im.recent.list.json", "spec_im.recent.get.json"} {
		env, err := decodeEnvelope(200, readTestdata(f, name))
		if err != nil {
			f.Fatal(err)
		}
		items, _, _ := decodeRecentPage(env.Result, pageLimit)
		for _, it := range items {
			f.Add([]byte(it))
		}
	}
}

func FuzzDecodeRecentItem(f *testing.F) {
	addRecentSeeds(f)
	f.Add([]byte(`{"id":"chat5","chat":{"entity_type":"LINES","entity_data_1":"N|NONE|0|Y"},"lines":[]}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		s, ok, err := DecodeRecentItem(raw)
		if err != nil && ok {
			t.Fatal("ok with an error")
		}
		if ok && s.SessionID < 0 {
			t.Fatalf("negative session ID %d", s.SessionID)
		}
		if ok && s.Pinned != ParseEntityData1(entityData1Of(raw)).Pinned {
			t.Fatalf("pinned %v disagrees with entity_data_1", s.Pinned)
		}
		if !json.Valid(raw) {
			return
		}
		// The one-pass page decoder agrees with the tolerant item decoder.
		page := append(append([]byte(`{"items":[`), raw...), "]}"...)
		sessions, _, perr := decodeRecentSessions(page, pageLimit)
		switch {
		case perr != nil:
			t.Fatalf("page with a valid item: %v", perr)
		case ok && (len(sessions) != 1 || !reflect.DeepEqual(sessions[0], s)):
			t.Fatalf("page decoder gave %+v, item decoder %+v", sessions, s)
		case !ok && len(sessions) != 0:
			t.Fatalf("page decoder kept a non-LINES item: %+v", sessions)
		}
	})
}

// entityData1Of extracts chat.entity_data_1 the slow, obvious way.
func entityData1Of(raw []byte) string {
	var v struct {
		Chat struct {
			D json.RawMessage `json:"entity_data_1"`
		} `json:"chat"`
	}
	if json.Unmarshal(raw, &v) != nil {
		return ""
	}
	return looseString(v.Chat.D)
}

func FuzzParseEntityData1(f *testing.F) {
	for _, s := range []string{
		"Y|LEAD|1209|N|N|343|1773682918|0|0|0", "N|NONE|0|N|N|351|1773683582|5|0|0",
		"Y|LEAD|1205|N|N|321|1773223732|0|0|0", "N|NONE|0|Y", "", "||||||||||||",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d := ParseEntityData1(s)
		fields := strings.Split(s, "|")
		if want := len(fields) >= 4 && strings.TrimSpace(fields[3]) == "Y"; d.Pinned != want {
			t.Fatalf("pinned = %v for %q", d.Pinned, s)
		}
		if d.SessionID < 0 || d.CRMID < 0 || d.LineID < 0 {
			t.Fatalf("negative ID in %+v", d)
		}
	})
}

func FuzzParseEntityID(f *testing.F) {
	for _, s := range []string{"livechat|22|1775|599", "telegrambot|5|4512|745", "livechat|22|1761|587", "", "a|b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e := ParseEntityID(s)
		if e.LineID < 0 {
			t.Fatalf("negative line ID for %q", s)
		}
		if !strings.HasPrefix(s, e.Connector) && strings.TrimSpace(strings.SplitN(s, "|", 2)[0]) != e.Connector {
			t.Fatalf("connector %q not from %q", e.Connector, s)
		}
	})
}
