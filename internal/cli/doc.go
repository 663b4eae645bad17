// Package cli is linedesk's command line: flags and subcommands, credential
// resolution, exit codes and one-line messages, wired to the REST client, the
// simulated portal and the dashboard. It knows no HTTP details and no styling.
package cli
