package main

import (
	"errors"
	"fmt"
	"github.com/flaskcookie/flaskcookie/audit"
	"io"
	"strings"

	"github.com/flaskcookie/flaskcookie/internal/pybase64"
)

// A cookie pasted without its end is the commonest damage; these tell it
// from a wrong key or a hand-made cookie.

// cutAfterPayload tells, as a reason, that cookie is compressed (it starts
// with '.') but stops before its timestamp and signature; else "".
func cutAfterPayload(cookie string) string {
	c := strings.TrimSpace(cookie)
	if strings.HasPrefix(c, ".") && strings.Count(c, ".") < 3 {
		return "it is compressed (it starts with '.') but has no timestamp and signature after its payload"
	}
	return ""
}

const base64URLAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// shortSignature tells, as a reason, that the signature of cookie is
// shorter than sigSize bytes, the digest's, and than any digest's of that
// length (which would be a --digest matter); else "".
func shortSignature(cookie string, sigSize int) string {
	c := strings.TrimSpace(cookie)
	i := strings.LastIndexByte(c, '.')
	if i < 0 {
		return ""
	}
	part := c[i+1:]
	n := -1
	if sig, err := pybase64.DecodeURLSafe(nil, []byte(part)); err == nil {
		n = len(sig)
	} else if strings.Trim(part, base64URLAlphabet) == "" {
		n = len(part) * 6 / 8 // cut where no base64 can end
	}
	if n >= 0 && n < sigSize && audit.DigestForSize(n) == "" {
		return fmt.Sprintf("its signature is %s, shorter than the %d of its digest", plural(n, "byte"), sigSize)
	}
	return ""
}

// truncation tells why a Flask session cookie looks cut short, or "".
func truncation(cookie string, sigSize int) string {
	if why := cutAfterPayload(cookie); why != "" {
		return why
	}
	return shortSignature(cookie, sigSize)
}

// explainTruncated returns the reason decode gives when err, the failure
// to decode cookie, comes from the cookie being cut short, or nil: a
// compressed cookie without its end, a signature too short to match (with
// a key), or a compressed payload whose zlib stream ends early (without
// one: with a key, a verified cookie is whole).
func explainTruncated(cookie string, sigSize int, verify bool, err error) error {
	const copyAll = "; copy all of it (a Flask session cookie is PAYLOAD.TIMESTAMP.SIGNATURE, with a '.' first when compressed)"
	switch {
	case cutAfterPayload(cookie) != "":
		return errors.New("malformed cookie: it looks truncated: " + cutAfterPayload(cookie) + copyAll)
	case verify && shortSignature(cookie, sigSize) != "":
		return errors.New("the signature does not match, and the cookie looks truncated: " + shortSignature(cookie, sigSize) + copyAll)
	case !verify && errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("malformed cookie: it looks truncated: its compressed payload ends in the middle of the zlib stream" + copyAll)
	}
	return nil
}

// cutHint is what inspect adds to a signature of n bytes where want are
// expected and no digest gives n: shorter, it looks cut short.
func cutHint(n, want int) string {
	if n < want && audit.DigestForSize(n) == "" {
		return ", so the cookie looks truncated"
	}
	return ""
}

// plural formats n things: "1 byte", "2 bytes".
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}
