package api

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestLooseScalars(t *testing.T) {
	var v struct {
		A, B, C, D, E, F, G ID
		H, I, J             Float
		K, L, M, N, O       Bool
		P, Q, R             Text
	}
	in := `{"A":27,"B":"27","C":"","D":null,"E":false,"F":"chat12","G":27.0,
		"H":1773670900,"I":"0.25","J":true,
		"K":"Y","L":"N","M":true,"N":1,"O":"yes",
		"P":"Иван","Q":42,"R":false}`
	if err := json.Unmarshal([]byte(in), &v); err != nil {
		t.Fatal(err)
	}
	ids := []ID{v.A, v.B, v.C, v.D, v.E, v.F, v.G}
	want := []ID{27, 27, 0, 0, 0, 0, 27}
	for i := range ids {
		if ids[i] != want[i] {
			t.Errorf("ID #%d = %d, want %d", i, ids[i], want[i])
		}
	}
	if v.H != 1773670900 || v.I != 0.25 || v.J != 0 {
		t.Errorf("floats = %v %v %v", v.H, v.I, v.J)
	}
	if !v.K || v.L || !v.M || !v.N || v.O {
		t.Errorf("bools = %v %v %v %v %v", v.K, v.L, v.M, v.N, v.O)
	}
	if v.P != "Иван" || v.Q != "42" || v.R != "" {
		t.Errorf("texts = %q %q %q", v.P, v.Q, v.R)
	}
}

func TestDate(t *testing.T) {
	cases := map[string]time.Time{
		`"2026-03-16T20:50:30+03:00"`: time.Date(2026, 3, 16, 17, 50, 30, 0, time.UTC),
		`"2024-07-23 08:08:50"`:       time.Date(2024, 7, 23, 8, 8, 50, 0, time.UTC),
		`1773682918`:                  time.Unix(1773682918, 0),
		`"1773682918"`:                time.Unix(1773682918, 0),
		`0`:                           {},
		`false`:                       {},
		`"not a date"`:                {},
	}
	for in, want := range cases {
		var d Date
		if err := json.Unmarshal([]byte(in), &d); err != nil {
			t.Fatal(err)
		}
		if !d.Time().Equal(want) {
			t.Errorf("%s → %v, want %v", in, d.Time(), want)
		}
	}
}

func TestKeyedShapes(t *testing.T) {
	type v struct {
		N Text `json:"n"`
	}
	cases := []struct {
		in   string
		keys []string
	}{
		{`{"503":{"n":"a"},"17":{"n":"b"}}`, []string{"503", "17"}}, // document order kept
		{`[{"n":"a"},{"n":"b"}]`, []string{"0", "1"}},
		{`[]`, nil},
		{`{}`, nil},
		{`null`, nil},
		{`false`, nil},
		{`{"1":{"n":"a"},"2":false,"3":{"n":"c"}}`, []string{"1", "3"}}, // odd entry skipped
	}
	for _, c := range cases {
		var k Keyed[v]
		if err := json.Unmarshal([]byte(c.in), &k); err != nil {
			t.Fatalf("%s: %v", c.in, err)
		}
		var keys []string
		for _, e := range k {
			keys = append(keys, e.Key)
		}
		if len(keys) != len(c.keys) {
			t.Fatalf("%s: keys %v, want %v", c.in, keys, c.keys)
		}
		for i := range keys {
			if keys[i] != c.keys[i] {
				t.Errorf("%s: keys %v, want %v", c.in, keys, c.keys)
			}
		}
	}
}

func TestObjShapes(t *testing.T) {
	type inner struct {
		ID ID `json:"id"`
	}
	for in, want := range map[string]bool{`{"id":"5"}`: true, `false`: false, `[]`: false, `null`: false, `"x"`: false} {
		var o Obj[inner]
		if err := json.Unmarshal([]byte(in), &o); err != nil {
			t.Fatal(err)
		}
		if o.OK != want || (want && o.V.ID != 5) {
			t.Errorf("%s → %+v", in, o)
		}
	}
}

func TestDecodeEnvelope(t *testing.T) {
	cases := []struct {
		name      string
		status    int
		body      string
		ok        bool
		code      string // for *Error
		ambiguous bool   // for *bodyError
	}{
		{"success", 200, `{"result":[1,2],"time":{"start":1,"operating":0.5,"operating_reset_at":1773671500}}`, true, "", false},
		{"result true", 200, `{"result":true}`, true, "", false},
		{"result null", 200, `{"result":null}`, true, "", false},
		{"error with code", 400, `{"error":"CHAT_ID_EMPTY","error_description":"Chat ID can't be empty"}`, false, "CHAT_ID_EMPTY", false},
		{"error code on 200", 200, `{"error":"expired_token"}`, false, "expired_token", false},
		{"empty code on 400", 400, `{"error":"","error_description":""}`, false, "", false},
		{"4xx json without error", 403, `{"foo":1}`, false, "", false},
		{"query limit", 503, `{"error":"QUERY_LIMIT_EXCEEDED","error_description":"Too many requests"}`, false, "QUERY_LIMIT_EXCEEDED", false},
		{"html 502", 502, `<html><body>Bad gateway</body></html>`, false, "", true},
		{"5xx json without code", 500, `{"result":1}`, false, "", true},
		{"200 not json", 200, `<html>oops</html>`, false, "", true},
		{"200 truncated json", 200, `{"result":[1,2`, false, "", true},
		{"200 without result", 200, `{"time":{}}`, false, "", true},
		{"200 array", 200, `[1,2]`, false, "", true},
		{"404 html", 404, `<html>Not found</html>`, false, "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env, err := decodeEnvelope(c.status, []byte(c.body))
			if c.ok {
				if err != nil || env == nil {
					t.Fatalf("err = %v", err)
				}
				return
			}
			var apiErr *Error
			var bodyErr *bodyError
			switch {
			case errors.As(err, &apiErr):
				if apiErr.Code != c.code || apiErr.HTTPStatus != c.status {
					t.Errorf("got %#v", apiErr)
				}
			case errors.As(err, &bodyErr):
				if bodyErr.ambiguous != c.ambiguous || c.code != "" {
					t.Errorf("got %#v", bodyErr)
				}
			default:
				t.Fatalf("err = %v (%T)", err, err)
			}
		})
	}
}

func TestEnvelopeTiming(t *testing.T) {
	env, err := decodeEnvelope(200, readTestdata(t, "doc_unpin_all.json"))
	if err != nil {
		t.Fatal(err)
	}
	if got := env.Time.OperatingResetAt; !got.Equal(time.Unix(1773679134, 0)) {
		t.Errorf("reset = %v", got)
	}
	if env.Time.Operating < 0.34 || env.Time.Operating > 0.35 {
		t.Errorf("operating = %v", env.Time.Operating)
	}
	env, err = decodeEnvelope(200, readTestdata(t, "doc_user_current.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !env.Time.OperatingResetAt.IsZero() {
		t.Errorf("absent reset decoded as %v", env.Time.OperatingResetAt)
	}
}

func readTestdata(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func FuzzDecodeEnvelope(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(200, b)
		f.Add(400, b)
	}
	f.Add(503, []byte(`{"error":"QUERY_LIMIT_EXCEEDED"}`))
	f.Add(400, []byte(`{"error":"","error_description":""}`))
	f.Add(502, []byte(`<html>bad gateway</html>`))
	f.Add(200, []byte(`{"result":{"result":[],"result_error":[]}}`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		env, err := decodeEnvelope(status, body)
		if (env == nil) == (err == nil) {
			t.Fatalf("env %v and err %v", env, err)
		}
		if err == nil && status >= 400 {
			t.Fatalf("HTTP %d decoded as success", status)
		}
		var batch BatchResult
		if env != nil {
			_ = batch.decode(env.Result)
			_, _ = DecodeIDList(env.Result)
			_ = decodeHistory(env.Result, 0, 0)
			_ = decodeLines(env.Result)
			_, _, _ = decodeRecentPage(env.Result, pageLimit)
		}
	})
}
