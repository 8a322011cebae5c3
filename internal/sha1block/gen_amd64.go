//go:build ignore

// gen_amd64.go writes block_amd64.s: SHA-1 compression functions for amd64
// with the SHA extensions, one stream (blockSHA) and two independent streams
// interleaved instruction by instruction (block2SHA), so that one stream's
// SHA1RNDS4 runs while the other's waits for its result.
//
// Run it with go generate. The instruction sequence follows from the
// instructions' definitions (Intel SDM, "SHA1RNDS4", "SHA1NEXTE",
// "SHA1MSG1", "SHA1MSG2"):
//
//   - SHA1RNDS4 runs four rounds on ABCD (A in the top dword), with E plus
//     the first message word in the top dword of its source and the next
//     three words below it; its immediate picks f and K (rounds 0-19,
//     20-39, 40-59, 60-79 are 0, 1, 2, 3).
//   - Four rounds after a state ABCD, E is rol30(A): SHA1NEXTE adds that to
//     the top word of the next four message words. So each group of four
//     rounds keeps a copy of ABCD from before its SHA1RNDS4 for the group
//     after it.
//   - W[t] = rol1(W[t-3] ^ W[t-8] ^ W[t-14] ^ W[t-16]): SHA1MSG1 of the
//     words 4(g-2).. and 4(g-1).. gives W[t-16]^W[t-14] for t = 4g+8..;
//     XOR with words 4g.. adds W[t-8]; SHA1MSG2 with words 4(g+1).. adds
//     W[t-3] and rotates, giving words 4(g+2).. .
package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"strings"
)

// stream names the registers of one SHA-1 computation.
type stream struct {
	abcd string
	e    [2]string // E for even and odd groups
	m    [4]string // message words, four groups in rotation
	save int       // frame offset of the saved ABCD; E is saved 16 above
}

var streams = []stream{
	{"X0", [2]string{"X1", "X2"}, [4]string{"X3", "X4", "X5", "X6"}, 0},
	{"X7", [2]string{"X8", "X9"}, [4]string{"X10", "X11", "X12", "X13"}, 32},
}

const mask = "X14" // byte order shuffle; X15 is a scratch register

// The emitters below return instructions for one stream; zip interleaves
// the streams' lists so that their dependency chains overlap.

// loadState reads a state from memory at ptr.
func loadState(s stream, ptr string) []string {
	return []string{
		fmt.Sprintf("MOVOU (%s), %s", ptr, s.abcd),
		fmt.Sprintf("PSHUFD $0x1b, %s, %s", s.abcd, s.abcd),
		fmt.Sprintf("PXOR %s, %s", s.e[0], s.e[0]),
		fmt.Sprintf("PINSRD $3, 16(%s), %s", ptr, s.e[0]),
	}
}

// loadIV sets the initial state.
func loadIV(s stream) []string {
	return []string{
		fmt.Sprintf("MOVOU ivabcd<>(SB), %s", s.abcd),
		fmt.Sprintf("MOVOU ive<>(SB), %s", s.e[0]),
	}
}

// loadBlock reads 64 message bytes at off(ptr).
func loadBlock(s stream, ptr string, off int) []string {
	var out []string
	for i, m := range s.m {
		out = append(out,
			fmt.Sprintf("MOVOU %d(%s), %s", off+16*i, ptr, m),
			fmt.Sprintf("PSHUFB %s, %s", mask, m))
	}
	return out
}

// digestBlock lays out the state of src, a 20-byte digest, as the last
// block of an HMAC's outer hash in dst's message registers: the digest,
// the 0x80 byte, zeros and the bit length of key block and digest.
func digestBlock(src, dst stream) []string {
	return []string{
		fmt.Sprintf("MOVO %s, %s", src.abcd, dst.m[0]),
		fmt.Sprintf("MOVOU pad80<>(SB), %s", dst.m[1]),
		fmt.Sprintf("POR %s, %s", src.e[0], dst.m[1]),
		fmt.Sprintf("PXOR %s, %s", dst.m[2], dst.m[2]),
		fmt.Sprintf("MOVOU len84<>(SB), %s", dst.m[3]),
	}
}

// keyBlocks lays out the inner key block of the 20-byte key in src's state
// in in's message registers and its outer key block in out's. src may be
// in or out.
func keyBlocks(src, in, out stream) []string {
	var l []string
	for i, d := range []stream{in, out} {
		c := []string{"ipad<>", "opad<>"}[i]
		l = append(l,
			fmt.Sprintf("MOVOU %s(SB), %s", c, d.m[0]),
			fmt.Sprintf("MOVOU %s(SB), %s", c, d.m[1]),
			fmt.Sprintf("MOVOU %s(SB), %s", c, d.m[2]),
			fmt.Sprintf("MOVOU %s(SB), %s", c, d.m[3]),
			fmt.Sprintf("PXOR %s, %s", src.abcd, d.m[0]),
			fmt.Sprintf("PXOR %s, %s", src.e[0], d.m[1]))
	}
	return l
}

// begin saves the state for the feed-forward.
func begin(s stream) []string {
	return []string{
		fmt.Sprintf("MOVOU %s, %d(SP)", s.abcd, s.save),
		fmt.Sprintf("MOVOU %s, %d(SP)", s.e[0], s.save+16),
	}
}

// group returns rounds 4g to 4g+3 of s.
func group(s stream, g int) []string {
	cur, next := s.e[g%2], s.e[(g+1)%2]
	m := func(i int) string { return s.m[(g+i)%4] }
	var out []string
	if g == 0 {
		out = append(out, fmt.Sprintf("PADDD %s, %s", m(0), cur))
	} else {
		out = append(out, fmt.Sprintf("SHA1NEXTE %s, %s", m(0), cur))
	}
	out = append(out, fmt.Sprintf("MOVO %s, %s", s.abcd, next))
	if g >= 3 && g <= 18 {
		out = append(out, fmt.Sprintf("SHA1MSG2 %s, %s", m(0), m(1)))
	}
	out = append(out, fmt.Sprintf("SHA1RNDS4 $%d, %s, %s", g/5, cur, s.abcd))
	if g >= 1 && g <= 16 {
		out = append(out, fmt.Sprintf("SHA1MSG1 %s, %s", m(0), m(3)))
	}
	if g >= 2 && g <= 17 {
		out = append(out, fmt.Sprintf("PXOR %s, %s", m(0), m(2)))
	}
	return out
}

// end adds the saved state (the feed-forward); E's lower dwords stay zero.
func end(s stream) []string {
	t := s.m[0]
	return []string{
		fmt.Sprintf("MOVOU %d(SP), %s", s.save+16, t),
		fmt.Sprintf("SHA1NEXTE %s, %s", t, s.e[0]),
		fmt.Sprintf("MOVOU %d(SP), %s", s.save, t),
		fmt.Sprintf("PADDD %s, %s", t, s.abcd),
	}
}

// storeState writes the state of s to ptr.
func storeState(s stream, ptr string) []string {
	return []string{
		fmt.Sprintf("PSHUFD $0x1b, %s, %s", s.abcd, s.abcd),
		fmt.Sprintf("MOVOU %s, (%s)", s.abcd, ptr),
		fmt.Sprintf("PEXTRD $3, %s, 16(%s)", s.e[0], ptr),
	}
}

// zip interleaves the instruction lists, one from each in turn.
func zip(lists ...[]string) []string {
	var out []string
	for i := 0; ; i++ {
		more := false
		for _, l := range lists {
			if i < len(l) {
				out = append(out, l[i])
				more = true
			}
		}
		if !more {
			return out
		}
	}
}

// each zips f applied to each stream.
func each(f func(stream) []string, ss ...stream) []string {
	var parts [][]string
	for _, s := range ss {
		parts = append(parts, f(s))
	}
	return zip(parts...)
}

// compress runs the compression function on the streams, whose states
// and message registers are loaded.
func compress(ss ...stream) []string {
	out := each(begin, ss...)
	for g := 0; g < 20; g++ {
		out = append(out, each(func(s stream) []string { return group(s, g) }, ss...)...)
	}
	return append(out, each(end, ss...)...)
}

var label int

// blocks compresses the n blocks at ptr (registers holding a pointer and a
// count) into s; it advances ptr and counts n down to zero.
func blocks(s stream, ptr, n string) []string {
	label++
	top, done := fmt.Sprintf("blocks%d", label), fmt.Sprintf("done%d", label)
	out := []string{top + ":", fmt.Sprintf("TESTQ %s, %s", n, n), "JZ " + done}
	out = append(out, loadBlock(s, ptr, 0)...)
	out = append(out, compress(s)...)
	out = append(out, fmt.Sprintf("ADDQ $64, %s", ptr), fmt.Sprintf("DECQ %s", n), "JMP "+top, done+":")
	return out
}

// hmacTail finishes an HMAC whose key blocks are in a's and b's message
// registers: a is the inner hash, b the outer; the message is n blocks at
// ptr. The MAC is left in b.
func hmacTail(a, b stream, ptr, n string) []string {
	out := zip(loadIV(a), loadIV(b))
	out = append(out, compress(a, b)...)
	out = append(out, blocks(a, ptr, n)...)
	out = append(out, digestBlock(a, b)...)
	return append(out, compress(b)...)
}

// keyBlocksFrom lays out the key blocks of the key of n bytes (at most
// BlockSize) at ptr: the inner block in a's message registers, the outer
// in b's. The key is read in 16-byte loads that stay inside the key or,
// for a key under 16 bytes, inside its memory page, and a shuffle from a
// table drops the bytes beyond the key: nothing is stored, so the loads
// never wait for stores to reach the cache (a key written to memory just
// before, byte or word at a time, would stall them).
func keyBlocksFrom(a, b stream, ptr, n string) []string {
	label++
	var l []string
	for i, c := range a.m {
		full, zero, done := fmt.Sprintf("kfull%d_%d", label, i), fmt.Sprintf("kzero%d_%d", label, i), fmt.Sprintf("kdone%d_%d", label, i)
		l = append(l,
			fmt.Sprintf("MOVQ %s, R9", n),
			fmt.Sprintf("SUBQ $%d, R9", 16*i),
			"CMPQ R9, $16", "JGE "+full,
			"CMPQ R9, $0", "JLE "+zero,
			"SHLQ $4, R9") // the table row of r = n - 16i bytes
		tail := []string{
			fmt.Sprintf("LEAQ -16(%s)(%s*1), R10", ptr, n),
			fmt.Sprintf("MOVOU (R10), %s", c),
			"LEAQ shiftkey<>(SB), R11",
			"MOVOU (R11)(R9*1), X15",
			fmt.Sprintf("PSHUFB X15, %s", c),
			"JMP " + done,
		}
		if i == 0 {
			// Under 16 bytes: the 16 from the key's start if they stay in
			// its page, else the 16 that end with it.
			near := fmt.Sprintf("knear%d", label)
			l = append(l,
				fmt.Sprintf("MOVQ %s, R10", ptr),
				"ANDQ $4095, R10",
				"CMPQ R10, $4080", "JA "+near,
				fmt.Sprintf("MOVOU (%s), %s", ptr, c),
				"LEAQ keepkey<>(SB), R11",
				"MOVOU (R11)(R9*1), X15",
				fmt.Sprintf("PSHUFB X15, %s", c),
				"JMP "+done,
				near+":")
		}
		l = append(l, tail...)
		l = append(l,
			full+":", fmt.Sprintf("MOVOU %d(%s), %s", 16*i, ptr, c), "JMP "+done,
			zero+":", fmt.Sprintf("PXOR %s, %s", c, c),
			done+":")
	}
	l = append(l, "MOVOU ipad<>(SB), X15", fmt.Sprintf("MOVOU opad<>(SB), %s", a.e[1]))
	for i := range a.m {
		l = append(l,
			fmt.Sprintf("MOVO %s, %s", a.m[i], b.m[i]),
			fmt.Sprintf("PXOR %s, %s", a.e[1], b.m[i]),
			fmt.Sprintf("PXOR X15, %s", a.m[i]),
			fmt.Sprintf("PSHUFB %s, %s", mask, a.m[i]),
			fmt.Sprintf("PSHUFB %s, %s", mask, b.m[i]))
	}
	return l
}

// Slots hold states in the frame between compressions, as the registers
// hold them (ABCD with A on top, then E on top), above the feed-forward
// saves.
func slot(i int) int { return 64 + 32*i }

func spill(s stream, i int) []string {
	return []string{
		fmt.Sprintf("MOVOU %s, %d(SP)", s.abcd, slot(i)),
		fmt.Sprintf("MOVOU %s, %d(SP)", s.e[0], slot(i)+16),
	}
}

func reload(s stream, i int) []string {
	return []string{
		fmt.Sprintf("MOVOU %d(SP), %s", slot(i), s.abcd),
		fmt.Sprintf("MOVOU %d(SP), %s", slot(i)+16, s.e[0]),
	}
}

// digestFromSlot is digestBlock for the state in slot i.
func digestFromSlot(i int, dst stream) []string {
	return []string{
		fmt.Sprintf("MOVOU %d(SP), %s", slot(i), dst.m[0]),
		fmt.Sprintf("MOVOU %d(SP), %s", slot(i)+16, dst.m[1]),
		fmt.Sprintf("MOVOU pad80<>(SB), %s", dst.m[2]),
		fmt.Sprintf("POR %s, %s", dst.m[2], dst.m[1]),
		fmt.Sprintf("PXOR %s, %s", dst.m[2], dst.m[2]),
		fmt.Sprintf("MOVOU len84<>(SB), %s", dst.m[3]),
	}
}

// keyFromSlot lays out a key block (pad is ipad<> or opad<>) of the
// 20-byte key in slot i in dst's message registers; dst's second E
// register is free until its compression starts.
func keyFromSlot(i int, dst stream, pad string) []string {
	t := dst.e[1]
	return []string{
		fmt.Sprintf("MOVOU %s(SB), %s", pad, dst.m[0]),
		fmt.Sprintf("MOVOU %s(SB), %s", pad, dst.m[1]),
		fmt.Sprintf("MOVOU %s(SB), %s", pad, dst.m[2]),
		fmt.Sprintf("MOVOU %s(SB), %s", pad, dst.m[3]),
		fmt.Sprintf("MOVOU %d(SP), %s", slot(i), t),
		fmt.Sprintf("PXOR %s, %s", t, dst.m[0]),
		fmt.Sprintf("MOVOU %d(SP), %s", slot(i)+16, t),
		fmt.Sprintf("PXOR %s, %s", t, dst.m[1]),
	}
}

// blocks2 compresses the same n blocks at ptr into the states in slots i
// and j, two streams at a time.
func blocks2(a, b stream, i, j int, ptr, n string) []string {
	label++
	top, done := fmt.Sprintf("blocks%d", label), fmt.Sprintf("done%d", label)
	out := []string{top + ":", fmt.Sprintf("TESTQ %s, %s", n, n), "JZ " + done}
	out = append(out, zip(reload(a, i), reload(b, j))...)
	out = append(out, zip(loadBlock(a, ptr, 0), loadBlock(b, ptr, 0))...)
	out = append(out, compress(a, b)...)
	out = append(out, zip(spill(a, i), spill(b, j))...)
	out = append(out, fmt.Sprintf("ADDQ $64, %s", ptr), fmt.Sprintf("DECQ %s", n), "JMP "+top, done+":")
	return out
}

// doubleHMAC2 is doubleHMAC for two keys, g (BX, R12 bytes) and h (R13,
// R8 bytes), whose compressions run
// two at a time: the slots hold g's inner and outer states (0, 1) and h's
// (2, 3).
func doubleHMAC2(a, b stream) []string {
	var l []string
	// The key blocks of g, then of h.
	for k, key := range [][2]string{{"BX", "R12"}, {"R13", "R8"}} {
		l = append(l, keyBlocksFrom(a, b, key[0], key[1])...)
		l = append(l, zip(loadIV(a), loadIV(b))...)
		l = append(l, compress(a, b)...)
		l = append(l, zip(spill(a, 2*k), spill(b, 2*k+1))...)
	}
	l = append(l, blocks2(a, b, 0, 2, "SI", "CX")...)
	l = append(l, pairOuter(a, b)...)
	l = append(l, zip(spill(a, 1), spill(b, 3))...)
	return append(l, hmacKey20Pair(a, b, "DI", "DX")...)
}

// pairOuter compresses the inner digests in slots 0 and 2 into the outer
// states in slots 1 and 3, leaving the results in a and b.
func pairOuter(a, b stream) []string {
	l := zip(reload(a, 1), reload(b, 3))
	l = append(l, zip(digestFromSlot(0, a), digestFromSlot(2, b))...)
	return append(l, compress(a, b)...)
}

// hmacKey20Pair computes the HMACs of the n message blocks at ptr under
// the 20-byte keys in slots 1 and 3 and stores them at AX and AX+20.
func hmacKey20Pair(a, b stream, ptr, n string) []string {
	var l []string
	// Slot 1 becomes the first key's inner and outer states in slots 0
	// and 1, then slot 3 the second's in 2 and 3.
	for k := 0; k < 2; k++ {
		l = append(l, zip(loadIV(a), loadIV(b))...)
		l = append(l, zip(keyFromSlot(2*k+1, a, "ipad<>"), keyFromSlot(2*k+1, b, "opad<>"))...)
		l = append(l, compress(a, b)...)
		l = append(l, zip(spill(a, 2*k), spill(b, 2*k+1))...)
	}
	l = append(l, blocks2(a, b, 0, 2, ptr, n)...)
	l = append(l, pairOuter(a, b)...)
	l = append(l, "LEAQ 20(AX), R8")
	return append(l, zip(storeState(a, "AX"), storeState(b, "R8"))...)
}

// blocksTwo compresses the n blocks at p1 into the state in slot i and
// the n blocks at p2 into slot j, two streams at a time; it advances both
// pointers and counts n1 and n2 down by the blocks done.
func blocksTwo(a, b stream, i, j int, p1, n1, p2, n2 string) []string {
	label++
	top, done := fmt.Sprintf("two%d", label), fmt.Sprintf("twodone%d", label)
	out := []string{top + ":", fmt.Sprintf("TESTQ %s, %s", n1, n1), "JZ " + done, fmt.Sprintf("TESTQ %s, %s", n2, n2), "JZ " + done}
	out = append(out, zip(reload(a, i), reload(b, j))...)
	out = append(out, zip(loadBlock(a, p1, 0), loadBlock(b, p2, 0))...)
	out = append(out, compress(a, b)...)
	out = append(out, zip(spill(a, i), spill(b, j))...)
	out = append(out, fmt.Sprintf("ADDQ $64, %s", p1), fmt.Sprintf("ADDQ $64, %s", p2), fmt.Sprintf("DECQ %s", n1), fmt.Sprintf("DECQ %s", n2), "JMP "+top, done+":")
	return out
}

// blocksOne compresses the n blocks at ptr into the state in slot i.
func blocksOne(a stream, i int, ptr, n string) []string {
	label++
	top, done := fmt.Sprintf("one%d", label), fmt.Sprintf("onedone%d", label)
	out := []string{top + ":", fmt.Sprintf("TESTQ %s, %s", n, n), "JZ " + done}
	out = append(out, reload(a, i)...)
	out = append(out, loadBlock(a, ptr, 0)...)
	out = append(out, compress(a)...)
	out = append(out, spill(a, i)...)
	out = append(out, fmt.Sprintf("ADDQ $64, %s", ptr), fmt.Sprintf("DECQ %s", n), "JMP "+top, done+":")
	return out
}

func main() {
	var b bytes.Buffer
	p := func(format string, a ...any) { fmt.Fprintf(&b, format+"\n", a...) }
	fn := func(sig, text string, lines []string) {
		p("")
		p("// %s", sig)
		p("TEXT %s", text)
		for _, l := range lines {
			if strings.HasSuffix(l, ":") {
				p("%s", l)
			} else {
				p("\t%s", l)
			}
		}
		p("\tRET")
	}
	const bswap = "MOVOU bswap<>(SB), " + mask
	a, c := streams[0], streams[1]
	p("// Code generated by gen_amd64.go; DO NOT EDIT.")
	p("")
	p("//go:build amd64 && !purego")
	p("")
	p(`#include "textflag.h"`)
	p("")
	p("// The PSHUFB mask that reverses the 16 bytes of a register: four")
	p("// big-endian message words become dwords with the first on top.")
	p("DATA bswap<>+0(SB)/8, $0x08090a0b0c0d0e0f")
	p("DATA bswap<>+8(SB)/8, $0x0001020304050607")
	p("GLOBL bswap<>(SB), RODATA|NOPTR, $16")
	p("")
	p("// SHA-1's initial state as loaded: ABCD with A on top, E on top.")
	p("DATA ivabcd<>+0(SB)/8, $0x98badcfe10325476")
	p("DATA ivabcd<>+8(SB)/8, $0x67452301efcdab89")
	p("GLOBL ivabcd<>(SB), RODATA|NOPTR, $16")
	p("DATA ive<>+0(SB)/8, $0")
	p("DATA ive<>+8(SB)/8, $0xc3d2e1f000000000")
	p("GLOBL ive<>(SB), RODATA|NOPTR, $16")
	p("")
	p("// Message words 4 to 7 and 12 to 15 of an HMAC's outer block without")
	p("// the digest: 0x80 after 20 bytes; the length, (64 + 20) * 8 bits.")
	p("DATA pad80<>+0(SB)/8, $0")
	p("DATA pad80<>+8(SB)/8, $0x80000000")
	p("GLOBL pad80<>(SB), RODATA|NOPTR, $16")
	p("DATA len84<>+0(SB)/8, $672")
	p("DATA len84<>+8(SB)/8, $0")
	p("GLOBL len84<>(SB), RODATA|NOPTR, $16")
	p("")
	p("// HMAC's inner and outer key pad bytes.")
	p("DATA ipad<>+0(SB)/8, $0x3636363636363636")
	p("DATA ipad<>+8(SB)/8, $0x3636363636363636")
	p("GLOBL ipad<>(SB), RODATA|NOPTR, $16")
	p("DATA opad<>+0(SB)/8, $0x5c5c5c5c5c5c5c5c")
	p("DATA opad<>+8(SB)/8, $0x5c5c5c5c5c5c5c5c")
	p("GLOBL opad<>(SB), RODATA|NOPTR, $16")

	p("")
	p("// Row r (0 to 15) of keepkey keeps the first r bytes of a register and")
	p("// zeroes the rest; row r of shiftkey moves the last r bytes to the")
	p("// front and zeroes the rest.")
	for r := 0; r < 16; r++ {
		var keep, shift [16]byte
		for j := range keep {
			keep[j], shift[j] = 0x80, 0x80
			if j < r {
				keep[j], shift[j] = byte(j), byte(j+16-r)
			}
		}
		for h := 0; h < 2; h++ {
			p("DATA keepkey<>+%d(SB)/8, $0x%016x", 16*r+8*h, binary.LittleEndian.Uint64(keep[8*h:]))
			p("DATA shiftkey<>+%d(SB)/8, $0x%016x", 16*r+8*h, binary.LittleEndian.Uint64(shift[8*h:]))
		}
	}
	p("GLOBL keepkey<>(SB), RODATA|NOPTR, $256")
	p("GLOBL shiftkey<>(SB), RODATA|NOPTR, $256")

	var l []string
	l = []string{"MOVQ s+0(FP), AX", "MOVQ p+8(FP), BX", bswap}
	l = append(l, loadState(a, "AX")...)
	l = append(l, loadBlock(a, "BX", 0)...)
	l = append(l, compress(a)...)
	l = append(l, storeState(a, "AX")...)
	fn("func blockSHA(s *[5]uint32, p *[64]byte)", "·blockSHA(SB), NOSPLIT, $32-16", l)

	l = []string{"MOVQ s1+0(FP), AX", "MOVQ s2+8(FP), CX", "MOVQ p1+16(FP), BX", "MOVQ p2+24(FP), DX", bswap}
	l = append(l, zip(loadState(a, "AX"), loadState(c, "CX"))...)
	l = append(l, zip(loadBlock(a, "BX", 0), loadBlock(c, "DX", 0))...)
	l = append(l, compress(a, c)...)
	l = append(l, zip(storeState(a, "AX"), storeState(c, "CX"))...)
	fn("func block2SHA(s1, s2 *[5]uint32, p1, p2 *[64]byte)", "·block2SHA(SB), NOSPLIT, $64-32", l)

	// hmac: the key of kn bytes at key, message blocks at msg.
	l = []string{"MOVQ out+0(FP), AX", "MOVQ key+8(FP), BX", "MOVQ kn+16(FP), R12", "MOVQ msg+24(FP), SI", "MOVQ n+32(FP), CX", bswap}
	l = append(l, keyBlocksFrom(a, c, "BX", "R12")...)
	l = append(l, hmacTail(a, c, "SI", "CX")...)
	l = append(l, storeState(c, "AX")...)
	fn("func hmacSHA(out *[5]uint32, key *byte, kn int, msg *byte, n int)", "·hmacSHA(SB), NOSPLIT, $64-40", l)

	// hmacKey20: the key is the 20-byte digest at key.
	l = []string{"MOVQ out+0(FP), AX", "MOVQ key+8(FP), BX", "MOVQ msg+16(FP), SI", "MOVQ n+24(FP), CX", bswap}
	l = append(l, loadState(c, "BX")...)
	l = append(l, keyBlocks(c, a, c)...)
	l = append(l, hmacTail(a, c, "SI", "CX")...)
	l = append(l, storeState(c, "AX")...)
	fn("func hmacKey20SHA(out, key *[5]uint32, msg *byte, n int)", "·hmacKey20SHA(SB), NOSPLIT, $64-32", l)

	// doubleHMAC: HMAC(HMAC(key, salt), msg), the key of kn bytes at key.
	l = []string{"MOVQ out+0(FP), AX", "MOVQ key+8(FP), BX", "MOVQ kn+16(FP), R12", "MOVQ salt+24(FP), SI", "MOVQ ns+32(FP), CX", "MOVQ msg+40(FP), DI", "MOVQ nm+48(FP), DX", bswap}
	l = append(l, keyBlocksFrom(a, c, "BX", "R12")...)
	l = append(l, hmacTail(a, c, "SI", "CX")...)
	l = append(l, keyBlocks(c, a, c)...)
	l = append(l, hmacTail(a, c, "DI", "DX")...)
	l = append(l, storeState(c, "AX")...)
	fn("func doubleHMACSHA(out *[5]uint32, key *byte, kn int, salt *byte, ns int, msg *byte, nm int)", "·doubleHMACSHA(SB), NOSPLIT, $64-56", l)

	// doubleHMAC2: doubleHMAC for two keys.
	l = []string{"MOVQ out+0(FP), AX", "MOVQ k1+8(FP), BX", "MOVQ n1+16(FP), R12", "MOVQ k2+24(FP), R13", "MOVQ n2+32(FP), R8",
		"MOVQ salt+40(FP), SI", "MOVQ ns+48(FP), CX", "MOVQ msg+56(FP), DI", "MOVQ nm+64(FP), DX", bswap}
	l = append(l, doubleHMAC2(a, c)...)
	fn("func doubleHMAC2SHA(out *[10]uint32, k1 *byte, n1 int, k2 *byte, n2 int, salt *byte, ns int, msg *byte, nm int)", "·doubleHMAC2SHA(SB), NOSPLIT, $192-72", l)

	// hmacKey20x2: hmacKey20 for the two keys at keys and keys+20.
	l = []string{"MOVQ out+0(FP), AX", "MOVQ keys+8(FP), BX", "MOVQ msg+16(FP), SI", "MOVQ n+24(FP), CX", "LEAQ 20(BX), R9", bswap}
	l = append(l, zip(loadState(a, "BX"), loadState(c, "R9"))...)
	l = append(l, zip(spill(a, 1), spill(c, 3))...)
	l = append(l, hmacKey20Pair(a, c, "SI", "CX")...)
	fn("func hmacKey20x2SHA(out, keys *[10]uint32, msg *byte, n int)", "·hmacKey20x2SHA(SB), NOSPLIT, $192-32", l)

	// hmacStates2: the HMACs of two messages under one key whose inner
	// and outer states (after its key blocks) are at st and st+20.
	l = []string{"MOVQ out+0(FP), AX", "MOVQ st+8(FP), BX", "MOVQ m1+16(FP), SI", "MOVQ n1+24(FP), CX", "MOVQ m2+32(FP), DI", "MOVQ n2+40(FP), DX", "LEAQ 20(BX), R9", bswap}
	l = append(l, zip(loadState(a, "BX"), loadState(c, "R9"))...)
	l = append(l, zip(spill(a, 0), spill(c, 1))...)
	l = append(l, zip(spill(a, 2), spill(c, 3))...)
	l = append(l, blocksTwo(a, c, 0, 2, "SI", "CX", "DI", "DX")...)
	l = append(l, blocksOne(a, 0, "SI", "CX")...)
	l = append(l, blocksOne(a, 2, "DI", "DX")...)
	l = append(l, pairOuter(a, c)...)
	l = append(l, "LEAQ 20(AX), R8")
	l = append(l, zip(storeState(a, "AX"), storeState(c, "R8"))...)
	fn("func hmacStates2SHA(out, st *[10]uint32, m1 *byte, n1 int, m2 *byte, n2 int)", "·hmacStates2SHA(SB), NOSPLIT, $192-48", l)

	// hmacStates: the HMAC of the n blocks at msg and then the nt blocks
	// at tail (the message laid out in two places, its whole blocks where
	// they are) under the key whose inner and outer states are at st and
	// st+20.
	l = []string{"MOVQ out+0(FP), AX", "MOVQ st+8(FP), BX", "MOVQ msg+16(FP), SI", "MOVQ n+24(FP), CX", "MOVQ tail+32(FP), DI", "MOVQ nt+40(FP), DX", "LEAQ 20(BX), R9", bswap}
	l = append(l, loadState(a, "BX")...)
	l = append(l, blocks(a, "SI", "CX")...)
	l = append(l, blocks(a, "DI", "DX")...)
	l = append(l, loadState(c, "R9")...)
	l = append(l, digestBlock(a, c)...)
	l = append(l, compress(c)...)
	l = append(l, storeState(c, "AX")...)
	fn("func hmacStatesSHA(out *[5]uint32, st *[10]uint32, msg *byte, n int, tail *byte, nt int)", "·hmacStatesSHA(SB), NOSPLIT, $64-48", l)

	fn("func cpuid(leaf, sub uint32) (a, b, c, d uint32)", "·cpuid(SB), NOSPLIT, $0-24", []string{
		"MOVL leaf+0(FP), AX", "MOVL sub+4(FP), CX", "CPUID",
		"MOVL AX, a+8(FP)", "MOVL BX, b+12(FP)", "MOVL CX, c+16(FP)", "MOVL DX, d+20(FP)"})
	if err := os.WriteFile("block_amd64.s", b.Bytes(), 0o666); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
