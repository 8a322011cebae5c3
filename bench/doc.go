// Package bench holds the benchmarks of issue 14 beside their baselines,
// in a module of its own so that its test-only dependency
// (gorilla/securecookie, a baseline) stays out of the library's go.mod.
//
// Run them all and print the ratios with
//
//	sh bench/run.sh
//
// from the repository root.
package bench
