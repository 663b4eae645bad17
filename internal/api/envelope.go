package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"time"
)

// Timing is the envelope's "time" object (PROTOCOL §2.1). Only the fields
// the client acts on are kept; the limiter fields may be absent (zero).
type Timing struct {
	Duration         float64   // seconds
	Processing       float64   // seconds
	Operating        float64   // seconds of this method's operating time in the window
	OperatingResetAt time.Time // zero when the portal sent none
}

type rawTiming struct {
	Duration         Float `json:"duration"`
	Processing       Float `json:"processing"`
	Operating        Float `json:"operating"`
	OperatingResetAt Float `json:"operating_reset_at"`
}

func (r rawTiming) timing() Timing {
	t := Timing{
		Duration:   float64(r.Duration),
		Processing: float64(r.Processing),
		Operating:  float64(r.Operating),
	}
	if s := float64(r.OperatingResetAt); s > 0 && s < math.MaxInt32*4 {
		t.OperatingResetAt = time.Unix(int64(s), 0)
	}
	return t
}

// envelope is a decoded successful answer.
type envelope struct {
	Result json.RawMessage
	Total  *int64 // nil when absent
	Next   *int64 // nil when absent
	Time   Timing
}

type rawEnvelope struct {
	Result           json.RawMessage  `json:"result"`
	Total            *Float           `json:"total"`
	Next             *Float           `json:"next"`
	Time             Obj[rawTiming]   `json:"time"`
	Error            *json.RawMessage `json:"error"`
	ErrorDescription Text             `json:"error_description"`
}

// bodyError is an answer that carries no usable Bitrix24 envelope. Ambiguous
// ones (5xx without a code, unreadable 2xx) may hide a call that ran.
type bodyError struct {
	status    int
	detail    string
	ambiguous bool
}

func (e *bodyError) Error() string { return e.detail }

func (e *bodyError) Is(target error) bool { return target == ErrBadAnswer }

// decodeEnvelope turns one HTTP answer into a success envelope, a portal
// *Error (Method left empty for the caller), or a *bodyError. It follows
// §2 and §10.5: an empty error code with HTTP ≥ 400 is a failure, never a
// success, and a 5xx without a code is ambiguous.
func decodeEnvelope(status int, body []byte) (*envelope, error) {
	var raw rawEnvelope
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '{' || json.Unmarshal(trimmed, &raw) != nil {
		return nil, notJSON(status)
	}
	hasError := raw.Error != nil
	code := ""
	if hasError {
		code = looseString(*raw.Error)
	}
	switch {
	case code != "" || (hasError && (status >= 400 || raw.Result == nil)):
		return nil, &Error{Code: code, Description: string(raw.ErrorDescription), HTTPStatus: status}
	case status >= 500:
		return nil, &bodyError{status, fmt.Sprintf("HTTP %d without a Bitrix24 error code", status), true}
	case status >= 400:
		return nil, &Error{HTTPStatus: status}
	case raw.Result == nil:
		return nil, &bodyError{status, fmt.Sprintf("answer without a result (HTTP %d)", status), true}
	}
	env := &envelope{Result: raw.Result, Time: raw.Time.V.timing()}
	if raw.Total != nil {
		n := int64(*raw.Total)
		env.Total = &n
	}
	if raw.Next != nil {
		n := int64(*raw.Next)
		env.Next = &n
	}
	return env, nil
}

func notJSON(status int) *bodyError {
	switch {
	case status >= 500:
		return &bodyError{status, fmt.Sprintf("HTTP %d without a Bitrix24 error code", status), true}
	case status >= 400:
		return &bodyError{status, fmt.Sprintf("HTTP %d with an answer that is not Bitrix24 JSON; is this a Bitrix24 portal address?", status), false}
	}
	return &bodyError{status, fmt.Sprintf("unreadable answer (HTTP %d, not JSON)", status), true}
}
