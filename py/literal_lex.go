package py

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

type tokKind uint8

const (
	tokEOF tokKind = iota
	tokNewline
	tokName
	tokNumber
	tokString
	tokOp
)

// litToken is one token of a literal's source.
type litToken struct {
	kind tokKind
	pos  int
	// text is the name, or the operator.
	text string
	// val is a number's value: int64, *big.Int or float64.
	val any
	// str is a string literal's contents, after escapes.
	str string
	// isBytes marks a bytes literal.
	isBytes bool
}

// litLexer splits a source into tokens the way CPython's tokenizer does,
// for the subset that literals use. It is a plain value, so that the parser
// can save and restore it to look ahead.
type litLexer struct {
	src string
	pos int
	// depth counts the open brackets; line breaks inside them are
	// whitespace.
	depth int
	// indented reports spaces or tabs at the start of the current line
	// (after the last form feed), for the indentation check of the first
	// token.
	indented bool
	// started reports that a token other than a newline has been read;
	// newlines before it are blank lines.
	started bool
	// newlineSent reports that the newline ending the expression was
	// returned, so later blank lines are skipped.
	newlineSent bool
}

func (l *litLexer) errAt(off int, format string, args ...any) error {
	return syntaxErrorAt(l.src, off, fmt.Sprintf(format, args...))
}

// newlineLen returns the length of the line break at s[i:] (\n, \r\n or \r),
// or 0.
func newlineLen(s string, i int) int {
	if i >= len(s) {
		return 0
	}
	switch s[i] {
	case '\n':
		return 1
	case '\r':
		if i+1 < len(s) && s[i+1] == '\n' {
			return 2
		}
		return 1
	}
	return 0
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isIdentStart(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_'
}

// isIdentByte reports whether c may continue an identifier; every non-ASCII
// byte counts, since Python identifiers may hold letters of any script.
func isIdentByte(c byte) bool {
	return isIdentStart(c) || isDigit(c) || c >= utf8.RuneSelf
}

// next returns the next token.
func (l *litLexer) next() (litToken, error) {
	s := l.src
	for l.pos < len(s) {
		c := s[l.pos]
		if c == ' ' || c == '\t' || c == '\f' {
			l.indented = c != '\f'
			l.pos++
			continue
		}
		if c == '#' {
			for l.pos < len(s) && s[l.pos] != '\n' && s[l.pos] != '\r' {
				l.pos++
			}
			continue
		}
		if c == '\\' {
			n := newlineLen(s, l.pos+1)
			if n == 0 {
				return litToken{}, l.errAt(l.pos, "unexpected character after line continuation character")
			}
			l.pos += 1 + n
			if l.pos == len(s) {
				return litToken{}, l.errAt(l.pos, "unexpected end of input after line continuation")
			}
			continue
		}
		if n := newlineLen(s, l.pos); n > 0 {
			start := l.pos
			l.pos += n
			if l.depth > 0 {
				continue
			}
			l.indented = false
			if !l.started || l.newlineSent {
				continue
			}
			l.newlineSent = true
			return litToken{kind: tokNewline, pos: start}, nil
		}
		break
	}
	if l.pos >= len(s) {
		return litToken{kind: tokEOF, pos: l.pos}, nil
	}
	if !l.started && l.depth == 0 {
		// The first token must not be indented, except on the first line
		// (ast.literal_eval strips that indentation).
		if l.indented {
			return litToken{}, l.errAt(l.pos, "unexpected indent")
		}
	}
	l.started = true
	start := l.pos
	c := s[start]
	switch {
	case isDigit(c) || c == '.' && start+1 < len(s) && isDigit(s[start+1]):
		return l.number()
	case isIdentStart(c):
		end := start
		for end < len(s) && (isIdentStart(s[end]) || isDigit(s[end])) {
			end++
		}
		word := s[start:end]
		if end < len(s) && (s[end] == '\'' || s[end] == '"') {
			raw, isBytes, ok := stringPrefix(word)
			if !ok {
				if strings.ContainsAny(word, "fF") && len(word) <= 2 {
					return litToken{}, l.errAt(start, "f-strings are not supported")
				}
				return litToken{}, l.errAt(start, "invalid string prefix %q", word)
			}
			l.pos = end
			return l.stringLit(start, raw, isBytes)
		}
		if end < len(s) && s[end] >= utf8.RuneSelf {
			return litToken{}, l.errAt(start, "identifiers must be ASCII")
		}
		l.pos = end
		return litToken{kind: tokName, pos: start, text: word}, nil
	case c == '\'' || c == '"':
		return l.stringLit(start, false, false)
	}
	switch c {
	case '(', '[', '{':
		l.depth++
		if l.depth > maxLiteralNesting {
			return litToken{}, l.errAt(start, "too many nested parentheses (more than %d)", maxLiteralNesting)
		}
	case ')', ']', '}':
		if l.depth > 0 {
			l.depth--
		}
	case ',', ':', '.', '=', '+', '-':
	default:
		r, _ := utf8.DecodeRuneInString(s[start:])
		return litToken{}, l.errAt(start, "unexpected character %q", r)
	}
	l.pos++
	return litToken{kind: tokOp, pos: start, text: s[start : start+1]}, nil
}

// stringPrefix reports whether word is a string prefix other than an
// f-string's, and what it means.
func stringPrefix(word string) (raw, isBytes, ok bool) {
	switch strings.ToLower(word) {
	case "r":
		return true, false, true
	case "u":
		return false, false, true
	case "b":
		return false, true, true
	case "br", "rb":
		return true, true, true
	}
	return false, false, false
}

// scanDigitPart scans Python's digitpart, digit (["_"] digit)*, from s[i:].
// n counts the digits; ok is false when an underscore is not between two
// digits.
func scanDigitPart(s string, i int) (end, n int, ok bool) {
	for i < len(s) {
		switch {
		case isDigit(s[i]):
			i++
			n++
			continue
		case s[i] == '_':
			if n > 0 && i+1 < len(s) && isDigit(s[i+1]) {
				i++
				continue
			}
			return i, n, false
		}
		break
	}
	return i, n, true
}

// scanDecimal scans a decimal integer or float in Python's syntax from
// s[i:]: [digitpart] ["." [digitpart]] [("e"|"E") ["+"|"-"] digitpart], with
// at least one digit before the exponent. The same syntax serves literals
// and float(str).
func scanDecimal(s string, i int) (end int, isFloat, ok bool) {
	i, n, ok := scanDigitPart(s, i)
	if !ok {
		return i, false, false
	}
	if i < len(s) && s[i] == '.' {
		isFloat = true
		var m int
		i, m, ok = scanDigitPart(s, i+1)
		if !ok {
			return i, true, false
		}
		n += m
	}
	if n == 0 {
		return i, isFloat, false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		j, m, ok := scanDigitPart(s, j)
		if !ok || m == 0 {
			return j, true, false
		}
		i, isFloat = j, true
	}
	return i, isFloat, true
}

// parseDecimalFloat converts text that scanDecimal accepted. Out of range
// values become ±Inf or zero, as in Python.
func parseDecimalFloat(text string) float64 {
	f, err := strconv.ParseFloat(strings.ReplaceAll(text, "_", ""), 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		// Unreachable: scanDecimal only accepts what ParseFloat reads.
		return math.NaN()
	}
	return f
}

// number scans a number literal.
func (l *litLexer) number() (litToken, error) {
	s, start := l.src, l.pos
	tok := litToken{kind: tokNumber, pos: start}
	if s[start] == '0' && start+1 < len(s) && strings.IndexByte("xXoObB", s[start+1]) >= 0 {
		base, name := 16, "hexadecimal"
		switch s[start+1] {
		case 'o', 'O':
			base, name = 8, "octal"
		case 'b', 'B':
			base, name = 2, "binary"
		}
		i := start + 2
		var digits []byte
		for i < len(s) {
			c := s[i]
			if c == '_' {
				i++
				if i >= len(s) || digitValue(s[i]) >= base {
					return tok, l.errAt(start, "invalid %s literal", name)
				}
				c = s[i]
			} else if digitValue(c) >= base {
				break
			}
			digits = append(digits, c)
			i++
		}
		if len(digits) == 0 || i < len(s) && isIdentByte(s[i]) {
			return tok, l.errAt(start, "invalid %s literal", name)
		}
		l.pos = i
		tok.val = makeInt(string(digits), base)
		return tok, nil
	}
	end, isFloat, ok := scanDecimal(s, start)
	if ok && end < len(s) && (s[end] == 'j' || s[end] == 'J') {
		return tok, l.errAt(start, "complex numbers are not supported")
	}
	if !ok || end < len(s) && isIdentByte(s[end]) {
		return tok, l.errAt(start, "invalid decimal literal")
	}
	l.pos = end
	text := s[start:end]
	if isFloat {
		tok.val = parseDecimalFloat(text)
		return tok, nil
	}
	digits := strings.ReplaceAll(text, "_", "")
	significant := strings.TrimLeft(digits, "0")
	if significant != "" && len(significant) != len(digits) {
		return tok, l.errAt(start, "leading zeros in decimal integer literals are not permitted")
	}
	if len(significant) > maxIntDigits {
		return tok, l.errAt(start, "exceeds the limit (%d digits) for integer string conversion", maxIntDigits)
	}
	tok.val = makeInt(digits, 10)
	return tok, nil
}

// digitValue returns the value of a hexadecimal digit, or 99.
func digitValue(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return 99
}

// makeInt converts valid digits to int64, or *big.Int when too large.
func makeInt(digits string, base int) any {
	if n, err := strconv.ParseInt(digits, base, 64); err == nil {
		return n
	}
	b, ok := new(big.Int).SetString(digits, base)
	if !ok {
		return int64(0) // unreachable: the digits were checked
	}
	return b
}

// normInt returns b as int64 when it fits.
func normInt(b *big.Int) any {
	if b.IsInt64() {
		return b.Int64()
	}
	return b
}

// stringLit scans a string literal whose opening quote is at l.pos; start
// is where its prefix starts.
func (l *litLexer) stringLit(start int, raw, isBytes bool) (litToken, error) {
	s := l.src
	i := l.pos
	q := s[i]
	triple := i+2 < len(s) && s[i+1] == q && s[i+2] == q
	if triple {
		i += 3
	} else {
		i++
	}
	var out []byte
	for {
		if i >= len(s) {
			if triple {
				return litToken{}, l.errAt(start, "unterminated triple-quoted string literal")
			}
			return litToken{}, l.errAt(start, "unterminated string literal")
		}
		c := s[i]
		if c == q {
			if !triple {
				i++
				break
			}
			if i+2 < len(s) && s[i+1] == q && s[i+2] == q {
				i += 3
				break
			}
			out = append(out, c)
			i++
			continue
		}
		if n := newlineLen(s, i); n > 0 {
			if !triple {
				return litToken{}, l.errAt(start, "unterminated string literal")
			}
			out = append(out, '\n')
			i += n
			continue
		}
		if c == '\\' {
			if i+1 >= len(s) {
				return litToken{}, l.errAt(start, "unterminated string literal")
			}
			if raw {
				// The backslash stays, and the next character does not
				// end the string.
				out = append(out, '\\')
				i++
				if n := newlineLen(s, i); n > 0 {
					out = append(out, '\n')
					i += n
					continue
				}
			} else {
				var err error
				out, i, err = l.escape(out, i, isBytes)
				if err != nil {
					return litToken{}, err
				}
				continue
			}
			c = s[i]
		}
		if c >= utf8.RuneSelf {
			if isBytes {
				return litToken{}, l.errAt(i, "bytes can only contain ASCII literal characters")
			}
			_, size := utf8.DecodeRuneInString(s[i:])
			out = append(out, s[i:i+size]...)
			i += size
			continue
		}
		out = append(out, c)
		i++
	}
	l.pos = i
	return litToken{kind: tokString, pos: start, str: string(out), isBytes: isBytes}, nil
}

// escape decodes the escape sequence whose backslash is at s[i] (with at
// least one character after it), appending the result to out.
func (l *litLexer) escape(out []byte, i int, isBytes bool) ([]byte, int, error) {
	s := l.src
	bs := i
	i++
	c := s[i]
	if n := newlineLen(s, i); n > 0 {
		return out, i + n, nil // line continuation inside the string
	}
	if v, ok := simpleEscape(c); ok {
		return append(out, v), i + 1, nil
	}
	appendCode := func(r rune) []byte {
		if isBytes {
			return append(out, byte(r))
		}
		return appendWTF8(out, r)
	}
	switch {
	case '0' <= c && c <= '7':
		v := rune(0)
		j := i
		for j < len(s) && j < i+3 && '0' <= s[j] && s[j] <= '7' {
			v = v*8 + rune(s[j]-'0')
			j++
		}
		if isBytes {
			v &= 0xff
		}
		return appendCode(v), j, nil
	case c == 'x' || !isBytes && (c == 'u' || c == 'U'):
		n := 2
		switch c {
		case 'u':
			n = 4
		case 'U':
			n = 8
		}
		v := int64(0)
		for k := 1; k <= n; k++ {
			if i+k >= len(s) || digitValue(s[i+k]) >= 16 {
				return out, i, l.errAt(bs, "truncated \\%c escape", c)
			}
			v = v*16 + int64(digitValue(s[i+k]))
		}
		if v > unicode.MaxRune {
			return out, i, l.errAt(bs, "illegal Unicode character in \\U escape")
		}
		return appendCode(rune(v)), i + 1 + n, nil
	case c == 'N' && !isBytes:
		return out, i, l.errAt(bs, "\\N{...} escapes are not supported")
	}
	// An unknown escape is kept as written (a DeprecationWarning in 3.11).
	out = append(out, '\\')
	if c >= utf8.RuneSelf {
		if isBytes {
			return out, i, l.errAt(i, "bytes can only contain ASCII literal characters")
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		return append(out, s[i:i+size]...), i + size, nil
	}
	return append(out, c), i + 1, nil
}

// simpleEscape returns the character that a one-letter escape stands for.
func simpleEscape(c byte) (byte, bool) {
	switch c {
	case '\\', '\'', '"':
		return c, true
	case 'a':
		return 7, true
	case 'b':
		return 8, true
	case 'f':
		return 12, true
	case 'n':
		return 10, true
	case 'r':
		return 13, true
	case 't':
		return 9, true
	case 'v':
		return 11, true
	}
	return 0, false
}
