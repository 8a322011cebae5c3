package audit

import (
	"fmt"
	"strings"

	"github.com/flaskcookie/flaskcookie/internal/pybase64"
)

// A cookie pasted without its end is the commonest damage; these tell it
// from a wrong key or a hand-made cookie. They read the layout of Flask's
// cookie (and of itsdangerous's other timed tokens).

// Truncation returns why a Flask session cookie looks cut short, as a
// reason (CutAfterPayload's, else ShortSignature's), or "" when it does
// not. sigSize is the size of the digest's MAC (20 for Flask's SHA-1).
func Truncation(token string, sigSize int) string {
	if why := CutAfterPayload(token); why != "" {
		return why
	}
	return ShortSignature(token, sigSize)
}

// CutAfterPayload returns, as a reason, that a Flask cookie is compressed
// (it starts with '.') but stops before its timestamp and signature; else
// "".
func CutAfterPayload(token string) string {
	c := strings.TrimSpace(token)
	if strings.HasPrefix(c, ".") && strings.Count(c, ".") < 3 {
		return "it is compressed (it starts with '.') but has no timestamp and signature after its payload"
	}
	return ""
}

// ShortSignature returns, as a reason, that the signature of token (after
// its last '.') is shorter than sigSize bytes, the digest's, and than any
// digest's of that length (a signature of another digest's size is a
// matter of choosing the digest, not a cut); else "".
func ShortSignature(token string, sigSize int) string {
	c := strings.TrimSpace(token)
	i := strings.LastIndexByte(c, '.')
	if i < 0 {
		return ""
	}
	part := c[i+1:]
	n := -1
	if sig, err := pybase64.DecodeURLSafe(nil, []byte(part)); err == nil {
		n = len(sig)
	} else if strings.Trim(part, pybase64.URLSafeAlphabet) == "" {
		n = len(part) * 6 / 8 // cut where no base64 can end
	}
	if n >= 0 && n < sigSize && DigestForSize(n) == "" {
		s := "s"
		if n == 1 {
			s = ""
		}
		return fmt.Sprintf("its signature is %d byte%s, shorter than the %d of its digest", n, s, sigSize)
	}
	return ""
}
