package cli

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
)

// localizeCobra puts cobra's own commands and flags (help, completion,
// --help, --version) into the user's language.
func (a *app) localizeCobra(root *cobra.Command) {
	t := a.t
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		switch c.Name() {
		case "help":
			c.Short, c.Long = t.HelpCmdShort, t.HelpCmdLong
		case "completion":
			if t.HelpHeadings == nil {
				break // English: cobra's own, longer texts
			}
			c.Short, c.Long = t.CompletionShort, t.CompletionLong
			for _, sh := range c.Commands() {
				sh.Short = fmt.Sprintf(t.CompletionShellShort, sh.Name())
				sh.Long = fmt.Sprintf(t.CompletionShellLong, sh.Name(), root.Name())
				if f := sh.Flags().Lookup("no-descriptions"); f != nil {
					f.Usage = t.CompletionNoDesc
				}
			}
		}
	}
	root.Flags().BoolP("version", "v", false, t.FlagVersion)
	root.SetVersionTemplate(fmt.Sprintf(t.VersionLine, "{{.Version}}"))
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Flags().Lookup("help") == nil {
			c.Flags().BoolP("help", "h", false, fmt.Sprintf(t.FlagHelp, c.Name()))
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// helpOut is where cobra and fang write help and the version. In a language
// other than English it translates fang's fixed headings ("USAGE", "FLAGS",
// "[--flags]" …), keeping the terminal underneath visible so that colours
// still work.
func (a *app) helpOut(w io.Writer) io.Writer {
	if a.t.HelpHeadings == nil {
		return w
	}
	pairs := make([]string, 0, 2*len(a.t.HelpHeadings))
	for from, to := range a.t.HelpHeadings {
		pairs = append(pairs, from, to)
	}
	hw := &helpWriter{w: w, r: strings.NewReplacer(pairs...)}
	if f, ok := w.(*os.File); ok {
		return &helpFile{helpWriter: hw, f: f}
	}
	return hw
}

type helpWriter struct {
	w io.Writer
	r *strings.Replacer
}

func (h *helpWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(h.w, h.r.Replace(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// helpFile is a helpWriter over a file: it exposes the descriptor so that
// the colour detection sees the terminal.
type helpFile struct {
	*helpWriter
	f *os.File
}

func (h *helpFile) Fd() uintptr                { return h.f.Fd() }
func (h *helpFile) Read(p []byte) (int, error) { return 0, io.EOF }
func (h *helpFile) Close() error               { return nil }
