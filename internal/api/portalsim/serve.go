package portalsim

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// restError is a Bitrix24 error answer (PROTOCOL §2.2).
type restError struct {
	status int
	code   string
	desc   string
}

func errf(status int, code, desc string) *restError {
	return &restError{status: status, code: code, desc: desc}
}

var (
	errNoAuth         = errf(http.StatusUnauthorized, "NO_AUTH_FOUND", "Wrong authorization data")
	errExpired        = errf(http.StatusUnauthorized, "expired_token", "The access token provided has expired.")
	errQueryLimit     = errf(http.StatusServiceUnavailable, "QUERY_LIMIT_EXCEEDED", "Too many requests")
	errOperatingLimit = errf(http.StatusTooManyRequests, "OPERATION_TIME_LIMIT", "Method is blocked due to operation time limit.")
	errEmpty          = errf(http.StatusBadRequest, "", "")
	errMethodNotFound = errf(http.StatusNotFound, "ERROR_METHOD_NOT_FOUND", "Method not found!")
)

// call is one REST method invocation, top level or inside a batch.
type call struct {
	method string // lower-case, no suffix
	params params
	uid    int64  // the calling user
	ident  string // who is metered for operating time (webhook or app)
	base   string // scheme://host of this server as the caller sees it
}

// outcome is what a handler produced.
type outcome struct {
	result any
	total  *int
	next   *int
	err    *restError
}

func ok(v any) outcome          { return outcome{result: v} }
func fail(e *restError) outcome { return outcome{err: e} }

// timeJSON is the envelope's time object (PROTOCOL §2.1).
type timeJSON struct {
	Start            float64  `json:"start"`
	Finish           float64  `json:"finish"`
	Duration         float64  `json:"duration"`
	Processing       float64  `json:"processing"`
	DateStart        string   `json:"date_start"`
	DateFinish       string   `json:"date_finish"`
	OperatingResetAt *int64   `json:"operating_reset_at,omitempty"`
	Operating        *float64 `json:"operating,omitempty"`
}

type envelope struct {
	Result any       `json:"result"`
	Total  *int      `json:"total,omitempty"`
	Next   *int      `json:"next,omitempty"`
	Time   *timeJSON `json:"time,omitempty"`
}

type errorBody struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

// response is a fully built answer, written after the lock is released.
type response struct {
	status int
	body   any
	xml    bool
}

// incoming is one parsed REST request.
type incoming struct {
	r        *http.Request
	start    time.Time
	method   string // lower-case, suffix removed
	xml      bool
	webhook  bool
	hookUser string
	hookCode string
	token    string // OAuth `auth`
	prm      params
	perr     error // the parameters could not be read
	inner    []batchCmd
	batchErr *restError
}

// parseIncoming splits /rest/[USER/CODE/]METHOD[.json|.xml] and reads the
// parameters; ok is false when the path has no method.
func (p *Portal) parseIncoming(r *http.Request) (in incoming, ok bool) {
	in = incoming{r: r, start: p.now()}
	segs := strings.Split(strings.Trim(strings.TrimPrefix(r.URL.Path, "/rest/"), "/"), "/")
	switch len(segs) {
	case 1:
		in.method = segs[0]
	case 3:
		in.hookUser, in.hookCode, in.method, in.webhook = segs[0], segs[1], segs[2], true
	default:
		return in, false
	}
	in.method = strings.ToLower(in.method)
	switch {
	case strings.HasSuffix(in.method, ".json"):
		in.method = strings.TrimSuffix(in.method, ".json")
	case strings.HasSuffix(in.method, ".xml"):
		in.method, in.xml = strings.TrimSuffix(in.method, ".xml"), true
	}
	in.prm, in.perr = readParams(r)
	if in.prm != nil {
		in.token = asString(in.prm["auth"])
		delete(in.prm, "auth")
	}
	if in.method == "batch" && in.perr == nil {
		in.inner, in.batchErr = parseBatch(in.prm)
	}
	return in, true
}

func (p *Portal) serveREST(w http.ResponseWriter, r *http.Request) {
	in, routed := p.parseIncoming(r)
	p.mu.Lock()
	p.requests++
	if !routed {
		p.mu.Unlock()
		p.write(w, errResp(errMethodNotFound))
		return
	}
	p.seq++
	methods := []string{in.method}
	for _, c := range in.inner {
		methods = append(methods, c.method)
	}
	for _, m := range methods {
		p.calls[m]++
	}
	rule := p.takeRequestFault(in.method, methods)
	p.mu.Unlock()

	var fault Fault
	if rule != nil {
		fault = rule.fault
	}
	if fault == FaultSlow {
		if !p.waitSlow(r) {
			return // the caller went away; nothing was applied
		}
		fault = 0
	}
	if fault != 0 {
		if e := rule.answer(); e != nil {
			p.write(w, response{status: e.status, body: errBody(e), xml: in.xml})
			return
		}
	}
	switch fault {
	case FaultHTML502:
		writeHTML502(w)
		return
	case FaultDropBefore:
		dropConnection(w)
		return
	}

	resp := p.handle(in)
	resp.xml = in.xml
	switch fault {
	case FaultDropAfter:
		dropConnection(w)
	case FaultMalformedJSON:
		p.writeMalformed(w, resp)
	case FaultTruncated:
		p.writeTruncated(w, resp)
	case FaultHugeBody:
		p.writeHuge(w)
	default:
		p.write(w, resp)
	}
}

// handle runs the call under the lock: bucket, auth, method, operating time.
func (p *Portal) handle(in incoming) response {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bucket != nil && !p.bucket.AllowN(in.start, 1) {
		return errResp(errQueryLimit)
	}
	c := &call{method: in.method, params: in.prm, uid: p.uid, base: requestBase(in.r)}
	if in.webhook {
		if in.hookUser != strconv.FormatInt(p.uid, 10) || in.hookCode != p.code {
			return errResp(errNoAuth)
		}
		c.ident = "webhook:" + in.hookUser
	} else {
		if e := p.checkToken(in.token); e != nil {
			return errResp(e)
		}
		c.ident = "app:" + p.oauth.clientID
	}
	if in.perr != nil {
		return errResp(errf(http.StatusBadRequest, "ERROR_ARGUMENT", in.perr.Error()))
	}
	if in.method == "batch" {
		if in.batchErr != nil {
			return errResp(in.batchErr)
		}
		return p.runBatch(c, in.inner, in.start)
	}
	out, tb := p.execute(c, in.start, true)
	if out.err != nil {
		return errResp(out.err)
	}
	return response{status: http.StatusOK, body: envelope{Result: out.result, Total: out.total, Next: out.next, Time: tb}}
}

// execute runs one method with operating-time accounting. The caller holds
// p.mu. meterFields says whether the time block carries operating fields.
func (p *Portal) execute(c *call, start time.Time, meterFields bool) (outcome, *timeJSON) {
	h, found := handlers[c.method]
	if !found {
		return fail(errMethodNotFound), nil
	}
	if e := p.scopeError(c.method); e != nil {
		return fail(e), nil
	}
	m := p.meter(c.ident, c.method)
	m.trim(start)
	if p.opLimit > 0 && m.total() > p.opLimit {
		return fail(errOperatingLimit), nil
	}
	p.executed[c.method]++
	out := h(p, c)
	cost := Cost(c.method)
	if cost > 0 {
		m.add(start, cost)
	}
	if out.err != nil {
		return out, nil
	}
	return out, p.timeBlock(start, cost, m, meterFields)
}

func (p *Portal) timeBlock(start time.Time, cost float64, m *opMeter, meterFields bool) *timeJSON {
	st := float64(start.UnixMicro()) / 1e6
	if start.Nanosecond() == 0 {
		// A clock at whole seconds (a test clock): invent the microseconds
		// a real portal would print, so start still looks like a float.
		st += float64(123457+p.seq*7919%800000) / 1e6
	}
	processing := cost
	if p.seq%3 == 0 {
		// Portals sometimes print start as a whole number with processing 0.
		st, processing = float64(start.Unix()), 0
	}
	dur := cost + 0.0021 + float64(p.seq%7)*0.0113
	finish := st + dur
	finishT := time.UnixMicro(int64(finish * 1e6))
	tb := &timeJSON{
		Start: st, Finish: finish, Duration: finish - st, Processing: processing,
		DateStart: p.formatDate(start), DateFinish: p.formatDate(finishT),
	}
	if meterFields && m != nil {
		op := m.total()
		tb.Operating = &op
		if at, has := m.resetAt(); has {
			u := at.Unix()
			tb.OperatingResetAt = &u
		}
	}
	return tb
}

func requestBase(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func errBody(e *restError) errorBody { return errorBody{Error: e.code, Description: e.desc} }

func errResp(e *restError) response { return response{status: e.status, body: errBody(e)} }

// encode renders a response body: PHP-style JSON (non-ASCII as \uXXXX and
// "/" as "\/", as the portal's json_encode does) or XML.
func (p *Portal) encode(resp response) ([]byte, string) {
	if resp.xml {
		return encodeXML(resp.body), "text/xml; charset=utf-8"
	}
	b, err := json.Marshal(resp.body)
	if err != nil {
		b, _ = json.Marshal(errorBody{Error: "WRONG_ENCODING", Description: "Wrong request encoding"})
	}
	return phpEscape(b), "application/json; charset=utf-8"
}

func (p *Portal) write(w http.ResponseWriter, resp response) {
	body, ctype := p.encode(resp)
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("X-Bitrix-Rest-Time", "0.0021")
	w.WriteHeader(resp.status)
	_, _ = w.Write(body)
}

// phpEscape rewrites Go's JSON into what PHP's json_encode prints by default.
func phpEscape(b []byte) []byte {
	if isASCII(string(b)) && !bytes.Contains(b, []byte("/")) {
		return b
	}
	out := make([]byte, 0, len(b)+len(b)/4)
	const hex = "0123456789abcdef"
	u4 := func(r rune) {
		out = append(out, '\\', 'u', hex[r>>12&0xf], hex[r>>8&0xf], hex[r>>4&0xf], hex[r&0xf])
	}
	for i := 0; i < len(b); {
		c := b[i]
		if c == '/' {
			out = append(out, '\\', '/')
			i++
			continue
		}
		if c < utf8.RuneSelf {
			out = append(out, c)
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		i += size
		if r > 0xffff {
			r1, r2 := utf16.EncodeRune(r)
			u4(r1)
			u4(r2)
			continue
		}
		u4(r)
	}
	return out
}
