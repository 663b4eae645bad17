package portalsim

import (
	"bytes"
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// batchCmd is one command of a batch (PROTOCOL §5).
type batchCmd struct {
	key    string // command ID (the position for a list)
	method string // normalised
	query  string // raw query string, placeholders not yet resolved
}

// parseBatch reads cmd (an object or a list of "method?query" strings).
// Length is checked here only in the refusing mode; see runBatch.
func parseBatch(prm params) ([]batchCmd, *restError) {
	var cmds []batchCmd
	add := func(key string, v any) {
		s := asString(v)
		m, q, _ := strings.Cut(s, "?")
		cmds = append(cmds, batchCmd{key: key, method: normMethod(m), query: q})
	}
	switch t := prm["cmd"].(type) {
	case *obj:
		for _, k := range t.keys {
			add(k, t.vals[k])
		}
	case []any:
		for i, v := range t {
			add(strconv.Itoa(i), v)
		}
	case nil:
	default:
		return nil, errf(http.StatusBadRequest, "ERROR_ARGUMENT", "cmd must be an object or an array of commands")
	}
	return cmds, nil
}

// section is one result_* object of a batch answer. Empty sections print as
// [], list-shaped batches print as arrays when the keys are exactly 0..n-1
// (what PHP's json_encode does), otherwise as objects in insertion order.
type section struct {
	keys   []string
	vals   map[string]any
	object bool // always print an object, even for keys 0..n-1
}

func newSection() *section { return &section{vals: map[string]any{}} }

func (s *section) set(k string, v any) {
	if _, has := s.vals[k]; !has {
		s.keys = append(s.keys, k)
	}
	s.vals[k] = v
}

func (s *section) MarshalJSON() ([]byte, error) {
	if len(s.keys) == 0 {
		return []byte("[]"), nil
	}
	list := !s.object
	for i, k := range s.keys {
		if !list {
			break
		}
		if k != strconv.Itoa(i) {
			list = false
			break
		}
	}
	var buf bytes.Buffer
	if list {
		buf.WriteByte('[')
	} else {
		buf.WriteByte('{')
	}
	for i, k := range s.keys {
		if i > 0 {
			buf.WriteByte(',')
		}
		if !list {
			kb, _ := json.Marshal(k)
			buf.Write(kb)
			buf.WriteByte(':')
		}
		vb, err := json.Marshal(s.vals[k])
		if err != nil {
			return nil, err
		}
		buf.Write(vb)
	}
	if list {
		buf.WriteByte(']')
	} else {
		buf.WriteByte('}')
	}
	return buf.Bytes(), nil
}

type batchResult struct {
	Result      *section `json:"result"`
	ResultError *section `json:"result_error"`
	ResultTotal *section `json:"result_total"`
	ResultNext  *section `json:"result_next"`
	ResultTime  *section `json:"result_time"`
}

// runBatch executes the commands in order. The caller holds p.mu.
func (p *Portal) runBatch(c *call, cmds []batchCmd, start time.Time) response {
	if len(cmds) > batchMax && !p.opts.BatchOverflowInline {
		return errResp(errf(http.StatusBadRequest, "ERROR_BATCH_LENGTH_EXCEEDED", "Max batch length exceeded"))
	}
	halt := truthy(c.params["halt"])
	res := batchResult{newSection(), newSection(), newSection(), newSection(), newSection()}
	done := map[string]any{}
	var cost float64
	for i, cmd := range cmds {
		var e *restError
		switch {
		case i >= batchMax:
			e = errf(http.StatusBadRequest, "ERROR_BATCH_LENGTH_EXCEEDED", "Max batch length exceeded")
		case cmd.method == "batch":
			e = errf(http.StatusMethodNotAllowed, "ERROR_BATCH_METHOD_NOT_ALLOWED", "Method is not allowed for batch usage")
		}
		if e == nil {
			if r := p.takeCommandFault(cmd.method); r != nil {
				e = r.answer()
			}
		}
		var out outcome
		var tb *timeJSON
		if e == nil {
			sub := &call{method: cmd.method, uid: c.uid, ident: c.ident, base: c.base, params: params{}}
			if err := mergeQuery(sub.params, resolvePlaceholders(cmd.query, done)); err != nil {
				e = errf(http.StatusBadRequest, "ERROR_ARGUMENT", err.Error())
			} else {
				out, tb = p.execute(sub, start, true)
				e = out.err
				cost += Cost(cmd.method)
			}
		}
		if e != nil {
			res.ResultError.set(cmd.key, errBody(e))
			if halt {
				break
			}
			continue
		}
		res.Result.set(cmd.key, out.result)
		done[cmd.key] = out.result
		res.ResultTime.set(cmd.key, tb)
		if out.total != nil {
			res.ResultTotal.set(cmd.key, *out.total)
		}
		if out.next != nil {
			res.ResultNext.set(cmd.key, *out.next)
		}
	}
	return response{status: http.StatusOK, body: envelope{Result: res, Time: p.timeBlock(start, cost, nil, false)}}
}

var placeholderRE = regexp.MustCompile(`\$result\[([^\]]+)\]((?:\[[^\]]*\])*)`)

// resolvePlaceholders replaces $result[cmd][field]… with earlier results;
// an unresolvable placeholder stays literal, as on a real portal.
func resolvePlaceholders(q string, done map[string]any) string {
	if !strings.Contains(q, "$result[") {
		return q
	}
	return placeholderRE.ReplaceAllStringFunc(q, func(m string) string {
		sub := placeholderRE.FindStringSubmatch(m)
		v, found := done[sub[1]]
		if !found {
			return m
		}
		for _, seg := range strings.Split(strings.Trim(sub[2], "[]"), "][") {
			if seg == "" {
				continue
			}
			v = walk(v, seg)
			if v == nil {
				return m
			}
		}
		s := scalarString(v)
		if s == "" {
			return m
		}
		return s
	})
}

// walk descends one level into a handler result by marshalling it to a
// generic tree; results are small, so the round trip is cheap enough.
func walk(v any, seg string) any {
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	var g any
	if json.Unmarshal(b, &g) != nil {
		return nil
	}
	switch t := g.(type) {
	case map[string]any:
		return t[seg]
	case []any:
		i, err := strconv.Atoi(seg)
		if err != nil || i < 0 || i >= len(t) {
			return nil
		}
		return t[i]
	}
	return nil
}

func scalarString(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case bool:
		if t {
			return "1"
		}
		return "0"
	case json.Number:
		return t.String()
	case int:
		return strconv.Itoa(t)
	case int64:
		return strconv.FormatInt(t, 10)
	}
	return ""
}
