package main

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/flaskcookie/flaskcookie/audit"
)

// HashcatMode is hashcat's mode for Flask session cookies: "Flask Session
// Cookie ($salt.$salt.$pass)", whose hash line is the cookie itself,
// PAYLOAD.TIMESTAMP.SIGNATURE (hashcat 6.2.6: hashcat --example-hashes -m
// 29100). It checks Flask's defaults only: salt cookie-session, HMAC key
// derivation, SHA-1.
const HashcatMode = 29100

// hashcatLine returns the line hashcat -m 29100 takes for cookie, or why
// hashcat cannot take it.
func hashcatLine(cookie string) (string, error) {
	d := audit.Detect(cookie)
	switch {
	case d.Format != audit.Flask:
		f := d.Format
		if f == "" {
			return "", errors.New("it fits no known format")
		}
		return "", fmt.Errorf("hashcat has no mode for %s; only Flask session cookies (mode %d): use unsign", f.Describe(), HashcatMode)
	case strings.HasPrefix(cookie, "."):
		// hashcat 6.2.6's module_29100 refuses a leading '.' (its
		// tokenizer wants three non-empty base64 fields).
		return "", fmt.Errorf("the cookie is compressed (it starts with '.'), which hashcat's mode %d refuses: use unsign", HashcatMode)
	case strings.Count(cookie, ".") != 2:
		return "", fmt.Errorf("hashcat's mode %d wants PAYLOAD.TIMESTAMP.SIGNATURE", HashcatMode)
	}
	return cookie, nil
}

// printHashcat prints the hashcat line of every cookie that hashcat can
// take (--hashcat), and on standard error why the others cannot be.
func printHashcat(e *env, states []*cookieState) error {
	var out bytes.Buffer
	n := 0
	var last error
	for _, st := range states {
		line, err := hashcatLine(st.cookie.value)
		if err != nil {
			label := "the cookie"
			if st.cookie.line > 0 {
				label = "line " + strconv.Itoa(st.cookie.line)
			}
			last = fmt.Errorf("%s: %v", label, err)
			if len(states) > 1 {
				fmt.Fprintf(e.stderr, "flaskcookie unsign: %s\n", oneLine(last.Error()))
			}
			continue
		}
		out.WriteString(line)
		out.WriteByte('\n')
		n++
	}
	if n == 0 {
		if len(states) == 1 {
			return last
		}
		return errors.New("no cookie that hashcat can take")
	}
	if _, err := e.stdout.Write(out.Bytes()); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "flaskcookie unsign: %d line(s) for hashcat -m %d -a 0 HASHFILE WORDLIST\n", n, HashcatMode)
	return nil
}
