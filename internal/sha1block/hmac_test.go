package sha1block

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1"
	"math/rand/v2"
	"testing"
)

// hmacs are the HMAC kernels under test: the dispatching ones (the SHA
// instructions where the CPU has them) and the pure Go ones.
type hmacs struct {
	hmac       func(out *State, key, msg []byte)
	key20      func(out, key *State, msg []byte)
	doubleHMAC func(out *State, key, salt, msg []byte)
	pair       func(out *[2]State, k1, k2, salt, msg []byte)
	key20Pair  func(out, keys *[2]State, msg []byte)
	keyStates  func(st *[2]State, key []byte)
	states2    func(out, st *[2]State, m1, m2 []byte)
	states     func(out *State, st *[2]State, msg []byte)
}

var kernels = map[string]hmacs{
	"dispatch": {HMAC, HMACKey20, DoubleHMAC, DoubleHMAC2, HMACKey20x2, KeyStates, HMACStates2, HMACStates},
	"generic":  {HMACGeneric, HMACKey20Generic, DoubleHMACGeneric, DoubleHMAC2Generic, HMACKey20x2Generic, KeyStatesGeneric, HMACStates2Generic, HMACStatesGeneric},
}

func stdHMAC(key, msg []byte) []byte {
	m := hmac.New(sha1.New, key)
	m.Write(msg)
	return m.Sum(nil)
}

func digest(s *State) []byte {
	d := make([]byte, Size)
	PutDigest(d, s)
	return d
}

// checkHMACs compares every kernel with crypto/hmac for one key, salt and
// message.
func checkHMACs(t *testing.T, key, salt, msg []byte) {
	t.Helper()
	want := stdHMAC(key, msg)
	derived := stdHMAC(key, salt)
	wantDouble := stdHMAC(derived, msg)
	var dk State
	for i := range dk {
		dk[i] = uint32(derived[4*i])<<24 | uint32(derived[4*i+1])<<16 | uint32(derived[4*i+2])<<8 | uint32(derived[4*i+3])
	}
	mb, sb := MessageBlocks(msg), MessageBlocks(salt)
	for name, k := range kernels {
		var out State
		k.hmac(&out, key, mb)
		if got := digest(&out); !bytes.Equal(got, want) {
			t.Fatalf("%s HMAC key %d bytes msg %d bytes: got %x, want %x", name, len(key), len(msg), got, want)
		}
		k.key20(&out, &dk, mb)
		if got := digest(&out); !bytes.Equal(got, wantDouble) {
			t.Fatalf("%s HMACKey20 msg %d bytes: got %x, want %x", name, len(msg), got, wantDouble)
		}
		// Two messages under one key's states, salt and message in
		// both orders (their block counts differ).
		var st, two [2]State
		k.keyStates(&st, key)
		for i, ms := range [][2][]byte{{mb, sb}, {sb, mb}} {
			k.states2(&two, &st, ms[0], ms[1])
			want := [2][]byte{want, derived}
			if i == 1 {
				want[0], want[1] = want[1], want[0]
			}
			for j := range two {
				if got := digest(&two[j]); !bytes.Equal(got, want[j]) {
					t.Fatalf("%s HMACStates2 message %d, key %d, salt %d, msg %d bytes: got %x, want %x", name, j, len(key), len(salt), len(msg), got, want[j])
				}
			}
		}
		// One message, not laid out, under the key's states.
		k.states(&out, &st, msg)
		if got := digest(&out); !bytes.Equal(got, want) {
			t.Fatalf("%s HMACStates key %d, msg %d bytes: got %x, want %x", name, len(key), len(msg), got, want)
		}
		// The 20-byte key beside another, in both places.
		var pair20 [2]State
		other20 := State{1, 2, 3, 4, 5}
		wantOther20 := stdHMAC(digest(&other20), msg)
		for i, keys := range [][2]State{{dk, other20}, {other20, dk}} {
			k.key20Pair(&pair20, &keys, mb)
			want := [2][]byte{wantDouble, wantOther20}
			if i == 1 {
				want[0], want[1] = want[1], want[0]
			}
			for j := range pair20 {
				if got := digest(&pair20[j]); !bytes.Equal(got, want[j]) {
					t.Fatalf("%s HMACKey20x2 key %d, msg %d bytes: got %x, want %x", name, j, len(msg), got, want[j])
				}
			}
		}
		k.doubleHMAC(&out, key, sb, mb)
		if got := digest(&out); !bytes.Equal(got, wantDouble) {
			t.Fatalf("%s DoubleHMAC key %d salt %d msg %d bytes: got %x, want %x", name, len(key), len(salt), len(msg), got, wantDouble)
		}
		// The pair: key beside another key, in both places.
		other := append([]byte("other"), key...)
		wantOther := stdHMAC(stdHMAC(other, salt), msg)
		var pair [2]State
		for i, keys := range [][2][]byte{{key, other}, {other, key}} {
			k.pair(&pair, keys[0], keys[1], sb, mb)
			want := [2][]byte{wantDouble, wantOther}
			if i == 1 {
				want[0], want[1] = want[1], want[0]
			}
			for j := range pair {
				if got := digest(&pair[j]); !bytes.Equal(got, want[j]) {
					t.Fatalf("%s DoubleHMAC2 key %d of %d, salt %d, msg %d bytes: got %x, want %x", name, j, len(keys[j]), len(salt), len(msg), got, want[j])
				}
			}
		}
	}
}

func TestHMACAgainstCryptoHMAC(t *testing.T) {
	t.Logf("SHA instructions used: %v", Accelerated())
	r := rand.New(rand.NewPCG(5, 6))
	rnd := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		return b
	}
	for n := 0; n <= 300; n++ {
		// Every message and salt length, with keys of every length up to
		// 200 in turn (longer than a block: hashed first).
		checkHMACs(t, rnd(n%201), rnd(r.IntN(301)), rnd(n))
		checkHMACs(t, rnd(r.IntN(201)), rnd(n), rnd(r.IntN(301)))
	}
	for kl := 0; kl <= 200; kl++ {
		checkHMACs(t, rnd(kl), []byte("cookie-session"), rnd(r.IntN(301)))
	}
}

func FuzzHMAC(f *testing.F) {
	f.Add([]byte("secret"), []byte("cookie-session"), []byte("eyJ1c2VyX2lkIjo0Mn0.ZVPxAA"))
	f.Add(make([]byte, 65), make([]byte, 55), make([]byte, 56))
	f.Add(make([]byte, 64), make([]byte, 119), make([]byte, 120))
	f.Fuzz(func(t *testing.T, key, salt, msg []byte) {
		checkHMACs(t, key, salt, msg)
	})
}

func BenchmarkDoubleHMAC(b *testing.B) {
	p := []byte("not-the-secret-key")
	salt := MessageBlocks([]byte("cookie-session"))
	msg := MessageBlocks([]byte("eyJ1c2VyX2lkIjo0Mn0.ZVPxAA"))
	for name, k := range kernels {
		b.Run(name, func(b *testing.B) {
			var out State
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				k.doubleHMAC(&out, p, salt, msg)
			}
		})
		// Per key, so that the ns/op compare with the single key's.
		b.Run(name+"/pair-per-key", func(b *testing.B) {
			var out [2]State
			b.ReportAllocs()
			for i := 0; i < b.N; i += 2 {
				k.pair(&out, p, p, salt, msg)
			}
		})
	}
}
