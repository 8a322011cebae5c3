//go:build linux

package sha1block

import (
	"bytes"
	"syscall"
	"testing"
)

// TestKeyAtPageEdges places keys of every length up to a block at the
// start and near the end of a page between two inaccessible pages: the
// assembly reads a key in 16-byte loads that may pass its ends but must
// stay in its page, or the test dies of a fault.
func TestKeyAtPageEdges(t *testing.T) {
	ps := syscall.Getpagesize()
	mem, err := syscall.Mmap(-1, 0, 3*ps, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		t.Skip("mmap:", err)
	}
	defer syscall.Munmap(mem)
	if err := syscall.Mprotect(mem[:ps], syscall.PROT_NONE); err != nil {
		t.Skip("mprotect:", err)
	}
	if err := syscall.Mprotect(mem[2*ps:], syscall.PROT_NONE); err != nil {
		t.Skip("mprotect:", err)
	}
	page := mem[ps : 2*ps]
	for i := range page {
		page[i] = byte(i*13 + 1)
	}
	salt, msg := MessageBlocks([]byte("cookie-session")), MessageBlocks([]byte("eyJ1c2VyX2lkIjo0Mn0.ZVPxAA"))
	for n := 0; n <= BlockSize; n++ {
		// At the page's start, and ending 0 to 16 bytes before its end.
		keys := [][]byte{page[:n:n]}
		for k := 0; k <= 16; k++ {
			keys = append(keys, page[ps-n-k:ps-k:ps-k])
		}
		for _, key := range keys {
			want := stdHMAC(stdHMAC(key, []byte("cookie-session")), []byte("eyJ1c2VyX2lkIjo0Mn0.ZVPxAA"))
			var out State
			DoubleHMAC(&out, key, salt, msg)
			if got := digest(&out); !bytes.Equal(got, want) {
				t.Fatalf("key of %d bytes: got %x, want %x", n, got, want)
			}
			var pair [2]State
			DoubleHMAC2(&pair, key, key, salt, msg)
			if got := digest(&pair[1]); !bytes.Equal(got, want) {
				t.Fatalf("DoubleHMAC2, key of %d bytes: got %x, want %x", n, got, want)
			}
			HMAC(&out, key, msg)
			if got, want := digest(&out), stdHMAC(key, []byte("eyJ1c2VyX2lkIjo0Mn0.ZVPxAA")); !bytes.Equal(got, want) {
				t.Fatalf("HMAC, key of %d bytes: got %x, want %x", n, got, want)
			}
		}
	}
}
