package config

import (
	"os"
	"runtime"
)

// CheckPermissions returns a one-line warning when the config file at path
// holds a secret (a webhook URL, a client secret or a token) and is
// readable by its group or by others; "" otherwise, and always on Windows,
// where mode bits do not describe access.
func CheckPermissions(path string) string {
	data, err := readConfig(path)
	if err != nil || data == nil {
		return ""
	}
	cfg := Default().clone()
	holds, err := parseFile(path, string(data), &cfg, map[string]Origin{})
	if err != nil {
		holds = true // cannot tell: judge by the mode alone
	}
	if !holds {
		return ""
	}
	return permissionWarning(path).in("en")
}

func permissionWarning(path string) msg {
	if runtime.GOOS == "windows" {
		return msg{}
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm()&0o044 == 0 {
		return msg{}
	}
	return msgf("warning: %s holds a secret and other users can read it (mode %04o); run: chmod 600 %s", path, int(st.Mode().Perm()), path)
}
