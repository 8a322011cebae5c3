package fuzz_test

import (
	"bytes"
	"fmt"
	"sort"
	"testing"

	"github.com/flaskcookie/flaskcookie/internal/testonly/testvec"
)

// sample is one token of the committed vectors, made by Python, with the
// configuration and the call that Python ran on it.
type sample struct {
	Name   string
	Cfg    *tcfg
	Token  []byte
	Now    int64
	MaxAge *int64
	// Valid reports that Python accepted Token at Now with MaxAge.
	Valid bool
	// Value is the value Python put in (sign and encode vectors) or got
	// out (verify and decode vectors), in the py model with ordered
	// dicts; nil when there is none.
	Value any
	// Signed is the signer value (signer classes).
	Signed []byte
	// HasWant reports that Value (or Signed) is what Python loaded from
	// Token: a successful verify or decode, or the round trip recorded
	// with a Flask encode.
	HasWant bool
}

// corpus is what the vector files provide to the fuzz targets and the
// harness.
type corpus struct {
	Samples []sample
	Configs []*tcfg // distinct configurations, in a stable order
	// Values are the serializer values of the vectors (py model, ordered
	// dicts); FlaskValues the Flask session values.
	Values, FlaskValues []any
}

// loadCorpus reads both vector files. The testvec loaders fail tb when a
// file is missing or empty; loadCorpus also fails it when no valid token
// is found.
func loadCorpus(tb testing.TB) *corpus {
	tb.Helper()
	_, iv := testvec.LoadItsDangerous(tb, testvec.Path(tb, testvec.ItsDangerousFile))
	_, fv := testvec.LoadFlask(tb, testvec.Path(tb, testvec.FlaskFile))
	c := &corpus{}
	seen := map[string]*tcfg{}
	intern := func(cfg *tcfg) *tcfg {
		k := cfg.String()
		if old, ok := seen[k]; ok {
			return old
		}
		seen[k] = cfg
		c.Configs = append(c.Configs, cfg)
		return cfg
	}
	for i := range iv {
		v := &iv[i]
		cfg := &tcfg{Class: v.Class, KD: v.KeyDerivation, Digest: v.Digest, Algorithm: v.Algorithm, Fallbacks: v.FallbackSigners}
		for _, k := range v.Keys {
			cfg.Keys = append(cfg.Keys, []byte(k))
		}
		if v.Salt != nil {
			cfg.Salt = []byte(*v.Salt)
		}
		if v.Sep != nil {
			cfg.Sep = []byte(*v.Sep)
		}
		if v.CallSalt != nil {
			cfg.CallSalt = []byte(*v.CallSalt)
		}
		cfg = intern(cfg)
		s := sample{Name: "itsdangerous:" + v.Name, Cfg: cfg, Token: []byte(v.Token), Now: v.Now, MaxAge: v.MaxAge}
		s.Valid = v.Op == "sign" || v.Error == ""
		s.HasWant = v.Op == "verify" && v.Error == ""
		if v.Op == "sign" {
			s.MaxAge = nil
		}
		if v.IsSigner() {
			s.Signed = []byte(v.SignerValue)
		} else if !v.SerializerValue.IsNull() {
			val, err := v.SerializerValue.Ordered()
			if err != nil {
				tb.Fatalf("vector %s: %v", v.Name, err)
			}
			s.Value = val
			c.Values = append(c.Values, val)
		}
		c.Samples = append(c.Samples, s)
	}
	for i := range fv {
		v := &fv[i]
		if len(v.Secret) == 0 {
			continue // Flask's NullSession: there is no codec to compare
		}
		cfg := &tcfg{Class: classFlask}
		for _, k := range v.Fallbacks {
			cfg.Keys = append(cfg.Keys, []byte(k))
		}
		cfg.Keys = append(cfg.Keys, []byte(v.Secret))
		cfg = intern(cfg)
		s := sample{Name: "flask:" + v.Name, Cfg: cfg, Token: []byte(v.Cookie), Now: v.Now, MaxAge: v.MaxAge}
		// A decode without max_age has no Codec counterpart: Flask always
		// passes one.
		s.Valid = v.Op == "encode" || (v.Error == "" && v.MaxAge != nil)
		s.HasWant = s.Valid && !v.Decoded.IsNull()
		if v.Op == "encode" {
			s.MaxAge = nil
		}
		tv := v.Decoded
		if tv.IsNull() {
			tv = v.Value
		}
		if !tv.IsNull() {
			val, err := tv.Ordered()
			if err != nil {
				tb.Fatalf("vector %s: %v", v.Name, err)
			}
			s.Value = val
			c.FlaskValues = append(c.FlaskValues, val)
		}
		c.Samples = append(c.Samples, s)
	}
	sort.SliceStable(c.Configs, func(i, j int) bool { return c.Configs[i].String() < c.Configs[j].String() })
	if len(c.valid()) == 0 || len(c.Values) == 0 || len(c.FlaskValues) == 0 {
		tb.Fatalf("vectors gave %d valid tokens, %d values, %d Flask values; want some of each",
			len(c.valid()), len(c.Values), len(c.FlaskValues))
	}
	return c
}

// valid returns the samples Python accepted.
func (c *corpus) valid() []sample {
	var out []sample
	for _, s := range c.Samples {
		if s.Valid {
			out = append(out, s)
		}
	}
	return out
}

// configIndex returns the index of cfg in c.Configs.
func (c *corpus) configIndex(cfg *tcfg) int {
	for i, x := range c.Configs {
		if x == cfg {
			return i
		}
	}
	panic(fmt.Sprintf("config %v not in corpus", cfg))
}

// payloadOf returns what a signer of cfg signed in tok: everything before
// the last separator (for timed classes that includes the timestamp).
func payloadOf(cfg *tcfg, tok []byte) []byte {
	i := bytes.LastIndex(tok, cfg.sep())
	if i < 0 {
		return nil
	}
	return tok[:i]
}
