package main

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/flaskcookie/flaskcookie/django"
	"github.com/flaskcookie/flaskcookie/internal/pybase64"
	"github.com/flaskcookie/flaskcookie/internal/safetext"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
	"github.com/flaskcookie/flaskcookie/jws"
	"github.com/flaskcookie/flaskcookie/py"
	"github.com/flaskcookie/flaskcookie/starlette"
)

// reporter writes the lines of inspect's report.
type reporter struct {
	w io.Writer
	p palette
}

func (r reporter) line(label, format string, args ...any) {
	fmt.Fprintf(r.w, "%s %s\n", r.p.paint(r.p.label, fmt.Sprintf("%-10s", label)), fmt.Sprintf(format, args...))
}

func (r reporter) cont(format string, args ...any) {
	fmt.Fprintf(r.w, "%-10s %s\n", "", fmt.Sprintf(format, args...))
}

// textWidth and textLines bound the text inspect shows of a payload: lines
// of at most textWidth characters, which fit a terminal of 80 columns
// after the label column, and at most textLines of them.
const (
	textWidth = 68
	textLines = 8
)

// text shows b, a payload's text, escaped (oneLineJSON) and wrapped, on
// the line of label ("" for continuation lines). A text too long for
// textLines lines ends with a note saying how much was left out and, when
// more is not "", where to see it all.
func (r reporter) text(label string, b []byte, more string) {
	s := []rune(oneLineJSON(b))
	total, shown := len(s), 0
	var lines []string
	for len(s) > textWidth && len(lines) < textLines {
		n := wrapAt(s)
		lines = append(lines, string(s[:n]))
		s = s[n:]
		shown += n
	}
	note := ""
	switch {
	case len(lines) < textLines:
		lines = append(lines, string(s))
	default:
		shown -= len([]rune(lines[textLines-1]))
		lines = lines[:textLines-1]
		note = fmt.Sprintf("... and %d more", total-shown)
		if more != "" {
			note += " (" + more + " shows them all)"
		}
	}
	for i, l := range lines {
		if i == 0 && label != "" {
			r.line(label, "%s", r.dim(l))
		} else {
			r.cont("%s", r.dim(l))
		}
	}
	if note != "" {
		r.cont("%s", note)
	}
}

// wrapAt is where to end a line of s, which is longer than textWidth:
// after the last ',' of its second half, else before a backslash that
// starts an escape the line would cut, else at textWidth.
func wrapAt(s []rune) int {
	for i := textWidth; i > textWidth/2; i-- {
		if s[i-1] == ',' {
			return i
		}
	}
	for i := textWidth - 1; i > textWidth-10; i-- {
		if s[i] == '\\' {
			return i
		}
	}
	return textWidth
}

func (r reporter) bad(s string) string  { return r.p.paint(r.p.bad, s) }
func (r reporter) good(s string) string { return r.p.paint(r.p.good, s) }
func (r reporter) dim(s string) string  { return r.p.paint(r.p.dim, s) }

// formatLine says which format the report is about and how it was chosen.
// byKey says the key chose prof among the formats the text fits.
func formatLine(rp reporter, prof string, auto, byKey bool, det detection) {
	how := "--profile " + prof
	switch {
	case byKey:
		how = "the key verifies it as one: --profile " + prof
	case auto:
		how = "recognised from its text: --profile " + prof
	}
	rp.line("format", "%s; %s", describeProfile(prof), how)
	switch {
	case byKey:
	case auto && prof == profFlask && det.prof == profFlask && !det.sure:
		rp.cont("%s", rp.dim("or a Starlette one: the payload fits both (--secret or --profile starlette tells)"))
	case auto && prof == profDjangoSession:
		rp.cont("%s", rp.dim("or a signing.dumps token (--profile django): only the key tells, the salt differs"))
	case !auto && det.sure && det.prof != "" && det.prof != prof && !(det.prof == profSealed && prof == profFlask):
		what := describeProfile(det.prof)
		if det.prof == profSealed {
			what = "a sealed Flask cookie (a Fernet token)"
		}
		rp.line("note", "%s", rp.bad("it looks like "+what+" instead"))
	}
}

// otherAnatomy is a cookie of a profile other than Flask taken apart
// without any key.
type otherAnatomy struct {
	prof          string
	payloadPart   string
	compressed    bool
	compressedLen int
	raw           []byte
	payloadErr    string
	tsPart        string
	signedAt      time.Time
	tsErr         string
	sigPart       string
	sig           []byte
	sigErr        string
	header        map[string]any // JWS
	headerRaw     []byte
	headerErr     string
}

func dissectOther(prof, cookie string) (*otherAnatomy, error) {
	a := &otherAnatomy{prof: prof}
	sep := byte('.')
	if isDjango(prof) {
		sep = ':'
	}
	payload, ts, sig, ok := split3(cookie, sep)
	if !ok {
		if isJWS(prof) {
			return nil, errors.New("malformed token: a JWS token is HEADER.PAYLOAD.SIGNATURE, with two '.'")
		}
		return nil, fmt.Errorf("%s: it needs two '%c'", malformedShape(prof).Error(), sep)
	}
	a.sigPart = sig
	if b, err := pybase64.DecodeURLSafe(nil, []byte(sig)); err != nil {
		a.sigErr = "not base64"
	} else {
		a.sig = b
	}
	switch {
	case prof == profStarlette:
		a.payloadPart, a.tsPart = payload, ts
		if raw, err := pybase64.DecodeStd(nil, []byte(payload)); err != nil {
			a.payloadErr = "not base64"
		} else {
			a.raw = raw
		}
		a.signedAt, a.tsErr = itsdangerousTime(ts)
	case isDjango(prof):
		a.payloadPart, a.tsPart = payload, ts
		a.compressed = strings.HasPrefix(payload, ".")
		if raw, n, err := djangoPayload(payload); err != nil {
			a.payloadErr = err.Error()
		} else {
			a.raw, a.compressedLen = raw, n
		}
		a.signedAt, a.tsErr = base62Time(ts)
	default:
		// HEADER.PAYLOAD.SIGNATURE: the rest is split on its first '.'.
		h := payload + "." + ts
		head, body, _ := strings.Cut(h, ".")
		a.payloadPart = body
		if hm, raw, err := jwsHeader(head + "."); err != nil {
			a.headerErr, a.headerRaw = err.Error(), raw
		} else {
			a.header, a.headerRaw = hm, raw
		}
		if raw, err := pybase64.DecodeURLSafe(nil, []byte(body)); err != nil {
			a.payloadErr = "not base64"
		} else {
			a.raw = raw
		}
		if a.header != nil {
			if t, ok := jws.IssuedAt(a.header); ok {
				a.signedAt = t
			}
		}
	}
	return a, nil
}

// itsdangerousTime reads an itsdangerous timestamp: URL-safe base64 of a
// big-endian integer.
func itsdangerousTime(ts string) (time.Time, string) {
	if ts == "" {
		return time.Time{}, "missing"
	}
	b, err := pybase64.DecodeURLSafe(nil, []byte(ts))
	switch {
	case err != nil:
		return time.Time{}, "not base64"
	}
	return timestampOf(b, 0)
}

// timestampOf reads the big-endian integer of an itsdangerous timestamp,
// counted from epoch (Unix seconds), range-checked before the epoch is
// added so that no sum wraps around.
func timestampOf(b []byte, epoch uint64) (time.Time, string) {
	if len(b) > 8 {
		return time.Time{}, "longer than 8 bytes"
	}
	var n uint64
	for _, c := range b {
		n = n<<8 | uint64(c)
	}
	if n > maxUnix-epoch {
		return time.Time{}, "after the year 9999"
	}
	return time.Unix(int64(n+epoch), 0).UTC(), ""
}

// base62Time reads a Django timestamp: base 62, most significant digit
// first.
func base62Time(ts string) (time.Time, string) {
	if ts == "" {
		return time.Time{}, "missing"
	}
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	var n uint64
	for i := 0; i < len(ts); i++ {
		d := strings.IndexByte(alphabet, ts[i])
		if d < 0 {
			return time.Time{}, "not base 62"
		}
		if n > (maxUnix-uint64(d))/62 {
			return time.Time{}, "after the year 9999"
		}
		n = n*62 + uint64(d)
	}
	return time.Unix(int64(n), 0).UTC(), ""
}

// reportOther writes inspect's report of a cookie of a profile other than
// Flask.
func reportOther(w io.Writer, cookie string, r *decodeRequest, p palette, auto, byKey bool, det detection) error {
	prof := r.profile
	a, err := dissectOther(prof, cookie)
	if err != nil {
		return err
	}
	rp := reporter{w, p}
	formatLine(rp, prof, auto, byKey, det)

	// Size.
	size := fmt.Sprintf("%d bytes", len(cookie))
	switch {
	case cookieWord(prof) == "token":
		rp.line("token", "%s", size)
	case len(cookie) > browserCookieSize:
		rp.line("cookie", "%s, %s", size, rp.bad(fmt.Sprintf("over the %d bytes browsers keep: they drop it", browserCookieSize)))
	default:
		rp.line("cookie", "%s (browsers keep %d)", size, browserCookieSize)
	}

	// Header (JWS) and payload.
	if isJWS(prof) {
		switch {
		case a.headerErr != "":
			rp.line("header", "%s", rp.bad(a.headerErr))
		default:
			rp.text("header", a.headerRaw, "")
		}
	}
	switch {
	case a.payloadErr != "":
		rp.line("payload", "%s", rp.bad(fmt.Sprintf("%d base64 characters, %s", len(a.payloadPart), a.payloadErr)))
	case a.compressed:
		rp.line("payload", "%d bytes of JSON, zlib-compressed to %d (%d in base64)", len(a.raw), a.compressedLen, len(a.payloadPart)-1)
	default:
		rp.line("payload", "%d bytes of JSON, not compressed (%d in base64)", len(a.raw), len(a.payloadPart))
	}
	if a.payloadErr == "" {
		if utf8.Valid(a.raw) {
			rp.text("", a.raw, "decode --format tagged")
		} else {
			rp.cont("%s", rp.bad("not UTF-8 text: "+strconv.QuoteToASCII(string(a.raw))))
		}
	}

	a.reportTime(rp, r)
	a.reportSignature(rp, r.other, cookie)

	// Key and value.
	c := *r.other
	if r.fernet != nil {
		rp.line("fernet key", "not used: this cookie is signed, not sealed (--secret checks it)")
	}
	verified := false
	headerAlg, _ := a.header["alg"].(string)
	switch {
	case !r.verify:
		rp.line("secret", "not given (--secret checks it)")
	case isJWS(prof) && headerAlg == jws.None && len(a.sig) == 0:
		rp.line("secret", "%s", rp.bad("nothing to check: the token is not signed"))
	default:
		alg := c.sigAlgorithm(cookie)
		which, err := testKeys(c.testerOptions(alg), cookie, r.secret, r.fallbacks, alg != "")
		switch {
		case err != nil:
			rp.line("secret", "%s", rp.bad("cannot be checked: "+oneLine(err.Error())))
		case which == 0:
			rp.line("secret", "%s%s", rp.good("verifies: --secret signed this "+cookieWord(prof)), signedWith(&c, alg))
		case which > 0:
			rp.line("secret", "%s%s", rp.good(fmt.Sprintf("verifies with --fallback-secret %s (number %d)", describeKey(r.fallbacks[which-1]), which)), signedWith(&c, alg))
		default:
			rp.line("secret", "%s", rp.bad("does not verify: wrong key"+saltWord(prof)+", or a changed "+cookieWord(prof)))
		}
		if which >= 0 && err == nil {
			verified = true
			key := r.secret
			if which > 0 {
				key = r.fallbacks[which-1]
			}
			// Decode with the key that verifies, with the algorithm that
			// verifies, without an age check: the age is shown above.
			rr := *r
			rr.secret, rr.fallbacks, rr.maxAge = key, nil, -1
			c.digest, c.given = alg, true
			rr.other = &c
			r = &rr
		}
	}
	rr := *r
	rr.maxAge = -1
	rr.verify = verified
	if !verified {
		rr.secret, rr.fallbacks = nil, nil
	}
	oc := *rr.other
	if oc.prof == profJWSTimed {
		oc.prof = profJWS // "exp" is shown above; show the value even when it has passed
	}
	rr.other, rr.profile = &oc, oc.prof
	d, err := decodeOther(&rr, cookie)
	switch {
	case err != nil:
		rp.line("value", "%s", rp.bad(framework(prof)+" cannot load it: "+oneLine(err.Error())))
	case verified:
		rp.line("value", "%s", py.Repr(d.value))
	default:
		rp.line("value", "%s %s", py.Repr(d.value), rp.dim("(not verified)"))
	}
	return nil
}

// signedWith names the salt and algorithm a Django or JWS signature
// verified with.
func signedWith(c *otherConfig, alg string) string {
	switch {
	case isDjango(c.prof):
		return fmt.Sprintf(" (salt %s, HMAC-%s)", c.djangoSalt(), strings.ToUpper(alg))
	case isJWS(c.prof) && c.salt != nil:
		return fmt.Sprintf(" (%s, salt %s)", alg, describeKey(c.salt))
	case isJWS(c.prof):
		return fmt.Sprintf(" (%s)", alg)
	}
	return ""
}

// cookieWord is "cookie", or "token" for formats that are not cookies.
func cookieWord(prof string) string {
	if isJWS(prof) || prof == profDjango {
		return "token"
	}
	return "cookie"
}

// saltWord names the other parts of the key a profile has.
func saltWord(prof string) string {
	switch {
	case prof == profDjango:
		return ", salt or digest"
	case isJWS(prof):
		return ", salt or algorithm"
	case prof == profDjangoSession:
		return " or digest"
	}
	return ""
}

// testKeys tests the secret and then the fallbacks on cookie's signature:
// 0 for the secret, i for the i-th fallback, -1 for none. ok false means no
// algorithm fits the signature.
func testKeys(opts []itsdangerous.Option, cookie string, secret []byte, fallbacks [][]byte, ok bool) (int, error) {
	if !ok {
		return -1, errors.New("no algorithm of the format gives a signature of this length")
	}
	kt, err := itsdangerous.NewKeyTester([]byte(cookie), opts...)
	if err != nil {
		if errors.Is(err, itsdangerous.ErrBadSignature) {
			return -1, nil
		}
		return -1, err
	}
	if kt.Test(secret) {
		return 0, nil
	}
	for i, f := range fallbacks {
		if kt.Test(f) {
			return i + 1, nil
		}
	}
	return -1, nil
}

// reportTime writes the signing time, the age and the expiry.
func (a *otherAnatomy) reportTime(rp reporter, r *decodeRequest) {
	prof := a.prof
	if isJWS(prof) {
		a.reportJWSTime(rp, r)
		return
	}
	if a.tsErr != "" {
		rp.line("signed at", "%s", rp.bad("unknown: the timestamp is "+a.tsErr))
		return
	}
	base := ""
	if isDjango(prof) {
		base = ", base 62"
	}
	rp.line("signed at", "%s (timestamp %s = %d%s)", fmtTime(a.signedAt), safetext.Escape(a.tsPart), a.signedAt.Unix(), base)
	age := r.now.Unix() - a.signedAt.Unix()
	var lifetime time.Duration
	var what string
	switch prof {
	case profStarlette:
		lifetime, what = starlette.DefaultMaxAge, "Starlette's default max_age of 14 days"
	case profDjangoSession:
		lifetime, what = django.DefaultSessionCookieAge, "Django's default SESSION_COOKIE_AGE of 14 days"
	}
	switch {
	case age < 0 && isDjango(prof):
		rp.line("age", "signed %s in the future (Django accepts it)", fmtSeconds(age))
	case age < 0:
		rp.line("age", "%s", rp.bad("signed "+fmtSeconds(age)+" in the future: "+framework(prof)+" refuses it"))
	case lifetime == 0:
		rp.line("age", "%s (signing.loads checks an age only when given max_age)", fmtSeconds(age))
	case age > int64(lifetime/time.Second):
		rp.line("age", "%s; %s", fmtSeconds(age), rp.bad("expired for "+what+" (on "+fmtTime(a.signedAt.Add(lifetime))+")"))
	default:
		rp.line("age", "%s; valid for %s until %s", fmtSeconds(age), what, fmtTime(a.signedAt.Add(lifetime)))
	}
}

// reportJWSTime writes "iat" and "exp" of a JWS header.
func (a *otherAnatomy) reportJWSTime(rp reporter, r *decodeRequest) {
	if a.header == nil {
		return
	}
	if iat, ok := a.header["iat"]; ok {
		if a.signedAt.IsZero() {
			rp.line("signed at", "%s", rp.bad("unknown: \"iat\" is "+py.Repr(iat)+", not a time"))
		} else {
			age := r.now.Unix() - a.signedAt.Unix()
			rp.line("signed at", "%s (iat %d); age %s", fmtTime(a.signedAt), a.signedAt.Unix(), fmtSeconds(age))
			if age < 0 {
				rp.cont("that is in the future")
			}
		}
	}
	exp, ok := a.header["exp"]
	switch {
	case !ok && a.prof == profJWSTimed:
		rp.line("expires", "%s", rp.bad("no \"exp\": a timed serializer refuses it (Missing expiry date)"))
	case !ok:
	default:
		n, ok := intDate(exp)
		if !ok {
			rp.line("expires", "%s", rp.bad("\"exp\" is "+py.Repr(exp)+", not an IntDate: a timed serializer refuses it"))
			break
		}
		t := time.Unix(n, 0).UTC()
		left := n - r.now.Unix()
		if left < 0 {
			rp.line("expires", "%s (exp %d); %s", fmtTime(t), n, rp.bad("expired "+fmtSeconds(left)+" ago: a timed serializer refuses it"))
		} else {
			rp.line("expires", "%s (exp %d); valid for %s more", fmtTime(t), n, fmtSeconds(left))
		}
	}
}

// intDate reads an "exp" that is an integer (or float) number of seconds.
func intDate(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, x >= 0 && x <= maxUnix
	case float64:
		if math.IsNaN(x) || x < 0 || x > maxUnix {
			return 0, false
		}
		return int64(x), true
	}
	return 0, false
}

// reportSignature writes the signature's size and the algorithm it implies.
func (a *otherAnatomy) reportSignature(rp reporter, c *otherConfig, cookie string) {
	switch {
	case a.sigErr != "":
		rp.line("signature", "%s", rp.bad(a.sigErr))
		return
	case len(a.sig) == 0 && isJWS(a.prof):
		if alg, _ := a.header["alg"].(string); alg == jws.None {
			rp.line("signature", "%s", rp.bad("empty: the header says \"alg\": \"none\", so the token is not signed; anyone can make it"))
			return
		}
		fallthrough
	case len(a.sig) == 0:
		rp.line("signature", "%s", rp.bad("empty: no key signed this "+cookieWord(a.prof)))
		return
	}
	n := len(a.sig)
	switch {
	case a.prof == profStarlette:
		if n == 20 {
			rp.line("signature", "%d bytes: HMAC-SHA1 (itsdangerous's TimestampSigner defaults: salt itsdangerous.Signer, django-concat)", n)
		} else {
			rp.line("signature", "%s", rp.bad(fmt.Sprintf("%s: not the 20 bytes of Starlette's HMAC-SHA1%s", plural(n, "byte"), cutHint(n, 20))))
		}
	case isDjango(a.prof):
		d, ok := digestBySize[n]
		switch {
		case !ok:
			rp.line("signature", "%s", rp.bad(fmt.Sprintf("%s: no HMAC digest gives that length%s", plural(n, "byte"), cutHint(n, 20))))
		case d == "sha256":
			rp.line("signature", "%d bytes: HMAC-SHA256, Django's default", n)
		case d == "sha1":
			rp.line("signature", "%d bytes: HMAC-SHA1, from DEFAULT_HASHING_ALGORITHM = 'sha1' (--digest sha1) or Django 3.0", n)
			rp.cont("and older (Django 3.1 and 3.2 still accept it: --legacy)")
		default:
			rp.line("signature", "%d bytes: HMAC-%s (--digest %s), not Django's default SHA-256", n, strings.ToUpper(d), d)
		}
	default:
		alg, _ := a.header["alg"].(string)
		want := map[string]int{jws.HS256: 32, jws.HS384: 48, jws.HS512: 64}
		switch w, ok := want[alg]; {
		case ok && w == n:
			rp.line("signature", "%d bytes: HMAC-SHA%s, as \"alg\": %q says", n, alg[2:], alg)
		case ok:
			rp.line("signature", "%s", rp.bad(fmt.Sprintf("%s, but \"alg\": %q makes %d%s", plural(n, "byte"), alg, w, cutHint(n, w))))
		default:
			rp.line("signature", "%d bytes; the header's \"alg\" is %s, which itsdangerous does not sign with", n, quoteAlg(cookie))
		}
		if c.salt != nil {
			rp.cont("with --salt: the key is SHA-1(salt + \"signer\" + secret)")
		}
	}
}
