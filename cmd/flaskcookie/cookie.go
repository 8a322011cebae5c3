package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/flaskcookie/flaskcookie/audit"
)

// maxInput bounds what is read from standard input for a cookie or a
// value: far above any cookie (browsers stop at 4096 bytes).
const maxInput = 16 << 20

// readArg returns arg, or standard input when arg is "-", with
// surrounding whitespace removed: a pasted cookie often ends in a space or
// a newline, which no cookie value holds.
func readArg(e *env, arg, what string) (string, error) {
	if arg != "-" {
		return strings.TrimSpace(arg), nil
	}
	b, err := io.ReadAll(io.LimitReader(e.stdin, maxInput+1))
	if err != nil {
		return "", fmt.Errorf("reading %s from standard input: %w", what, err)
	}
	if len(b) > maxInput {
		return "", fmt.Errorf("%s on standard input is longer than %d bytes", what, maxInput)
	}
	return strings.TrimSpace(string(b)), nil
}

// cookieValue finds the session cookie in s: a bare cookie value,
// "session=VALUE", a whole Cookie header ("a=b; session=VALUE; c=d", with or
// without the "Cookie:" name) or a Set-Cookie header. name is the cookie's
// name (Flask's SESSION_COOKIE_NAME). A bare value is taken exactly as it
// is, so that the result is Flask's for the same bytes; in the header forms
// spaces around the pairs and double quotes around a value are removed, as
// Werkzeug's cookie parser does.
func cookieValue(s, name string) (string, error) {
	t := strings.TrimSpace(s)
	header := false
	for _, p := range []string{"cookie:", "set-cookie:"} {
		if len(t) >= len(p) && strings.EqualFold(t[:len(p)], p) {
			t, header = strings.TrimSpace(t[len(p):]), true
			break
		}
	}
	if t == "" {
		return "", errors.New("malformed cookie: it is empty")
	}
	eq := strings.IndexByte(t, '=')
	if !header && (eq < 0 || (!strings.Contains(t, ";") && strings.Contains(t[:eq], "."))) {
		// A bare value: cookie values of itsdangerous hold no '=' in
		// their first part, and cookie names rarely hold '.'.
		return s, nil
	}
	if !header && !strings.Contains(t, ";") && starletteShape(t) {
		// A bare Starlette cookie: its payload is padded base64.
		return s, nil
	}
	if !header && !strings.Contains(t, ";") {
		// A bare sealed cookie (a Fernet token) holds the '=' of its
		// base64 padding. It starts with "gAAAAA", as no cookie name
		// does; a token with a far-future timestamp ends with padding,
		// which "name=VALUE" cannot, since a name is not a token.
		if strings.HasPrefix(t, fernetPrefix) {
			return s, nil
		}
		if _, sealed, _ := sealedShape(t); sealed && strings.Trim(t[eq:], "=") == "" {
			return s, nil
		}
	}
	var names []string
	for _, part := range strings.Split(t, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			continue
		}
		k = strings.TrimSpace(k)
		if k == name {
			v = unquote(strings.TrimSpace(v))
			if v == "" {
				return "", fmt.Errorf("malformed cookie: the cookie %q is empty", name)
			}
			return v, nil
		}
		names = append(names, k)
	}
	return "", fmt.Errorf("no cookie named %q in %q (cookies found: %s); give the session cookie's name with --name", name, clip(t, 60), strings.Join(names, ", "))
}

// hasHeaderName reports text that starts with "Cookie:" or "Set-Cookie:".
func hasHeaderName(s string) bool {
	t := strings.ToLower(strings.TrimSpace(s))
	return strings.HasPrefix(t, "cookie:") || strings.HasPrefix(t, "set-cookie:")
}

// unquote removes the double quotes a cookie value may be wrapped in.
func unquote(v string) string {
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		return v[1 : len(v)-1]
	}
	return v
}

// clip shortens s for messages.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// cookieArg reads the COOKIE argument of a subcommand. In a Cookie header
// the session cookie is the first of names found. With bare, a value
// without ';' that does not start with one of names and '=' is taken as a
// bare cookie value: the values of Starlette (padded base64) and Django
// (whose base64 a hand may pad) hold '=' too.
func cookieArg(e *env, cmd string, pos []string, names []string, bare bool) (string, error) {
	switch len(pos) {
	case 0:
		return "", usagef(cmd, "missing COOKIE (the cookie value, session=VALUE, a Cookie header, or - to read standard input)")
	case 1:
	default:
		return "", usagef(cmd, "too many arguments: %q; quote a Cookie header that holds spaces", strings.Join(pos, " "))
	}
	s, err := readArg(e, pos[0], "the cookie")
	if err != nil {
		return "", err
	}
	if bare && !strings.Contains(s, ";") && !hasHeaderName(s) {
		k, v, ok := strings.Cut(strings.TrimSpace(s), "=")
		if !ok {
			return s, nil
		}
		for _, n := range names {
			if strings.TrimSpace(k) == n {
				if v = unquote(strings.TrimSpace(v)); v == "" {
					return "", fmt.Errorf("malformed cookie: the cookie %q is empty", n)
				}
				return v, nil
			}
		}
		return s, nil
	}
	v, err := cookieValue(s, names[0])
	for _, n := range names[1:] {
		if err == nil {
			break
		}
		if w, err2 := cookieValue(s, n); err2 == nil {
			return w, nil
		}
	}
	return v, err
}

// starletteShape reports a bare Starlette cookie value: standard base64
// ending in '=' padding, then .TIMESTAMP.SIGNATURE, which "name=value"
// cannot be, since its '=' is followed by the value.
func starletteShape(t string) bool {
	payload, ts, sig, ok := audit.SplitToken(t, '.')
	if !ok || ts == "" || sig == "" || !strings.HasSuffix(payload, "=") {
		return false
	}
	body := strings.TrimRight(payload, "=")
	if body == "" || len(payload)-len(body) > 2 {
		return false
	}
	for i := 0; i < len(body); i++ {
		if c := body[i]; !isAlnum(c) && c != '+' && c != '/' {
			return false
		}
	}
	return true
}
