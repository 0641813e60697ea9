package main

import (
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

func stamped(mainVersion string, settings ...string) *debug.BuildInfo {
	bi := &debug.BuildInfo{Main: debug.Module{Path: "gaoxin", Version: mainVersion}}
	for i := 0; i+1 < len(settings); i += 2 {
		bi.Settings = append(bi.Settings, debug.BuildSetting{Key: settings[i], Value: settings[i+1]})
	}
	return bi
}

func TestVersionFromLinkerFlags(t *testing.T) {
	// The release script's values win over Go's VCS stamp.
	bi := stamped("(devel)", "vcs.revision", "1111111111111111111111111111111111111111", "vcs.time", "2020-01-01T00:00:00Z")
	b := describeBuild("1.2.0+3.gabcdef0", "abcdef0123456789abcdef0123456789abcdef01", "2026-03-01T08:00:00Z", bi)
	want := buildInfo{Version: "1.2.0+3.gabcdef0", Commit: "abcdef0123456789abcdef0123456789abcdef01", Time: "2026-03-01T08:00:00Z"}
	if b != want {
		t.Fatalf("got %+v, want %+v", b, want)
	}
	line := b.String()
	wantLine := "gaoxin 1.2.0+3.gabcdef0 (commit abcdef0123456789abcdef0123456789abcdef01, built 2026-03-01T08:00:00Z, " +
		runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH + ")"
	if line != wantLine {
		t.Fatalf("line:\n got %s\nwant %s", line, wantLine)
	}
}

func TestVersionFallsBackToBuildInfo(t *testing.T) {
	rev := "0123456789abcdef0123456789abcdef01234567"
	for _, c := range []struct {
		name string
		bi   *debug.BuildInfo
		want buildInfo
		line string // a part of the version line
	}{
		{"vcs stamp", stamped("(devel)", "vcs", "git", "vcs.revision", rev, "vcs.time", "2026-02-03T04:05:06Z", "vcs.modified", "false"),
			buildInfo{Version: "dev", Commit: rev, Time: "2026-02-03T04:05:06Z", FromVCS: true},
			"gaoxin dev (commit " + rev + ", committed 2026-02-03T04:05:06Z, go"},
		{"modified tree", stamped("", "vcs.revision", rev, "vcs.time", "2026-02-03T04:05:06Z", "vcs.modified", "true"),
			buildInfo{Version: "dev", Commit: rev + "-dirty", Time: "2026-02-03T04:05:06Z", FromVCS: true},
			"(commit " + rev + "-dirty, committed"},
		{"module version", stamped("v1.4.0", "vcs.revision", rev, "vcs.time", "2026-02-03T04:05:06Z"),
			buildInfo{Version: "v1.4.0", Commit: rev, Time: "2026-02-03T04:05:06Z", FromVCS: true},
			"gaoxin v1.4.0 (commit "},
		{"no vcs stamp (-buildvcs=false)", stamped("(devel)", "-trimpath", "true"),
			buildInfo{Version: "dev", Commit: "unknown", Time: "unknown"},
			"gaoxin dev (commit unknown, built unknown, go"},
		{"no build info", nil, buildInfo{Version: "dev", Commit: "unknown", Time: "unknown"}, "gaoxin dev (commit unknown"},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := describeBuild("", "", "", c.bi)
			if b != c.want {
				t.Fatalf("got %+v, want %+v", b, c.want)
			}
			if !strings.Contains(b.String(), c.line) {
				t.Fatalf("line %q does not contain %q", b.String(), c.line)
			}
		})
	}
}

func TestVersionCommand(t *testing.T) {
	code, out, errs := gx(t, "", "version")
	if code != 0 || errs != "" {
		t.Fatalf("version: %d %s", code, errs)
	}
	if out != about().String()+"\n" || !strings.HasPrefix(out, "gaoxin ") || !strings.Contains(out, runtime.GOARCH) {
		t.Fatalf("version printed %q", out)
	}
}
