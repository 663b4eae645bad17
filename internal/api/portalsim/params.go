package portalsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// params is a decoded parameter tree. Values are *obj (an object, keys in
// the order they were sent), []any, string, json.Number, bool or nil.
type params map[string]any

// obj is an object that remembers the order of its keys: batch commands run
// in the order they were sent.
type obj struct {
	keys []string
	vals map[string]any
}

func (o *obj) get(k string) (any, bool) {
	v, ok := o.vals[k]
	return v, ok
}

// getCI reads a key case-insensitively.
func (o *obj) getCI(k string) (any, bool) {
	if v, ok := o.vals[k]; ok {
		return v, true
	}
	for _, key := range o.keys {
		if strings.EqualFold(key, k) {
			return o.vals[key], true
		}
	}
	return nil, false
}

// decodeOrdered decodes JSON keeping object key order and numbers exact.
func decodeOrdered(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	v, err := decodeValue(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("unexpected data after the JSON value")
	}
	return v, nil
}

func decodeValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			o := &obj{vals: map[string]any{}}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k, _ := kt.(string)
				v, err := decodeValue(dec)
				if err != nil {
					return nil, err
				}
				if _, dup := o.vals[k]; !dup {
					o.keys = append(o.keys, k)
				}
				o.vals[k] = v
			}
			_, err := dec.Token()
			return o, err
		case '[':
			list := []any{}
			for dec.More() {
				v, err := decodeValue(dec)
				if err != nil {
					return nil, err
				}
				list = append(list, v)
			}
			_, err := dec.Token()
			return list, err
		}
		return nil, fmt.Errorf("unexpected %v", t)
	default:
		return t, nil
	}
}

// maxBody bounds what the simulator reads from one request.
const maxBody = 8 << 20

// readParams merges the query string and the body (JSON, urlencoded or
// multipart form) the way PHP fills $_REQUEST: body values win.
func readParams(r *http.Request) (params, error) {
	p := params{}
	if err := mergeQuery(p, r.URL.RawQuery); err != nil {
		return nil, err
	}
	if r.Body == nil {
		return p, nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return nil, fmt.Errorf("reading the body: %w", err)
	}
	if len(body) > maxBody {
		return nil, fmt.Errorf("request body is larger than %d bytes", maxBody)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return p, nil
	}
	ct, ctParams, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case ct == "multipart/form-data":
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.Header.Set("Content-Type", mime.FormatMediaType(ct, ctParams))
		if err := r.ParseMultipartForm(maxBody); err != nil {
			return nil, fmt.Errorf("bad multipart body: %w", err)
		}
		mergeValues(p, r.MultipartForm.Value)
	case ct == "application/x-www-form-urlencoded":
		if err := mergeQuery(p, string(body)); err != nil {
			return nil, err
		}
	default:
		// JSON is the documented main path; also guess it for a missing type.
		trimmed := bytes.TrimSpace(body)
		if trimmed[0] != '{' && trimmed[0] != '[' {
			if err := mergeQuery(p, string(body)); err != nil {
				return nil, err
			}
			break
		}
		v, err := decodeOrdered(trimmed)
		if err != nil {
			return nil, fmt.Errorf("body is not valid JSON: %w", err)
		}
		switch t := v.(type) {
		case *obj:
			for _, k := range t.keys {
				p[k] = t.vals[k]
			}
		case []any:
			// PHP turns a top-level JSON list into an array keyed 0..n-1.
			for i, x := range t {
				p[strconv.Itoa(i)] = x
			}
		}
	}
	return p, nil
}

func mergeQuery(p params, raw string) error {
	if raw == "" {
		return nil
	}
	vals, err := url.ParseQuery(raw)
	if err != nil {
		return fmt.Errorf("bad query string: %w", err)
	}
	mergeOrdered(p, raw, vals)
	return nil
}

// mergeOrdered keeps the order the keys had in raw, so that `a[]=1&a[]=2`
// and `cmd[x]=…&cmd[y]=…` keep their order like PHP does.
func mergeOrdered(p params, raw string, vals url.Values) {
	var keys []string
	seen := map[string]bool{}
	for _, part := range strings.FieldsFunc(raw, func(r rune) bool { return r == '&' || r == ';' }) {
		k, _, _ := strings.Cut(part, "=")
		k, err := url.QueryUnescape(k)
		if err != nil || seen[k] {
			continue
		}
		seen[k] = true
		keys = append(keys, k)
	}
	for _, k := range keys {
		for _, v := range vals[k] {
			setBracket(p, k, v)
		}
	}
	finish(p)
}

func mergeValues(p params, vals map[string][]string) {
	keys := make([]string, 0, len(vals))
	for k := range vals {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range vals[k] {
			setBracket(p, k, v)
		}
	}
	finish(p)
}

// phpArray is an ordered PHP array under construction.
type phpArray struct {
	keys []string
	vals map[string]any
	next int
}

func newPHPArray() *phpArray { return &phpArray{vals: map[string]any{}} }

func (a *phpArray) set(k string, v any) {
	if k == "" {
		k = strconv.Itoa(a.next)
	}
	if n, err := strconv.Atoi(k); err == nil && n >= a.next {
		a.next = n + 1
	}
	if _, ok := a.vals[k]; !ok {
		a.keys = append(a.keys, k)
	}
	a.vals[k] = v
}

// setBracket stores v under a PHP-style key such as `A[B][]`.
func setBracket(p params, key, v string) {
	name, rest, nested := strings.Cut(key, "[")
	if !nested || name == "" {
		p[key] = v
		return
	}
	var path []string
	rest = "[" + rest
	for strings.HasPrefix(rest, "[") {
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			break
		}
		path = append(path, rest[1:end])
		rest = rest[end+1:]
	}
	root, ok := p[name].(*phpArray)
	if !ok {
		root = newPHPArray()
		p[name] = root
	}
	cur := root
	for i, seg := range path {
		if i == len(path)-1 {
			cur.set(seg, v)
			break
		}
		if seg == "" {
			seg = strconv.Itoa(cur.next)
		}
		child, ok := cur.vals[seg].(*phpArray)
		if !ok {
			child = newPHPArray()
			cur.set(seg, child)
		}
		cur = child
	}
}

// finish converts every *phpArray in p into []any (keys exactly 0..n-1 in
// order) or map[string]any, the way PHP's json_encode would see it.
func finish(p params) {
	for k, v := range p {
		p[k] = convertPHP(v)
	}
}

func convertPHP(v any) any {
	a, ok := v.(*phpArray)
	if !ok {
		return v
	}
	list := true
	for i, k := range a.keys {
		if k != strconv.Itoa(i) {
			list = false
			break
		}
	}
	if list {
		out := make([]any, len(a.keys))
		for i, k := range a.keys {
			out[i] = convertPHP(a.vals[k])
		}
		return out
	}
	out := &obj{keys: a.keys, vals: make(map[string]any, len(a.keys))}
	for _, k := range a.keys {
		out.vals[k] = convertPHP(a.vals[k])
	}
	return out
}

// lookup reads a key verbatim (handlers that need UPPER_CASE names).
func (p params) lookup(key string) (any, bool) {
	v, ok := p[key]
	return v, ok
}

// lookupCI reads a key case-insensitively (handlers that upper-case keys).
func (p params) lookupCI(key string) (any, bool) {
	if v, ok := p[key]; ok {
		return v, true
	}
	for k, v := range p {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return nil, false
}

// asInt converts a scalar the way PHP's (int) cast does for our purposes.
func asInt(v any) (int64, bool) {
	switch t := v.(type) {
	case json.Number:
		if n, err := t.Int64(); err == nil {
			return n, true
		}
		if f, err := t.Float64(); err == nil {
			return int64(f), true
		}
	case float64:
		return int64(t), true
	case int:
		return int64(t), true
	case int64:
		return t, true
	case string:
		s := strings.TrimSpace(t)
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return n, true
		}
	case bool:
		if t {
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

// asString converts a scalar to its PHP string form; arrays give "".
func asString(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case json.Number:
		return t.String()
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case bool:
		if t {
			return "1"
		}
		return ""
	}
	return ""
}

// truthy is PHP's loose truth for flags such as `halt` and Y/N switches.
func truthy(v any) bool {
	switch t := v.(type) {
	case nil:
		return false
	case bool:
		return t
	case string:
		s := strings.ToUpper(strings.TrimSpace(t))
		return s != "" && s != "0" && s != "N" && s != "FALSE"
	case json.Number:
		f, err := t.Float64()
		return err == nil && f != 0
	case float64:
		return t != 0
	}
	return true
}

// yes is true only for an explicit "Y" (case-insensitive) or boolean true.
func yes(v any) bool {
	switch t := v.(type) {
	case bool:
		return t
	case string:
		return strings.EqualFold(strings.TrimSpace(t), "Y")
	}
	return false
}
