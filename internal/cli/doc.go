// Package cli is linedesk's command line: commands and flags, the config
// and its profiles wired to the REST client, init, logs, exit codes, and every
// sentence in English and Russian (text.go, text_ru.go). No HTTP, no styling.
package cli
