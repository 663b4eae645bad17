package portalsim

import (
	"net/http"
	"slices"
	"strconv"
	"time"
)

// Fault is a failure the portal can be told to produce.
type Fault int

// The fault switches. Request-level faults hit the whole HTTP request, also
// when they were injected for a method that arrives inside a batch; the
// command-level ones (FaultOperatingLimit, FaultEmptyCode) hit only that
// command inside a batch and appear in its result_error.
const (
	FaultRateLimit      Fault = iota + 1 // 503 QUERY_LIMIT_EXCEEDED, nothing applied
	FaultOperatingLimit                  // 429 OPERATION_TIME_LIMIT, nothing applied
	FaultExpiredToken                    // 401 expired_token, nothing applied
	FaultEmptyCode                       // 400 {"error":"","error_description":""}, nothing applied
	FaultHTML502                         // 502 text/html page from a proxy, nothing applied
	FaultMalformedJSON                   // 200, the call applied, a PHP warning before the JSON
	FaultTruncated                       // 200, the call applied, body cut mid-JSON and the connection closed
	FaultSlow                            // waits SetSlow's duration (or until the caller gives up), then answers normally
	FaultDropBefore                      // connection closed without an answer; nothing applied
	FaultDropAfter                       // the call applied, then the connection closed without an answer
	FaultNoAuth                          // 401 NO_AUTH_FOUND, nothing applied
	FaultOverload                        // 503 OVERLOAD_LIMIT (blocked by support: must not be retried), nothing applied
	FaultInvalidToken                    // 401 invalid_token, nothing applied
	FaultHugeBody                        // 200, the call applied, then an answer of SetHugeSize bytes (default 100 MB) without a length
	faultCustom                          // InjectError's arbitrary answer
)

var faultNames = map[Fault]string{
	FaultRateLimit: "RateLimit", FaultOperatingLimit: "OperatingLimit", FaultExpiredToken: "ExpiredToken",
	FaultEmptyCode: "EmptyCode", FaultHTML502: "HTML502", FaultMalformedJSON: "MalformedJSON",
	FaultTruncated: "Truncated", FaultSlow: "Slow", FaultDropBefore: "DropBefore",
	FaultDropAfter: "DropAfter", FaultNoAuth: "NoAuth", FaultOverload: "Overload",
	FaultInvalidToken: "InvalidToken", FaultHugeBody: "HugeBody", faultCustom: "Error",
}

func (f Fault) String() string {
	if n, ok := faultNames[f]; ok {
		return n
	}
	return "Fault(" + strconv.Itoa(int(f)) + ")"
}

// immediate is the error answer of a fault that answers at once, or nil.
func (f Fault) immediate() *restError {
	switch f {
	case FaultRateLimit:
		return errQueryLimit
	case FaultOperatingLimit:
		return errOperatingLimit
	case FaultExpiredToken:
		return errExpired
	case FaultEmptyCode:
		return errEmpty
	case FaultNoAuth:
		return errNoAuth
	case FaultOverload:
		return errf(http.StatusServiceUnavailable, "OVERLOAD_LIMIT", "REST API is blocked due to overload.")
	case FaultInvalidToken:
		return errf(http.StatusUnauthorized, "invalid_token", "The access token provided is invalid.")
	}
	return nil
}

// commandLevel faults act per command inside a batch.
func (f Fault) commandLevel() bool {
	return f == FaultOperatingLimit || f == FaultEmptyCode || f == faultCustom
}

type faultRule struct {
	method string // normalised; "" = any
	fault  Fault
	times  int        // < 0 = until ClearFaults
	custom *restError // for InjectError
}

// answer is the error a triggered rule answers with, or nil.
func (r *faultRule) answer() *restError {
	if r.custom != nil {
		return r.custom
	}
	return r.fault.immediate()
}

// InjectFault makes the next `times` calls of method (case-insensitive; ""
// = any request) fail with f; times < 0 keeps it until ClearFaults. Rules
// fire in the order they were injected.
func (p *Portal) InjectFault(method string, f Fault, times int) {
	if times == 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.faults = append(p.faults, &faultRule{method: normMethod(method), fault: f, times: times})
}

// InjectError makes the next `times` calls of method answer with any error
// (for the rows of PROTOCOL §3.1 that have no switch of their own, such as
// insufficient_scope 403 or INTERNAL_SERVER_ERROR 500). Nothing is applied.
// Inside a batch it fails only the matching command, in result_error.
func (p *Portal) InjectError(method string, status int, code, description string, times int) {
	if times == 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.faults = append(p.faults, &faultRule{method: normMethod(method), fault: faultCustom, times: times,
		custom: errf(status, code, description)})
}

// ClearFaults removes every injected fault.
func (p *Portal) ClearFaults() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.faults = nil
}

// SetSlow sets how long FaultSlow waits (default 2 s).
func (p *Portal) SetSlow(d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.slow = d
}

// takeRequestFault finds and consumes the first rule that applies to this
// HTTP request. top is the request's method; methods also lists a batch's
// inner commands. The caller holds p.mu.
func (p *Portal) takeRequestFault(top string, methods []string) *faultRule {
	for _, r := range p.faults {
		match := r.method == "" || r.method == top ||
			(!r.fault.commandLevel() && slices.Contains(methods[1:], r.method))
		if match {
			p.consume(r)
			return r
		}
	}
	return nil
}

// takeCommandFault consumes a command-level rule for an inner batch command.
func (p *Portal) takeCommandFault(method string) *faultRule {
	for _, r := range p.faults {
		if r.method == method && r.fault.commandLevel() {
			p.consume(r)
			return r
		}
	}
	return nil
}

func (p *Portal) consume(r *faultRule) {
	if r.times < 0 {
		return
	}
	r.times--
	if r.times == 0 {
		p.faults = slices.DeleteFunc(p.faults, func(x *faultRule) bool { return x == r })
	}
}

// waitSlow sleeps for the slow duration; false when the request was
// cancelled first.
func (p *Portal) waitSlow(r *http.Request) bool {
	p.mu.Lock()
	d := p.slow
	p.mu.Unlock()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

const html502 = `<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>nginx</center>
</body>
</html>
`

func writeHTML502(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(http.StatusBadGateway)
	_, _ = w.Write([]byte(html502))
}

// dropConnection closes the TCP connection without writing an answer.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler) // HTTP/2 or a wrapped writer: abort the stream
}

// writeMalformed answers 200 with a PHP warning printed before the JSON, a
// classic way for a portal's answer to stop being JSON.
func (p *Portal) writeMalformed(w http.ResponseWriter, resp response) {
	body, ctype := p.encode(resp)
	warn := "<br />\n<b>Warning</b>:  Undefined array key \"LINES\" in <b>/home/bitrix/www/bitrix/modules/im/lib/recent.php</b> on line <b>1432</b><br />\n"
	w.Header().Set("Content-Type", ctype)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(append([]byte(warn), body...))
}

// writeTruncated declares the full length, sends half of the body and closes
// the connection, as when a proxy dies mid-answer.
func (p *Portal) writeTruncated(w http.ResponseWriter, resp response) {
	body, ctype := p.encode(resp)
	half := body[:len(body)/2]
	if hj, ok := w.(http.Hijacker); ok {
		conn, buf, err := hj.Hijack()
		if err == nil {
			_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: " + ctype + "\r\nContent-Length: " +
				strconv.Itoa(len(body)) + "\r\nConnection: close\r\n\r\n")
			_, _ = buf.Write(half)
			_ = buf.Flush()
			_ = conn.Close()
			return
		}
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(half)
	panic(http.ErrAbortHandler)
}
