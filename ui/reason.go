package ui

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"syscall"

	"github.com/linedesk/linedesk/internal/api"
	"github.com/linedesk/linedesk/internal/sanitize"
)

// reason says in a few words why a call failed: a known Bitrix24 code in
// the operator's language (with the code, for support), another code with
// the portal's description, else the kind of network or answer failure.
// Portal text is sanitised; the client guarantees no secret is in err.
// Any other failure is described by tx.OtherError.
func (tx *text) reason(err error) string {
	var ae *api.Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &ae):
		code := sanitize.Line(ae.Code)
		if words, ok := tx.Codes[strings.ToUpper(code)]; ok {
			return words + " (" + code + ")"
		}
		// The portal's sentence ends in a period; the header goes on after it.
		desc := strings.TrimSuffix(sanitize.Line(ae.Description), ".")
		switch {
		case code == "" && desc == "":
			return tx.RefusedNoReason
		case code == "":
			return desc
		case desc == "":
			return code
		}
		return code + ": " + desc
	case errors.Is(err, api.ErrResponseTooLarge):
		return tx.TooLarge
	case errors.Is(err, api.ErrBadAnswer):
		status, _ := api.AnswerStatus(err)
		return tx.BadAnswer(status)
	case errors.Is(err, syscall.ECONNREFUSED):
		return tx.ConnRefused
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded):
		return tx.TimedOut
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return tx.ConnDropped
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return tx.HostNotFound
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return tx.TimedOut
	}
	var cert *tls.CertificateVerificationError
	if errors.As(err, &cert) {
		return tx.BadCertificate
	}
	s := sanitize.Line(api.Detail(err))
	if p, ok := strings.CutPrefix(s, api.ErrUnreachable.Error()+": "); ok {
		s = p
	}
	return tx.OtherError(s)
}
