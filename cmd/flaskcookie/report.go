package main

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/flaskcookie/flaskcookie/audit"
	"github.com/flaskcookie/flaskcookie/py"
)

// report prints the verdict of every cookie of an audit: one JSON object
// a line with --json, else one text line a cookie. The exit status is 0
// when a secret was found, 1 when none was.
func (f *unsignFlags) report(e *env, states []*cookieState, junk int, elapsed time.Duration, where string, tested int64) error {
	var out bytes.Buffer
	found := 0
	for _, st := range states {
		if st.find != nil {
			found++
		}
		if f.json {
			writeJSONVerdict(&out, st, elapsed)
			continue
		}
		label := "the cookie"
		if st.cookie.line > 0 {
			label = "line " + strconv.Itoa(st.cookie.line)
		}
		switch {
		case st.err != nil:
			fmt.Fprintf(&out, "%s: not tested: %s\n", label, oneLine(trimAuditErr(st.err)))
		case st.find != nil:
			fmt.Fprintf(&out, "%s: %s: found %s\n", label, st.find.Scheme.Format, f.formatKey(st.find))
		default:
			fmt.Fprintf(&out, "%s: %s: not found\n", label, st.target.Detection.Format)
		}
	}
	if _, err := e.stdout.Write(out.Bytes()); err != nil {
		return err
	}
	summary := fmt.Sprintf("found the secret of %d of %d cookies in %s, after %d guesses", found, len(states), oneLine(where), tested)
	if junk > 0 {
		summary += fmt.Sprintf("; %d lines of the cookie file hold no cookie of a known format and were skipped", junk)
	}
	if found == 0 {
		if len(states) == 1 && states[0].err != nil {
			return errors.New(oneLine(trimAuditErr(states[0].err)))
		}
		return errors.New(summary)
	}
	if !f.json || f.progress {
		fmt.Fprintln(e.stderr, "flaskcookie unsign: "+summary)
	}
	return nil
}

func trimAuditErr(err error) string {
	s := err.Error()
	for _, p := range []string{"audit: ", "itsdangerous: "} {
		if len(s) > len(p) && s[:len(p)] == p {
			s = s[len(p):]
		}
	}
	return s
}

// writeJSONVerdict writes one cookie's verdict as a JSON object on a line.
func writeJSONVerdict(b *bytes.Buffer, st *cookieState, elapsed time.Duration) {
	b.WriteString(`{"cookie":`)
	b.WriteString(strconv.Itoa(st.index + 1))
	if st.cookie.line > 0 {
		b.WriteString(`,"line":`)
		b.WriteString(strconv.Itoa(st.cookie.line))
	}
	if st.cookie.name != "" {
		b.WriteString(`,"name":`)
		writeJSONString(b, st.cookie.name)
	}
	format := ""
	if st.target != nil {
		format = string(st.target.Detection.Format)
	} else {
		format = string(audit.Detect(st.cookie.value).Format)
	}
	verdict := "not found"
	switch {
	case st.err != nil:
		verdict = "untestable"
	case st.find != nil:
		verdict = "found"
		format = string(st.find.Scheme.Format)
	}
	b.WriteString(`,"format":`)
	writeJSONString(b, format)
	b.WriteString(`,"verdict":`)
	writeJSONString(b, verdict)
	seconds := elapsed.Seconds()
	if st.find != nil {
		b.WriteString(`,"secret":`)
		if utf8.Valid(st.find.Secret) {
			writeJSONString(b, string(st.find.Secret))
		} else {
			b.WriteString("null")
		}
		b.WriteString(`,"secret_hex":`)
		writeJSONString(b, hex.EncodeToString(st.find.Secret))
		b.WriteString(`,"secret_python":`)
		writeJSONString(b, py.Repr(st.find.Secret))
		b.WriteString(`,"scheme":`)
		writeJSONString(b, st.find.Scheme.String())
		b.WriteString(`,"wordlist_line":`)
		b.WriteString(strconv.FormatInt(st.find.Line, 10))
		seconds = st.find.After.Seconds()
	}
	if st.err != nil {
		b.WriteString(`,"error":`)
		writeJSONString(b, trimAuditErr(st.err))
	}
	b.WriteString(`,"seconds":`)
	b.WriteString(strconv.FormatFloat(seconds, 'f', 3, 64))
	b.WriteString("}\n")
}

// writeJSONString writes s as a JSON string of printable ASCII only: every
// other character (control, bidi, non-ASCII) is a \u escape, so that no
// byte of a cookie or a key can act on a terminal or a log viewer. Invalid
// UTF-8 becomes U+FFFD.
func writeJSONString(b *bytes.Buffer, s string) {
	const hexDigits = "0123456789abcdef"
	u := func(r rune) {
		b.WriteString(`\u`)
		for shift := 12; shift >= 0; shift -= 4 {
			b.WriteByte(hexDigits[r>>uint(shift)&0xf])
		}
	}
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteByte(byte(r))
		case r >= 0x20 && r < 0x7f:
			b.WriteByte(byte(r))
		case r > 0xffff:
			r -= 0x10000
			u(0xd800 + r>>10)
			u(0xdc00 + r&0x3ff)
		default:
			u(r)
		}
	}
	b.WriteByte('"')
}
