package portalsim

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"
)

func TestUserCurrentShape(t *testing.T) {
	s := newSim(t, Options{Sessions: 3, UserID: 27})
	me := obj_(t, s.mustOK(s.call("user.current", nil), "me"))
	if me["ID"] != "27" || me["ACTIVE"] != true || me["IS_ONLINE"] != "Y" {
		t.Fatalf("user.current = %v", me)
	}
	if !regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$`).MatchString(me["LAST_ACTIVITY_DATE"].(string)) {
		t.Fatalf("LAST_ACTIVITY_DATE %q is not the non-ISO form", me["LAST_ACTIVITY_DATE"])
	}
	a := s.call("user.current", nil)
	if _, has := obj_(t, a.body["time"])["operating_reset_at"]; has {
		t.Fatal("user.current costs nothing, so it has no operating_reset_at")
	}
}

func TestConfigList(t *testing.T) {
	s := newSim(t, Options{Sessions: 3})
	rows := list(t, s.mustOK(s.call("imopenlines.config.list.get", nil), "all fields"))
	names := map[string]string{}
	for _, r := range rows {
		m := obj_(t, r)
		id, isStr := m["ID"].(string)
		if !isStr {
			t.Fatalf("ID %#v is not a string", m["ID"])
		}
		if m["ACTIVE"] != "Y" && m["ACTIVE"] != "N" {
			t.Fatalf("ACTIVE %#v", m["ACTIVE"])
		}
		names[id] = m["LINE_NAME"].(string)
	}
	for _, want := range []string{"Sales", "Support", "VIP", "Доставка"} {
		found := false
		for _, n := range names {
			found = found || n == want
		}
		if !found {
			t.Fatalf("no line %q in %v", want, names)
		}
	}
	q := obj_(t, list(t, s.mustOK(s.call("imopenlines.config.list.get", map[string]any{
		"PARAMS":  map[string]any{"select": []string{"ID"}, "filter": map[string]any{"ACTIVE": "N"}},
		"OPTIONS": map[string]any{"QUEUE": "Y"},
	}), "filtered"))[0])
	if q["ID"] != "9" || len(list(t, q["QUEUE"])) == 0 || len(obj_(t, q["QUEUE_USERS_FIELDS"])) == 0 {
		t.Fatalf("filtered with queue: %v", q)
	}
}

func TestDialogGet(t *testing.T) {
	s := newSim(t, Options{Sessions: 10, Seed: 2})
	own := findChat(t, s.p, "own open chat", s.p.ownCurrent)
	var code string
	var sid int64
	s.locked(func() { code, sid = own.userCode(), own.session.id })
	for name, body := range map[string]map[string]any{
		"CHAT_ID":             {"CHAT_ID": own.id},
		"DIALOG_ID":           {"DIALOG_ID": own.dialogID()},
		"SESSION_ID":          {"SESSION_ID": sid},
		"USER_CODE with imol": {"USER_CODE": "imol|" + code},
		"lower-case key":      {"chat_id": own.id},
	} {
		d := obj_(t, s.mustOK(s.call("imopenlines.dialog.get", body), name))
		if num(t, d["id"]) != own.id || d["dialog_id"] != own.dialogID() || d["role"] != "owner" || d["entity_id"] != code {
			t.Fatalf("%s: %v", name, d)
		}
		if _, isList := d["readed_list"].([]any); !isList || d["description"] != nil {
			t.Fatalf("%s: shape %v", name, d)
		}
	}
	vip := findChat(t, s.p, "foreign chat", func(c *chat) bool { return c.kind == kindLines && !c.isMember(s.p.uid) && !c.line.hasOperator(s.p.uid) })
	s.mustErr(s.call("imopenlines.dialog.get", map[string]any{"CHAT_ID": vip.id}), 400, "ACCESS_ERROR", "no access")
	s.mustErr(s.call("imopenlines.dialog.get", map[string]any{"CHAT_ID": 1}), 400, "ACCESS_ERROR", "not found")
}

func TestHistory(t *testing.T) {
	s := newSim(t, Options{Sessions: 10, Seed: 2})
	own := findChat(t, s.p, "own open chat", s.p.ownCurrent)
	var sid int64
	var want []string
	s.locked(func() {
		sid = own.session.id
		for _, m := range own.messages {
			if m.sessionID == sid {
				want = append(want, fmt.Sprint(m.id))
			}
		}
	})
	for name, body := range map[string]map[string]any{
		"SESSION_ID": {"SESSION_ID": sid},
		"CHAT_ID":    {"CHAT_ID": own.id},
	} {
		h := obj_(t, s.mustOK(s.call("imopenlines.session.history.get", body), name))
		if num(t, h["chatId"]) != own.id || num(t, h["sessionId"]) != sid || h["canVoteHead"] != "Y" {
			t.Fatalf("%s: %v", name, h)
		}
		msgs := obj_(t, h["message"])
		var got []string
		for id, m := range msgs {
			mm := obj_(t, m)
			if mm["id"] != id || mm["chatid"] != itoa(own.id) {
				t.Fatalf("%s: message %s = %v", name, id, mm)
			}
			if _, isStr := mm["senderid"].(string); !isStr {
				t.Fatalf("senderid %#v is not a string", mm["senderid"])
			}
			got = append(got, id)
		}
		sort.Strings(got)
		sort.Strings(want)
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Fatalf("%s: messages %v, want %v", name, got, want)
		}
		users := obj_(t, h["users"])
		if _, has := users[itoa(own.client.id)]; !has {
			t.Fatalf("%s: the client is not among users %v", name, users)
		}
		if l := list(t, h["files"]); len(l) != 0 {
			t.Fatalf("files %v", l)
		}
		if _, has := obj_(t, h["chat"])[itoa(own.id)]; !has {
			t.Fatal("chat is not keyed by ID")
		}
	}
	s.mustErr(s.call("imopenlines.session.history.get", map[string]any{}), 400, "MISSING_REQUIRED_PARAM", "no params")
	s.mustErr(s.call("imopenlines.session.history.get", map[string]any{"session_id": sid}), 400, "MISSING_REQUIRED_PARAM", "lower-case key is not read")
	s.mustErr(s.call("imopenlines.session.history.get", map[string]any{"SESSION_ID": 1}), 400, "INVALID_SESSION_ID", "unknown session")
	vip := findChat(t, s.p, "foreign chat", func(c *chat) bool { return c.kind == kindLines && !c.isMember(s.p.uid) && !c.line.hasOperator(s.p.uid) })
	s.mustErr(s.call("imopenlines.session.history.get", map[string]any{"CHAT_ID": vip.id}), 400, "ACCESS_DENIED", "no access")
}

func TestLargeUserIDDoesNotCollide(t *testing.T) {
	for _, uid := range []int64{1, 27, 503, 100000} {
		s := newSim(t, Options{Sessions: 30, UserID: uid})
		me := obj_(t, s.mustOK(s.call("user.current", nil), "me"))
		if me["ID"] != itoa(uid) || me["NAME"] != "Svetlana" {
			t.Fatalf("uid %d: user.current = %v", uid, me)
		}
		if len(s.p.PinnedSessionIDs()) == 0 {
			t.Fatalf("uid %d: no pinned sessions", uid)
		}
	}
}
