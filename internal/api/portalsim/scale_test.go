package portalsim

import (
	"fmt"
	"strings"
	"testing"
)

// TestBatchPaging pages a large portal the way the client's Snapshot does:
// batches of up to 50 recent pages until a page says hasMore is false; every
// current session of the owner arrives. (10,000 sessions take two batches:
// closed sessions and repeated rows make about 10,900 raw rows; the race
// detector makes that slow, so the test uses 2,000 and the benchmark 10,000.)
func TestBatchPaging(t *testing.T) {
	const n = 2000
	s := newSim(t, Options{Sessions: 1})
	s.p.SetSessionCount(n)
	current := pageInBatches(t, s)
	if len(current) != n {
		t.Fatalf("%d current sessions listed, want %d", len(current), n)
	}
	if s.p.Requests() != 1 {
		t.Fatalf("%d requests for %d sessions, want 1", s.p.Requests(), n)
	}
}

func pageInBatches(t testing.TB, s *sim) map[string]bool {
	current := map[string]bool{}
	offset := 0
	for batches := 0; ; batches++ {
		if batches > 10 {
			t.Fatal("paging never ends")
		}
		cmd := map[string]any{}
		for i := range 50 {
			cmd[fmt.Sprintf("r%02d", i)] = fmt.Sprintf("im.recent.list?SKIP_DIALOG=Y&SKIP_CHAT=Y&SKIP_OPENLINES=N&LIMIT=200&OFFSET=%d", offset+i*200)
		}
		offset += 50 * 200
		a := s.call("batch", map[string]any{"cmd": cmd, "halt": 1})
		res := obj_(s.t, obj_(s.t, s.mustOK(a, "batch"))["result"])
		more := true
		for i := 0; i < 50 && more; i++ {
			page := obj_(s.t, res[fmt.Sprintf("r%02d", i)])
			for _, it := range list(s.t, page["items"]) {
				m := obj_(s.t, it)
				ln := obj_(s.t, m["lines"])
				if num(s.t, obj_(s.t, m["chat"])["owner"]) == s.p.UserID() && num(s.t, ln["status"]) < 60 {
					current[m["id"].(string)] = true
				}
			}
			more = page["hasMore"] == true
		}
		if !more {
			return current
		}
	}
}

func BenchmarkSeed10k(b *testing.B) {
	for b.Loop() {
		New(Options{Sessions: 10000})
	}
}

// BenchmarkPage10k reads 10,000 current sessions over HTTP in batches.
func BenchmarkPage10k(b *testing.B) {
	s := newSim(b, Options{Sessions: 10000})
	for b.Loop() {
		if got := len(pageInBatches(b, s)); got != 10000 {
			b.Fatalf("%d sessions", got)
		}
	}
	b.ReportMetric(float64(s.p.Requests())/float64(b.N), "requests/op")
}

func BenchmarkRecentPage200(b *testing.B) {
	p := New(Options{Sessions: 10000, Rate: -1})
	c := &call{method: "im.recent.list", uid: 1, params: params{"LIMIT": "200", "OFFSET": "4000", "SKIP_DIALOG": "Y", "SKIP_CHAT": "Y"}}
	for b.Loop() {
		p.mu.Lock()
		out := imRecentList(p, c)
		p.mu.Unlock()
		body, _ := p.encode(response{status: 200, body: envelope{Result: out.result}})
		b.SetBytes(int64(len(body)))
	}
}

func FuzzReadQuery(f *testing.F) {
	for _, seed := range []string{
		"PARAMS[select][]=ID&PARAMS[select][]=LINE_NAME",
		"FILTER[ACTIVE]=true&select[]=ID&select[]=NAME",
		"cmd[me]=user.current&cmd[r]=im.recent.list%3FLIMIT%3D200&halt=1",
		"a[b][c][]=1&a[b][c][]=2&a[b][d]=x",
		"a[]=1&a[5]=2&a[]=3",
		"a[=1&]=2&[x]=3&a]b=4",
		"a=1&a[b]=2",
		"%zz=1",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		p := params{}
		if err := mergeQuery(p, raw); err != nil {
			return
		}
		// Whatever arrived must be a tree of the documented value kinds.
		var walkTree func(v any)
		walkTree = func(v any) {
			switch x := v.(type) {
			case string:
			case []any:
				for _, e := range x {
					walkTree(e)
				}
			case *obj:
				if len(x.keys) != len(x.vals) {
					t.Fatalf("obj keys %v vals %d", x.keys, len(x.vals))
				}
				for _, k := range x.keys {
					walkTree(x.vals[k])
				}
			default:
				t.Fatalf("unexpected %T in %q", v, raw)
			}
		}
		for _, v := range p {
			walkTree(v)
		}
	})
}

func FuzzDecodeOrdered(f *testing.F) {
	for _, seed := range []string{
		`{"halt":0,"cmd":{"me":"user.current","recent":"im.recent.list?LIMIT=200"}}`,
		`{"CHAT_ID":2043,"ACTIVATE":"N"}`,
		`{"PARAMS":{"select":["ID","LINE_NAME","ACTIVE"]}}`,
		`[1,2,{"a":null}]`,
		`{"a":1,"a":2}`,
		`{"x":1e400}`,
		`{"broken":`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := decodeOrdered([]byte(raw))
		if err != nil {
			return
		}
		if o, isObj := v.(*obj); isObj {
			seen := map[string]bool{}
			for _, k := range o.keys {
				if seen[k] {
					t.Fatalf("duplicate key %q kept twice", k)
				}
				seen[k] = true
			}
		}
	})
}

func FuzzBatchPlaceholders(f *testing.F) {
	f.Add("CHAT_ID=$result[d][id]&X=$result[d][chat][0][id]")
	f.Add("$result[]&$result[x][")
	f.Fuzz(func(t *testing.T, q string) {
		done := map[string]any{"d": map[string]any{"id": 5, "chat": []any{map[string]any{"id": "7"}}}}
		out := resolvePlaceholders(q, done)
		if !strings.Contains(q, "$result[") && out != q {
			t.Fatalf("changed a query without placeholders: %q → %q", q, out)
		}
	})
}
