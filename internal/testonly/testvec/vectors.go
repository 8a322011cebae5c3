package testvec

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// Paths of the committed vector files, relative to the repository root (see
// [Path]).
const (
	ItsDangerousFile = "testdata/itsdangerous/vectors.json"
	FlaskFile        = "testdata/flask/vectors.json"
)

// Provenance records how a vector file was made: package versions and the
// command that regenerates it. Fields a file does not have are empty.
type Provenance struct {
	Python       string `json:"python"`
	ItsDangerous string `json:"itsdangerous"`
	Flask        string `json:"flask,omitempty"`
	Werkzeug     string `json:"werkzeug,omitempty"`
	MarkupSafe   string `json:"markupsafe,omitempty"`
	Zlib         string `json:"zlib"`
	Command      string `json:"command"`
	Clock        string `json:"clock"`
	// Serializer says how the Flask serializer was obtained.
	Serializer string `json:"serializer,omitempty"`
	// Fallbacks says how SECRET_KEY_FALLBACKS were emulated.
	Fallbacks string `json:"fallbacks,omitempty"`
	// Seed is the random seed of the generated sessions.
	Seed int64 `json:"seed,omitempty"`
}

// FallbackSigner is one entry of a serializer's fallback_signers, a dict of
// signer keyword arguments. As in itsdangerous, these replace the
// serializer's own signer kwargs: an empty field means the Signer default
// (django-concat, sha1, "."), not the main signer's setting.
type FallbackSigner struct {
	KeyDerivation string `json:"key_derivation"`
	Digest        string `json:"digest"`
	Sep           *Bytes `json:"sep"`
}

// ItsDangerousVector is one operation of itsdangerous 2.1.2 on one object,
// at the clock Now. Empty strings and nil pointers stand for Python's
// defaults (JSON null in the file).
type ItsDangerousVector struct {
	Name string `json:"name"`
	// Class is Signer, TimestampSigner, Serializer, TimedSerializer,
	// URLSafeSerializer or URLSafeTimedSerializer.
	Class string `json:"class"`
	// Keys are the secret keys, oldest first; the last one signs.
	Keys []Bytes `json:"keys"`
	// Salt is nil for the class default: "itsdangerous.Signer" for the
	// signers, "itsdangerous" for the serializers.
	Salt *Bytes `json:"salt"`
	// Sep is nil for the default ".".
	Sep *Bytes `json:"sep"`
	// KeyDerivation is concat, django-concat, hmac, none, or "" (django-concat).
	KeyDerivation string `json:"key_derivation"`
	// Digest is sha1, sha224, sha256, sha384, sha512, md5, or "" (sha1).
	Digest string `json:"digest"`
	// Algorithm is hmac, none, or "" (HMAC with Digest).
	Algorithm string `json:"algorithm"`
	// FallbackSigners is nil when none were passed (serializers only).
	FallbackSigners []FallbackSigner `json:"fallback_signers"`
	// Op is "sign" (Value in, Token out) or "verify" (Token in).
	Op string `json:"op"`
	// Now is the clock (Unix seconds) while signing or verifying.
	Now int64 `json:"now"`
	// CallSalt is the per-call salt of dumps/loads, nil when none.
	CallSalt *Bytes `json:"call_salt"`
	// MaxAge is the max_age of a timed verify, nil when none.
	MaxAge *int64 `json:"max_age"`
	// Value is the raw "value" field: a byte string for the signers, a
	// typed value for the serializers, null for a failed verify. The loader
	// decodes it into SignerValue or SerializerValue.
	Value json.RawMessage `json:"value"`
	// Token is Python's output (sign) or the input (verify).
	Token Bytes `json:"token"`
	// Compressed reports a URL-safe payload starting with ".".
	Compressed bool `json:"compressed"`
	// Error is "" on success, else the most specific exception class:
	// BadData, BadSignature, BadTimeSignature, SignatureExpired or BadPayload.
	Error string `json:"error"`
	// Message is str(exception), "" on success.
	Message string `json:"message"`
	// DateSigned is the timestamp (Unix seconds) of a timed token: the
	// signing time of a sign or successful verify, or e.date_signed of an
	// error. Nil when Python gives none (or, for a validly signed timestamp
	// beyond year 9999, cannot build the datetime).
	DateSigned *int64 `json:"date_signed"`

	// SignerValue is Value for the Signer classes (nil when Value is null).
	SignerValue Bytes `json:"-"`
	// SerializerValue is Value for the serializer classes (IsNull when
	// Value is null).
	SerializerValue TV `json:"-"`
}

// IsSigner reports whether the class is Signer or TimestampSigner.
func (v *ItsDangerousVector) IsSigner() bool {
	return v.Class == "Signer" || v.Class == "TimestampSigner"
}

// IsTimed reports whether the class signs a timestamp.
func (v *ItsDangerousVector) IsTimed() bool {
	return v.Class == "TimestampSigner" || v.Class == "TimedSerializer" || v.Class == "URLSafeTimedSerializer"
}

// IsURLSafe reports whether the class is one of the URL-safe serializers.
func (v *ItsDangerousVector) IsURLSafe() bool {
	return v.Class == "URLSafeSerializer" || v.Class == "URLSafeTimedSerializer"
}

// FlaskVector is one Flask 2.2.2 session cookie, encoded (Op "encode": Value
// in, Cookie out) or decoded (Op "decode": Cookie in) by
// SecureCookieSessionInterface's signing serializer at the clock Now.
type FlaskVector struct {
	Name string `json:"name"`
	// Secret is SECRET_KEY.
	Secret Bytes `json:"secret"`
	// Fallbacks are SECRET_KEY_FALLBACKS (Flask >= 3.1.1 semantics,
	// emulated); nil when not configured.
	Fallbacks []Bytes `json:"fallbacks"`
	Now       int64   `json:"now"`
	Op        string  `json:"op"`
	// Value is the session dict: the encode input, or the decode result
	// (IsNull when decoding failed).
	Value TV `json:"value"`
	// Decoded is what Flask's session holds after loading the cookie (for
	// decode, the same as Value). It differs from an encode's Value when
	// types change on the way: microseconds dropped, naive datetimes made
	// aware, key order sorted.
	Decoded TV `json:"decoded"`
	// JSON is the tagged JSON inside the cookie (for encode, exactly what
	// Flask wrote); nil when the payload cannot be read as text.
	JSON *string `json:"json"`
	// Cookie is Flask's output (encode) or the input (decode).
	Cookie string `json:"cookie"`
	// Compressed reports a payload starting with ".".
	Compressed bool `json:"compressed"`
	// MaxAge is what open_session passes to loads (decode), nil for none.
	MaxAge *int64 `json:"max_age"`
	// Error is "" on success, else BadSignature, BadTimeSignature,
	// SignatureExpired or BadPayload.
	Error string `json:"error"`
	// Message is str(exception), "" on success.
	Message string `json:"message"`
}

// Path returns the absolute path of rel, a path relative to the repository
// root (the directory holding go.mod, searched upwards from the working
// directory). It fails the test when there is no go.mod.
func Path(t testing.TB, rel string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatalf("testvec: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, filepath.FromSlash(rel))
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatalf("testvec: no go.mod above the working directory")
		}
		dir = parent
	}
}

// LoadItsDangerous reads an itsdangerous vector file (usually
// Path(t, ItsDangerousFile)). It fails the test when the file is missing,
// malformed, holds zero vectors, or holds a vector that breaks the format.
func LoadItsDangerous(t testing.TB, path string) (Provenance, []ItsDangerousVector) {
	t.Helper()
	var f struct {
		Provenance Provenance           `json:"provenance"`
		Vectors    []ItsDangerousVector `json:"vectors"`
	}
	if err := readFile(path, &f); err != nil {
		t.Fatal(err)
	}
	if err := checkItsDangerous(f.Provenance, f.Vectors); err != nil {
		t.Fatalf("testvec: %s: %v", path, err)
	}
	return f.Provenance, f.Vectors
}

// LoadFlask reads a Flask vector file (usually Path(t, FlaskFile)). It fails
// the test when the file is missing, malformed, holds zero vectors, or holds
// a vector that breaks the format.
func LoadFlask(t testing.TB, path string) (Provenance, []FlaskVector) {
	t.Helper()
	var f struct {
		Provenance Provenance    `json:"provenance"`
		Vectors    []FlaskVector `json:"vectors"`
	}
	if err := readFile(path, &f); err != nil {
		t.Fatal(err)
	}
	if err := checkFlask(f.Provenance, f.Vectors); err != nil {
		t.Fatalf("testvec: %s: %v", path, err)
	}
	return f.Provenance, f.Vectors
}

// LoadVectors reads a vector file of the shape {"provenance": {...},
// "vectors": [...]} (usually Path(t, "testdata/<package>/vectors.json"))
// into vectors, a pointer to a slice of the caller's vector type; fields the
// type does not name are ignored. It fails the test when the file is
// missing or malformed, holds no vectors, or its provenance does not name
// pkg with version (any version when version is ""). It returns the
// provenance.
func LoadVectors(t testing.TB, path, pkg, version string, vectors any) map[string]any {
	t.Helper()
	var f struct {
		Provenance map[string]any  `json:"provenance"`
		Vectors    json.RawMessage `json:"vectors"`
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("testvec: %v (regenerate with compat/gen_*.py, see testdata/README.md)", err)
		return nil
	}
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatalf("testvec: %s: %v", path, err)
		return nil
	}
	if got, ok := f.Provenance[pkg]; !ok || got == nil || version != "" && got != any(version) {
		t.Fatalf("testvec: %s: provenance %v does not name %s %s", path, f.Provenance, pkg, version)
		return nil
	}
	if err := json.Unmarshal(f.Vectors, vectors); err != nil {
		t.Fatalf("testvec: %s: vectors: %v", path, err)
		return nil
	}
	if v := reflect.ValueOf(vectors); v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Slice || v.Elem().Len() == 0 {
		t.Fatalf("testvec: %s: no vectors", path)
		return nil
	}
	return f.Provenance
}

func readFile(path string, dst any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("testvec: %w (regenerate with compat/gen_*.py, see testdata/README.md)", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return fmt.Errorf("testvec: %s: %w", path, err)
	}
	if dec.More() {
		return fmt.Errorf("testvec: %s: trailing data", path)
	}
	return nil
}

var (
	classes   = map[string]bool{"Signer": true, "TimestampSigner": true, "Serializer": true, "TimedSerializer": true, "URLSafeSerializer": true, "URLSafeTimedSerializer": true}
	kds       = map[string]bool{"": true, "concat": true, "django-concat": true, "hmac": true, "none": true}
	digests   = map[string]bool{"": true, "sha1": true, "sha224": true, "sha256": true, "sha384": true, "sha512": true, "md5": true}
	algos     = map[string]bool{"": true, "hmac": true, "none": true}
	idErrors  = map[string]bool{"": true, "BadData": true, "BadSignature": true, "BadTimeSignature": true, "SignatureExpired": true, "BadPayload": true}
	flaskErrs = map[string]bool{"": true, "BadSignature": true, "BadTimeSignature": true, "SignatureExpired": true, "BadPayload": true}
)

func checkItsDangerous(p Provenance, vs []ItsDangerousVector) error {
	if p.ItsDangerous == "" || p.Python == "" || p.Command == "" {
		return errors.New("provenance lacks python, itsdangerous or command")
	}
	if len(vs) == 0 {
		return errors.New("zero vectors")
	}
	names := make(map[string]bool, len(vs))
	for i := range vs {
		v := &vs[i]
		if err := checkItsDangerousVector(v, names); err != nil {
			return fmt.Errorf("vector %d %q: %w", i, v.Name, err)
		}
	}
	return nil
}

func checkItsDangerousVector(v *ItsDangerousVector, names map[string]bool) error {
	switch {
	case v.Name == "" || names[v.Name]:
		return errors.New("empty or duplicate name")
	case !classes[v.Class]:
		return fmt.Errorf("unknown class %q", v.Class)
	case len(v.Keys) == 0:
		return errors.New("no keys")
	case !kds[v.KeyDerivation] || !digests[v.Digest] || !algos[v.Algorithm]:
		return errors.New("unknown key_derivation, digest or algorithm")
	case v.Op != "sign" && v.Op != "verify":
		return fmt.Errorf("unknown op %q", v.Op)
	case !idErrors[v.Error]:
		return fmt.Errorf("unknown error class %q", v.Error)
	case v.Op == "sign" && v.Error != "":
		return errors.New("a sign vector with an error")
	case (v.Error == "") != (v.Message == ""):
		return errors.New("error and message must be both set or both empty")
	case v.IsSigner() && (v.FallbackSigners != nil || v.CallSalt != nil):
		return errors.New("fallback_signers or call_salt on a signer")
	case v.MaxAge != nil && (v.Op != "verify" || !v.IsTimed()):
		return errors.New("max_age on a sign or untimed vector")
	case v.Compressed && !v.IsURLSafe():
		return errors.New("compressed on a class that does not compress")
	}
	for _, f := range v.FallbackSigners {
		if !kds[f.KeyDerivation] || !digests[f.Digest] {
			return errors.New("unknown fallback key_derivation or digest")
		}
	}
	names[v.Name] = true
	isNull := TV(v.Value).IsNull()
	if v.Error != "" {
		if !isNull {
			return errors.New("a failed verify with a value")
		}
		return nil
	}
	if isNull {
		return errors.New("no value")
	}
	if v.IsSigner() {
		var b Bytes
		if err := json.Unmarshal(v.Value, &b); err != nil {
			return fmt.Errorf("signer value: %w", err)
		}
		v.SignerValue = b
		return nil
	}
	v.SerializerValue = TV(v.Value)
	if _, err := v.SerializerValue.Ordered(); err != nil {
		return fmt.Errorf("serializer value: %w", err)
	}
	return nil
}

func checkFlask(p Provenance, vs []FlaskVector) error {
	if p.Flask == "" || p.Python == "" || p.Command == "" {
		return errors.New("provenance lacks python, flask or command")
	}
	if len(vs) == 0 {
		return errors.New("zero vectors")
	}
	names := make(map[string]bool, len(vs))
	for i := range vs {
		v := &vs[i]
		if err := checkFlaskVector(v, names); err != nil {
			return fmt.Errorf("vector %d %q: %w", i, v.Name, err)
		}
	}
	return nil
}

func checkFlaskVector(v *FlaskVector, names map[string]bool) error {
	switch {
	case v.Name == "" || names[v.Name]:
		return errors.New("empty or duplicate name")
	case v.Op != "encode" && v.Op != "decode":
		return fmt.Errorf("unknown op %q", v.Op)
	case !flaskErrs[v.Error]:
		return fmt.Errorf("unknown error class %q", v.Error)
	case v.Op == "encode" && (v.Error != "" || v.MaxAge != nil):
		return errors.New("an encode vector with an error or max_age")
	case (v.Error == "") != (v.Message == ""):
		return errors.New("error and message must be both set or both empty")
	case v.Error != "" && (!v.Value.IsNull() || !v.Decoded.IsNull()):
		return errors.New("a failed decode with a value")
	}
	names[v.Name] = true
	if v.Error != "" {
		return nil
	}
	for _, tv := range []TV{v.Value, v.Decoded} {
		val, err := tv.Ordered()
		if err != nil {
			return err
		}
		if _, ok := val.(interface{ Get(string) (any, bool) }); !ok {
			return fmt.Errorf("session value is %T, not a dict", val)
		}
	}
	return nil
}

// JSONReaderFile holds CPython's json.loads results, package pyjson's
// reader vectors.
const JSONReaderFile = "internal/pyjson/testdata/python.json"

// LoadJSONReaderInputs returns the input of every reader vector of
// JSONReaderFile: JSON texts, valid or not, that CPython's json.loads was
// run on. It fails the test when it reads none.
func LoadJSONReaderInputs(t testing.TB) [][]byte {
	t.Helper()
	var f struct {
		Reader []struct {
			Input Bytes `json:"input"`
		} `json:"reader"`
	}
	path := Path(t, JSONReaderFile)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("testvec: %v", err)
	}
	if err := json.Unmarshal(data, &f); err != nil { // the other fields are pyjson's
		t.Fatalf("testvec: %s: %v", path, err)
	}
	if len(f.Reader) == 0 {
		t.Fatalf("testvec: %s: no reader vectors", path)
	}
	out := make([][]byte, len(f.Reader))
	for i, r := range f.Reader {
		out[i] = r.Input
	}
	return out
}
