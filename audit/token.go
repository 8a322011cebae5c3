package audit

import (
	"errors"
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
	h, _, err := ParseJWSHeader(token)
	return h, err
}

// ParseJWSHeader is JWSHeader that also returns the header's JSON text
// (when it is base64, even if it is not a JSON object). The error is a
// short phrase such as "the header is not base64". Surrounding whitespace
// is ignored.
func ParseJWSHeader(token string) (header map[string]any, raw []byte, err error) {
	h, _, ok := strings.Cut(strings.TrimSpace(token), ".")
	if !ok {
		return nil, nil, errors.New("no '.' in it")
	}
	raw, err = pybase64.DecodeURLSafe(nil, []byte(h))
	if err != nil {
		return nil, nil, errors.New("the header is not base64")
	}
	g, err := pyjson.Decode(raw, pyjson.Options{MaxDepth: itsdangerous.DefaultMaxDepth})
	if err != nil {
		return nil, raw, errors.New("the header is not JSON")
	}
	m, ok := g.(map[string]any)
	if !ok {
		return nil, raw, errors.New("the header is not a JSON object")
	}
	return m, raw, nil
}

// djangoJSON reports whether p, the payload part of a Django token, is
// what signing.dumps writes: URL-safe base64 of JSON, zlib-compressed when
// it starts with '.' (inflated to at most maxInflate bytes).
func djangoJSON(p string) bool {
	compressed := strings.HasPrefix(p, ".")
	if compressed {
		p = p[1:]
	}
	raw, err := pybase64.DecodeURLSafe(nil, []byte(p))
	if err != nil || p == "" {
		return false
	}
	if compressed {
		if raw, err = inflate(raw, maxInflate); err != nil {
			return false
		}
	}
	_, err = pyjson.Decode(latin1ToUTF8(raw), pyjson.Options{MaxDepth: itsdangerous.DefaultMaxDepth})
	return err == nil
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
