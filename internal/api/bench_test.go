package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
)

// recentPage200 builds a 200-item im.recent.list answer from the documented
// item, with distinct IDs.
func recentPage200(b *testing.B) []byte {
	env, err := decodeEnvelope(200, readTestdata(b, "doc_recent_list_lines.json"))
	if err != nil {
		b.Fatal(err)
	}
	items, _, _ := decodeRecentPage(env.Result, pageLimit)
	var buf bytes.Buffer
	buf.WriteString(`{"result":{"items":[`)
	for i := range 200 {
		if i > 0 {
			buf.WriteByte(',')
		}
		it := bytes.ReplaceAll(items[i%2], []byte("1777"), []byte(fmt.Sprint(10000+i)))
		it = bytes.ReplaceAll(it, []byte("1801"), []byte(fmt.Sprint(10000+i)))
		buf.Write(it)
	}
	buf.WriteString(`],"hasMore":true,"hasMorePages":true,"copilot":null},"total":-1,"time":{"start":1772089843,"operating":0.26}}`)
	return buf.Bytes()
}

// BenchmarkDecodeRecentPage200 decodes one 200-item answer the way a
// refresh does: streamed, the page handed to the listing on arrival.
func BenchmarkDecodeRecentPage200(b *testing.B) {
	body := recentPage200(b)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		l := newListing(200, nil, nil)
		l.reset()
		_, err := streamEnvelope(200, bytes.NewReader(body), func(dec *jsonStream) error {
			return dec.value(&bytesValue{l.page("page0")})
		})
		if err != nil {
			b.Fatal(err)
		}
		res := &BatchResult{Methods: map[string]string{"page0": MethodRecentList}, Results: map[string]json.RawMessage{"page0": nil}}
		if _, err := l.add(res, []BatchCommand{{Key: "page0", Method: MethodRecentList}}); err != nil || len(l.sessions) != 200 {
			b.Fatalf("%v, %d sessions", err, len(l.sessions))
		}
	}
}

func BenchmarkDecodeRecentItem(b *testing.B) {
	body := recentPage200(b)
	var p struct {
		Result struct{ Items []json.RawMessage }
	}
	if err := json.Unmarshal(body, &p); err != nil {
		b.Fatal(err)
	}
	item := p.Result.Items[0]
	b.ReportAllocs()
	for b.Loop() {
		if _, ok, err := DecodeRecentItem(item); !ok || err != nil {
			b.Fatal(err)
		}
	}
}
