//go:build !(linux || darwin || freebsd || openbsd || netbsd || dragonfly || windows)

package config

import (
	"fmt"
	"os"
	"time"
)

// lockFile is the portable fallback: the lock is the existence of path,
// created with O_EXCL and removed on unlock. A lock left by a crashed
// process is taken over once it is older than a minute.
func lockFile(path string, timeout time.Duration) (func(), error) {
	deadline := time.Now().Add(timeout)
	for delay := time.Millisecond; ; delay = min(delay*2, 50*time.Millisecond) {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if err == nil {
			_ = f.Close()
			return func() { _ = os.Remove(path) }, nil
		}
		if !os.IsExist(err) {
			return nil, fmt.Errorf("cannot lock the config: %s", errText(err))
		}
		if st, err := os.Stat(path); err == nil && time.Since(st.ModTime()) > time.Minute {
			_ = os.Remove(path)
			continue
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("%s is locked by another linedesk for over %s; try again", path, fmtDuration(timeout))
		}
		time.Sleep(delay)
	}
}
