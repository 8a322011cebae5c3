//go:build !unix

package bench

// processCPU is unknown here: BenchmarkLoopback reports throughput only.
func processCPU() int64 { return 0 }
