package portalsim

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestRoutingForms(t *testing.T) {
	s := newSim(t, Options{Sessions: 3})
	for _, tc := range []struct {
		name string
		do   func() answer
	}{
		{"POST JSON with .json", func() answer { return s.call("user.current.json", map[string]any{}) }},
		{"POST JSON without suffix", func() answer { return s.call("user.current", map[string]any{}) }},
		{"method name in any case", func() answer { return s.call("USER.Current.JSON", map[string]any{}) }},
		{"GET", func() answer { return s.get(s.hook + "user.current") }},
		{"POST form", func() answer { return s.postForm(s.hook+"user.current.json", url.Values{"x": {"1"}}) }},
		{"no trailing slash games", func() answer { return s.get(strings.TrimSuffix(s.hook, "/") + "/user.current.json") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := obj_(t, s.mustOK(tc.do(), tc.name))
			if res["ID"] != "1" {
				t.Fatalf("ID = %#v, want the string \"1\"", res["ID"])
			}
		})
	}
}

func TestAuthErrors(t *testing.T) {
	s := newSim(t, Options{Sessions: 3, Code: "abcdefghijklmnop"})
	base := s.srv.URL + "/rest/"
	s.mustErr(s.get(base+"1/wrongwrongwrong1/user.current.json"), 401, "NO_AUTH_FOUND", "wrong code")
	s.mustErr(s.get(base+"2/abcdefghijklmnop/user.current.json"), 401, "NO_AUTH_FOUND", "wrong user")
	s.mustErr(s.get(base+"user.current.json"), 401, "NO_AUTH_FOUND", "OAuth path without a token")
	s.mustErr(s.get(base+"user.current.json?auth=nonsense"), 401, "NO_AUTH_FOUND", "unknown token")
	s.mustErr(s.call("no.such.method", map[string]any{}), 404, "ERROR_METHOD_NOT_FOUND", "unknown method")
	s.mustErr(s.get(base+"1/abcdefghijklmnop/"), 404, "ERROR_METHOD_NOT_FOUND", "no method")
	if got := s.p.Requests(); got != 6 {
		t.Fatalf("Requests() = %d, want 6", got)
	}
	if got := s.p.Calls("USER.CURRENT"); got != 4 {
		t.Fatalf("Calls(user.current) = %d, want 4 (faulted calls count too)", got)
	}
}

func TestWebhookURLShape(t *testing.T) {
	p := New(Options{Sessions: 1, UserID: 27, Seed: 5})
	u := p.WebhookURL("http://127.0.0.1:1234/")
	m := regexp.MustCompile(`^http://127\.0\.0\.1:1234/rest/27/([a-z0-9]{16,})/$`).FindStringSubmatch(u)
	if m == nil {
		t.Fatalf("WebhookURL = %q", u)
	}
	if other := New(Options{Sessions: 1, UserID: 27, Seed: 6}).WebhookURL("http://h"); strings.Contains(other, m[1]) {
		t.Fatalf("seeds 5 and 6 share the code %q", m[1])
	}
}

func TestXMLFormat(t *testing.T) {
	s := newSim(t, Options{Sessions: 3})
	a := s.get(s.hook + "user.current.xml")
	if a.status != 200 || !strings.Contains(a.ctype, "xml") {
		t.Fatalf("HTTP %d %s", a.status, a.ctype)
	}
	for _, want := range []string{"<response>", "<result>", "<ID>1</ID>", "<time>", "</response>"} {
		if !strings.Contains(string(a.raw), want) {
			t.Fatalf("XML lacks %s: %s", want, trim(a.raw))
		}
	}
}

var isoOffset = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$`)

func TestEnvelopeTime(t *testing.T) {
	s := newSim(t, Options{Sessions: 3})
	sawIntStart, sawFloatStart := false, false
	for range 6 {
		a := s.call("im.recent.list", map[string]any{"LIMIT": 5})
		s.mustOK(a, "recent")
		if num(t, a.body["total"]) != -1 {
			t.Fatalf("total = %v, want -1", a.body["total"])
		}
		tm := obj_(t, a.body["time"])
		for _, k := range []string{"start", "finish", "duration", "processing", "date_start", "date_finish", "operating", "operating_reset_at"} {
			if _, has := tm[k]; !has {
				t.Fatalf("time lacks %s: %v", k, tm)
			}
		}
		start := tm["start"].(json.Number).String()
		if strings.Contains(start, ".") {
			sawFloatStart = true
		} else {
			sawIntStart = true
		}
		st, _ := tm["start"].(json.Number).Float64()
		fi, _ := tm["finish"].(json.Number).Float64()
		du, _ := tm["duration"].(json.Number).Float64()
		if fi < st || du < 0 || abs(fi-st-du) > 1e-3 {
			t.Fatalf("start %v finish %v duration %v disagree", st, fi, du)
		}
		for _, k := range []string{"date_start", "date_finish"} {
			if !isoOffset.MatchString(tm[k].(string)) {
				t.Fatalf("%s = %v, want ISO-8601 with offset", k, tm[k])
			}
		}
		reset := num(t, tm["operating_reset_at"])
		if want := s.clock.Now().Add(10 * time.Minute).Unix(); reset != want {
			t.Fatalf("operating_reset_at = %d, want %d (the first bucket + 10 min)", reset, want)
		}
	}
	if !sawIntStart || !sawFloatStart {
		t.Fatalf("start printed as int %v, as float %v: want both over six calls", sawIntStart, sawFloatStart)
	}
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

func TestPHPStyleJSON(t *testing.T) {
	s := newSim(t, Options{Sessions: 3})
	a := s.call("imopenlines.config.list.get", map[string]any{"PARAMS": map[string]any{"select": []string{"ID", "LINE_NAME"}}})
	raw := string(a.raw)
	if !strings.Contains(raw, `\u0414\u043e\u0441\u0442\u0430\u0432\u043a\u0430`) {
		t.Fatalf("non-ASCII is not \\u-escaped: %s", trim(a.raw))
	}
	found := false
	for _, l := range list(t, s.mustOK(a, "config")) {
		if obj_(t, l)["LINE_NAME"] == "Доставка" {
			found = true
		}
	}
	if !found {
		t.Fatal("the escaped name does not decode to Доставка")
	}
	b := s.call("im.recent.list", map[string]any{"LIMIT": 1})
	if !strings.Contains(string(b.raw), `\/bitrix\/js\/im\/images\/blank.gif`) {
		t.Fatalf("slashes are not escaped PHP-style: %s", trim(b.raw))
	}
}

func TestPHPEscapeRoundTrip(t *testing.T) {
	for _, in := range []string{"plain", "Мария Петрова", "李雷", "Dmitry 🚀", `a/b\c"d`, "\u2028x"} {
		b, _ := json.Marshal(in)
		var out string
		if err := json.Unmarshal(phpEscape(b), &out); err != nil || out != in {
			t.Fatalf("%q → %s → %q (%v)", in, phpEscape(b), out, err)
		}
		if !isASCII(string(phpEscape(b))) {
			t.Fatalf("%q: escaped JSON is not ASCII", in)
		}
	}
}

func TestParamsEncodings(t *testing.T) {
	s := newSim(t, Options{Sessions: 3})
	check := func(name string, a answer) {
		t.Helper()
		rows := list(t, s.mustOK(a, name))
		if len(rows) == 0 {
			t.Fatalf("%s: no lines", name)
		}
		for _, r := range rows {
			m := obj_(t, r)
			if len(m) != 2 || m["ID"] == nil || m["LINE_NAME"] == nil {
				t.Fatalf("%s: select ignored, got %v", name, m)
			}
		}
	}
	q := "PARAMS%5Bselect%5D%5B%5D=ID&PARAMS%5Bselect%5D%5B%5D=LINE_NAME"
	check("query", s.get(s.hook+"imopenlines.config.list.get.json?"+q))
	check("form", s.postForm(s.hook+"imopenlines.config.list.get.json", url.Values{"PARAMS[select][]": {"ID", "LINE_NAME"}}))
	check("json", s.call("imopenlines.config.list.get", map[string]any{"PARAMS": map[string]any{"select": []string{"ID", "LINE_NAME"}}}))
	s.mustErr(s.call("imopenlines.config.list.get", map[string]any{"PARAMS": "ID"}), 400, "INVALID_FORMAT", "PARAMS as a string")
}

func TestSetBracket(t *testing.T) {
	p := params{}
	mergeOrdered(p, "", nil)
	raw := "A[B][]=x&A[B][]=y&A[C]=z&cmd[me]=user.current&cmd[r]=im.recent.list%3FLIMIT%3D5&L[]=1&L[]=2&plain=v"
	vals, _ := url.ParseQuery(raw)
	mergeOrdered(p, raw, vals)
	a := p["A"].(*obj)
	if got := a.vals["B"].([]any); len(got) != 2 || got[0] != "x" || got[1] != "y" {
		t.Fatalf("A[B] = %#v", a.vals["B"])
	}
	if a.vals["C"] != "z" {
		t.Fatalf("A[C] = %#v", a.vals["C"])
	}
	cmd := p["cmd"].(*obj)
	if strings.Join(cmd.keys, ",") != "me,r" || cmd.vals["r"] != "im.recent.list?LIMIT=5" {
		t.Fatalf("cmd = %v %v", cmd.keys, cmd.vals)
	}
	if l := p["L"].([]any); len(l) != 2 {
		t.Fatalf("L = %#v", p["L"])
	}
	if p["plain"] != "v" {
		t.Fatalf("plain = %#v", p["plain"])
	}
}

func TestBadBody(t *testing.T) {
	s := newSim(t, Options{Sessions: 1})
	req, _ := http.NewRequest(http.MethodPost, s.hook+"user.current", strings.NewReader(`{"broken":`))
	req.Header.Set("Content-Type", "application/json")
	s.mustErr(s.do(req), 400, "ERROR_ARGUMENT", "broken JSON body")
}
