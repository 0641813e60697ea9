//go:build race

package main

// raceEnabled: this test binary runs under the race detector, and so do
// the gaoxin servers it starts (buildBinary).
const raceEnabled = true
