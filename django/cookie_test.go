package django

import (
	"encoding/json"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/internal/testonly/testvec"
)

// TestCookieSignerVectors reads and re-makes the set_signed_cookie values
// of Django 3.2.25 and 4.2.30 (testdata/audit, compat/gen_audit.py).
func TestCookieSignerVectors(t *testing.T) {
	n := 0
	for _, file := range []string{"testdata/audit/vectors-debian12.json", "testdata/audit/vectors-current.json"} {
		var f struct {
			Provenance map[string]string `json:"provenance"`
			Vectors    []struct {
				Name, Format, Token string
				Secret              string
				CookieName          *string `json:"cookie_name"`
				Value, Salt         *string
			} `json:"vectors"`
		}
		b, err := os.ReadFile(testvec.Path(t, file))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &f); err != nil {
			t.Fatal(err)
		}
		for _, v := range f.Vectors {
			if v.Format != "django-cookie" || v.Value == nil {
				continue
			}
			n++
			t.Run("django-"+f.Provenance["django"]+"/"+v.Name, func(t *testing.T) {
				var opts []Option
				if v.Salt != nil {
					opts = append(opts, WithSalt(*v.Salt))
				}
				s, err := NewCookieSigner([]byte(v.Secret), *v.CookieName, opts...)
				if err != nil {
					t.Fatal(err)
				}
				got, at, err := s.Unsign(v.Token)
				if err != nil || got != *v.Value || at.Unix() != 1700000000 {
					t.Fatalf("Unsign = %q, %v, %v; want %q at 1700000000", got, at, err, *v.Value)
				}
				if tok := s.SignAt(*v.Value, time.Unix(1700000000, 0)); tok != v.Token {
					t.Errorf("SignAt = %q, Django made %q", tok, v.Token)
				}
				// The name is part of the salt: another cookie's signer
				// refuses the value.
				other, err := NewCookieSigner([]byte(v.Secret), *v.CookieName+"x", opts...)
				if err != nil {
					t.Fatal(err)
				}
				if _, _, err := other.Unsign(v.Token); !errors.Is(err, ErrBadSignature) {
					t.Errorf("another cookie's signer: err = %v, want ErrBadSignature", err)
				}
				// The key is prefixed: a plain TimestampSigner with the same
				// salt refuses it.
				plain, err := NewTimestampSigner([]byte(v.Secret), WithSalt(*v.CookieName+deref(v.Salt)))
				if err != nil {
					t.Fatal(err)
				}
				if _, _, err := plain.Unsign(v.Token); !errors.Is(err, ErrBadSignature) {
					t.Errorf("unprefixed key: err = %v, want ErrBadSignature", err)
				}
			})
		}
	}
	if n == 0 {
		t.Fatal("no set_signed_cookie vector in testdata/audit")
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func TestCookieSignerEmptyKey(t *testing.T) {
	if _, err := NewCookieSigner(nil, "remember"); !errors.Is(err, ErrConfig) {
		t.Errorf("empty key: err = %v, want ErrConfig", err)
	}
	if _, err := NewCookieSigner([]byte("k"), "remember", WithFallbackKeys(nil)); !errors.Is(err, ErrConfig) {
		t.Errorf("empty fallback key: err = %v, want ErrConfig", err)
	}
}
