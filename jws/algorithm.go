package jws

import (
	_ "crypto/sha256" // registers crypto.SHA256 for jwt.SigningMethodHS256
	_ "crypto/sha512" // registers crypto.SHA384 and crypto.SHA512

	"github.com/golang-jwt/jwt/v5"

	"github.com/flaskcookie/flaskcookie/itsdangerous"
)

// The algorithm names of itsdangerous's JWS serializers (Python's
// algorithm_name), as written in the "alg" header field.
const (
	HS256 = "HS256" // HMAC-SHA256
	HS384 = "HS384" // HMAC-SHA384
	HS512 = "HS512" // HMAC-SHA512, the default
	None  = "none"  // no signature; see WithUnsafeNoneAlgorithm

	// DefaultAlgorithm is the algorithm of a serializer made without
	// WithAlgorithm, as in Python.
	DefaultAlgorithm = HS512
)

// jwtHMAC adapts one of golang-jwt's HMAC signing methods to
// itsdangerous.Algorithm, so that an itsdangerous.Signer computes its MACs.
// The signer then compares MACs in constant time itself.
type jwtHMAC struct{ m *jwt.SigningMethodHMAC }

var _ itsdangerous.Algorithm = jwtHMAC{}

func (a jwtHMAC) AppendSignature(dst, key, msg []byte) []byte {
	sig, err := a.m.Sign(string(msg), key)
	if err != nil {
		// Sign fails only for a key that is not a []byte or a hash that
		// is not linked in; neither can happen (see checkMethod). An
		// empty signature here would verify a forged token, so stop.
		panic("jws: " + a.m.Alg() + ": " + err.Error())
	}
	return append(dst, sig...)
}

// methods maps the HMAC algorithm names to golang-jwt's signing methods.
func method(name string) (*jwt.SigningMethodHMAC, bool) {
	switch name {
	case HS256:
		return jwt.SigningMethodHS256, true
	case HS384:
		return jwt.SigningMethodHS384, true
	case HS512:
		return jwt.SigningMethodHS512, true
	}
	return nil, false
}

// checkMethod makes sure m can sign, so that AppendSignature never fails.
func checkMethod(m *jwt.SigningMethodHMAC) error {
	_, err := m.Sign("", []byte{})
	return err
}
