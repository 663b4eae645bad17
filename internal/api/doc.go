// Package api is linedesk's Bitrix24 REST client: transport, webhook and
// OAuth auth, the process-wide rate limit, retries, tolerant decoding of the
// portal's quirks, and typed methods for the open-line operator's sessions.
package api
