//go:build race

package audit

// raceEnabled reports a -race build, whose detector allocates: allocation
// counts mean nothing.
const raceEnabled = true
