package main

import (
	"bufio"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/flaskcookie/flaskcookie/audit"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
	"github.com/flaskcookie/flaskcookie/jws"
	"github.com/flaskcookie/flaskcookie/py"
)

// profItsdangerous is unsign's extra profile: a token of itsdangerous's
// URL-safe serializers with their default settings and a salt of their
// own (audit.CommonSalts, or --salt).
const profItsdangerous = "itsdangerous"

// unsignFlags are the flags of unsign.
type unsignFlags struct {
	keys     keyFlags
	wordlist string
	threads  int
	format   string
	prof     *optString
	cookies  string
	json     bool
	progress bool
	hashcat  bool
}

func runUnsign(e *env, args []string) error {
	fs := newFlagSet("unsign")
	var f unsignFlags
	f.keys.add(fs, false)
	fs.StringVar(&f.wordlist, "wordlist", "", "")
	fs.StringVar(&f.wordlist, "w", "", "")
	fs.IntVar(&f.threads, "threads", runtime.NumCPU(), "")
	fs.StringVar(&f.format, "format", "text", "")
	fs.StringVar(&f.cookies, "cookies", "", "")
	fs.BoolVar(&f.json, "json", false, "")
	fs.BoolVar(&f.progress, "progress", false, "")
	fs.BoolVar(&f.hashcat, "hashcat", false, "")
	f.prof = addProfile(fs)
	srv := addServerFlags(fs)
	pos, err := parseArgs("unsign", fs, args)
	if err != nil {
		return err
	}
	if f.prof.value != profItsdangerous {
		if err := checkProfile("unsign", f.prof); err != nil {
			return err
		}
	}
	switch f.format {
	case "text", "python", "hex":
	default:
		return usagef("unsign", "unknown --format %q; use text (the default), python or hex", f.format)
	}
	if f.threads < 1 || f.threads > 4096 {
		return usagef("unsign", "--threads wants a number from 1 to 4096, not %d", f.threads)
	}
	sources := 0
	for _, given := range []bool{len(pos) > 0, f.cookies != "", srv.url != ""} {
		if given {
			sources++
		}
	}
	switch {
	case sources == 0:
		return usagef("unsign", "missing COOKIE (or --cookies FILE, or --server URL)")
	case sources > 1:
		return usagef("unsign", "give one of COOKIE, --cookies FILE and --server URL")
	case len(pos) > 1:
		return usagef("unsign", "too many arguments: %q; quote a Cookie header that holds spaces", strings.Join(pos, " "))
	}
	stdinUsers := 0
	for _, s := range []string{f.wordlist, f.cookies, strings.Join(pos, "")} {
		if s == "-" {
			stdinUsers++
		}
	}
	if stdinUsers > 1 {
		return usagef("unsign", "only one of the cookie, --cookies and the wordlist can come from standard input")
	}
	opts, err := f.targetOptions()
	if err != nil {
		return err
	}
	// The cookies to audit.
	var cookies []namedCookie
	junk := 0
	switch {
	case f.cookies != "":
		cookies, junk, err = readCookieFile(e, f.cookies, f.keys.cookieNames(f.prof.value))
	case srv.url != "":
		var c namedCookie
		c, err = srv.fetch(e, f.keys.cookieNames(""))
		cookies = []namedCookie{c}
	default:
		var c namedCookie
		c, err = unsignCookieArg(e, pos[0], &f.keys, f.prof.value)
		cookies = []namedCookie{c}
	}
	if err != nil {
		return err
	}
	fleetMode := f.cookies != ""
	// The targets.
	var targets []*audit.Target
	var states []*cookieState
	for i, c := range cookies {
		st := &cookieState{cookie: c, index: i}
		states = append(states, st)
		to := opts
		if name := c.name; name != "" && !f.keys.given("name") {
			to = append(to[:len(to):len(to)], audit.WithCookieName(name))
		}
		if !f.prof.set && !f.customFlask() {
			to = append(to[:len(to):len(to)], autoFormats(c.value)...)
		}
		t, err := audit.NewTarget(c.value, to...)
		if err != nil {
			st.err = err
			if !fleetMode && !f.json {
				return unsignTargetError(err, c.value, f.prof)
			}
			if !fleetMode {
				st.err = unsignTargetError(err, c.value, f.prof)
			}
			continue
		}
		st.target, st.fleetIndex = t, len(targets)
		targets = append(targets, t)
	}
	if f.hashcat {
		return printHashcat(e, states)
	}
	if len(targets) == 0 && fleetMode {
		return fmt.Errorf("no cookie in %s can be audited (%d lines skipped)", fileName(f.cookies), junk)
	}
	if len(targets) == 0 {
		// --json on one cookie that cannot be searched: its verdict.
		return f.report(e, states, junk, 0, "", 0)
	}
	fleet := audit.NewFleet(targets...)
	// The candidates.
	var counters audit.Counters
	sopts := []audit.SearchOption{audit.WithThreads(f.threads), audit.WithCounters(&counters)}
	if f.keys.literal {
		sopts = append(sopts, audit.WithLineFunc(wordlistLiteral))
	}
	start := time.Now()
	var finds []audit.Find
	var size int64 = -1
	where := "the built-in list of known public secrets"
	if f.wordlist == "" {
		known := audit.KnownSecrets()
		keys := make([][]byte, len(known))
		for i, k := range known {
			keys[i] = []byte(k.Secret)
		}
		stop := f.startProgress(e, &counters, -1, start)
		finds, err = fleet.SearchKeys(context.Background(), keys, sopts...)
		stop()
	} else {
		var r io.Reader = e.stdin
		where = "standard input"
		if f.wordlist != "-" {
			where = f.wordlist
			file, oerr := os.Open(f.wordlist)
			if oerr != nil {
				return usagef("unsign", "cannot read the wordlist: %v", oerr)
			}
			defer file.Close()
			if fi, err := file.Stat(); err == nil && fi.Mode().IsRegular() {
				size = fi.Size()
			}
			r = file
		}
		stop := f.startProgress(e, &counters, size, start)
		finds, err = fleet.Search(context.Background(), r, sopts...)
		stop()
		if err != nil {
			return usagef("unsign", "cannot read the wordlist: %v", err)
		}
	}
	if err != nil {
		return err
	}
	for _, fd := range finds {
		for _, st := range states {
			if st.target != nil && st.fleetIndex == fd.Target {
				fd := fd
				st.find = &fd
			}
		}
	}
	elapsed := time.Since(start)
	tested, skipped, long := counters.Tested.Load(), counters.Skipped.Load(), counters.TooLong.Load()
	if f.json || fleetMode {
		return f.report(e, states, junk, elapsed, where, tested)
	}
	st := states[0]
	if st.find == nil {
		return unsignNotFound(st, f.prof, where, tested, skipped, long)
	}
	how := ""
	if !f.prof.set && st.find.Scheme.Format != audit.Flask {
		how = " (" + describeScheme(st.find.Scheme) + ")"
	}
	fmt.Fprintf(e.stderr, "flaskcookie unsign: found the secret key%s on line %d of %s, after %d guesses\n", how, st.find.Line, oneLine(where), tested)
	_, err = fmt.Fprintln(e.stdout, f.formatKey(st.find))
	return err
}

// namedCookie is a cookie value and the name it came under ("" if none).
type namedCookie struct {
	name, value string
	line        int // line of the cookie file, 0 otherwise
}

// cookieState is one audited cookie.
type cookieState struct {
	cookie     namedCookie
	index      int
	target     *audit.Target
	fleetIndex int
	err        error
	find       *audit.Find
}

// customFlask reports flags that describe a Flask signing of one's own.
func (f *unsignFlags) customFlask() bool {
	for _, n := range []string{"salt", "digest", "key-derivation", "legacy"} {
		if f.keys.given(n) {
			return true
		}
	}
	return false
}

// targetOptions turns --profile and the signing flags into audit options.
func (f *unsignFlags) targetOptions() ([]audit.Option, error) {
	prof := f.prof.value
	if !f.prof.set && !f.customFlask() {
		return nil, nil // the cookie's text chooses
	}
	if prof == profItsdangerous {
		opts := []audit.Option{audit.WithFormat(audit.Itsdangerous)}
		if f.keys.given("salt") {
			opts = append(opts, audit.WithSalts(f.keys.salt))
		}
		return opts, nil
	}
	if prof == profFlask {
		opts, err := f.keys.signerOptions()
		if err != nil {
			return nil, err
		}
		if !f.customFlask() {
			return []audit.Option{audit.WithFormat(audit.Flask)}, nil
		}
		return []audit.Option{audit.WithSchemes(audit.NewScheme(audit.Flask, f.keys.salt, f.keys.digest, opts...))}, nil
	}
	c, err := f.keys.otherConfig(prof)
	if err != nil {
		return nil, err
	}
	opts := []audit.Option{audit.WithFormat(audit.Format(prof))}
	if f.keys.given("salt") {
		opts = append(opts, audit.WithSalts(string(c.salt)))
	}
	if c.given {
		opts = append(opts, audit.WithDigest(c.digest))
	}
	if f.keys.given("name") {
		opts = append(opts, audit.WithCookieName(f.keys.name))
	}
	return opts, nil
}

// autoFormats are the formats tested when the cookie's text chooses: the
// detected one and those that fit as well, except that a Flask-looking
// cookie is not also tried as another itsdangerous serializer's (that
// would cost three times as much; --profile itsdangerous does it).
func autoFormats(cookie string) []audit.Option {
	d := audit.Detect(cookie)
	if d.Format != audit.Flask {
		return nil
	}
	fs := []audit.Format{audit.Flask}
	if d.Fits(audit.Starlette) {
		fs = append(fs, audit.Starlette)
	}
	return []audit.Option{audit.WithFormat(fs...)}
}

// unsignCookieArg reads the COOKIE argument: a bare value, NAME=VALUE, a
// Cookie header, or - for standard input.
func unsignCookieArg(e *env, arg string, k *keyFlags, prof string) (namedCookie, error) {
	s, err := readArg(e, arg, "the cookie")
	if err != nil {
		return namedCookie{}, err
	}
	return parseCookieText(s, k.cookieNames(""))
}

// parseCookieText finds the cookie in s: a Cookie header (under one of
// names), NAME=VALUE (any name: Django's set_signed_cookie salts with it),
// or the bare value.
func parseCookieText(s string, names []string) (namedCookie, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return namedCookie{}, errors.New("malformed cookie: it is empty")
	}
	if strings.Contains(s, ";") || hasHeaderName(s) {
		var firstErr error
		for _, n := range names {
			v, err := cookieValue(s, n)
			if err == nil {
				return namedCookie{name: n, value: v}, nil
			}
			if firstErr == nil {
				firstErr = err
			}
		}
		return namedCookie{}, firstErr
	}
	// NAME=VALUE, unless the '=' is base64 padding (Starlette, Fernet).
	if k, v, ok := strings.Cut(s, "="); ok && cookieName(k) && !starletteShape(s) &&
		(audit.Detect(unquote(strings.TrimSpace(v))).Format != "" || audit.Detect(s).Format == "") {
		v = unquote(strings.TrimSpace(v))
		if v == "" {
			return namedCookie{}, fmt.Errorf("malformed cookie: the cookie %s is empty", strconv.Quote(k))
		}
		return namedCookie{name: k, value: v}, nil
	}
	return namedCookie{value: s}, nil
}

// cookieName reports a plausible cookie name: RFC 6265 token characters,
// none of the separators of the signed formats.
func cookieName(s string) bool {
	if s == "" || len(s) > 256 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("()<>@,;:\\\"/[]?={}.", c) >= 0 {
			return false
		}
	}
	return true
}

// readCookieFile reads cookies one a line; lines that hold no cookie of a
// known format are skipped and counted.
func readCookieFile(e *env, path string, names []string) ([]namedCookie, int, error) {
	var r io.Reader = e.stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, 0, usagef("unsign", "cannot read the cookie file: %v", err)
		}
		defer f.Close()
		r = f
	}
	sc := bufio.NewScanner(io.LimitReader(r, 64<<20))
	sc.Buffer(make([]byte, 64<<10), maxInput)
	var out []namedCookie
	junk, line := 0, 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		c, err := parseCookieText(text, names)
		if err != nil || audit.Detect(c.value).Format == "" {
			junk++
			continue
		}
		c.line = line
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		return nil, 0, usagef("unsign", "cannot read the cookie file: line %d: %v", line+1, err)
	}
	return out, junk, nil
}

// wordlistLiteral reads a wordlist line as Flask-Unsign does (--literal):
// a Python str or bytes literal, else the stripped text. A line that is a
// literal of another type (123456, [1]) is tried as the text it is, not
// skipped: such lines are common in real wordlists (issue 12 point 11).
func wordlistLiteral(raw []byte) ([]byte, bool) {
	k, _, err := literalKey(raw)
	if errors.Is(err, errNotKey) {
		return []byte(strings.TrimFunc(string(raw), isPySpace)), true
	}
	return k, err == nil
}

// formatKey prints a found key in the --format.
func (f *unsignFlags) formatKey(fd *audit.Find) string {
	key := fd.Secret
	isStr := false
	if f.keys.literal {
		_, isStr, _ = literalKey(fd.Raw)
		if !isStr {
			if _, _, err := literalKey(fd.Raw); errors.Is(err, errNotKey) {
				isStr = true
			}
		}
	}
	switch {
	case f.format == "hex":
		return hex.EncodeToString(key)
	case f.format == "text" && printable(key):
		return string(key)
	case f.format == "python" && (utf8.Valid(key) || isStr):
		return py.Repr(string(key)) // a str, as SECRET_KEY is usually written
	}
	return py.Repr(key)
}

// describeScheme says how a secret verified, for messages.
func describeScheme(s audit.Scheme) string {
	d := s.Format.Describe()
	switch s.Format {
	case audit.Itsdangerous, audit.DjangoCookie:
		d += ", salt " + strconv.Quote(s.Salt)
	case audit.Django:
		if s.Salt != "django.core.signing" {
			d += ", salt " + strconv.Quote(s.Salt)
		}
	}
	return d
}

// unsignTargetError explains why a cookie cannot be searched.
func unsignTargetError(err error, cookie string, prof *optString) error {
	d := audit.Detect(cookie)
	switch {
	case errors.Is(err, audit.ErrUnknownFormat):
		return errors.New("malformed cookie: it fits no known format (Flask, Starlette, Django, JWS); a Flask session cookie is PAYLOAD.TIMESTAMP.SIGNATURE")
	case d.Format == audit.FlaskSealed && !prof.set:
		return errors.New("the cookie is sealed (a Fernet token): its key is 32 random bytes, not a secret that a wordlist can hold")
	}
	if isJWS(prof.value) || (!prof.set && (d.Format == audit.JWS || d.Format == audit.JWSTimed)) {
		if h, _ := audit.JWSHeader(cookie); h["alg"] == jws.None {
			return errors.New("the token is not signed (its header says \"alg\": \"none\"): there is no key to find")
		}
		if !errors.Is(err, itsdangerous.ErrBadSignature) {
			return fmt.Errorf("malformed token: its header names the algorithm %s; itsdangerous signs with HS256, HS384 or HS512 (--digest)", quoteAlg(cookie))
		}
	}
	if isDjango(prof.value) || (!prof.set && d.Fits(audit.DjangoSession)) || d.Format == audit.DjangoCookie {
		n := audit.SignatureSize(cookie, ':')
		if n < 0 {
			return errors.New("malformed token: a Django signed token is PAYLOAD:TIMESTAMP:SIGNATURE, the signature in URL-safe base64")
		}
		return fmt.Errorf("malformed token: a signature of %d bytes fits no digest Django signs with (--digest)", n)
	}
	msg := strings.TrimPrefix(strings.TrimPrefix(err.Error(), "audit: no secret can be tested against this token: "), "itsdangerous: ")
	if prof.set || !d.Sure || d.Format == audit.Flask {
		return fmt.Errorf("malformed cookie: %s", msg)
	}
	return fmt.Errorf("malformed cookie: %s; it looks like %s: add --profile %s", msg, d.Format.Describe(), d.Format)
}

// unsignNotFound is the exit-1 message when no candidate verifies.
func unsignNotFound(st *cookieState, prof *optString, where string, tested, skipped, long int64) error {
	s := fmt.Sprintf("the secret key is not in %s (%d keys tried)", where, tested)
	if where != "the built-in list of known public secrets" {
		s = fmt.Sprintf("the secret key is not in the wordlist (%d keys tried)", tested)
	}
	if skipped > 0 {
		s += fmt.Sprintf("; %d lines could not be read as a key (a str literal with a lone surrogate) and were skipped", skipped)
	}
	if long > 0 {
		s += fmt.Sprintf("; %d lines longer than %d bytes were skipped", long, audit.MaxLine)
	}
	if !prof.set {
		d := st.target.Detection
		var also []string
		for _, f := range append([]audit.Format{d.Format}, d.Also...) {
			if f != audit.Flask {
				also = append(also, string(f))
			}
		}
		switch {
		case d.Format == audit.Flask:
			s += "; if it is another itsdangerous token than a Flask session (a CSRF or reset token), try --profile itsdangerous with its --salt"
		case len(also) > 0:
			s += "; tried it as " + strings.Join(also, ", ")
		}
	}
	return errors.New(s)
}

// startProgress shows the search's progress on standard error: on a
// terminal every quarter second on one line, with --progress elsewhere
// one plain line every few seconds (for logs). The returned function stops
// it.
func (f *unsignFlags) startProgress(e *env, c *audit.Counters, size int64, start time.Time) func() {
	if f.json && !f.progress {
		return func() {}
	}
	tty := e.stderrTTY
	if !tty && !f.progress {
		return func() {}
	}
	every := 250 * time.Millisecond
	if !tty {
		every = 2 * time.Second
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		ticks, stopTicks := e.ticker(every)
		defer stopTicks()
		for {
			select {
			case <-done:
				if tty {
					fmt.Fprint(e.stderr, "\r\x1b[K")
				}
				return
			case now := <-ticks:
				el := now.Sub(start).Seconds()
				n := c.Tested.Load()
				s := fmt.Sprintf("tried %s keys, %s/s", groupDigits(n), groupDigits(int64(float64(n)/el)))
				if size > 0 {
					frac := float64(c.Read.Load()) / float64(size)
					s += fmt.Sprintf(", %.1f%%", 100*frac)
					if frac > 0.001 {
						eta := time.Duration(el*(1-frac)/frac) * time.Second
						s += ", ETA " + eta.Round(time.Second).String()
					}
				}
				if tty {
					fmt.Fprint(e.stderr, "\r\x1b[K"+s)
				} else {
					fmt.Fprintln(e.stderr, "flaskcookie unsign: progress: "+s)
				}
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

// groupDigits writes n with thousands separators.
func groupDigits(n int64) string {
	s := strconv.FormatInt(n, 10)
	var out []byte
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}

func fileName(p string) string {
	if p == "-" {
		return "standard input"
	}
	return strconv.Quote(p)
}
