package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// A batch answer for a large list is tens of megabytes (10,000 sessions in
// the simulator: 26 MB). Reading it whole and decoding it in layers kept
// several copies alive at once, so the answer is decoded as it arrives
// instead: the envelope is walked token by token and each command's result
// is taken as one value, so that memory follows the largest single value
// (one page) rather than the whole answer.

// capReader reads at most limit bytes and remembers why reading stopped.
// Decoding as the answer arrives, it also bounds each JSON value: the
// decoder buffers a value whole, so a single value of the answer's full
// size would cost twice or thrice the limit while the buffer grows.
type capReader struct {
	r     io.Reader
	left  int64 // bytes still allowed; reading one more marks over
	over  bool  // the answer was longer than the limit
	err   error // the first read error other than io.EOF
	count int64 // bytes read

	valueMax   int64 // 0 = no limit per value
	valueStart int64 // input offset where the value being decoded began
	overValue  bool  // one value was longer than valueMax
}

var errOverCap = errors.New("answer over the size limit")

func newCapReader(r io.Reader, limit int64) *capReader { return &capReader{r: r, left: limit} }

func (c *capReader) Read(p []byte) (int, error) {
	if c.over {
		return 0, errOverCap
	}
	if c.valueMax > 0 && c.count-c.valueStart > c.valueMax {
		c.over, c.overValue = true, true
		return 0, errOverCap
	}
	if int64(len(p)) > c.left+1 {
		p = p[:c.left+1]
	}
	n, err := c.r.Read(p)
	c.count += int64(n)
	if int64(n) > c.left {
		c.over = true
		return int(c.left), errOverCap
	}
	c.left -= int64(n)
	if err != nil && err != io.EOF && c.err == nil {
		c.err = err
	}
	return n, err
}

// MaxValueBytes bounds one JSON value of an answer decoded as it arrives
// (an im.recent.list page of 200 items is well under 1 MiB).
const maxValueBytes = 8 << 20

// jsonStream is a decoder over an answer as it arrives; value decodes the
// next value with the per-value bound of its capReader.
type jsonStream struct {
	*json.Decoder
	r *capReader // nil: no bound
}

func newJSONStream(r io.Reader) *jsonStream {
	cr, _ := r.(*capReader)
	return &jsonStream{Decoder: json.NewDecoder(r), r: cr}
}

func (d *jsonStream) value(v any) error {
	if d.r != nil {
		d.r.valueStart = d.InputOffset()
	}
	return d.Decode(v)
}

// resultSink consumes the envelope's "result" value from dec: exactly one
// JSON value. It is called once per "result" key of the answer and must
// reset what an earlier call (or attempt) left.
type resultSink func(dec *jsonStream) error

// streamEnvelope decodes a success answer as it arrives. The result goes to
// sink; the rest of the envelope is read as decodeEnvelope reads it (keys
// matched case-insensitively, the last duplicate winning, nothing allowed
// after the object), so both give the same outcome for the same body: a
// fuzz target holds them to that. It returns a *Error or *bodyError for an
// envelope it could read; any other error means the answer stopped being
// JSON or could not be read, which the caller tells apart by its reader.
func streamEnvelope(status int, r io.Reader, sink resultSink) (*envelope, error) {
	dec := newJSONStream(r)
	if tok, err := dec.Token(); err != nil {
		return nil, err
	} else if tok != json.Delim('{') {
		return nil, errors.New("answer is not a JSON object")
	}
	var (
		hasResult   bool
		errRaw      *json.RawMessage
		desc        Text
		timing      Obj[rawTiming]
		total, next *Float
		skip        json.RawMessage
	)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		switch key, _ := tok.(string); {
		case strings.EqualFold(key, "result"):
			hasResult = true
			err = sink(dec)
		case strings.EqualFold(key, "error"):
			errRaw = nil
			err = dec.value(&errRaw)
		case strings.EqualFold(key, "error_description"):
			err = dec.value(&desc)
		case strings.EqualFold(key, "time"):
			err = dec.value(&timing)
		case strings.EqualFold(key, "total"):
			total = nil
			err = dec.value(&total)
		case strings.EqualFold(key, "next"):
			next = nil
			err = dec.value(&next)
		default:
			err = dec.value(&skip)
		}
		if err != nil {
			return nil, err
		}
	}
	if _, err := dec.Token(); err != nil { // '}'
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF { // nothing may follow, as for json.Unmarshal
		if err == nil {
			err = errors.New("data after the JSON object")
		}
		return nil, err
	}
	hasError := errRaw != nil
	code := ""
	if hasError {
		code = looseString(*errRaw)
	}
	switch {
	case code != "" || (hasError && (status >= 400 || !hasResult)):
		return nil, &Error{Code: code, Description: string(desc), HTTPStatus: status}
	case status >= 500:
		return nil, &bodyError{status, fmt.Sprintf("HTTP %d without a Bitrix24 error code", status), true}
	case status >= 400:
		return nil, &Error{HTTPStatus: status}
	case !hasResult:
		return nil, &bodyError{status, fmt.Sprintf("answer without a result (HTTP %d)", status), true}
	}
	env := &envelope{Time: timing.V.timing()}
	if total != nil {
		n := int64(*total)
		env.Total = &n
	}
	if next != nil {
		n := int64(*next)
		env.Next = &n
	}
	return env, nil
}

// rawSink keeps the result as it was sent, for callers that decode later.
func rawSink(dst *json.RawMessage) resultSink {
	return func(dec *jsonStream) error {
		*dst = nil
		return dec.value(dst)
	}
}

// pageSink takes some commands' results as they arrive instead of letting
// the batch keep them.
type pageSink interface {
	reset()                           // a new answer begins (an attempt may be repeated)
	page(key string) func(raw []byte) // nil: keep the result raw; raw is valid during the call only
}

// bytesValue hands a value's bytes, straight from the decoder's buffer, to
// fn: no copy of them is kept.
type bytesValue struct{ fn func([]byte) }

func (v bytesValue) UnmarshalJSON(b []byte) error {
	v.fn(b)
	return nil
}

// stream fills the result from a batch payload as it arrives. A command
// for which page returns a function has its result passed to it on arrival
// (its Results entry is then present but nil); the others keep their raw
// result. Sections come as objects keyed by command, as `[]` when empty, or
// as arrays by position; a payload that is not an object is an empty one.
func (r *BatchResult) stream(dec *jsonStream, page pageSink) error {
	r.Results = make(map[string]json.RawMessage)
	r.Errors = make(map[string]*Error)
	r.Totals = make(map[string]int64)
	r.Next = make(map[string]int64)
	r.Times = make(map[string]Timing)
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok != json.Delim('{') {
		return skipRest(dec, tok)
	}
	var skip json.RawMessage
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch key, _ := tok.(string); {
		case strings.EqualFold(key, "result"):
			err = r.streamResults(dec, page)
		case strings.EqualFold(key, "result_error"):
			var v Keyed[batchError]
			if err = dec.value(&v); err == nil {
				r.Errors = make(map[string]*Error)
				for _, e := range v {
					k := r.key(e.Key)
					r.Errors[k] = &Error{Method: r.Methods[k], Code: e.Value.Code, Description: e.Value.Description}
				}
			}
		case strings.EqualFold(key, "result_total"):
			var v Keyed[Float]
			if err = dec.value(&v); err == nil {
				r.Totals = make(map[string]int64)
				for _, e := range v {
					r.Totals[r.key(e.Key)] = int64(e.Value)
				}
			}
		case strings.EqualFold(key, "result_next"):
			var v Keyed[Float]
			if err = dec.value(&v); err == nil {
				r.Next = make(map[string]int64)
				for _, e := range v {
					r.Next[r.key(e.Key)] = int64(e.Value)
				}
			}
		case strings.EqualFold(key, "result_time"):
			var v Keyed[rawTiming]
			if err = dec.value(&v); err == nil {
				r.Times = make(map[string]Timing)
				for _, e := range v {
					r.Times[r.key(e.Key)] = e.Value.timing()
				}
			}
		default:
			err = dec.value(&skip)
		}
		if err != nil {
			return err
		}
	}
	_, err = dec.Token() // '}'
	return err
}

// streamResults reads the "result" section: per command, a raw result or a
// decoded page.
func (r *BatchResult) streamResults(dec *jsonStream, page pageSink) error {
	r.Results = make(map[string]json.RawMessage)
	if page != nil {
		page.reset()
	}
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	open, ok := tok.(json.Delim)
	if !ok || (open != '{' && open != '[') {
		return skipRest(dec, tok)
	}
	for i := 0; dec.More(); i++ {
		k := strconv.Itoa(i)
		if open == '{' {
			tok, err := dec.Token()
			if err != nil {
				return err
			}
			k, _ = tok.(string)
		}
		k = r.key(k)
		if page != nil {
			if fn := page.page(k); fn != nil {
				if err := dec.value(&bytesValue{fn}); err != nil {
					return err
				}
				r.Results[k] = nil
				continue
			}
		}
		var raw json.RawMessage
		if err := dec.value(&raw); err != nil {
			return err
		}
		r.Results[k] = raw
	}
	_, err = dec.Token() // '}' or ']'
	return err
}

// skipRest consumes the rest of a value whose first token was tok.
func skipRest(dec *jsonStream, tok json.Token) error {
	d, ok := tok.(json.Delim)
	if !ok || d == '}' || d == ']' {
		return nil
	}
	for depth := 1; depth > 0; {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		switch t {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
	}
	return nil
}
