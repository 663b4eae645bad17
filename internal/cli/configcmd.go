package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/linedesk/linedesk/internal/config"
)

func (a *app) configCmd() *cobra.Command {
	t := a.t
	cmd := &cobra.Command{
		Use:   "config",
		Short: t.ConfigShort,
		Long:  t.ConfigLong,
		Args:  a.noArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "path",
		Short: t.ConfigPathShort,
		Args:  a.noArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := fmt.Fprintln(a.d.stdout, config.PathsEnv(a.f.config, a.lookupEnv).ConfigFile)
			return err
		},
	}, &cobra.Command{
		Use:   "show",
		Short: t.ConfigShowShort,
		Args:  a.noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			e, err := a.loadConfig(cmd)
			if err != nil {
				return err
			}
			return e.ShowIn(a.d.stdout, string(a.lang))
		},
	}, &cobra.Command{
		Use:   "edit",
		Short: t.ConfigEditShort,
		Long:  t.ConfigEditLong,
		Args:  a.noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.editConfig(cmd.Context())
		},
	})
	return cmd
}

// editorCommand is the command that edits a file given as its last
// argument: $EDITOR, else $VISUAL, else vi (notepad on Windows); name is
// the editor's name for messages.
func (a *app) editorCommand() (argv []string, name string, err error) {
	for _, v := range []string{"EDITOR", "VISUAL"} {
		value := strings.TrimSpace(a.d.env(v))
		if value == "" {
			continue
		}
		if runtime.GOOS == "windows" {
			return strings.Fields(value), strings.Fields(value)[0], nil
		}
		// As git does: the shell reads the value, so a quoted path with
		// spaces ("/Applications/Sublime Text.app/…/subl" -w) and options
		// work; the file is passed as "$@", never through the shell's words.
		return []string{"/bin/sh", "-c", value + ` "$@"`, value}, editorName(value), nil
	}
	fallback := "vi"
	if runtime.GOOS == "windows" {
		fallback = "notepad"
	}
	if _, err := exec.LookPath(fallback); err != nil {
		return nil, "", usageErrorf("%s", a.t.NoEditor)
	}
	return []string{fallback}, fallback, nil
}

// editorName is the program of a shell command line: its first word, or
// what its leading quotes enclose.
func editorName(value string) string {
	if q := value[0]; q == '"' || q == '\'' {
		if end := strings.IndexByte(value[1:], q); end >= 0 {
			return value[1 : 1+end]
		}
	}
	return strings.Fields(value)[0]
}

// runEditor runs the editor on the terminal and waits for it.
func runEditor(ctx context.Context, argv []string) error {
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	return cmd.Run()
}

// editConfig opens the config file in the editor on a private copy next to
// it (a missing file starts from the commented defaults), checks the result
// as linedesk would load it, and only then replaces the file, atomically. An
// invalid edit can be edited again on a terminal; otherwise it stays in the
// copy, which is named in the message: the user's text is never lost.
func (a *app) editConfig(ctx context.Context) error {
	t, lang := a.t, string(a.lang)
	path := config.PathsEnv(a.f.config, a.lookupEnv).ConfigFile
	orig, err := os.ReadFile(path)
	created := errors.Is(err, fs.ErrNotExist)
	switch {
	case created:
		orig = config.Template(lang)
	case err != nil:
		return &cliError{code: exitFailure, msg: fmt.Sprintf(t.EditCannotRead, path, pathReason(err)), err: err}
	}
	argv, editor, err := a.editorCommand()
	if err != nil {
		return err
	}
	copyPath, err := writeEditCopy(path, orig)
	if err != nil {
		return &cliError{code: exitFailure, msg: fmt.Sprintf(t.EditCannotCopy, filepath.Dir(path), pathReason(err)), err: err}
	}
	a.logger().Info("config edit", "file", path, "editor", editor)
	for {
		if err := a.d.editor(ctx, append(slices.Clone(argv), copyPath)); err != nil {
			if ctx.Err() != nil {
				return &cliError{code: exitInterrupted, msg: fmt.Sprintf(t.EditKept, copyPath, path), err: err}
			}
			return &cliError{code: exitFailure, msg: fmt.Sprintf(t.EditorFailed, editor, err.Error(), copyPath), err: err}
		}
		data, err := os.ReadFile(copyPath)
		if err != nil {
			return &cliError{code: exitFailure, msg: fmt.Sprintf(t.EditCannotRead, copyPath, pathReason(err)), err: err}
		}
		if !created && bytes.Equal(data, orig) {
			_ = os.Remove(copyPath)
			_, err := fmt.Fprintln(a.d.stdout, fmt.Sprintf(t.EditUnchanged, path))
			return err
		}
		if verr := validateConfig(copyPath); verr != nil {
			msg := strings.ReplaceAll(config.Message(verr, lang), copyPath, path)
			fmt.Fprintln(a.d.stderr, "linedesk: "+fmt.Sprintf(t.EditInvalid, msg))
			if a.d.isTerminal(a.d.stdin) && a.askYes(ctx, t.EditAgain, true) {
				continue
			}
			return &cliError{code: exitUsage, msg: fmt.Sprintf(t.EditKept, copyPath, path), err: verr}
		}
		// A running linedesk may have saved refreshed tokens meanwhile:
		// SaveEdit keeps them where the edit left the old pair.
		var carried []string
		if created {
			err = config.Save(path, data)
		} else {
			carried, err = config.SaveEdit(path, orig, data)
		}
		if err != nil {
			return &cliError{code: exitFailure, msg: fmt.Sprintf(t.EditSaveFailed, config.Message(err, lang), copyPath), err: err}
		}
		_ = os.Remove(copyPath)
		if len(carried) > 0 {
			fmt.Fprintln(a.d.stdout, fmt.Sprintf(t.EditTokensKept, strings.Join(carried, ", ")))
		}
		done := t.EditSaved
		if created {
			done = t.EditCreated
		}
		if w := config.CheckPermissions(path); w != "" {
			fmt.Fprintln(a.d.stderr, "linedesk: "+w)
		}
		_, err = fmt.Fprintln(a.d.stdout, fmt.Sprintf(done, path))
		return err
	}
}

// writeEditCopy writes data to a new private file beside path.
func writeEditCopy(path string, data []byte) (string, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	f, err := os.CreateTemp(dir, "config-edit-*.toml")
	if err != nil {
		return "", err
	}
	if err := f.Chmod(0o600); err != nil && runtime.GOOS != "windows" {
		f.Close()
		os.Remove(f.Name())
		return "", err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), f.Close()
}

// validateConfig loads the file at path as linedesk would, with no
// environment, so that only the file's own mistakes count.
func validateConfig(path string) error {
	_, err := config.Load(config.Options{
		ConfigPath: path,
		LookupEnv:  func(string) (string, bool) { return "", false },
		Secrets:    noSecrets{},
	})
	return err
}

// askYes asks a yes/no question on stderr and reads the answer; an empty
// answer is def, end of input is no.
func (a *app) askYes(ctx context.Context, question string, def bool) bool {
	fmt.Fprint(a.d.stderr, question)
	answer, err := readLine(ctx, a.d.stdin)
	if err != nil {
		fmt.Fprintln(a.d.stderr)
		return false
	}
	answer = strings.ToLower(strings.TrimSpace(answer))
	if answer == "" {
		return def
	}
	return slices.Contains(a.t.YesAnswers, answer)
}

// pathReason is an OS error without the path it repeats.
func pathReason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
