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

	"github.com/flaskcookie/flaskcookie/audit"
	"github.com/flaskcookie/flaskcookie/django"
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
	rp.line("format", "%s; %s", audit.Format(prof).Describe(), how)
	switch {
	case byKey:
	case auto && prof == profFlask && det.prof == profFlask && !det.sure:
		rp.cont("%s", rp.dim("or a Starlette one: the payload fits both (--secret or --profile starlette tells)"))
	case auto && prof == profDjangoSession:
		rp.cont("%s", rp.dim("or a signing.dumps token (--profile django): only the key tells, the salt differs"))
	case !auto && det.sure && det.prof != "" && det.prof != prof && !(det.prof == profSealed && prof == profFlask):
		what := audit.Format(det.prof).Describe()
		if det.prof == profSealed {
			what = "a sealed Flask cookie (a Fernet token)"
		}
		rp.line("note", "%s", rp.bad("it looks like "+what+" instead"))
	}
}

// otherAnatomy is a cookie of a profile other than Flask taken apart
// without any key.
type otherAnatomy struct {
	*audit.Parts
	prof string
}

func dissectOther(prof, cookie string) (*otherAnatomy, error) {
	p, err := audit.Dissect(audit.Format(prof), cookie)
	if err != nil {
		return nil, err
	}
	return &otherAnatomy{Parts: p, prof: prof}, nil
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
		case a.HeaderErr != "":
			rp.line("header", "%s", rp.bad(a.HeaderErr))
		default:
			rp.text("header", a.HeaderRaw, "")
		}
	}
	switch {
	case prof == profDjangoCookie:
		rp.line("payload", "%s of text, signed as it is (set_signed_cookie does not encode it)", plural(len(a.Payload), "byte"))
	case a.PayloadErr != "":
		rp.line("payload", "%s", rp.bad(fmt.Sprintf("%d base64 characters, %s", len(a.PayloadPart), a.PayloadErr)))
	case a.Compressed:
		rp.line("payload", "%d bytes of JSON, zlib-compressed to %d (%d in base64)", len(a.Payload), a.CompressedLen, len(a.PayloadPart)-1)
	default:
		rp.line("payload", "%d bytes of JSON, not compressed (%d in base64)", len(a.Payload), len(a.PayloadPart))
	}
	if a.PayloadErr == "" {
		if utf8.Valid(a.Payload) {
			rp.text("", a.Payload, "decode --format tagged")
		} else {
			rp.cont("%s", rp.bad("not UTF-8 text: "+strconv.QuoteToASCII(string(a.Payload))))
		}
	}

	a.reportTime(rp, r)
	a.reportSignature(rp, r.other, cookie)

	// Key and value.
	c := *r.other
	c.name = r.cookieName
	if r.fernet != nil {
		rp.line("fernet key", "not used: this cookie is signed, not sealed (--secret checks it)")
	}
	verified := false
	headerAlg, _ := a.Header["alg"].(string)
	switch {
	case !r.verify:
		rp.line("secret", "not given (--secret checks it)")
	case isJWS(prof) && headerAlg == jws.None && len(a.Signature) == 0:
		rp.line("secret", "%s", rp.bad("nothing to check: the token is not signed"))
	case prof == profDjangoCookie && r.cookieName == "":
		rp.line("secret", "%s", rp.bad("cannot be checked without the cookie's name, which Django puts in the salt: give NAME=VALUE or --name NAME"))
	default:
		alg := c.sigAlgorithm(cookie)
		which, err := testKeys(c.scheme(alg), cookie, r.secret, r.fallbacks, alg != "")
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
		rp.line("value", "%s", rp.bad(audit.Format(prof).Framework()+" cannot load it: "+oneLine(err.Error())))
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
	case c.prof == profDjangoCookie:
		return fmt.Sprintf(" (salt %s, the name + --salt; key \"django.http.cookies\" + SECRET_KEY; HMAC-%s)", strconv.Quote(c.name+string(c.salt)), strings.ToUpper(alg))
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
	case prof == profDjangoCookie:
		return ", cookie name, --salt or digest"
	}
	return ""
}

// testKeys tests the secret and then the fallbacks on cookie's signature:
// 0 for the secret, i for the i-th fallback, -1 for none. ok false means no
// algorithm fits the signature.
func testKeys(s audit.Scheme, cookie string, secret []byte, fallbacks [][]byte, ok bool) (int, error) {
	if !ok {
		return -1, errors.New("no algorithm of the format gives a signature of this length")
	}
	kt, err := itsdangerous.NewKeyTester([]byte(cookie), s.Options()...)
	if err != nil {
		if errors.Is(err, itsdangerous.ErrBadSignature) {
			return -1, nil
		}
		return -1, err
	}
	for i, k := range append([][]byte{secret}, fallbacks...) {
		if kt.Test(append([]byte(s.KeyPrefix), k...)) {
			return i, nil
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
	if a.TimestampErr != "" {
		rp.line("signed at", "%s", rp.bad("unknown: the timestamp is "+a.TimestampErr))
		return
	}
	base := ""
	if djangoSigned(prof) {
		base = ", base 62"
	}
	rp.line("signed at", "%s (timestamp %s = %d%s)", fmtTime(a.SignedAt), safetext.Escape(a.TimestampPart), a.SignedAt.Unix(), base)
	age := r.now.Unix() - a.SignedAt.Unix()
	var lifetime time.Duration
	var what string
	switch prof {
	case profStarlette:
		lifetime, what = starlette.DefaultMaxAge, "Starlette's default max_age of 14 days"
	case profDjangoSession:
		lifetime, what = django.DefaultSessionCookieAge, "Django's default SESSION_COOKIE_AGE of 14 days"
	}
	switch {
	case age < 0 && djangoSigned(prof):
		rp.line("age", "signed %s in the future (Django accepts it)", fmtSeconds(age))
	case age < 0:
		rp.line("age", "%s", rp.bad("signed "+fmtSeconds(age)+" in the future: "+audit.Format(prof).Framework()+" refuses it"))
	case lifetime == 0 && prof == profDjangoCookie:
		rp.line("age", "%s (get_signed_cookie checks an age only when given max_age)", fmtSeconds(age))
	case lifetime == 0:
		rp.line("age", "%s (signing.loads checks an age only when given max_age)", fmtSeconds(age))
	case age > int64(lifetime/time.Second):
		rp.line("age", "%s; %s", fmtSeconds(age), rp.bad("expired for "+what+" (on "+fmtTime(a.SignedAt.Add(lifetime))+")"))
	default:
		rp.line("age", "%s; valid for %s until %s", fmtSeconds(age), what, fmtTime(a.SignedAt.Add(lifetime)))
	}
}

// reportJWSTime writes "iat" and "exp" of a JWS header.
func (a *otherAnatomy) reportJWSTime(rp reporter, r *decodeRequest) {
	if a.Header == nil {
		return
	}
	if iat, ok := a.Header["iat"]; ok {
		if a.SignedAt.IsZero() {
			rp.line("signed at", "%s", rp.bad("unknown: \"iat\" is "+py.Repr(iat)+", not a time"))
		} else {
			age := r.now.Unix() - a.SignedAt.Unix()
			rp.line("signed at", "%s (iat %d); age %s", fmtTime(a.SignedAt), a.SignedAt.Unix(), fmtSeconds(age))
			if age < 0 {
				rp.cont("that is in the future")
			}
		}
	}
	exp, ok := a.Header["exp"]
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
	case a.SignatureErr != "":
		rp.line("signature", "%s", rp.bad(a.SignatureErr))
		return
	case len(a.Signature) == 0 && isJWS(a.prof):
		if alg, _ := a.Header["alg"].(string); alg == jws.None {
			rp.line("signature", "%s", rp.bad("empty: the header says \"alg\": \"none\", so the token is not signed; anyone can make it"))
			return
		}
		fallthrough
	case len(a.Signature) == 0:
		rp.line("signature", "%s", rp.bad("empty: no key signed this "+cookieWord(a.prof)))
		return
	}
	n := len(a.Signature)
	switch {
	case a.prof == profStarlette:
		if n == 20 {
			rp.line("signature", "%d bytes: HMAC-SHA1 (itsdangerous's TimestampSigner defaults: salt itsdangerous.Signer, django-concat)", n)
		} else {
			rp.line("signature", "%s", rp.bad(fmt.Sprintf("%s: not the 20 bytes of Starlette's HMAC-SHA1%s", plural(n, "byte"), cutHint(n, 20))))
		}
	case djangoSigned(a.prof):
		d := audit.DigestForSize(n)
		ok := d != ""
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
		alg, _ := a.Header["alg"].(string)
		w := 0
		if h := audit.JWSHash(alg); h != nil {
			w = h().Size()
		}
		switch ok := w > 0; {
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
