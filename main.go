// Command linedesk is a live terminal dashboard and a scriptable CLI for
// Bitrix24 open-line operators. See README.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/linedesk/linedesk/internal/cli"
)

func main() {
	// The first Ctrl+C (or SIGTERM) cancels the running command cleanly; once
	// it has, the default handling is restored so a second one ends linedesk.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop()
	}()
	code := cli.Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}
