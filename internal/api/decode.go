package api

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The portal's JSON is loose (PROTOCOL §12): IDs come as numbers or numeric
// strings, booleans as true/false or "Y"/"N", objects as `[]` or `false` when
// empty, and maps keyed by numeric strings. The types below accept every
// shape seen in the docs and never fail on a shape they do not expect: an
// odd field becomes its zero value instead of losing the whole page.

// ID is an integer identifier sent as a JSON number or a numeric string
// (§12.1). "", null, false and anything non-numeric decode as 0 (unknown).
type ID int64

// UnmarshalJSON implements json.Unmarshaler; it never fails.
func (id *ID) UnmarshalJSON(b []byte) error {
	*id = ID(looseInt(b))
	return nil
}

// Float is a number that may be printed as an integer, a float or a numeric
// string (§12.7). Anything else decodes as 0.
type Float float64

// UnmarshalJSON implements json.Unmarshaler; it never fails.
func (f *Float) UnmarshalJSON(b []byte) error {
	*f = Float(looseFloat(b))
	return nil
}

// Bool accepts true/false, "Y"/"N", "1"/"0", 1/0 and "true"/"false"
// (§12.10). Anything else decodes as false.
type Bool bool

// UnmarshalJSON implements json.Unmarshaler; it never fails.
func (v *Bool) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch string(b) {
	case "true", "1", `"Y"`, `"y"`, `"1"`, `"true"`:
		*v = true
	default:
		*v = false
	}
	return nil
}

// Text is a string field that may arrive as a number, false or null.
// Numbers keep their literal text; other non-strings decode as "".
type Text string

// UnmarshalJSON implements json.Unmarshaler; it never fails.
func (t *Text) UnmarshalJSON(b []byte) error {
	*t = Text(looseString(b))
	return nil
}

// Date is a timestamp sent as ISO-8601 with an offset, as the portal's
// "2006-01-02 15:04:05", or as unix seconds (§12.8). Anything else, and 0,
// decode as the zero time.
type Date time.Time

// Time returns the timestamp as a time.Time.
func (d Date) Time() time.Time { return time.Time(d) }

// UnmarshalJSON implements json.Unmarshaler; it never fails.
func (d *Date) UnmarshalJSON(b []byte) error {
	*d = Date(looseTime(b))
	return nil
}

var dateLayouts = []string{time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02"}

func looseTime(b []byte) time.Time {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return time.Time{}
	}
	if b[0] != '"' {
		if sec := looseInt(b); sec > 0 {
			return time.Unix(sec, 0)
		}
		return time.Time{}
	}
	s := looseString(b)
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	if sec, err := strconv.ParseInt(s, 10, 64); err == nil && sec > 0 {
		return time.Unix(sec, 0)
	}
	return time.Time{}
}

// Obj holds an object that the portal may replace by false, null, [] or a
// string when it has nothing to say (§12.3, §12.13). OK reports whether an
// object was there.
type Obj[T any] struct {
	V  T
	OK bool
}

// UnmarshalJSON implements json.Unmarshaler; non-objects give the zero value.
func (o *Obj[T]) UnmarshalJSON(b []byte) error {
	*o = Obj[T]{}
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '{' {
		return nil
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return nil // a malformed inner object is treated as absent
	}
	o.V, o.OK = v, true
	return nil
}

// Entry is one key/value pair of a Keyed collection.
type Entry[V any] struct {
	Key   string
	Value V
}

// Keyed is a collection the portal sends either as an object keyed by
// (usually numeric) strings or as an array, with `[]`, null or false when
// empty (§12.5, §12.6). Entries keep the order of the document; array
// elements get their index as key. Values that do not decode into V are
// skipped, so one odd entry never loses the others.
type Keyed[V any] []Entry[V]

// UnmarshalJSON implements json.Unmarshaler.
func (k *Keyed[V]) UnmarshalJSON(b []byte) error {
	*k = nil
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return nil
	}
	switch b[0] {
	case '[':
		var items []json.RawMessage
		if err := json.Unmarshal(b, &items); err != nil {
			return err
		}
		for i, raw := range items {
			k.add(strconv.Itoa(i), raw)
		}
	case '{':
		return walkObject(b, func(key string, raw json.RawMessage) { k.add(key, raw) })
	}
	return nil
}

func (k *Keyed[V]) add(key string, raw json.RawMessage) {
	var v V
	if r, ok := any(&v).(*json.RawMessage); ok {
		*r = raw // already a complete, valid value: no second decode
	} else if err := json.Unmarshal(raw, &v); err != nil {
		return
	}
	*k = append(*k, Entry[V]{Key: key, Value: v})
}

// Get returns the value for key and whether it was present.
func (k Keyed[V]) Get(key string) (V, bool) {
	for _, e := range k {
		if e.Key == key {
			return e.Value, true
		}
	}
	var zero V
	return zero, false
}

// walkObject calls fn for each member of a JSON object in document order.
func walkObject(b []byte, fn func(key string, raw json.RawMessage)) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil { // '{'
		return err
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return err
		}
		fn(key, raw)
	}
	return nil
}

func looseString(b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return ""
	}
	switch c := b[0]; {
	case c == '"':
		if len(b) >= 2 && bytes.IndexByte(b[1:len(b)-1], '\\') < 0 && utf8.Valid(b) {
			return string(b[1 : len(b)-1])
		}
		var s string
		if json.Unmarshal(b, &s) != nil {
			return ""
		}
		return s
	case c == '-' || (c >= '0' && c <= '9'):
		return string(b)
	}
	return ""
}

func looseInt(b []byte) int64 {
	s := strings.TrimSpace(looseString(b))
	if s == "" {
		return 0
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<62 {
		return 0
	}
	return int64(f)
}

func looseFloat(b []byte) float64 {
	f, err := strconv.ParseFloat(strings.TrimSpace(looseString(b)), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0
	}
	return f
}
