package audit

import (
	_ "embed"
	"strings"
	"sync"
)

// A KnownSecret is a secret key published in framework documentation, a
// tutorial, a project template or sample code, with where it was seen.
type KnownSecret struct {
	Secret string
	Source string // a URL
}

//go:embed secrets/known.tsv
var knownTSV string

var knownOnce = sync.OnceValue(func() []KnownSecret { return parseKnown(knownTSV) })

// KnownSecrets returns the public placeholder and default secret keys
// embedded in the package (audit/secrets/known.tsv), in the file's order,
// without duplicates. The slice is shared: do not modify it.
func KnownSecrets() []KnownSecret { return knownOnce() }

// parseKnown reads the TSV: secret<TAB>source a line, '#' comments, the
// secret with the escapes \t, \n, \\ and \xHH.
func parseKnown(s string) []KnownSecret {
	var out []KnownSecret
	seen := map[string]bool{}
	for _, line := range strings.Split(s, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		sec, src, ok := strings.Cut(line, "\t")
		if !ok {
			continue
		}
		sec = unescapeTSV(sec)
		if seen[sec] {
			continue
		}
		seen[sec] = true
		out = append(out, KnownSecret{Secret: sec, Source: src})
	}
	return out
}

func unescapeTSV(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 == len(s) {
			b.WriteByte(c)
			continue
		}
		i++
		switch s[i] {
		case 't':
			b.WriteByte('\t')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case '\\':
			b.WriteByte('\\')
		case 'x':
			if i+2 < len(s) {
				if v, ok := unhex(s[i+1 : i+3]); ok {
					b.WriteByte(v)
					i += 2
					continue
				}
			}
			b.WriteString(`\x`)
		default:
			b.WriteByte('\\')
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

func unhex(s string) (byte, bool) {
	var v byte
	for i := 0; i < 2; i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			v = v<<4 | (c - '0')
		case c >= 'a' && c <= 'f':
			v = v<<4 | (c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			v = v<<4 | (c - 'A' + 10)
		default:
			return 0, false
		}
	}
	return v, true
}
