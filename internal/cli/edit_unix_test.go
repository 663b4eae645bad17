//go:build !windows

package cli

import (
	"os"
	"path/filepath"
	"testing"
)

// TestEditorWithSpacesAndQuotes runs a real editor command, as the shell
// reads $EDITOR: a quoted path with a space in it, and an option.
func TestEditorWithSpacesAndQuotes(t *testing.T) {
	t.Parallel()
	env, path := initEnv(t)
	dir := filepath.Join(t.TempDir(), "My Editors")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(dir, "fake edit")
	// It writes its option and a setting into the file it is given.
	if err := os.WriteFile(script, []byte("#!/bin/sh\nprintf '# %s\\nrefresh = \"25s\"\\n' \"$1\" > \"$2\"\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	env["EDITOR"] = `"` + script + `" --wait`
	a := &app{d: deps{env: func(k string) string { return env[k] }}}
	argv, name, err := a.editorCommand()
	if err != nil || name != script {
		t.Fatalf("editorCommand: %q, %q, %v", argv, name, err)
	}
	res := runCLI(t, runOpts{env: env, editor: runEditor}, "config", "edit")
	if res.code != exitOK {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	if got := readText(t, path); got != "# --wait\nrefresh = \"25s\"\n" {
		t.Errorf("saved %q", got)
	}
}
