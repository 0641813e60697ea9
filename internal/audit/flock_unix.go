//go:build unix

package audit

import (
	"os"
	"syscall"
)

// lockFile holds an exclusive advisory lock on f until it is closed, so
// that writers in other processes (a server and a manual `gaoxin audit
// checkpoint`) append to the checkpoint file one after the other.
func lockFile(f *os.File) error {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if err != syscall.EINTR {
			return err
		}
	}
}
