//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package fs

import "os"

// lockFile is a no-op where flock is unavailable: the operator must not
// open one directory from two processes.
func lockFile(*os.File) error { return nil }
