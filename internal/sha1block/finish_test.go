package sha1block

import (
	"crypto/sha1"
	"testing"
)

// TestFinish checks Finish against crypto/sha1 for messages of every
// length to 300 bytes after 0, 1 and 2 blocks compressed in advance.
func TestFinish(t *testing.T) {
	buf := make([]byte, 3*BlockSize+300)
	for i := range buf {
		buf[i] = byte(i*7 + i>>3)
	}
	for name, finish := range map[string]func(State, int, []byte) State{"Finish": Finish, "FinishGeneric": FinishGeneric} {
		for pre := 0; pre <= 2; pre++ {
			s := IV
			for b := 0; b < pre; b++ {
				Block(&s, (*[BlockSize]byte)(buf[b*BlockSize:]))
			}
			for n := 0; n <= 300; n++ {
				msg := buf[pre*BlockSize : pre*BlockSize+n]
				f := finish(s, pre*BlockSize, msg)
				var got [Size]byte
				PutDigest(got[:], &f)
				if want := sha1.Sum(buf[:pre*BlockSize+n]); got != want {
					t.Fatalf("%s, %d blocks and %d bytes: %x, crypto/sha1 %x", name, pre, n, got, want)
				}
			}
		}
	}
}
