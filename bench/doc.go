// Package bench holds the benchmarks of issue 14 beside their baselines,
// in a module of its own so that its test-only dependency
// (gorilla/securecookie, a baseline) stays out of the library's go.mod.
//
// Run them all and print the ratios with
//
//	sh bench/run.sh
//
// from the repository root. BenchmarkLoopback is issue 14's load run: a
// net/http server on 127.0.0.1 with and without session.Manager's
// middleware, loaded by keep-alive clients in the same process.
package bench
