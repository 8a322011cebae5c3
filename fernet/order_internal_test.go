package fernet

import (
	"bytes"
	"crypto/cipher"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"testing"
	"time"
)

// countingBlock is a test double for the AES cipher that counts the
// blocks it decrypts, so that the order of the MAC check and decryption is
// observable: a forged token must never reach the cipher.
type countingBlock struct {
	cipher.Block
	decrypts int
}

func (b *countingBlock) Decrypt(dst, src []byte) {
	b.decrypts++
	b.Block.Decrypt(dst, src)
}

// testFernet returns a Fernet with a fixed key whose cipher counts
// decryptions.
func testFernet(t *testing.T) (*Fernet, *countingBlock) {
	t.Helper()
	var k Key
	for i := range k {
		k[i] = byte(i * 7)
	}
	f, err := New(k)
	if err != nil {
		t.Fatal(err)
	}
	cb := &countingBlock{Block: f.keys[0].block}
	f.keys[0].block = cb
	return f, cb
}

// sealRaw seals ciphertext blocks made from the raw plaintext blocks pt
// (no padding added: its length must be a multiple of the block size)
// under f's first key, with a valid MAC, so that what follows the MAC
// check can be tested with any padding.
func sealRaw(f *Fernet, pt []byte, ts uint64) string {
	k := f.keys[0]
	buf := make([]byte, headerSize+len(pt), headerSize+len(pt)+macSize)
	buf[0] = Version
	binary.BigEndian.PutUint64(buf[1:9], ts)
	for i := 9; i < headerSize; i++ {
		buf[i] = byte(i)
	}
	copy(buf[headerSize:], pt)
	k.encryptCBC(buf[headerSize:], buf[9:headerSize])
	buf = k.mac(buf, buf)
	return base64.URLEncoding.EncodeToString(buf)
}

// TestMACBeforeDecrypt checks that tokens whose MAC does not verify never
// reach the cipher, and that a valid one does: a mutant that decrypts
// before checking the MAC gives the same results but fails here.
func TestMACBeforeDecrypt(t *testing.T) {
	f, cb := testFernet(t)
	valid, err := f.EncryptAt(bytes.Repeat([]byte("x"), 40), time.Unix(1700000000, 0), make([]byte, IVSize))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := base64.URLEncoding.DecodeString(valid)
	if err != nil {
		t.Fatal(err)
	}
	forged := func(i int) string {
		b := bytes.Clone(raw)
		b[i] ^= 1
		return base64.URLEncoding.EncodeToString(b)
	}
	tests := []struct {
		name  string
		token string
	}{
		{"ciphertext changed", forged(headerSize)},
		{"IV changed", forged(9)},
		{"timestamp changed", forged(1)},
		{"MAC changed", forged(len(raw) - 1)},
		{"another key's token", func() string {
			var k Key
			g, _ := New(k)
			s, _ := g.EncryptAt([]byte("x"), time.Unix(1700000000, 0), make([]byte, IVSize))
			return s
		}()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cb.decrypts = 0
			if _, err := f.Decrypt(tt.token); !errors.Is(err, ErrInvalidToken) {
				t.Fatalf("Decrypt: %v, want ErrInvalidToken", err)
			}
			if cb.decrypts != 0 {
				t.Fatalf("a token whose MAC does not verify reached the cipher (%d blocks decrypted)", cb.decrypts)
			}
		})
	}
	t.Run("valid token is decrypted", func(t *testing.T) {
		cb.decrypts = 0
		if _, err := f.Decrypt(valid); err != nil {
			t.Fatal(err)
		}
		if cb.decrypts != 3 {
			t.Fatalf("%d blocks decrypted, want 3", cb.decrypts)
		}
	})
}

// TestPadding checks PKCS#7 unpadding on MAC-valid tokens of one and two
// blocks: every padding byte from 0 to 255 in the last position, with the
// padding run complete, and a run broken by one byte. Only 1 to 16 with a
// complete run may decrypt; the rest (a byte above 16 above all, which
// would slice before the start of a one-block plaintext) are refused
// without a panic.
func TestPadding(t *testing.T) {
	f, _ := testFernet(t)
	for _, blocks := range []int{1, 2} {
		for p := 0; p < 256; p++ {
			pt := bytes.Repeat([]byte{'a'}, blocks*blockSize)
			for i := 0; i < p && i < len(pt); i++ {
				pt[len(pt)-1-i] = byte(p)
			}
			got, err := f.Decrypt(sealRaw(f, pt, 1700000000))
			wantOK := p >= 1 && p <= blockSize
			switch {
			case wantOK && err != nil:
				t.Errorf("%d blocks, padding %d: %v", blocks, p, err)
			case wantOK && !bytes.Equal(got, pt[:len(pt)-p]):
				t.Errorf("%d blocks, padding %d: got %q", blocks, p, got)
			case !wantOK && !errors.Is(err, ErrInvalidToken):
				t.Errorf("%d blocks, padding %d: got %q, %v; want ErrInvalidToken", blocks, p, got, err)
			}
			if p >= 2 && p <= blockSize {
				// The run broken at its first byte.
				pt[len(pt)-p] ^= 0x40
				if got, err := f.Decrypt(sealRaw(f, pt, 1700000000)); !errors.Is(err, ErrInvalidToken) {
					t.Errorf("%d blocks, padding %d with a broken run: got %q, %v; want ErrInvalidToken", blocks, p, got, err)
				}
			}
		}
	}
}
