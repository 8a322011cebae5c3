package sha1block

import (
	"crypto/sha1"
	"encoding/binary"
	"math/rand/v2"
	"testing"
)

// sum is SHA-1 of msg with block as the compression: padding and length
// laid out by hand, as callers of this package do.
func sum(msg []byte, block func(*State, *[BlockSize]byte)) [Size]byte {
	s := IV
	n := len(msg)
	for len(msg) >= BlockSize {
		block(&s, (*[BlockSize]byte)(msg))
		msg = msg[BlockSize:]
	}
	var tail [2 * BlockSize]byte
	copy(tail[:], msg)
	tail[len(msg)] = 0x80
	end := BlockSize
	if len(msg) >= BlockSize-8 {
		end = 2 * BlockSize
	}
	binary.BigEndian.PutUint64(tail[end-8:], uint64(n)*8)
	for i := 0; i < end; i += BlockSize {
		block(&s, (*[BlockSize]byte)(tail[i:]))
	}
	var d [Size]byte
	PutDigest(d[:], &s)
	return d
}

// blocks are the compressions under test, by name.
func blocks() map[string]func(*State, *[BlockSize]byte) {
	m := map[string]func(*State, *[BlockSize]byte){
		"generic": BlockGeneric,
		"Block":   Block,
		// Block2's first and second streams, each beside a stream on
		// other data that must not disturb it.
		"Block2/first": func(s *State, p *[BlockSize]byte) {
			o, q := State{1, 2, 3, 4, 5}, [BlockSize]byte{9: 1}
			Block2(s, &o, p, &q)
		},
		"Block2/second": func(s *State, p *[BlockSize]byte) {
			o, q := State{5, 4, 3, 2, 1}, [BlockSize]byte{63: 7}
			Block2(&o, s, &q, p)
		},
	}
	return m
}

func TestBlockAgainstCryptoSHA1(t *testing.T) {
	t.Logf("SHA instructions used: %v", Accelerated())
	r := rand.New(rand.NewPCG(1, 2))
	msg := make([]byte, 1000)
	for i := range msg {
		msg[i] = byte(r.Uint32())
	}
	for name, block := range blocks() {
		t.Run(name, func(t *testing.T) {
			for n := 0; n <= 300; n++ {
				if got, want := sum(msg[:n], block), sha1.Sum(msg[:n]); got != want {
					t.Fatalf("length %d: got %x, want %x", n, got, want)
				}
			}
			for i := 0; i < 200; i++ {
				m := msg[:r.IntN(len(msg)+1)]
				if got, want := sum(m, block), sha1.Sum(m); got != want {
					t.Fatalf("length %d: got %x, want %x", len(m), got, want)
				}
			}
		})
	}
}

// TestBlock2Independent checks both streams of Block2 against Block on
// distinct random states and blocks.
func TestBlock2Independent(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 1000; i++ {
		var s1, s2 State
		var p1, p2 [BlockSize]byte
		for j := range s1 {
			s1[j], s2[j] = r.Uint32(), r.Uint32()
		}
		for j := range p1 {
			p1[j], p2[j] = byte(r.Uint32()), byte(r.Uint32())
		}
		w1, w2 := s1, s2
		BlockGeneric(&w1, &p1)
		BlockGeneric(&w2, &p2)
		Block2(&s1, &s2, &p1, &p2)
		if s1 != w1 || s2 != w2 {
			t.Fatalf("case %d: got %x %x, want %x %x", i, s1, s2, w1, w2)
		}
	}
}

func FuzzBlock(f *testing.F) {
	f.Add([]byte("abc"))
	f.Add(make([]byte, 55))
	f.Add(make([]byte, 64))
	f.Fuzz(func(t *testing.T, msg []byte) {
		want := sha1.Sum(msg)
		for name, block := range blocks() {
			if got := sum(msg, block); got != want {
				t.Fatalf("%s: got %x, want %x", name, got, want)
			}
		}
	})
}

func BenchmarkBlock(b *testing.B) {
	var p [BlockSize]byte
	benchmarks := []struct {
		name   string
		blocks int
		f      func(s1, s2 *State)
	}{
		{"Block", 1, func(s1, _ *State) { Block(s1, &p) }},
		{"Block2", 2, func(s1, s2 *State) { Block2(s1, s2, &p, &p) }},
		{"generic", 1, func(s1, _ *State) { BlockGeneric(s1, &p) }},
		{"crypto-sha1", 1, func(_, _ *State) { sha1.Sum(p[:55]) }},
	}
	for _, bm := range benchmarks {
		b.Run(bm.name, func(b *testing.B) {
			s1, s2 := IV, IV
			b.ReportAllocs()
			b.SetBytes(int64(bm.blocks * BlockSize))
			for i := 0; i < b.N; i++ {
				bm.f(&s1, &s2)
			}
		})
	}
}
