package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"

	"github.com/flaskcookie/flaskcookie/audit"
	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
)

// runFlaskUnsign runs Flask-Unsign's command line (flask-unsign 1.2.1):
// --decode, --sign or --unsign with --cookie, --secret, --salt, --wordlist,
// --legacy, --no-literal-eval, --threads, --quiet and --output, with the
// same outputs: the session as a Python literal, the new cookie, or the key
// as Python's ascii() writes it.
func runFlaskUnsign(e *env, args []string) error {
	const cmd = "flask-unsign"
	fs := newFlagSet(cmd)
	var (
		decode, sign, unsign, legacy, noLiteral, quiet, showVersion bool
		cookie, secret                                              optString
		salt, wordlist, output, format, timestamp                   string
		threads, chunkSize                                          int
	)
	for _, n := range []string{"d", "decode"} {
		fs.BoolVar(&decode, n, false, "")
	}
	for _, n := range []string{"u", "unsign"} {
		fs.BoolVar(&unsign, n, false, "")
	}
	for _, n := range []string{"s", "sign"} {
		fs.BoolVar(&sign, n, false, "")
	}
	for _, n := range []string{"l", "legacy"} {
		fs.BoolVar(&legacy, n, false, "")
	}
	for _, n := range []string{"c", "cookie"} {
		fs.Var(&cookie, n, "")
	}
	for _, n := range []string{"S", "secret"} {
		fs.Var(&secret, n, "")
	}
	fs.StringVar(&salt, "salt", codec.DefaultSalt, "")
	for _, n := range []string{"w", "wordlist"} {
		fs.StringVar(&wordlist, n, "", "")
	}
	for _, n := range []string{"t", "threads"} {
		fs.IntVar(&threads, n, runtime.NumCPU(), "")
	}
	for _, n := range []string{"nE", "no-literal-eval"} {
		fs.BoolVar(&noLiteral, n, false, "")
	}
	for _, n := range []string{"q", "quiet", "stfu"} {
		fs.BoolVar(&quiet, n, false, "")
	}
	for _, n := range []string{"C", "chunk-size"} {
		fs.IntVar(&chunkSize, n, 128, "") // accepted; batches are sized here
	}
	for _, n := range []string{"o", "output"} {
		fs.StringVar(&output, n, "", "")
	}
	for _, n := range []string{"v", "version"} {
		fs.BoolVar(&showVersion, n, false, "")
	}
	fs.StringVar(&format, "format", "python", "")
	fs.StringVar(&timestamp, "timestamp", "", "")
	for _, n := range []string{"server", "insecure", "i", "k", "proxy", "p", "cookie-name", "user-agent", "U"} {
		n := n
		fs.Func(n, "", func(string) error {
			return fmt.Errorf("--%s is not supported: fetch the cookie yourself (curl -c jar URL) and pass it with --cookie", n)
		})
	}
	pos, err := parseArgs(cmd, fs, optionalCookieValue(args))
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef(cmd, "unexpected argument %q; Flask-Unsign style takes the cookie with --cookie", pos[0])
	}
	if showVersion {
		_, err := fmt.Fprintln(e.stdout, version())
		return err
	}
	if !decode && !sign && !unsign {
		return usagef(cmd, "use one of --decode, --sign or --unsign (or a subcommand: decode, encode, inspect, unsign)")
	}
	if output != "" {
		f, err := os.Create(output)
		if err != nil {
			return usagef(cmd, "cannot write --output: %v", err)
		}
		defer f.Close()
		e2 := *e
		e2.stdout, e2.stdoutTTY = f, false
		e = &e2
	}
	if !cookie.set {
		return usagef(cmd, "missing --cookie (give it no value to read the cookie from standard input)")
	}
	text := cookie.value
	if text == "" {
		text = "-" // Flask-Unsign reads standard input when --cookie has no value
	}
	if text, err = readArg(e, text, "the cookie"); err != nil {
		return err
	}
	k := &keyFlags{cmd: cmd, salt: salt, digest: "sha1", derivation: string(codec.DefaultKeyDerivation), legacy: legacy, name: "session"}

	// As Flask-Unsign does: --sign evaluates --secret and --salt as
	// literals unless --no-literal-eval; --unsign takes --salt as it is.
	literal := func(what, s string) (string, error) {
		if noLiteral {
			return s, nil
		}
		b, _, err := literalKey([]byte(s))
		if errors.Is(err, errNotKey) {
			return "", usagef(cmd, "%s must be a str or bytes; add quotes (%s '\"%s\"') or use --no-literal-eval", what, what, s)
		}
		if err != nil {
			return "", usagef(cmd, "%s: %v", what, err)
		}
		return string(b), nil
	}
	switch {
	case sign:
		if !secret.set {
			return usagef(cmd, "missing --secret (use --secret \"\" for an empty secret key)")
		}
		if k.secret.value, err = literal("--secret", secret.value); err != nil {
			return err
		}
		k.secret.set = true
		if k.salt, err = literal("--salt", salt); err != nil {
			return err
		}
		s, err := k.serializer([]byte(k.secret.value), nil, e.now, nil)
		if err != nil {
			return err
		}
		at := e.now()
		if timestamp != "" {
			if at, err = parseUnix(cmd, "--timestamp", timestamp); err != nil {
				return err
			}
		}
		v, err := parseValue(text, "python")
		if err != nil {
			return err
		}
		out, err := encodeSession(s, v, at)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(e.stdout, out)
		return err

	case decode:
		if err := checkFormat(cmd, format); err != nil {
			return err
		}
		f := decodeFlags{keys: *k, maxAge: ""}
		if secret.set {
			if f.keys.secret.value, err = literal("--secret", secret.value); err != nil {
				return err
			}
			f.keys.secret.set = true
			if f.keys.salt, err = literal("--salt", salt); err != nil {
				return err
			}
		}
		req, err := f.request(e)
		if err != nil {
			return err
		}
		c, err := cookieValue(text, "session")
		if err != nil {
			return err
		}
		res, err := decodeCookie(req, c)
		if err != nil {
			return err
		}
		out, err := formatSession(res, format)
		if err != nil {
			return err
		}
		if !res.verified && !quiet {
			fmt.Fprintln(e.stderr, "flaskcookie: warning: no --secret given, so the signature was not checked")
		}
		_, err = e.stdout.Write(out)
		return err

	default: // unsign
		if wordlist == "" {
			return usagef(cmd, "missing --wordlist FILE (flaskcookie has no built-in wordlist)")
		}
		if threads < 1 || threads > 4096 {
			return usagef(cmd, "--threads wants a number from 1 to 4096, not %d", threads)
		}
		opts, err := k.signerOptions()
		if err != nil {
			return err
		}
		c, err := cookieValue(text, "session")
		if err != nil {
			return err
		}
		line := wordlistLiteral
		if noLiteral {
			line = func(b []byte) ([]byte, bool) { return stripASCII(b), true }
		}
		res, tested, err := crackOne(e, c, opts, wordlist, threads, line)
		if err != nil {
			return err
		}
		if !quiet {
			fmt.Fprintf(e.stderr, "[+] Found secret key after %d attempts\n", tested)
		}
		var key any = res.Secret
		if _, isStr, err := literalKey(res.Raw); !noLiteral && (isStr || errors.Is(err, errNotKey)) {
			key = string(res.Secret)
		}
		_, err = fmt.Fprintln(e.stdout, asciiRepr(key))
		return err
	}
}

// optionalCookieValue gives --cookie/-c an empty value when it is last or
// followed by another flag, as Flask-Unsign's nargs='?' does (the cookie is
// then read from standard input).
func optionalCookieValue(args []string) []string {
	out := make([]string, 0, len(args))
	for i, a := range args {
		switch a {
		case "-c", "--c", "-cookie", "--cookie":
			if i+1 == len(args) || (strings.HasPrefix(args[i+1], "-") && args[i+1] != "-") {
				out = append(out, a+"=")
				continue
			}
		}
		out = append(out, a)
	}
	return out
}

// crackOne searches the wordlist at path (- for standard input) for the
// key of one cookie signed with the itsdangerous options opts.
func crackOne(e *env, cookie string, opts []itsdangerous.Option, path string, threads int, line func([]byte) ([]byte, bool)) (*audit.Find, int64, error) {
	t, err := audit.NewTarget(cookie, audit.WithSchemes(audit.NewScheme(audit.Flask, "", "", opts...)))
	if err != nil {
		return nil, 0, fmt.Errorf("malformed cookie: %s", trimAuditErr(errors.Unwrap(err)))
	}
	var r io.Reader = e.stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, 0, usagef("flask-unsign", "cannot read the wordlist: %v", err)
		}
		defer f.Close()
		r = f
	}
	var c audit.Counters
	finds, err := audit.NewFleet(t).Search(context.Background(), r, audit.WithThreads(threads), audit.WithLineFunc(line), audit.WithCounters(&c))
	if err != nil {
		return nil, 0, usagef("flask-unsign", "cannot read the wordlist: %v", err)
	}
	if len(finds) == 0 {
		return nil, 0, fmt.Errorf("the secret key is not in the wordlist (%d keys tried)", c.Tested.Load())
	}
	return &finds[0], c.Tested.Load(), nil
}
