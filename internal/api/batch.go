package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// MaxBatch is the most commands one batch may carry (PROTOCOL §5).
const MaxBatch = 50

// BatchCommand is one call inside a batch.
type BatchCommand struct {
	Key    string // command ID, letters/digits/underscore; "" = "cmd<index>"
	Method string
	Params any // encodes to a JSON object; sent PHP-style (A[B][]=c) in the cmd string
}

// BatchResult holds per-command outcomes. A command absent from both
// Results and Errors did not run (halt stopped the batch before it).
type BatchResult struct {
	Keys    []string                   // command keys in the order sent
	Methods map[string]string          // key → method
	Results map[string]json.RawMessage // key → result of commands that succeeded
	Errors  map[string]*Error          // key → error of commands that failed
	Totals  map[string]int64           // key → total, for list methods that report one
	Next    map[string]int64           // key → next, for list methods with another page
	Times   map[string]Timing          // key → the command's time object
}

// Err is the command's error: its *Error, ErrNotExecuted when it did not
// run, or nil when it succeeded.
func (r *BatchResult) Err(key string) error {
	if e, ok := r.Errors[key]; ok {
		return e
	}
	if _, ok := r.Results[key]; !ok {
		return fmt.Errorf("%s (command %q): %w", r.Methods[key], key, ErrNotExecuted)
	}
	return nil
}

// Decode decodes the command's result into out, or returns Err(key).
func (r *BatchResult) Decode(key string, out any) error {
	if err := r.Err(key); err != nil {
		return err
	}
	return decodeResult(r.Methods[key], r.Results[key], out)
}

var batchKey = regexp.MustCompile(`^[A-Za-z0-9_]+$`)

// Batch runs up to MaxBatch commands in one HTTP request. It is retried
// whole only when nothing can have run (rate limit, expired token) or when
// every command is a read; a batch with a write that fails ambiguously
// returns an error wrapping ErrOutcomeUnknown. With halt the portal stops
// at the first failing command.
func (c *Client) Batch(ctx context.Context, cmds []BatchCommand, halt bool) (*BatchResult, error) {
	return c.batch(ctx, cmds, halt, nil)
}

func (c *Client) batch(ctx context.Context, cmds []BatchCommand, halt bool, count *int) (*BatchResult, error) {
	return c.batchStream(ctx, cmds, halt, count, nil)
}

// batchStream runs a batch whose answer is decoded as it arrives; results
// that page wants are handed to it on the way instead of being kept.
func (c *Client) batchStream(ctx context.Context, cmds []BatchCommand, halt bool, count *int, page pageSink) (*BatchResult, error) {
	res, body, read, err := prepareBatch(cmds, halt)
	if err != nil {
		return nil, err
	}
	_, err = c.do(ctx, &request{
		method: "batch",
		read:   read,
		body:   func(auth string) ([]byte, error) { return withAuth(body, auth), nil },
		count:  count,
		sink:   func(dec *jsonStream) error { return res.stream(dec, page) },
	})
	if err != nil {
		return nil, err
	}
	for key, t := range res.Times {
		c.resets.note(res.Methods[key], t)
	}
	return res, nil
}

// prepareBatch validates the commands and encodes the request body.
func prepareBatch(cmds []BatchCommand, halt bool) (*BatchResult, []byte, bool, error) {
	switch {
	case len(cmds) == 0:
		return nil, nil, false, errors.New("batch: no commands")
	case len(cmds) > MaxBatch:
		return nil, nil, false, fmt.Errorf("batch: %d commands, but at most %d fit in one batch; split them", len(cmds), MaxBatch)
	}
	res := &BatchResult{Methods: make(map[string]string, len(cmds))}
	read := true
	var buf bytes.Buffer
	buf.WriteString(`{"halt":`)
	buf.WriteString(map[bool]string{true: "1", false: "0"}[halt])
	buf.WriteString(`,"cmd":{`)
	for i, cmd := range cmds {
		key, line, err := encodeCommand(i, cmd)
		if err != nil {
			return nil, nil, false, err
		}
		if _, dup := res.Methods[key]; dup {
			return nil, nil, false, fmt.Errorf("batch: command key %q used twice", key)
		}
		res.Keys = append(res.Keys, key)
		res.Methods[key] = cmd.Method
		read = read && isRead(cmd.Method)
		if i > 0 {
			buf.WriteByte(',')
		}
		k, _ := json.Marshal(key)
		v, _ := json.Marshal(line)
		buf.Write(k)
		buf.WriteByte(':')
		buf.Write(v)
	}
	buf.WriteString("}}")
	return res, buf.Bytes(), read, nil
}

// encodeCommand gives the command's key and its "method?query" string.
func encodeCommand(i int, cmd BatchCommand) (string, string, error) {
	key := cmd.Key
	if key == "" {
		key = "cmd" + strconv.Itoa(i)
	}
	switch {
	case !batchKey.MatchString(key):
		return "", "", fmt.Errorf("batch: command key %q may hold only letters, digits and '_'", key)
	case !methodName.MatchString(cmd.Method):
		return "", "", fmt.Errorf("batch: invalid REST method name %q", cmd.Method)
	case strings.EqualFold(cmd.Method, "batch"):
		return "", "", errors.New("batch: a batch cannot contain another batch")
	}
	q, err := PHPQuery(cmd.Params)
	if err != nil {
		return "", "", fmt.Errorf("batch: %s: %w", cmd.Method, err)
	}
	if q == "" {
		return key, cmd.Method, nil
	}
	return key, cmd.Method + "?" + q, nil
}

// batchError is one entry of result_error: normally {error,
// error_description}, tolerated as a bare string.
type batchError struct {
	Code, Description string
}

func (b *batchError) UnmarshalJSON(data []byte) error {
	var obj struct {
		Error            Text `json:"error"`
		ErrorDescription Text `json:"error_description"`
	}
	if len(bytes.TrimSpace(data)) > 0 && bytes.TrimSpace(data)[0] == '{' {
		if err := json.Unmarshal(data, &obj); err != nil {
			return err
		}
		b.Code, b.Description = string(obj.Error), string(obj.ErrorDescription)
		return nil
	}
	b.Code = looseString(data)
	return nil
}

// decode fills the per-command maps from a batch's raw result, as stream
// does from an answer on its way in.
func (r *BatchResult) decode(raw json.RawMessage) error {
	if err := r.stream(newJSONStream(bytes.NewReader(raw)), nil); err != nil {
		return fmt.Errorf("batch: unreadable result: %v", err)
	}
	return nil
}

// key maps a section key to a command key: sections of a batch sent as an
// object use the command keys; positional arrays use indexes.
func (r *BatchResult) key(k string) string {
	if _, ok := r.Methods[k]; ok {
		return k
	}
	if i, err := strconv.Atoi(k); err == nil && i >= 0 && i < len(r.Keys) {
		return r.Keys[i]
	}
	return k
}

// PHPQuery encodes params (anything that encodes to a JSON object) as a
// PHP-style query string: nested objects as A[B]=c, lists of scalars as
// A[]=c, lists of objects as A[0][B]=c. Keys are sorted; booleans become
// 1/0 (PHP's truthiness), null an empty value.
func PHPQuery(params any) (string, error) {
	if params == nil {
		return "", nil
	}
	b, err := json.Marshal(params)
	if err != nil {
		return "", fmt.Errorf("cannot encode parameters: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return "", fmt.Errorf("cannot encode parameters: %v", err)
	}
	if v == nil {
		return "", nil
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return "", errors.New("parameters must encode to a JSON object")
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(obj)) {
		parts = phpAppend(parts, url.QueryEscape(k), obj[k])
	}
	return strings.Join(parts, "&"), nil
}

func phpAppend(parts []string, name string, v any) []string {
	switch v := v.(type) {
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(v)) {
			parts = phpAppend(parts, name+"["+url.QueryEscape(k)+"]", v[k])
		}
	case []any:
		for i, e := range v {
			switch e.(type) {
			case map[string]any, []any:
				parts = phpAppend(parts, name+"["+strconv.Itoa(i)+"]", e)
			default:
				parts = phpAppend(parts, name+"[]", e)
			}
		}
	case string:
		parts = append(parts, name+"="+url.QueryEscape(v))
	case json.Number:
		parts = append(parts, name+"="+v.String())
	case bool:
		parts = append(parts, name+"="+map[bool]string{true: "1", false: "0"}[v])
	default: // nil
		parts = append(parts, name+"=")
	}
	return parts
}
