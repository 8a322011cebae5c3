package main

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"

	"github.com/flaskcookie/flaskcookie/audit"
)

// printHashcat prints the hashcat line of every cookie that hashcat can
// take (--hashcat), and on standard error why the others cannot be.
func printHashcat(e *env, states []*cookieState) error {
	var out bytes.Buffer
	n := 0
	var last error
	for _, st := range states {
		line, err := audit.HashcatLine(st.cookie.value)
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
	fmt.Fprintf(e.stderr, "flaskcookie unsign: %d line(s) for hashcat -m %d -a 0 HASHFILE WORDLIST\n", n, audit.HashcatMode)
	return nil
}
