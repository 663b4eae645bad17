package api

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// request is one REST call as the retry loop sees it.
type request struct {
	method string
	read   bool                              // safe to repeat after an ambiguous failure
	body   func(auth string) ([]byte, error) // JSON body; auth is the OAuth token or ""
	count  *int                              // incremented per HTTP request sent; may be nil
	sink   resultSink                        // nil: the result is read whole; else it is decoded as it arrives
}

// transportError is a failure without a usable Bitrix24 answer. It never
// carries a URL with the secret: the URL is redacted where it is built.
type transportError struct {
	method      string
	url         string // redacted
	detail      string
	unreachable bool // no answer came at all
	notSent     bool // the request provably never reached the portal
	ambiguous   bool // the call may have run
	final       bool // pointless to repeat (e.g. answer too large)
	cause       error
}

func (e *transportError) Error() string {
	s := e.method + ": "
	if e.unreachable {
		s += "portal unreachable: "
	}
	return s + e.detail + " (POST " + e.url + ")"
}

func (e *transportError) Unwrap() []error {
	var errs []error
	if e.unreachable {
		errs = append(errs, ErrUnreachable)
	}
	if e.cause != nil {
		errs = append(errs, e.cause)
	}
	return errs
}

// outcomeError marks a failed call that changes state and may have run.
type outcomeError struct{ err error }

func (e *outcomeError) Error() string {
	return e.err.Error() + "; " + ErrOutcomeUnknown.Error() + " (re-read before acting again)"
}

func (e *outcomeError) Unwrap() []error { return []error{ErrOutcomeUnknown, e.err} }

// attempt sends one HTTP request and decodes the answer. It returns the
// OAuth token generation it used, for the refresh-once rule.
func (c *Client) attempt(ctx context.Context, r *request) (*envelope, uint64, error) {
	if err := ctx.Err(); err != nil {
		return nil, 0, fmt.Errorf("%s: not sent: %w", r.method, err)
	}
	if err := c.waitLimiter(ctx); err != nil {
		return nil, 0, fmt.Errorf("%s: waiting for the rate limit: %w", r.method, err)
	}
	base, token, gen := c.target()
	body, err := r.body(token)
	if err != nil {
		return nil, gen, fmt.Errorf("%s: %w", r.method, err)
	}
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodPost, base+r.method+".json", bytes.NewReader(body))
	if err != nil {
		return nil, gen, fmt.Errorf("%s: cannot build the request", r.method)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	if r.count != nil {
		*r.count++
	}
	start := time.Now()
	env, err := c.exchange(ctx, req, r)
	c.logAttempt(r.method, time.Since(start), env, err)
	return env, gen, err
}

// exchange performs the HTTP round trip and reads a bounded answer: a
// success answer to a request with a sink is decoded as it arrives, any
// other is read whole (error answers are small).
func (c *Client) exchange(ctx context.Context, req *http.Request, r *request) (*envelope, error) {
	method := r.method
	hc := c.http
	if !r.read {
		hc = c.writeHTTP
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, c.netError(ctx, method, err, true)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		return nil, fmt.Errorf("%s: the portal answered with a redirect (HTTP %d); check the portal address", method, resp.StatusCode)
	}
	body := newCapReader(resp.Body, c.maxBytes)
	if resp.ContentLength > c.maxBytes { // said so up front: nothing to read
		body.over = true
	}
	if r.sink != nil {
		body.valueMax = min(maxValueBytes, c.maxBytes)
	}
	var env *envelope
	switch {
	case body.over:
	case r.sink != nil && resp.StatusCode >= 200 && resp.StatusCode < 300:
		env, err = streamEnvelope(resp.StatusCode, body, r.sink)
		switch err.(type) {
		case nil, *Error, *bodyError:
		default:
			switch {
			case body.over:
			case body.err != nil:
				return nil, c.netError(ctx, method, body.err, false)
			default: // it stopped being JSON
				err = notJSON(resp.StatusCode)
			}
		}
	default:
		var data []byte
		data, err = readBody(body, resp.ContentLength)
		if err != nil && !body.over {
			return nil, c.netError(ctx, method, err, false)
		}
		if !body.over {
			env, err = decodeEnvelope(resp.StatusCode, data)
		}
	}
	if body.over {
		detail := "answer larger than " + byteSize(c.maxBytes)
		if body.overValue {
			detail = "answer with a part larger than " + byteSize(body.valueMax)
		}
		return nil, &transportError{method: method, url: c.redactedURL(method), ambiguous: true, final: true,
			detail: detail, cause: ErrResponseTooLarge}
	}
	switch e := err.(type) {
	case nil:
		return env, nil
	case *Error:
		e.Method, e.Description = method, c.redact(e.Description)
		return nil, e
	case *bodyError:
		return nil, &transportError{method: method, url: c.redactedURL(method), detail: e.detail, ambiguous: e.ambiguous, final: !e.ambiguous, cause: e}
	}
	return nil, err
}

// readBody reads a whole answer. With a known length it allocates once;
// without, it reads into chunks and joins them only when the answer ended
// within the limit, so that an endless answer never holds more than the
// limit and a long one is not copied over and over while it grows.
func readBody(r *capReader, length int64) ([]byte, error) {
	if length >= 0 {
		buf := bytes.NewBuffer(make([]byte, 0, length+bytes.MinRead))
		_, err := buf.ReadFrom(r)
		return buf.Bytes(), err
	}
	var chunks [][]byte
	total := 0
	for size := 4 << 10; ; size = min(size*2, 1<<20) {
		chunk := make([]byte, size)
		n, err := io.ReadFull(r, chunk)
		chunks = append(chunks, chunk[:n])
		total += n
		if (err == io.EOF || err == io.ErrUnexpectedEOF) && r.err == nil {
			break // the end (a cut-off answer is the reader's own error)
		}
		if err != nil {
			if r.err != nil {
				err = r.err
			}
			return nil, err
		}
	}
	if len(chunks) == 1 {
		return chunks[0], nil
	}
	out := make([]byte, 0, total)
	for _, c := range chunks {
		out = append(out, c...)
	}
	return out, nil
}

// byteSize prints a size limit: whole mebibytes as "32 MiB", else bytes.
func byteSize(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// netError describes a failed round trip without Go's *url.Error (which
// prints the whole URL, code included). beforeAnswer is true when no
// response headers arrived.
func (c *Client) netError(ctx context.Context, method string, err error, beforeAnswer bool) error {
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err
	}
	e := &transportError{method: method, url: c.redactedURL(method), ambiguous: true, unreachable: beforeAnswer, cause: err}
	switch {
	case ctx.Err() != nil:
		e.unreachable, e.cause = false, ctx.Err()
		e.detail = "stopped before the portal answered: " + ctx.Err().Error()
	case errors.Is(err, context.DeadlineExceeded):
		e.detail = fmt.Sprintf("no complete answer within %s", c.timeout)
	case beforeAnswer && notSent(err):
		e.notSent, e.ambiguous = true, false
		e.detail = c.redact(err.Error())
	case beforeAnswer:
		e.detail = "connection lost before an answer: " + c.redact(err.Error())
	default:
		e.detail = "answer cut off: " + c.redact(err.Error())
	}
	return e
}

// notSent reports errors that happen before the request leaves: DNS,
// refused or failed connections, TLS handshake failures.
func notSent(err error) bool {
	var dnsErr *net.DNSError
	var opErr *net.OpError
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var recErr tls.RecordHeaderError
	return errors.As(err, &dnsErr) || (errors.As(err, &opErr) && opErr.Op == "dial") ||
		errors.As(err, &certErr) || errors.As(err, &unknownAuth) || errors.As(err, &hostErr) ||
		errors.As(err, &recErr)
}

// redactedURL is the request URL safe for errors and logs.
func (c *Client) redactedURL(method string) string {
	if c.webhook != nil {
		return c.webhook.Redacted() + method + ".json"
	}
	base, _, _ := c.target()
	return base + method + ".json"
}

// redact replaces every secret the client knows with "***".
func (c *Client) redact(s string) string {
	for _, secret := range c.secrets() {
		if len(secret) >= 4 {
			s = strings.ReplaceAll(s, secret, "***")
		}
	}
	return s
}

// logAttempt writes one debug line per HTTP request: never a URL with the
// code, never a token, never a parameter.
func (c *Client) logAttempt(method string, d time.Duration, env *envelope, err error) {
	if !c.log.Enabled(context.Background(), slog.LevelDebug) {
		return
	}
	attrs := []any{"method", method, "host", c.Host(), "duration", d.Round(time.Millisecond)}
	switch e := err.(type) {
	case nil:
		attrs = append(attrs, "outcome", "ok", "operating", env.Time.Operating)
	case *Error:
		attrs = append(attrs, "outcome", "error", "code", e.Code, "status", e.HTTPStatus)
	default:
		attrs = append(attrs, "outcome", "failed", "error", c.redact(err.Error()))
	}
	c.log.Debug("bitrix24 request", attrs...)
}
