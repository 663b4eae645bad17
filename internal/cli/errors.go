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

	"github.com/spf13/cobra"

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
func (a *app) portalError(ctx context.Context, host string, err error) error {
	if err == nil {
		return nil
	}
	t := a.t
	var ce *cliError
	if errors.As(err, &ce) {
		return err
	}
	if ctx.Err() != nil { // Ctrl+C or SIGTERM: whatever failed, failed because of it
		return &cliError{code: exitInterrupted, msg: t.Interrupted, err: err}
	}
	var ae *api.Error
	if errors.As(err, &ae) {
		return &cliError{code: exitFailure, msg: refusal(t, ae), err: err}
	}
	if errors.Is(err, api.ErrUnreachable) || isNetError(err) {
		return &cliError{code: exitFailure, err: err, msg: fmt.Sprintf(t.CannotReach, host, netReason(t, err))}
	}
	if errors.Is(err, api.ErrOutcomeUnknown) {
		return &cliError{code: exitFailure, err: err, msg: fmt.Sprintf(t.OutcomeUnknown, host)}
	}
	return &cliError{code: exitFailure, err: err, msg: fmt.Sprintf(t.Unusable, host, tidy(err))}
}

// requestSuffix is the " (POST https://HOST/rest/1/***/method.json)" the
// client appends to its errors: useful in a log, noise in a sentence.
var requestSuffix = regexp.MustCompile(`\s*\((GET|POST) [^)]*\)`)

// tidy is an error's text without the request it was about.
func tidy(err error) string {
	return strings.TrimSpace(requestSuffix.ReplaceAllString(err.Error(), ""))
}

// refusal is "portal refused: CODE: description — what to do".
func refusal(t *text, e *api.Error) string {
	var b strings.Builder
	b.WriteString(t.Refused)
	if e.Code == "" {
		b.WriteString(t.NoErrorCode)
	} else {
		b.WriteString(e.Code)
	}
	if d := strings.TrimRight(strings.TrimSpace(sanitize.Line(e.Description)), "."); d != "" {
		b.WriteString(": ")
		b.WriteString(sanitize.Truncate(d, 200))
	}
	if h := refusalHint(t, e); h != "" {
		b.WriteString(" — ")
		b.WriteString(h)
	}
	return b.String()
}

func refusalHint(t *text, e *api.Error) string {
	switch {
	case errors.Is(e, api.ErrNoAuth), errors.Is(e, api.ErrInvalidToken):
		return t.HintAuth
	case errors.Is(e, api.ErrExpiredToken):
		return t.HintExpired
	case errors.Is(e, api.ErrInsufficientScp), errors.Is(e, api.ErrMethodNotFound):
		return t.HintScope
	case errors.Is(e, api.ErrQueryLimit):
		return t.HintQueryLimit
	case errors.Is(e, api.ErrOperationLimit):
		return t.HintOperationLimit
	case errors.Is(e, api.ErrOverload):
		return t.HintOverload
	case strings.EqualFold(e.Code, "INVALID_CREDENTIALS"), errors.Is(e, api.ErrAccessDenied),
		strings.EqualFold(e.Code, "user_access_error"):
		return t.HintRights
	case strings.EqualFold(e.Code, "INVALID_REQUEST"):
		return t.HintHTTPS
	case strings.EqualFold(e.Code, "invalid_grant"):
		return t.HintGrant
	case e.Code == "":
		return t.HintNoReason
	}
	return ""
}

func isNetError(err error) bool {
	var ne net.Error
	return errors.As(err, &ne)
}

// netReason is a short cause of a network failure: "connection refused",
// "no such host", "no answer in time", or the error text as a last resort.
func netReason(t *text, err error) string {
	var dnsErr *net.DNSError
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return t.NetRefused
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return t.NetNoHost
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded):
		return t.NetTimeout
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return t.NetClosed
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return t.NetTimeout
	}
	var certErr *tls.CertificateVerificationError
	if errors.As(err, &certErr) {
		return t.NetCert
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
// cliError come from cobra's argument parsing: usage mistakes.
func (a *app) message(err error) (int, string) {
	var ce *cliError
	if errors.As(err, &ce) {
		return ce.code, ce.msg
	}
	msg := strings.TrimSpace(err.Error())
	// cobra's "unknown command" carries "Did you mean this?" on extra lines.
	var sugg []string
	if i := strings.Index(msg, "\n\nDid you mean this?"); i >= 0 {
		sugg = strings.Fields(msg[i:])[4:]
		msg = msg[:i]
	}
	if m := unknownCommand.FindStringSubmatch(msg); m != nil {
		msg = fmt.Sprintf(a.t.UnknownCommand, m[1], m[2])
	}
	if len(sugg) > 0 {
		msg += fmt.Sprintf(a.t.DidYouMean, strings.Join(sugg, a.t.Or))
	}
	return exitUsage, fmt.Sprintf(a.t.SeeRootHelp, msg)
}

// cobra's and pflag's parse errors, to say them in the user's language.
var (
	unknownCommand   = regexp.MustCompile(`^unknown command "(.*)" for "(.*)"$`)
	unknownFlag      = regexp.MustCompile(`^unknown flag: (\S+)$`)
	unknownShorthand = regexp.MustCompile(`^unknown shorthand flag: '(.+)' in (\S+)$`)
	flagNeedsArg     = regexp.MustCompile(`^flag needs an argument: (.+)$`)
	invalidFlagArg   = regexp.MustCompile(`^invalid argument "(.*)" for "(.+)" flag: (.*)$`)
)

// flagError says a flag parse error in the user's language.
func (a *app) flagError(c *cobra.Command, err error) string {
	t, s := a.t, err.Error()
	if m := unknownFlag.FindStringSubmatch(s); m != nil {
		return fmt.Sprintf(t.UnknownFlag, m[1])
	}
	if m := unknownShorthand.FindStringSubmatch(s); m != nil {
		return fmt.Sprintf(t.UnknownShorthand, m[1], m[2])
	}
	if m := flagNeedsArg.FindStringSubmatch(s); m != nil {
		return fmt.Sprintf(t.FlagNeedsArg, m[1])
	}
	if m := invalidFlagArg.FindStringSubmatch(s); m != nil {
		return fmt.Sprintf(t.InvalidFlagArg, m[1], m[2], a.expected(c, m[2], m[3]))
	}
	return s
}

// expected says what a flag wants, for a value that did not parse.
func (a *app) expected(c *cobra.Command, name, reason string) string {
	if i := strings.LastIndex(name, "--"); i >= 0 {
		name = name[i+2:]
	}
	f := c.Flags().Lookup(name)
	if f == nil {
		return reason
	}
	switch f.Value.Type() {
	case "int", "int64":
		return a.t.WantInt
	case "duration":
		return a.t.WantDuration
	case "bool":
		return a.t.WantBool
	}
	return reason
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
