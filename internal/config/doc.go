// Package config loads linedesk's TOML configuration, merges it with env and
// flag overrides (remembering where each value came from), picks the portal
// profile and its credentials, and saves secrets and OAuth tokens safely.
package config
