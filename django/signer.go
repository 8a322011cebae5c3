package django

import (
	"crypto/sha1"
	"fmt"
	"strconv"
	"strings"

	"github.com/flaskcookie/flaskcookie/internal/safetext"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
)

// Signer signs strings and verifies signed strings, like Django's
// django.core.signing.Signer:
//
//	hello:jJBiK7rh_4jPrL47pDvJ4BLLAv8mFGzW8GfMTLAjJEc
//
// The signature is the URL-safe base64 (unpadded) of
// HMAC-SHA256(SHA256(salt ‖ "signer" ‖ key), value), Django's salted_hmac,
// which is itsdangerous's "django-concat" key derivation. A Signer is
// immutable and safe for concurrent use.
type Signer struct {
	sep     string
	max     int
	signers []*itsdangerous.Signer // the algorithm's, then legacy SHA-1
}

// NewSigner returns a Signer for key (Django's key argument, or
// SECRET_KEY), like Signer(key, sep=..., salt=..., algorithm=...). It
// accepts WithSalt (default SignerSalt), WithSeparator, WithAlgorithm,
// WithLegacySHA1, WithFallbackKeys and WithMaxTokenSize. An empty key is
// an error matching ErrConfig (Django would use settings.SECRET_KEY), and so
// is an empty fallback key, which would verify what anyone signs.
func NewSigner(key []byte, opts ...Option) (*Signer, error) {
	c, err := newConfig(SignerSalt, opts)
	if err != nil {
		return nil, err
	}
	return newSigner(c, key)
}

func newSigner(c *config, key []byte) (*Signer, error) {
	if len(key) == 0 {
		return nil, fmt.Errorf("%w: empty secret key", ErrConfig)
	}
	for i, k := range c.fallbackKeys {
		if len(k) == 0 {
			// Anyone can sign with the empty key: a fallback read from an
			// unset variable would verify forgeries.
			return nil, fmt.Errorf("%w: empty fallback key (%d of %d)", ErrConfig, i+1, len(c.fallbackKeys))
		}
	}
	base := []itsdangerous.Option{
		itsdangerous.WithSalt([]byte(c.salt)),
		itsdangerous.WithSeparator([]byte(c.sep)),
		itsdangerous.WithKeyDerivation(itsdangerous.DjangoConcat),
		itsdangerous.WithFallbackKeys(c.fallbackKeys...),
		// Django compares the signature as text: only the canonical
		// spelling can match, which is what strict decoding accepts.
		itsdangerous.WithStrictBase64(),
		itsdangerous.WithMaxTokenSize(c.maxToken),
	}
	s := &Signer{sep: c.sep, max: c.maxToken}
	main, err := itsdangerous.NewSigner(key, append(base, itsdangerous.WithDigest(c.digest))...)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	s.signers = append(s.signers, main)
	if c.legacySHA1 && c.algorithm != "sha1" {
		legacy, err := itsdangerous.NewSigner(key, append(base, itsdangerous.WithDigest(sha1.New))...)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrConfig, err)
		}
		s.signers = append(s.signers, legacy)
	}
	return s, nil
}

// Sign returns value, the separator and the signature of value.
func (s *Signer) Sign(value string) string {
	return string(s.signers[0].Sign([]byte(value)))
}

// Unsign verifies signed and returns the value without its signature. The
// signed string is split on the last separator; the signature must be
// exactly the one the key (or a fallback key, or with WithLegacySHA1 its
// SHA-1 signature) gives. A failure matches ErrBadSignature, with Django's
// message ("No \":\" found in value", "Signature \"…\" does not match").
func (s *Signer) Unsign(signed string) (string, error) {
	v, err := s.unsign(signed)
	if err != nil {
		return "", err
	}
	return v, nil
}

func (s *Signer) unsign(signed string) (string, *Error) {
	if len(signed) > s.max {
		return "", &Error{Kind: ErrBadSignature, Reason: "token of " + strconv.Itoa(len(signed)) +
			" bytes is longer than the maximum of " + strconv.Itoa(s.max), Err: ErrTooLarge}
	}
	i := strings.LastIndex(signed, s.sep)
	if i < 0 {
		return "", &Error{Kind: ErrBadSignature, Reason: `No "` + s.sep + `" found in value`}
	}
	b := []byte(signed)
	for _, sg := range s.signers {
		if v, err := sg.Unsign(b); err == nil {
			return string(v), nil
		}
	}
	// Django puts the signature in the message as it is; it comes from
	// whoever made the token, so control and bidirectional characters are
	// escaped (log injection).
	return "", &Error{Kind: ErrBadSignature, Reason: `Signature "` + safetext.Escape(signed[i+len(s.sep):]) + `" does not match`}
}
