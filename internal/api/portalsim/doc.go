// Package portalsim is a simulated Bitrix24 portal: an http.Handler that speaks
// the REST wire protocol of PROTOCOL.md (webhooks, OAuth, envelopes, limits,
// batch, open-line sessions and pins) with seeded data and switchable faults.
package portalsim
