package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"sync"
)

// version, commit and built describe a release build: scripts/dist sets
// them with -ldflags "-X main.version=… -X main.commit=… -X main.built=…".
// A plain go build leaves them empty, and the build information Go stamps
// into the binary fills what it knows (the commit and its time, when the
// build could see the git checkout).
var version, commit, built string

// buildInfo is what the binary knows of its own build.
type buildInfo struct {
	Version string // the release version, or "dev"
	Commit  string // the git commit, "-dirty" when the tree had changes
	Time    string // UTC, ISO 8601
	// FromVCS is set when Commit and Time come from Go's VCS stamp
	// instead of the release script: Time is then the commit's time,
	// not the build's.
	FromVCS bool
}

// about is this binary's build, read once.
var about = sync.OnceValue(func() buildInfo {
	bi, _ := debug.ReadBuildInfo()
	return describeBuild(version, commit, built, bi)
})

// describeBuild takes the values set at link time, and for those left
// empty falls back to bi's main module version and its vcs.revision,
// vcs.time and vcs.modified settings (bi may be nil).
func describeBuild(version, commit, built string, bi *debug.BuildInfo) buildInfo {
	b := buildInfo{Version: version, Commit: commit, Time: built}
	if bi != nil {
		if b.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			b.Version = bi.Main.Version
		}
		if b.Commit == "" && b.Time == "" {
			vcs := map[string]string{}
			for _, s := range bi.Settings {
				vcs[s.Key] = s.Value
			}
			if rev := vcs["vcs.revision"]; rev != "" {
				b.Commit, b.Time, b.FromVCS = rev, vcs["vcs.time"], true
				if vcs["vcs.modified"] == "true" {
					b.Commit += "-dirty"
				}
			}
		}
	}
	if b.Version == "" {
		b.Version = "dev"
	}
	if b.Commit == "" {
		b.Commit = "unknown"
	}
	if b.Time == "" {
		b.Time = "unknown"
	}
	return b
}

// String is the version line: gaoxin 1.2.0 (commit 0f3c…, built
// 2026-03-01T08:00:00Z, go1.26.8 linux/arm64).
func (b buildInfo) String() string {
	when := "built"
	if b.FromVCS {
		when = "committed"
	}
	return fmt.Sprintf("gaoxin %s (commit %s, %s %s, %s %s/%s)", b.Version, b.Commit, when, b.Time,
		runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

func runVersion(_ context.Context, _ []string, _ io.Reader, stdout, _ io.Writer) error {
	_, err := fmt.Fprintln(stdout, about())
	return err
}
