package config

import "time"

// LockFile takes an exclusive lock on path that holds across processes
// (flock, or LockFileEx on Windows), creating the file 0600 and leaving it
// in place; it waits up to timeout for another linedesk to let go. Call
// unlock to release it. The journal shares it with the config's saves.
func LockFile(path string, timeout time.Duration) (unlock func(), err error) {
	return lockFile(path, timeout)
}
