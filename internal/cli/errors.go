package cli

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"regexp"
	"strings"
	"syscall"

	"github.com/linedesk/linedesk/internal/api"
	"github.com/linedesk/linedesk/internal/sanitize"
)

// Exit codes. 0, 1 and 2 are the documented contract; 130 (128 + SIGINT) is
// the shell convention for a command the user interrupted.
const (
	exitOK          = 0
	exitFailure     = 1 // the portal refused, or the network failed
	exitUsage       = 2 // a usage or configuration mistake
	exitInterrupted = 130
)

// cliError is an error whose message is ready for the user (without the
// "linedesk: " prefix) and which knows its exit code.
type cliError struct {
	code int
	msg  string
	err  error // the cause, for errors.Is; never printed
}

func (e *cliError) Error() string { return e.msg }
func (e *cliError) Unwrap() error { return e.err }

func usageErrorf(format string, args ...any) error {
	return &cliError{code: exitUsage, msg: fmt.Sprintf(format, args...)}
}

// portalError turns an error from the client into a sentence for the user:
// what went wrong on which host, and what to do about it.
func portalError(ctx context.Context, host string, err error) error {
	if err == nil {
		return nil
	}
	var ce *cliError
	if errors.As(err, &ce) {
		return err
	}
	if ctx.Err() != nil { // Ctrl+C or SIGTERM: whatever failed, failed because of it
		return &cliError{code: exitInterrupted, msg: "interrupted", err: err}
	}
	var ae *api.Error
	if errors.As(err, &ae) {
		return &cliError{code: exitFailure, msg: refusal(ae), err: err}
	}
	if errors.Is(err, api.ErrUnreachable) || isNetError(err) {
		return &cliError{code: exitFailure, err: err,
			msg: fmt.Sprintf("cannot reach %s: %s — check the webhook URL and your network, then try again", host, netReason(err))}
	}
	if errors.Is(err, api.ErrOutcomeUnknown) {
		return &cliError{code: exitFailure, err: err,
			msg: fmt.Sprintf("%s did not confirm the change, so it may or may not have happened — run 'linedesk sessions' to check before trying again", host)}
	}
	return &cliError{code: exitFailure, err: err,
		msg: fmt.Sprintf("%s gave an answer linedesk cannot use (%s) — try again later, and report it if it persists", host, tidy(err))}
}

// requestSuffix is the " (POST https://HOST/rest/1/***/method.json)" the
// client appends to its errors: useful in a log, noise in a sentence.
var requestSuffix = regexp.MustCompile(`\s*\((GET|POST) [^)]*\)`)

// tidy is an error's text without the request it was about.
func tidy(err error) string {
	return strings.TrimSpace(requestSuffix.ReplaceAllString(err.Error(), ""))
}

// refusal is "portal refused: CODE: description — what to do".
func refusal(e *api.Error) string {
	var b strings.Builder
	b.WriteString("portal refused: ")
	if e.Code == "" {
		b.WriteString("no error code")
	} else {
		b.WriteString(e.Code)
	}
	if d := strings.TrimRight(strings.TrimSpace(sanitize.Line(e.Description)), "."); d != "" {
		b.WriteString(": ")
		b.WriteString(sanitize.Truncate(d, 200))
	}
	if h := refusalHint(e); h != "" {
		b.WriteString(" — ")
		b.WriteString(h)
	}
	return b.String()
}

func refusalHint(e *api.Error) string {
	switch {
	case errors.Is(e, api.ErrNoAuth), errors.Is(e, api.ErrInvalidToken):
		return "check the webhook URL (its user ID and code, and that the webhook still exists)"
	case errors.Is(e, api.ErrExpiredToken):
		return "the access token expired and could not be refreshed; sign in again"
	case errors.Is(e, api.ErrInsufficientScp), errors.Is(e, api.ErrMethodNotFound):
		return "give the webhook the im, imopenlines and user_brief scopes"
	case errors.Is(e, api.ErrQueryLimit):
		return "the portal's request limit was hit; wait a minute and try again"
	case errors.Is(e, api.ErrOperationLimit):
		return "the portal blocked this method for a while; wait about ten minutes and try again"
	case errors.Is(e, api.ErrOverload):
		return "REST is blocked on this portal; only Bitrix24 support can lift it"
	case strings.EqualFold(e.Code, "INVALID_CREDENTIALS"), errors.Is(e, api.ErrAccessDenied),
		strings.EqualFold(e.Code, "user_access_error"):
		return "the webhook's user lacks the rights for this; ask the portal administrator"
	case strings.EqualFold(e.Code, "INVALID_REQUEST"):
		return "use an https:// webhook URL"
	case e.Code == "":
		return "the portal gave no reason; try again, and check in Bitrix24 that the webhook's user may do this"
	}
	return ""
}

func isNetError(err error) bool {
	var ne net.Error
	return errors.As(err, &ne)
}

// netReason is a short cause of a network failure: "connection refused",
// "no such host", "no answer in time", or the error text as a last resort.
func netReason(err error) string {
	var dnsErr *net.DNSError
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return "no such host"
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded):
		return "no answer in time"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "the connection was closed before an answer"
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return "no answer in time"
	}
	var certErr *tls.CertificateVerificationError
	if errors.As(err, &certErr) {
		return "its TLS certificate is not valid"
	}
	return tidy(innermost(err))
}

// innermost follows a chain of single wraps to the first cause.
func innermost(err error) error {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err
		}
		err = next
	}
}

// message renders err as the one line printed on stderr (without the
// "linedesk: " prefix) and picks the exit code. Errors that are not a
// cliError come from cobra's flag and argument parsing: usage mistakes.
func message(err error) (int, string) {
	var ce *cliError
	if errors.As(err, &ce) {
		return ce.code, ce.msg
	}
	msg := strings.TrimSpace(err.Error())
	// cobra's "unknown command" carries "Did you mean this?" on extra lines.
	if i := strings.Index(msg, "\n\nDid you mean this?"); i >= 0 {
		sugg := strings.Fields(msg[i:])[4:]
		msg = msg[:i] + "; did you mean " + strings.Join(sugg, " or ") + "?"
	}
	return exitUsage, msg + " — see 'linedesk --help'"
}

// oneLine makes msg a single terminal-safe line with every secret replaced.
func oneLine(msg string, secrets []string) string {
	for _, s := range secrets {
		if len(s) >= 4 {
			msg = replaceFold(msg, s, "***")
		}
	}
	msg = strings.Join(strings.Fields(sanitize.Line(msg)), " ")
	return msg
}

// replaceFold replaces every case-insensitive occurrence of old (ASCII) in s.
func replaceFold(s, old, repl string) string {
	lower, lo := strings.ToLower(s), strings.ToLower(old)
	if len(lower) != len(s) {
		return strings.ReplaceAll(s, old, repl)
	}
	var b strings.Builder
	for {
		i := strings.Index(lower, lo)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteString(repl)
		s, lower = s[i+len(old):], lower[i+len(lo):]
	}
}
