//go:build !race

package itsdangerous

// raceEnabled reports a -race build, in which sync.Pool drops items at
// random and the race detector allocates: allocation counts mean nothing.
const raceEnabled = false
