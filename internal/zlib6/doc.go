// Package zlib6 implements the compressor behind Python's zlib.compress(data)
// with its default settings: zlib 1.2.x's deflate at level 6 (lazy
// matching, max_lazy 16, good_length 8, nice_length 128, max_chain 128),
// memLevel 8 (15-bit hash, 16K symbol buffer), a 32K window and the zlib
// wrapper (header 0x78 0x9c, Adler-32 trailer).
//
// The output is byte for byte what zlib writes for the same input, not just
// an equivalent stream: the same hash chains and lazy-match choices, the
// same block boundaries, the same choice between stored, fixed and dynamic
// blocks, and the same Huffman trees (zlib's heap order, depth tie-breaks
// and length limiting). That is what makes a compressed Flask cookie written
// by Go equal to the one Flask writes. The algorithm was written from the
// description of zlib's deflate.c and trees.c; no code is shared with it.
//
// The proof is differential: internal/zlib6's tests replay committed vectors
// made by Python's zlib (testdata/zlib), compare against a live Python
// process when one is present, and fuzz/run-zlib-diff.sh runs any number of
// random and session-shaped inputs against it.
//
// The compressor keeps its 200 KB of tables in a sync.Pool and clears only
// the hash entries a short input touched, so compressing a cookie costs
// microseconds rather than the cost of resetting the tables.
package zlib6
