package session

import (
	"bytes"
	"encoding/base64"
	"math/rand/v2"
	"strings"
	"testing"
)

// mayBePermanent agrees with decoding the whole payload at once and
// searching it, for payloads of every length up to several pieces, with
// the key or a backslash anywhere (across the pieces' boundaries too), and
// payloads that end in the middle of a group of digits or at a byte that
// is not a digit.
func TestMayBePermanentAgrees(t *testing.T) {
	const digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	want := func(value string) bool {
		n := 0
		for n < len(value) && strings.IndexByte(digits, value[n]) >= 0 {
			n++
		}
		if n == 0 {
			return true
		}
		payload := value[:n]
		if len(payload)%4 == 1 {
			payload = payload[:len(payload)-1] // a lone digit makes no byte
		}
		b, err := base64.RawURLEncoding.DecodeString(payload)
		if err != nil {
			t.Fatalf("reference: %q: %v", payload, err)
		}
		return bytes.IndexByte(b, '\\') >= 0 || bytes.Contains(b, permanentJSON)
	}
	m := &Manager{peek: true}
	r := rand.New(rand.NewPCG(1, 2))
	// Near misses of the key as filler, and at most one key or backslash
	// at a random place.
	pieces := []string{"a", "bc", `"x"`, ":", ",", "1", `"_permanen"`, `"_permanenT"`, `_permanen`}
	found := 0
	for n := 0; n < 20000; n++ {
		var js strings.Builder
		for size := r.IntN(900); js.Len() < size; {
			js.WriteString(pieces[r.IntN(len(pieces))])
		}
		text := js.String()
		if r.IntN(2) == 0 {
			at := r.IntN(len(text) + 1)
			text = text[:at] + []string{string(permanentJSON), `\`}[r.IntN(2)] + text[at:]
		}
		value := base64.RawURLEncoding.EncodeToString([]byte(text))
		switch r.IntN(4) {
		case 0:
			value += ".aBcD.sig"
		case 1:
			if len(value) > 0 {
				value = value[:r.IntN(len(value))] + "=" + value[r.IntN(len(value)):]
			}
		case 2:
			value = value[:len(value)-r.IntN(min(len(value), 3)+1)]
		}
		w := want(value)
		if w {
			found++
		}
		if got := m.mayBePermanent(value); got != w {
			t.Fatalf("mayBePermanent(%q) = %v, want %v", value, got, w)
		}
	}
	if found < 8000 || found > 12000 {
		t.Errorf("%d of 20000 payloads may be permanent: the test checks too few of one kind", found)
	}
}
