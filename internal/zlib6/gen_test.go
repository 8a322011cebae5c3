package zlib6

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"strconv"
)

// genInput returns differential input i of a seed: random bytes, text over
// small alphabets, repeats, and Flask-session-shaped JSON, from 1 to maxLen
// bytes. Input i depends on (seed, i) alone, so any one can be replayed.
func genInput(seed, i uint64, maxLen int) []byte {
	r := rand.New(rand.NewPCG(seed, i))
	var n int
	switch x := r.IntN(10); {
	case x < 5:
		n = 1 + r.IntN(min(512, maxLen))
	case x < 8:
		n = 1 + r.IntN(min(4096, maxLen))
	default:
		n = 1 + r.IntN(maxLen)
	}
	out := make([]byte, 0, n+64)
	for len(out) < n {
		out = appendPiece(r, out, n-len(out))
	}
	return out[:n]
}

var words = []string{"user_id", "_fresh", "_id", "csrf_token", "cart", "items", "name", "true", "false",
	"null", "lang", "en", "theme", "dark", " t", " d", " b", " m", " u", "flash", "message", "category",
	"{", "}", "[", "]", ":", ",", "\"", "the", "a", "of", "session", "0", "1", "42"}

// appendPiece appends one piece of at most about room bytes.
func appendPiece(r *rand.Rand, out []byte, room int) []byte {
	m := 1 + r.IntN(min(room, 600)+1)
	switch r.IntN(8) {
	case 0: // incompressible
		for range m {
			out = append(out, byte(r.Uint32()))
		}
	case 1: // a small alphabet
		k := 1 + r.IntN(16)
		base := byte(r.Uint32())
		for range m {
			out = append(out, base+byte(r.IntN(k)))
		}
	case 2: // words
		for range max(1, m/5) {
			out = append(out, words[r.IntN(len(words))]...)
		}
	case 3: // a repeat of something earlier, maybe far back, maybe changed
		if len(out) == 0 {
			return append(out, byte(r.Uint32()))
		}
		start := r.IntN(len(out))
		l := min(m, len(out)-start)
		for j := range l {
			c := out[start+j]
			if r.IntN(50) == 0 {
				c = byte(r.Uint32())
			}
			out = append(out, c)
		}
	case 4: // runs
		c := byte(r.Uint32())
		for range m {
			out = append(out, c)
		}
	default: // a Flask session's tagged JSON
		out = appendSession(r, out)
	}
	return out
}

func appendSession(r *rand.Rand, out []byte) []byte {
	out = append(out, '{')
	fields := 1 + r.IntN(8)
	for f := range fields {
		if f > 0 {
			out = append(out, ',')
		}
		out = strconv.AppendQuote(out, words[r.IntN(len(words))])
		out = append(out, ':')
		switch r.IntN(7) {
		case 0:
			out = strconv.AppendInt(out, r.Int64N(1<<40), 10)
		case 1:
			b := make([]byte, 8+r.IntN(24))
			for j := range b {
				b[j] = byte(r.Uint32())
			}
			out = append(out, `"`+hex.EncodeToString(b)+`"`...)
		case 2:
			b := make([]byte, 4+r.IntN(40))
			for j := range b {
				b[j] = byte(r.Uint32())
			}
			out = append(out, `{" b":"`+base64.StdEncoding.EncodeToString(b)+`"}`...)
		case 3:
			out = append(out, `{" t":[1,"two",{" m":"<b>x</b>"}]}`...)
		case 4:
			out = fmt.Appendf(out, `{" d":"Mon, %02d Jan 2024 10:00:00 GMT"}`, r.IntN(28)+1)
		case 5:
			out = append(out, "true"...)
		default:
			out = append(out, `[["message","Logged in"],["error","`...)
			out = strconv.AppendInt(out, r.Int64N(1000), 10)
			out = append(out, `"]]`...)
		}
	}
	return append(out, '}')
}
