package audit

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/flaskcookie/flaskcookie/itsdangerous"
)

// Errors of NewTarget, matched with errors.Is.
var (
	// ErrUnknownFormat: the token's text fits no format this package
	// knows.
	ErrUnknownFormat = errors.New("audit: the token fits no known format")
	// ErrNotTestable: the token's format cannot be searched for a secret
	// (a sealed cookie, a JWS token not signed with HMAC), or no scheme of
	// it fits the token (a signature no digest makes).
	ErrNotTestable = errors.New("audit: no secret can be tested against this token")
	// ErrConfig: a bad option.
	ErrConfig = errors.New("audit: invalid configuration")
)

// An Option configures NewTarget.
type Option func(*config)

type config struct {
	formats     []Format
	salts       []string
	noSaltToo   bool
	digest      string
	cookieNames []string
	schemes     []Scheme
}

// WithFormat tests only the formats f, whatever the token's text suggests.
func WithFormat(f ...Format) Option { return func(c *config) { c.formats = append(c.formats, f...) } }

// WithSalts sets the salts of formats that take one: for Itsdangerous they
// are tried beside CommonSalts, for Django (signing.dumps) and JWS instead
// of the default, and for DjangoCookie appended to the cookie name (the
// salt argument of set_signed_cookie).
func WithSalts(salts ...string) Option {
	return func(c *config) { c.salts = append(c.salts, salts...) }
}

// WithDigest fixes the digest of Django (a hashlib name) and JWS (HS256,
// HS384, HS512) tokens instead of reading it off the token.
func WithDigest(name string) Option { return func(c *config) { c.digest = name } }

// WithCookieName names the cookie the token came from: Django's
// set_signed_cookie salts with it.
func WithCookieName(name string) Option {
	return func(c *config) {
		if name != "" {
			c.cookieNames = append(c.cookieNames, name)
		}
	}
}

// WithSchemes tests exactly these schemes (NewScheme), whatever the token's
// text suggests.
func WithSchemes(s ...Scheme) Option { return func(c *config) { c.schemes = append(c.schemes, s...) } }

// itsSalts are the salts tried for the Itsdangerous format.
func (c *config) itsSalts() []string {
	out := append([]string(nil), CommonSalts...)
	for _, s := range c.salts {
		dup := false
		for _, o := range out {
			dup = dup || o == s
		}
		if !dup {
			out = append(out, s)
		}
	}
	return out
}

// A Target is one token to audit with the schemes that can have signed it.
// A Target is immutable and safe for concurrent use.
type Target struct {
	// Token is the token as given, surrounding whitespace removed.
	Token string
	// Detection is what the token's text says of its format.
	Detection Detection
	// Schemes are the signings tested, most likely first.
	Schemes []Scheme

	testers []*itsdangerous.KeyTester // one per scheme
}

// NewTarget prepares token for testing candidate secrets: it detects the
// format (unless WithFormat or WithSchemes says it) and parses the token
// once for every scheme that can have signed it. A token that fits no
// format matches ErrUnknownFormat; one whose format cannot be tested
// ErrNotTestable; a malformed token also matches itsdangerous.ErrBadSignature.
func NewTarget(token string, opts ...Option) (*Target, error) {
	c := &config{}
	for _, o := range opts {
		o(c)
	}
	token = strings.TrimSpace(token)
	t := &Target{Token: token, Detection: Detect(token)}
	switch {
	case len(c.schemes) > 0:
		t.Schemes = c.schemes
	case len(c.formats) > 0:
		for _, f := range c.formats {
			if !knownFormat(f) {
				return nil, fmt.Errorf("%w: unknown format %q", ErrConfig, f)
			}
			t.Schemes = append(t.Schemes, schemesFor(f, token, c)...)
		}
	case t.Detection.Format == "":
		return nil, ErrUnknownFormat
	default:
		for _, f := range append([]Format{t.Detection.Format}, t.Detection.Also...) {
			t.Schemes = append(t.Schemes, schemesFor(f, token, c)...)
		}
	}
	var firstErr error
	schemes := t.Schemes[:0:0]
	for _, s := range t.Schemes {
		kt, err := itsdangerous.NewKeyTester([]byte(token), s.opts...)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue // this scheme cannot have signed it: not its signature size
		}
		schemes = append(schemes, s)
		t.testers = append(t.testers, kt)
	}
	t.Schemes = schemes
	if len(t.testers) == 0 {
		if firstErr != nil {
			return nil, fmt.Errorf("%w: %w", ErrNotTestable, firstErr)
		}
		return nil, ErrNotTestable
	}
	return t, nil
}

func knownFormat(f Format) bool {
	for _, g := range Formats {
		if f == g {
			return true
		}
	}
	return false
}

// Test reports whether secret signed the token, and with which scheme. It
// allocates for every call: use a Fleet to test many secrets.
func (t *Target) Test(secret []byte) (Scheme, bool) {
	f := NewFleet(t)
	var s Scheme
	found := false
	f.Test(secret, func(_ int, sc Scheme) { s, found = sc, true })
	return s, found
}

// A Fleet tests candidate secrets against many targets at once: the
// signing key of a candidate is derived once for every salt, key
// derivation and digest shared by the targets' schemes, then each target's
// MAC is computed with it. A Fleet is not safe for concurrent use: Clone
// gives each goroutine its own, sharing the record of targets found.
type Fleet struct {
	targets []*Target
	groups  []group
	done    *doneSet
	buf     []byte // prefix + secret
	hits    []hit  // TestBatch: the first secret found per target

	noPrepare bool // benchmarks: test every member with TestKey
}

// hit is the first secret of a batch that verifies a target.
type hit struct {
	secret int // index in the batch, or -1
	target int
	scheme Scheme
}

// group is the testers sharing one derived key.
type group struct {
	prefix  []byte
	members []member
	macs    []mac // the MAC digests used by two members or more
}

type member struct {
	target int
	scheme int
	kt     *itsdangerous.KeyTester
	mac    int // index in group.macs, or -1 to test with TestKey
}

// mac is a derived key prepared once for the members of a group that share
// its MAC digest.
type mac struct {
	digest string
	key    itsdangerous.PreparedKey
	ready  bool
}

// doneSet records the targets whose secret was found.
type doneSet struct {
	found []atomic.Bool
	left  atomic.Int64
}

// NewFleet returns a Fleet over targets.
func NewFleet(targets ...*Target) *Fleet {
	f := &Fleet{targets: targets, done: &doneSet{found: make([]atomic.Bool, len(targets))}, hits: make([]hit, len(targets))}
	f.done.left.Store(int64(len(targets)))
	index := map[string]int{}
	for ti, t := range targets {
		for si, s := range t.Schemes {
			id := s.derive
			if id == "" {
				id = "target " + strconv.Itoa(ti) + " scheme " + strconv.Itoa(si) // NewScheme: not shared
			}
			g, ok := index[id]
			if !ok {
				g = len(f.groups)
				index[id] = g
				f.groups = append(f.groups, group{prefix: []byte(s.KeyPrefix)})
			}
			f.groups[g].members = append(f.groups[g].members, member{target: ti, scheme: si, kt: t.testers[si].Clone(), mac: -1})
		}
	}
	for gi := range f.groups {
		g := &f.groups[gi]
		count := map[string]int{}
		for _, m := range g.members {
			count[targets[m.target].Schemes[m.scheme].Digest]++
		}
		for mi := range g.members {
			m := &g.members[mi]
			d := targets[m.target].Schemes[m.scheme].Digest
			if count[d] < 2 {
				continue // preparing the key would not pay
			}
			m.mac = -1
			for i, x := range g.macs {
				if x.digest == d {
					m.mac = i
				}
			}
			if m.mac < 0 {
				m.mac = len(g.macs)
				g.macs = append(g.macs, mac{digest: d})
			}
		}
	}
	return f
}

// Clone returns a Fleet over the same targets with its own hash states,
// for another goroutine. Targets found by one are skipped by all.
func (f *Fleet) Clone() *Fleet {
	c := &Fleet{targets: f.targets, done: f.done, groups: make([]group, len(f.groups)), hits: make([]hit, len(f.targets))}
	for i, g := range f.groups {
		c.groups[i] = group{prefix: g.prefix, members: make([]member, len(g.members)), macs: make([]mac, len(g.macs))}
		for j, m := range g.members {
			c.groups[i].members[j] = member{target: m.target, scheme: m.scheme, kt: m.kt.Clone(), mac: m.mac}
		}
		for j, x := range g.macs {
			c.groups[i].macs[j] = mac{digest: x.digest}
		}
	}
	return c
}

// Targets returns the fleet's targets.
func (f *Fleet) Targets() []*Target { return f.targets }

// Left returns how many targets have no secret found yet.
func (f *Fleet) Left() int { return int(f.done.left.Load()) }

// Test tests secret against every target whose secret is not yet found
// and calls found for each target it verifies (with the target's index and
// the scheme that verified). A target is reported once, by whichever clone
// finds it first. Test allocates nothing.
func (f *Fleet) Test(secret []byte, found func(target int, s Scheme)) {
	for gi := range f.groups {
		f.testGroup(&f.groups[gi], secret, func(m *member) {
			if f.done.found[m.target].CompareAndSwap(false, true) {
				f.done.left.Add(-1)
				found(m.target, f.targets[m.target].Schemes[m.scheme])
			}
		})
	}
}

// testGroup tests secret against the members of g whose target is not
// found yet, calling verified for each member it verifies.
func (f *Fleet) testGroup(g *group, secret []byte, verified func(m *member)) {
	key := secret
	if len(g.prefix) > 0 {
		f.buf = append(append(f.buf[:0], g.prefix...), secret...)
		key = f.buf
	}
	var derived []byte
	for i := range g.macs {
		g.macs[i].ready = false
	}
	var pending *member // a member waiting for a partner with its MAC digest
	flush := func() {
		if pending != nil {
			if pending.kt.TestPrepared(&g.macs[pending.mac].key) {
				verified(pending)
			}
			pending = nil
		}
	}
	for mi := range g.members {
		m := &g.members[mi]
		if f.done.found[m.target].Load() {
			continue
		}
		if derived == nil {
			derived = m.kt.DeriveKey(key)
			if derived == nil {
				derived = []byte{}
			}
		}
		if m.mac < 0 || f.noPrepare {
			flush()
			if m.kt.TestKey(derived) {
				verified(m)
			}
			continue
		}
		// The key's HMAC pads, hashed once for every member with this
		// digest; members next to each other with the same digest are
		// tested in pairs, side by side.
		x := &g.macs[m.mac]
		if !x.ready {
			m.kt.PrepareKey(&x.key, derived)
			x.ready = true
		}
		if pending == nil {
			pending = m
			continue
		}
		if pending.mac != m.mac {
			flush()
			pending = m
			continue
		}
		a, b := itsdangerous.TestPreparedPair(pending.kt, m.kt, &x.key)
		if a {
			verified(pending)
		}
		if b {
			verified(m)
		}
		pending = nil
	}
	flush()
}

// TestBatch is Test for many secrets at once: for each target not yet
// found, it calls found with the first secret of the batch that verifies
// it (its index in secrets), in the order of those indexes, as calling
// Test on each secret in turn would. A target tested with one scheme,
// such as a Flask cookie, is tested by itsdangerous.KeyTester.TestBatch,
// which computes two guesses at a time. TestBatch allocates nothing.
func (f *Fleet) TestBatch(secrets [][]byte, found func(secret, target int, s Scheme)) {
	for i := range f.hits {
		f.hits[i] = hit{secret: -1, target: i}
	}
	record := func(i int, m *member) {
		if h := &f.hits[m.target]; h.secret < 0 || i < h.secret {
			h.secret, h.scheme = i, f.targets[m.target].Schemes[m.scheme]
		}
	}
	for gi := range f.groups {
		g := &f.groups[gi]
		if len(g.members) == 1 && len(g.prefix) == 0 {
			m := &g.members[0]
			if f.done.found[m.target].Load() {
				continue
			}
			// Only secrets before the target's first hit so far can
			// change it.
			n := len(secrets)
			if h := f.hits[m.target].secret; h >= 0 {
				n = h
			}
			if i := m.kt.TestBatch(secrets[:n]); i >= 0 {
				record(i, m)
			}
			continue
		}
		for i, secret := range secrets {
			f.testGroup(g, secret, func(m *member) { record(i, m) })
		}
	}
	// Report in the order of the secrets.
	for {
		next := -1
		for t, h := range f.hits {
			if h.secret >= 0 && (next < 0 || h.secret < f.hits[next].secret) {
				next = t
			}
		}
		if next < 0 {
			return
		}
		h := f.hits[next]
		f.hits[next].secret = -1
		if f.done.found[next].CompareAndSwap(false, true) {
			f.done.left.Add(-1)
			found(h.secret, next, h.scheme)
		}
	}
}

// quoteText quotes attacker-controlled text for a message: control, bidi
// and other non-printable characters escaped.
func quoteText(s string) string { return strconv.Quote(s) }
