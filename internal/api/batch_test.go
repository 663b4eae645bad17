package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
)

func TestPHPQuery(t *testing.T) {
	cases := []struct {
		in   any
		want string
	}{
		{nil, ""},
		{map[string]any{}, ""},
		{map[string]any{"SKIP_DIALOG": "Y", "LIMIT": 200, "OFFSET": 0},
			"LIMIT=200&OFFSET=0&SKIP_DIALOG=Y"},
		{map[string]any{"PARAMS": map[string]any{"select": []string{"ID", "LINE_NAME"}}},
			"PARAMS[select][]=ID&PARAMS[select][]=LINE_NAME"},
		{map[string]any{"FILTER": map[string]any{"ACTIVE": true, "NAME": "a&b=c d"}, "X": nil},
			"FILTER[ACTIVE]=1&FILTER[NAME]=a%26b%3Dc+d&X="},
		{map[string]any{"rows": []any{map[string]any{"a": 1}, map[string]any{"a": 2}}},
			"rows[0][a]=1&rows[1][a]=2"},
		{struct {
			ChatID int64 `json:"CHAT_ID"`
		}{7}, "CHAT_ID=7"},
		{map[string]any{"big": 12345678901234567}, "big=12345678901234567"},
	}
	for _, c := range cases {
		got, err := PHPQuery(c.in)
		if err != nil || got != c.want {
			t.Errorf("PHPQuery(%v) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	if _, err := PHPQuery([]int{1}); err == nil {
		t.Error("a list was accepted as parameters")
	}
}

func TestBatchRequestBody(t *testing.T) {
	p := newFakePortal(t, func(w http.ResponseWriter, r *http.Request, method string, n int) {
		writeJSON(w, 200, string(readTestdata(t, "doc_batch.json")))
	})
	c, _ := testClient(t, p.webhook())
	cmds := []BatchCommand{
		{Key: "me", Method: "user.current"},
		{Key: "recent", Method: "im.recent.list", Params: map[string]any{"SKIP_DIALOG": "Y", "LIMIT": 200}},
		{Key: "lines", Method: "imopenlines.config.list.get", Params: linesParams},
		{Method: "im.recent.list"}, // key defaults to cmd3
	}
	res, err := c.Batch(context.Background(), cmds, true)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"halt":1,"cmd":{"me":"user.current","recent":"im.recent.list?LIMIT=200\u0026SKIP_DIALOG=Y",` +
		`"lines":"imopenlines.config.list.get?PARAMS[limit]=200\u0026PARAMS[select][]=ID\u0026PARAMS[select][]=LINE_NAME\u0026PARAMS[select][]=ACTIVE",` +
		`"cmd3":"im.recent.list"}}`
	if got := string(p.bodies["batch"]); got != want {
		t.Errorf("body\n got %s\nwant %s", got, want)
	}
	// The documented answer: me and recent ran, lines failed, cmd3 absent.
	var me rawUser
	if err := res.Decode("me", &me); err != nil || me.ID != 27 {
		t.Errorf("me %+v, %v", me, err)
	}
	if err := res.Err("recent"); err != nil || res.Totals["recent"] != -1 {
		t.Errorf("recent: %v, total %d", err, res.Totals["recent"])
	}
	if err := res.Err("lines"); !errors.Is(err, ErrInsufficientScp) {
		t.Errorf("lines: %v", err)
	} else if res.Errors["lines"].Method != "imopenlines.config.list.get" {
		t.Errorf("lines error method %q", res.Errors["lines"].Method)
	}
	if err := res.Err("cmd3"); !errors.Is(err, ErrNotExecuted) {
		t.Errorf("cmd3: %v", err)
	}
	if len(res.Next) != 0 || res.Times["me"].Duration <= 0 {
		t.Errorf("next %v, times %v", res.Next, res.Times)
	}
}

func TestBatchRefusesBeforeSending(t *testing.T) {
	p := newFakePortal(t, func(w http.ResponseWriter, r *http.Request, method string, n int) {
		t.Error("a request went out")
	})
	c, _ := testClient(t, p.webhook())
	many := make([]BatchCommand, MaxBatch+1)
	for i := range many {
		many[i] = BatchCommand{Method: "user.current"}
	}
	for name, cmds := range map[string][]BatchCommand{
		"at most 50":    many,
		"no commands":   nil,
		"used twice":    {{Key: "a", Method: "user.current"}, {Key: "a", Method: "user.current"}},
		"may hold only": {{Key: "a[b]", Method: "user.current"}},
		"invalid REST":  {{Method: "user.current?x=1"}},
		"another batch": {{Method: "BATCH"}},
	} {
		_, err := c.Batch(context.Background(), cmds, false)
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestBatchAnswerShapes(t *testing.T) {
	methods := map[string]string{"0": "user.current", "1": "im.recent.list", "a": "x.y"}
	cases := map[string]func(r *BatchResult) bool{
		// positional arrays (cmd keys "0","1" are a PHP list)
		`{"result":[{"ID":"1"},{"items":[]}],"result_error":[],"result_total":[0,-1],"result_next":[],"result_time":[]}`: func(r *BatchResult) bool {
			return r.Err("0") == nil && r.Err("1") == nil && r.Totals["1"] == -1 && errors.Is(r.Err("a"), ErrNotExecuted)
		},
		// everything empty
		`{"result":[],"result_error":[],"result_total":[],"result_next":[],"result_time":[]}`: func(r *BatchResult) bool {
			return errors.Is(r.Err("0"), ErrNotExecuted) && len(r.Results) == 0
		},
		// the ERROR_BATCH_LENGTH_EXCEEDED shape inside result_error, error as a bare string
		`{"result":{"0":true},"result_error":{"1":{"error":"ERROR_BATCH_LENGTH_EXCEEDED","error_description":"Max batch length exceeded"},"a":"WEIRD"}}`: func(r *BatchResult) bool {
			var e *Error
			return r.Err("0") == nil && errors.As(r.Err("1"), &e) && e.Code == "ERROR_BATCH_LENGTH_EXCEEDED" &&
				e.Method == "im.recent.list" && r.Errors["a"].Code == "WEIRD"
		},
		`[]`:   func(r *BatchResult) bool { return len(r.Results) == 0 },
		`null`: func(r *BatchResult) bool { return len(r.Errors) == 0 },
	}
	for in, check := range cases {
		r := &BatchResult{Keys: []string{"0", "1", "a"}, Methods: methods}
		if err := r.decode(json.RawMessage(in)); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if !check(r) {
			t.Errorf("%s → %+v", in, r)
		}
	}
}

func TestBatchLengthExceededWholeCall(t *testing.T) {
	p := newFakePortal(t, func(w http.ResponseWriter, r *http.Request, method string, n int) {
		writeJSON(w, 400, `{"error":"ERROR_BATCH_LENGTH_EXCEEDED","error_description":"Max batch length exceeded"}`)
	})
	c, _ := testClient(t, p.webhook())
	_, err := c.Batch(context.Background(), []BatchCommand{{Method: "user.current"}}, false)
	var e *Error
	if !errors.As(err, &e) || e.Code != "ERROR_BATCH_LENGTH_EXCEEDED" || e.HTTPStatus != 400 || p.count("batch") != 1 {
		t.Fatalf("err = %v, calls %d", err, p.count("batch"))
	}
}

func TestBatchRetryRules(t *testing.T) {
	for _, c := range []struct {
		name  string
		cmds  []BatchCommand
		calls int
		unk   bool
	}{
		{"reads only: resent", []BatchCommand{{Method: "user.current"}, {Method: "im.recent.list"}}, 2, false},
		{"with a write: never resent", []BatchCommand{{Method: "user.current"}, {Method: MethodUnpinAll}}, 1, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := newFakePortal(t, func(w http.ResponseWriter, r *http.Request, method string, n int) {
				if n == 0 {
					w.WriteHeader(502)
					return
				}
				writeJSON(w, 200, `{"result":{"result":[],"result_error":[]}}`)
			})
			cl, _ := testClient(t, p.webhook())
			_, err := cl.Batch(context.Background(), c.cmds, false)
			if (err != nil) != c.unk || errors.Is(err, ErrOutcomeUnknown) != c.unk {
				t.Errorf("err = %v", err)
			}
			if p.count("batch") != c.calls {
				t.Errorf("calls = %d, want %d", p.count("batch"), c.calls)
			}
		})
	}
}
