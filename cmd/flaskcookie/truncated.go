package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/flaskcookie/flaskcookie/audit"
)

// explainTruncated returns the reason decode gives when err, the failure
// to decode cookie, comes from the cookie being cut short, or nil: a
// compressed cookie without its end, a signature too short to match (with
// a key), or a compressed payload whose zlib stream ends early (without
// one: with a key, a verified cookie is whole).
func explainTruncated(cookie string, sigSize int, verify bool, err error) error {
	const copyAll = "; copy all of it (a Flask session cookie is PAYLOAD.TIMESTAMP.SIGNATURE, with a '.' first when compressed)"
	switch {
	case audit.CutAfterPayload(cookie) != "":
		return errors.New("malformed cookie: it looks truncated: " + audit.CutAfterPayload(cookie) + copyAll)
	case verify && audit.ShortSignature(cookie, sigSize) != "":
		return errors.New("the signature does not match, and the cookie looks truncated: " + audit.ShortSignature(cookie, sigSize) + copyAll)
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
