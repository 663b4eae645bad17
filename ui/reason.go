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

// reason says in a few words why a call failed: the Bitrix24 code and
// description when the portal answered, else the kind of network failure.
// Portal text is sanitised; the client guarantees no secret is in err.
// Any other failure is described by tx.OtherError.
func (tx *text) reason(err error) string {
	var ae *api.Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &ae):
		code := sanitize.Line(ae.Code)
		desc := sanitize.Line(ae.Description)
		switch {
		case code == "" && desc == "":
			return tx.RefusedNoReason
		case code == "":
			return desc
		case desc == "":
			return code
		}
		return code + ": " + desc
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
	s := sanitize.Line(err.Error())
	if p, ok := strings.CutPrefix(s, api.ErrUnreachable.Error()+": "); ok {
		s = p
	}
	return tx.OtherError(s)
}
