package audit

import (
	"bytes"
	"compress/zlib"
	"errors"
	"io"
	"strings"

	"github.com/flaskcookie/flaskcookie/internal/pybase64"
	"github.com/flaskcookie/flaskcookie/internal/pyjson"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
)

// maxInflate bounds what detection inflates: a cookie is about 4 KB.
const maxInflate = 1 << 20

// JWSHeader decodes the header of a JWS token without checking anything.
// It is for showing and choosing: never trust what it returns.
func JWSHeader(token string) (map[string]any, error) {
	h, _, ok := strings.Cut(strings.TrimSpace(token), ".")
	if !ok {
		return nil, errors.New("no '.' in it")
	}
	raw, err := pybase64.DecodeURLSafe(nil, []byte(h))
	if err != nil {
		return nil, errors.New("the header is not base64")
	}
	g, err := pyjson.Decode(raw, pyjson.Options{MaxDepth: itsdangerous.DefaultMaxDepth})
	if err != nil {
		return nil, errors.New("the header is not JSON")
	}
	m, ok := g.(map[string]any)
	if !ok {
		return nil, errors.New("the header is not a JSON object")
	}
	return m, nil
}

// djangoPayload decodes the payload part of a Django signing.dumps token:
// URL-safe base64, zlib-compressed when it starts with '.', holding JSON.
func djangoPayload(p string) (raw []byte, n int, err error) {
	compressed := strings.HasPrefix(p, ".")
	if compressed {
		p = p[1:]
	}
	raw, err = pybase64.DecodeURLSafe(nil, []byte(p))
	if err != nil || p == "" {
		return nil, 0, errors.New("not base64")
	}
	n = len(raw)
	if compressed {
		zr, err := zlib.NewReader(bytes.NewReader(raw))
		if err != nil {
			return nil, n, errors.New("marked compressed, but not zlib")
		}
		raw, err = io.ReadAll(io.LimitReader(zr, maxInflate+1))
		if err != nil || len(raw) > maxInflate {
			return nil, n, errors.New("a damaged or oversized zlib stream")
		}
	}
	if _, err := pyjson.Decode(latin1ToUTF8(raw), pyjson.Options{MaxDepth: itsdangerous.DefaultMaxDepth}); err != nil {
		return nil, n, errors.New("not JSON")
	}
	return raw, n, nil
}

// latin1ToUTF8 reads b as Latin-1, as Django reads its JSON.
func latin1ToUTF8(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for _, c := range b {
		if c < 0x80 {
			out = append(out, c)
		} else {
			out = append(out, 0xc0|c>>6, 0x80|c&0x3f)
		}
	}
	return out
}
