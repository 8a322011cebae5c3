package main

import (
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/flaskcookie/flaskcookie/audit"
	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/fernet"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
	"github.com/flaskcookie/flaskcookie/jws"
	"github.com/flaskcookie/flaskcookie/py"
)

// decodeFlags are the flags of decode.
type decodeFlags struct {
	keys    keyFlags
	fernet  fernetFlags
	profile *optString
	maxAge  string
	format  string
	now     string
}

func runDecode(e *env, args []string) error {
	fs := newFlagSet("decode")
	var f decodeFlags
	f.keys.add(fs, true)
	f.fernet.add(fs)
	f.profile = addProfile(fs)
	fs.StringVar(&f.maxAge, "max-age", "", "")
	fs.StringVar(&f.format, "format", "json", "")
	fs.StringVar(&f.now, "now", "", "")
	pos, err := parseArgs("decode", fs, args)
	if err != nil {
		return err
	}
	if err := checkFormat("decode", f.format); err != nil {
		return err
	}
	if err := checkProfile("decode", f.profile); err != nil {
		return err
	}
	req, err := f.request(e)
	if err != nil {
		return err
	}
	if err := req.withFernet(&f.fernet, fs); err != nil {
		return err
	}
	auto := !f.profile.set && req.fernet == nil
	var cookie string
	if (auto || req.profile == profDjangoCookie) && len(pos) == 1 {
		// Keep the cookie's name: Django's set_signed_cookie salts with it.
		c, err := unsignCookieArg(e, pos[0], &f.keys, req.profile)
		if err != nil {
			return err
		}
		cookie, req.cookieName = c.value, c.name
		if f.keys.given("name") {
			req.cookieName = f.keys.name
		}
	} else if cookie, err = cookieArg(e, "decode", pos, f.keys.cookieNames(req.profile), req.profile != profFlask); err != nil {
		return err
	}
	note := ""
	if auto {
		// Without --profile the cookie's text chooses (issue 12 point 10).
		if req, note, err = f.autoProfile(e, req, cookie); err != nil {
			return err
		}
	}
	res, err := decodeCookie(req, cookie)
	if err != nil {
		var u *usageError
		if note != "" && !errors.As(err, &u) {
			return fmt.Errorf("%s (%s)", strings.TrimSuffix(err.Error(), "."), note)
		}
		return err
	}
	var out []byte
	if req.profile == profFlask {
		out, err = formatSession(res, f.format)
	} else {
		out, err = formatOther(res, f.format)
	}
	if err != nil {
		return err
	}
	if !res.verified {
		fmt.Fprintln(e.stderr, "flaskcookie decode: warning: no --secret given, so the signature was not checked; anyone can make this cookie")
		if why := audit.Truncation(cookie, f.keys.sigSize()); res.prof == profFlask && req.fernet == nil && why != "" {
			fmt.Fprintf(e.stderr, "flaskcookie decode: warning: the cookie looks truncated: %s\n", why)
		}
	}
	if note != "" {
		fmt.Fprintf(e.stderr, "flaskcookie decode: %s\n", oneLine(note))
	}
	_, err = e.stdout.Write(out)
	return err
}

// autoProfile chooses the profile of a cookie decoded without --profile
// from its text (audit.Detect), and for a Django token that could be a
// session, a signing.dumps token or a set_signed_cookie value, from the
// key. It returns the request for that profile and the note printed on
// standard error, or the one-line reason decode cannot choose.
func (f *decodeFlags) autoProfile(e *env, req *decodeRequest, cookie string) (*decodeRequest, string, error) {
	d := detect(cookie)
	if d.prof == "" || d.prof == profFlask || d.prof == profSealed {
		return req, "", nil
	}
	as := func(prof string) (*decodeRequest, error) {
		f.profile.value = prof
		defer func() { f.profile.value = profFlask }()
		r, err := f.request(e)
		var u *usageError
		if err != nil && errors.As(err, &u) {
			return nil, fmt.Errorf("the cookie looks like %s, and %s", audit.Format(prof).Describe(), u.msg)
		}
		if err != nil {
			return nil, err
		}
		r.cookieName = req.cookieName
		return r, nil
	}
	note := func(prof string) string {
		return "read as " + audit.Format(prof).Describe() + ", recognised from its text (--profile " + prof + "; --profile flask reads it as Flask's)"
	}
	if d.prof == profDjangoCookie && req.verify && req.cookieName == "" {
		return nil, "", errors.New("the cookie looks like a Django set_signed_cookie value, whose salt is the cookie's name: give NAME=VALUE or --name NAME")
	}
	if d.sure {
		r, err := as(d.prof)
		return r, note(d.prof), err
	}
	// A Django token whose payload is base64 JSON: a session, a
	// signing.dumps token or a set_signed_cookie value, by the salt.
	candidates := []string{profDjangoSession, profDjango, profDjangoCookie}
	if !req.verify {
		r, err := as(profDjangoSession)
		return r, "read as a Django signed token, recognised from its text; without --secret the salt cannot tell a session (--profile django-session) from a signing.dumps token (--profile django) or a set_signed_cookie value (--profile django-cookie)", err
	}
	for _, prof := range candidates {
		if prof == profDjangoCookie && req.cookieName == "" {
			continue
		}
		r, err := as(prof)
		if err != nil {
			continue
		}
		if _, err := decodeCookie(r, cookie); err == nil {
			return r, note(prof), nil
		}
	}
	return nil, "", errors.New("the cookie looks like a Django signed token, and the key verifies it as none of a session, a signing.dumps token or a set_signed_cookie value: the secret key is wrong, or choose --profile django-session, django (with --salt) or django-cookie (with NAME=VALUE)")
}

// decodeRequest is what decoding needs, from the flags.
type decodeRequest struct {
	keys       *keyFlags
	cookieName string       // the cookie's name: --name, or NAME=VALUE (django-cookie)
	profile    string       // the --profile
	other      *otherConfig // the signing of a profile other than Flask
	verify     bool
	secret     []byte
	fallbacks  [][]byte
	maxAge     time.Duration // < 0: no age check
	now        time.Time

	fernetKeys []fernet.Key   // --fernet-key, in order
	fernet     *fernet.Fernet // the Fernet of fernetKeys; nil without them
}

// withFernet adds the --fernet-key keys to r, for sealed cookies.
func (r *decodeRequest) withFernet(f *fernetFlags, fs *flag.FlagSet) error {
	if len(f.keys) > 0 && r.profile != profFlask {
		return usagef(fs.Name(), "--fernet-key is for sealed Flask sessions; it has no use with --profile %s", r.profile)
	}
	keys, err := f.parse(fs.Name(), fs)
	if err != nil || keys == nil {
		return err
	}
	if r.fernet, err = newFernet(fs.Name(), keys); err != nil {
		return err
	}
	r.fernetKeys = keys
	return nil
}

func (f *decodeFlags) request(e *env) (*decodeRequest, error) {
	r := &decodeRequest{keys: &f.keys, profile: profFlask, verify: f.keys.secret.set, maxAge: -1, now: e.now()}
	if f.profile != nil {
		r.profile = f.profile.value
	}
	if f.maxAge != "" {
		var err error
		if r.maxAge, err = parseSeconds(f.keys.cmd, "--max-age", f.maxAge, false, "a number of seconds (Flask's default is 2678400, 31 days)"); err != nil {
			return nil, err
		}
	}
	if f.now != "" {
		t, err := parseUnix(f.keys.cmd, "--now", f.now)
		if err != nil {
			return nil, err
		}
		r.now = t
	}
	if !r.verify && len(f.keys.fallbacks) > 0 {
		return nil, usagef(f.keys.cmd, "--fallback-secret needs --secret")
	}
	if isJWS(r.profile) && f.maxAge != "" {
		return nil, usagef(f.keys.cmd, "--max-age has no use with --profile %s: a JWS token has no age limit but the \"exp\" of a timed token's header, which is always checked", r.profile)
	}
	// Starlette signs with str(secret_key): a bytes key as its repr.
	f.keys.reprBytes = r.profile == profStarlette
	var err error
	if r.secret, r.fallbacks, err = f.keys.secrets(); err != nil {
		return nil, err
	}
	if err := refuseEmptyKeys(f.keys.cmd, r); err != nil {
		return nil, err
	}
	// Check the other flags now, so that usage errors come first.
	if r.profile != profFlask {
		if r.other, err = f.keys.otherConfig(r.profile); err != nil {
			return nil, err
		}
	} else if _, err := f.keys.signerOptions(); err != nil {
		return nil, err
	}
	return r, nil
}

// refuseEmptyKeys refuses an empty --secret or --fallback-secret where a
// cookie is verified: anyone can sign with the empty key (itsdangerous
// does), so an empty key that verifies proves nothing. unsign tries the
// empty key, since an app that signs with it is what an audit must find.
func refuseEmptyKeys(cmd string, r *decodeRequest) error {
	const why = "anyone can sign with the empty key, so it verifies nothing (unsign tells whether an app signs with it: give it a wordlist with an empty line)"
	if r.verify && len(r.secret) == 0 {
		return usagef(cmd, "--secret is empty: %s", why)
	}
	for i, k := range r.fallbacks {
		if len(k) == 0 {
			return usagef(cmd, "--fallback-secret number %d is empty: %s", i+1, why)
		}
	}
	return nil
}

// decoded is a decoded session.
type decoded struct {
	session  map[string]any // Flask: the session
	value    any            // other profiles: the value, plain JSON data
	raw      []byte         // the JSON text inside the cookie, after inflating
	prof     string
	signedAt time.Time // zero when the cookie has no readable timestamp
	verified bool
}

// decodeCookie verifies (with a secret) and decodes cookie. Its errors are
// the one-line reasons of exit code 1.
func decodeCookie(r *decodeRequest, cookie string) (*decoded, error) {
	if r.fernet != nil {
		return decodeSealed(r, cookie)
	}
	if r.profile != profFlask {
		return decodeOther(r, cookie)
	}
	switch _, sealed, malformed := sealedShape(cookie); {
	case sealed:
		return nil, sealedNoKey(r.verify)
	case malformed:
		return nil, errNotFernet
	}
	d, err := decodeFlask(r, cookie)
	var u *usageError
	if err != nil && !errors.As(err, &u) {
		if terr := explainTruncated(cookie, r.keys.sigSize(), r.verify, err); terr != nil {
			return nil, terr
		}
	}
	return d, err
}

// decodeFlask verifies (with a secret) and decodes a Flask session cookie.
func decodeFlask(r *decodeRequest, cookie string) (*decoded, error) {
	now := func() time.Time { return r.now }
	var v any
	raw := &rawPayload{}
	if r.verify {
		s, err := r.keys.serializer(r.secret, r.fallbacks, now, raw)
		if err != nil {
			return nil, err
		}
		var opts []itsdangerous.CallOption
		if r.maxAge >= 0 {
			opts = append(opts, itsdangerous.MaxAge(r.maxAge))
		}
		signedAt, err := s.Loads(cookie, &v, opts...)
		if err != nil {
			return nil, explain(err, r)
		}
		return asSession(v, raw.text, signedAt, true)
	}
	s, err := r.keys.serializer([]byte("flaskcookie: unverified"), nil, now, raw)
	if err != nil {
		return nil, err
	}
	signedAt, _, err := s.LoadsUnsafe(cookie, &v)
	if err != nil {
		return nil, explain(err, r)
	}
	if r.maxAge >= 0 {
		if signedAt.IsZero() {
			return nil, errors.New("malformed cookie: no readable timestamp, so --max-age cannot be checked")
		}
		if err := checkAge(signedAt, r.now, r.maxAge); err != nil {
			return nil, err
		}
	}
	return asSession(v, raw.text, signedAt, false)
}

// rawPayload is Flask's payload format, keeping the text it decodes: the
// tagged JSON as it is in the cookie (after inflating), for --format
// tagged.
type rawPayload struct{ text []byte }

func (p *rawPayload) AppendPayload(dst []byte, v any) ([]byte, error) {
	return codec.TaggedJSON.AppendPayload(dst, v)
}

func (p *rawPayload) DecodePayload(data []byte, v any, lim itsdangerous.Limits) error {
	p.text = append(p.text[:0], data...)
	return codec.TaggedJSON.DecodePayload(data, v, lim)
}

// asSession checks that the payload is a dict, as Flask's session is. raw
// is the payload's JSON text.
func asSession(v any, raw []byte, signedAt time.Time, verified bool) (*decoded, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("the payload is a %s, not a dict: this is not a Flask session cookie", pyTypeName(v))
	}
	return &decoded{session: m, value: m, raw: raw, prof: profFlask, signedAt: signedAt, verified: verified}, nil
}

// checkAge applies Python's age rule to an unverified cookie: the age in
// whole seconds must be neither above maxAge nor negative.
func checkAge(signedAt, now time.Time, maxAge time.Duration) error {
	age := now.Unix() - signedAt.Unix()
	max := int64(maxAge / time.Second)
	switch {
	case age < 0:
		return futureError(signedAt, -age)
	case age > max:
		return expiredError(signedAt, age, max)
	}
	return nil
}

func futureError(signedAt time.Time, ahead int64) error {
	return fmt.Errorf("the cookie was signed in the future, at %s (%s ahead); Flask refuses it when it checks the age", fmtTime(signedAt), fmtSeconds(ahead))
}

func expiredError(signedAt time.Time, age, max int64) error {
	return fmt.Errorf("the cookie has expired: signed at %s, %s ago, more than --max-age %d seconds", fmtTime(signedAt), fmtSeconds(age), max)
}

// explain turns a decoding error into the reason printed on stderr.
func explain(err error, r *decodeRequest) error {
	var e *itsdangerous.Error
	if !errors.As(err, &e) {
		return err
	}
	switch {
	case errors.Is(err, itsdangerous.ErrTooLarge):
		return fmt.Errorf("the cookie is too large: %s", e.Reason)
	case errors.Is(err, itsdangerous.ErrSignatureExpired):
		if e.Age < 0 {
			return futureError(e.SignedAt, int64(-e.Age/time.Second))
		}
		return expiredError(e.SignedAt, int64(e.Age/time.Second), int64(e.MaxAge/time.Second))
	case errors.Is(err, itsdangerous.ErrBadPayload):
		if r.verify {
			return fmt.Errorf("the signature verifies, but %s could not load the payload: %w", audit.Format(r.profile).Framework(), err)
		}
		return fmt.Errorf("malformed cookie: cannot decode the payload: %w", err)
	case isJWS(r.profile) && errors.Is(err, jws.ErrBadHeader):
		return fmt.Errorf("malformed token: bad header: %s", e.Reason)
	case errors.Is(err, itsdangerous.ErrBadSignature):
		if isMismatch(e) {
			hint := "the secret key (or --salt) is wrong, or the cookie was changed"
			switch {
			case r.profile == profStarlette:
				hint = "the secret key is wrong, or the cookie was changed"
			case isJWS(r.profile):
				hint = "the secret key (or --salt) is wrong, or the token was changed"
			case r.keys.legacy:
				hint += "; try without --legacy"
			}
			return fmt.Errorf("the signature does not match: %s", hint)
		}
		if r.profile != profFlask {
			if strings.HasPrefix(e.Reason, "No ") {
				return malformedShape(r.profile)
			}
			return fmt.Errorf("malformed cookie: %s", e.Reason)
		}
		switch {
		case strings.HasPrefix(e.Reason, "No "):
			return errors.New("malformed cookie: no '.' in it; a Flask session cookie is PAYLOAD.TIMESTAMP.SIGNATURE")
		case e.Reason == "timestamp missing":
			return errors.New("malformed cookie: no timestamp; a Flask session cookie is PAYLOAD.TIMESTAMP.SIGNATURE")
		}
		return fmt.Errorf("malformed cookie: %s", e.Reason)
	}
	return err
}

// isMismatch tells a wrong signature from a malformed cookie.
func isMismatch(e *itsdangerous.Error) bool {
	r := e.Reason
	return len(r) > 10 && r[:10] == "Signature " && r[len(r)-len("does not match"):] == "does not match"
}

// checkFormat validates a --format for decode.
func checkFormat(cmd, f string) error {
	switch f {
	case "json", "python", "tagged":
		return nil
	}
	return usagef(cmd, "unknown --format %q; use json (the default), python or tagged", f)
}

// formatSession renders the session in one of the output formats, with a
// final newline: tagged is the JSON text as it is in the cookie.
func formatSession(d *decoded, format string) ([]byte, error) {
	s := d.session
	var out []byte
	var err error
	switch format {
	case "python":
		out = []byte(py.Repr(s))
	case "tagged":
		out = escapeInvisible(d.raw)
	default:
		out, err = appendView(nil, s, 0)
		out = escapeInvisible(out)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot write the session as %s: %v", format, err)
	}
	return append(out, '\n'), nil
}

// pyTypeName is the Python type name of a value of the model, for
// messages (py.TypeName, but "None" for None, as people say it).
func pyTypeName(v any) string {
	if v == nil {
		return "None"
	}
	return py.TypeName(v)
}

// fmtTime formats a signing time for people.
func fmtTime(t time.Time) string {
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

// fmtSeconds formats a duration in seconds for people: "3 days 4 hours".
func fmtSeconds(n int64) string {
	if n < 0 {
		n = -n
	}
	units := []struct {
		name string
		secs int64
	}{{"year", 365 * 86400}, {"day", 86400}, {"hour", 3600}, {"minute", 60}, {"second", 1}}
	var parts []string
	for _, u := range units {
		if q := n / u.secs; q > 0 || (u.secs == 1 && len(parts) == 0) {
			s := strconv.FormatInt(q, 10) + " " + u.name
			if q != 1 {
				s += "s"
			}
			parts = append(parts, s)
			n -= q * u.secs
			if len(parts) == 2 {
				break
			}
		}
	}
	if len(parts) == 2 {
		return parts[0] + " " + parts[1]
	}
	return parts[0]
}
