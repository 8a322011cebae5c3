package py

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// ErrSyntax is matched (with errors.Is) by every error that [ParseLiteral]
// returns. The error itself is a [*SyntaxError] that gives the position.
var ErrSyntax = errors.New("py: invalid Python literal")

// SyntaxError is the error [ParseLiteral] returns: what is wrong and where.
// It matches [ErrSyntax].
type SyntaxError struct {
	// Offset is the byte offset in the source where the problem was found.
	Offset int
	// Line and Column locate Offset, both counted from 1; Column counts
	// characters (code points), as Python does.
	Line, Column int
	// Msg describes the problem.
	Msg string
}

// Error implements the error interface.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("py: invalid Python literal at line %d, column %d: %s", e.Line, e.Column, e.Msg)
}

// Unwrap returns [ErrSyntax].
func (e *SyntaxError) Unwrap() error { return ErrSyntax }

const (
	// maxLiteralNesting is the deepest nesting of brackets ParseLiteral
	// accepts, the limit of CPython's tokenizer ("too many nested
	// parentheses").
	maxLiteralNesting = 200
	// maxIntDigits is CPython 3.11's default limit on the digits of a
	// decimal int literal (sys.int_info.default_max_str_digits). Going
	// through big.Int, the conversion time grows with the square of the
	// length, which is why Python limits it too.
	maxIntDigits = 4300
	// maxCallArgs is the most arguments any accepted call takes
	// (datetime.datetime).
	maxCallArgs = 8
)

// ParseLiteral parses the text of a Python literal as ast.literal_eval does,
// and returns it in the value model of this package: None as nil, bool,
// int as int64 (or *big.Int when it does not fit), float as float64, str as
// string (a lone surrogate from a \udXXX escape kept in its WTF-8 form),
// bytes as []byte, list as []any, tuple as [Tuple], dict as [Dict] (in the
// order of the source; a repeated key keeps its first position and takes its
// last value, as in Python).
//
// Everything ast.literal_eval accepts in Python 3.11 is accepted, except
// what the value model cannot hold: complex numbers, sets, and dict keys that
// are not str are errors. That covers ints in every base with underscores,
// every form of float literal, a single unary + or - on a number, strings
// and bytes with every prefix (r, u, b, br, rb, in any case; f-strings are
// errors), every escape sequence except \N{...} (which needs Python's
// Unicode name database and is an error), implicit concatenation of adjacent
// literals (str with str, bytes with bytes), triple quotes, trailing commas,
// comments and line breaks inside brackets, backslash line continuations,
// and a tuple without parentheses at the top level ("1, 2"). As in CPython
// 3.11, an invalid escape such as \q is kept as written, an octal escape
// above \377 in bytes is taken modulo 256, a decimal int of more than 4300
// digits is an error, and brackets nest at most 200 deep.
//
// The calls and names that [Repr] writes are accepted as well, so that
// ParseLiteral(Repr(v)) gives back v:
//
//	nan, inf, float('nan'), float('-inf'), float(' 1_0.5 ')
//	Markup('<b>x</b>')
//	UUID('12345678-1234-5678-1234-567812345678')   any form ParseUUID accepts
//	datetime.datetime(2024, 1, 2, 3, 4, 5, 6, tzinfo=datetime.timezone.utc)
//	datetime.datetime(2024, 1, 2, tzinfo=timezone.utc)
//	datetime.datetime(2024, 1, 2, 3, 4, tzinfo=datetime.timezone(datetime.timedelta(seconds=7200)))
//
// A unary sign also applies to nan, inf and float(...). float takes a single
// str, parsed as Python's float(str) does except that only ASCII digits are
// accepted. Markup and UUID take a single str. datetime.datetime takes its
// arguments (year, month, day, hour, minute, second, microsecond, tzinfo)
// positionally or by keyword, as int literals and a tzinfo of None,
// datetime.timezone.utc or datetime.timezone(datetime.timedelta(...)) (the
// "datetime." may be left out of timezone and timedelta); timedelta takes
// int days, seconds, microseconds, milliseconds, minutes, hours and weeks.
// The datetime becomes a time.Time in time.UTC, or in a time.FixedZone
// (without a name) for a non-zero offset; an offset that is not a whole
// number of seconds is an error, since Go zones cannot hold it, and so is the
// fold argument. A naive datetime (no tzinfo, or tzinfo=None) is taken as
// UTC, as Flask does when it stores one.
//
// Identifiers must be ASCII (Python would also accept their NFKC
// equivalents). The source must be UTF-8 without NUL bytes. Errors are
// [*SyntaxError] values that match [ErrSyntax]. ParseLiteral never panics,
// and runs in time linear in the length of the source.
func ParseLiteral(src string) (any, error) {
	if !utf8.ValidString(src) {
		i := 0
		for i < len(src) {
			r, size := utf8.DecodeRuneInString(src[i:])
			if r == utf8.RuneError && size == 1 {
				break
			}
			i += size
		}
		return nil, syntaxErrorAt(src, i, "source is not valid UTF-8")
	}
	if i := strings.IndexByte(src, 0); i >= 0 {
		return nil, syntaxErrorAt(src, i, "source contains a NUL byte")
	}
	// ast.literal_eval strips leading spaces and tabs.
	start := len(src) - len(strings.TrimLeft(src, " \t"))
	p := &litParser{lex: litLexer{src: src, pos: start}}
	if err := p.advance(); err != nil {
		return nil, err
	}
	v, err := p.topLevel()
	if err != nil {
		return nil, err
	}
	return v, nil
}

func syntaxErrorAt(src string, off int, msg string) *SyntaxError {
	line, lineStart := 1, 0
	for i := 0; i < off && i < len(src); i++ {
		switch src[i] {
		case '\n':
			line, lineStart = line+1, i+1
		case '\r':
			if i+1 < len(src) && src[i+1] == '\n' {
				continue
			}
			line, lineStart = line+1, i+1
		}
	}
	if off > len(src) {
		off = len(src)
	}
	return &SyntaxError{Offset: off, Line: line, Column: utf8.RuneCountInString(src[lineStart:off]) + 1, Msg: msg}
}

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

// litParser parses tokens into values.
type litParser struct {
	lex litLexer
	tok litToken
}

// litTimezone is the value of datetime.timezone.utc or
// datetime.timezone(...): a fixed offset in seconds. It is only valid as a
// datetime's tzinfo.
type litTimezone struct{ offset int }

// litTimedelta is the value of datetime.timedelta(...), in microseconds. It
// is only valid as the argument of datetime.timezone.
type litTimedelta struct{ micros *big.Int }

func (p *litParser) advance() error {
	t, err := p.lex.next()
	if err != nil {
		return err
	}
	p.tok = t
	return nil
}

func (p *litParser) errAt(off int, format string, args ...any) error {
	return syntaxErrorAt(p.lex.src, off, fmt.Sprintf(format, args...))
}

func (p *litParser) isOp(op string) bool {
	return p.tok.kind == tokOp && p.tok.text == op
}

func (p *litParser) describe() string {
	switch p.tok.kind {
	case tokEOF:
		return "end of input"
	case tokNewline:
		return "line break"
	case tokName:
		return fmt.Sprintf("name %q", p.tok.text)
	case tokNumber:
		return "number"
	case tokString:
		return "string"
	}
	return fmt.Sprintf("%q", p.tok.text)
}

func (p *litParser) unexpected(want string) error {
	return p.errAt(p.tok.pos, "expected %s, found %s", want, p.describe())
}

// topLevel parses the whole source: an expression, or a tuple without
// parentheses, then the end.
func (p *litParser) topLevel() (any, error) {
	v, err := p.value()
	if err != nil {
		return nil, err
	}
	if p.isOp(",") {
		items := []any{v}
		for p.isOp(",") {
			if err := p.advance(); err != nil {
				return nil, err
			}
			if p.tok.kind == tokEOF || p.tok.kind == tokNewline {
				break
			}
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			items = append(items, v)
		}
		v = Tuple(items)
	}
	if p.tok.kind == tokNewline {
		if err := p.advance(); err != nil {
			return nil, err
		}
	}
	if p.tok.kind != tokEOF {
		return nil, p.unexpected("end of input")
	}
	return v, nil
}

// value parses an expression that must be a value of the model.
func (p *litParser) value() (any, error) {
	pos := p.tok.pos
	v, _, err := p.expr()
	if err != nil {
		return nil, err
	}
	switch v.(type) {
	case litTimezone:
		return nil, p.errAt(pos, "a timezone is only valid as a datetime's tzinfo")
	case litTimedelta:
		return nil, p.errAt(pos, "a timedelta is only valid as the argument of datetime.timezone")
	}
	return v, nil
}

// expr parses an expression; numeric reports a number that a unary sign
// may apply to (an unsigned number literal, nan, inf or float(...), maybe in
// parentheses).
func (p *litParser) expr() (v any, numeric bool, err error) {
	if p.isOp("-") || p.isOp("+") {
		neg, pos := p.tok.text == "-", p.tok.pos
		if err := p.advance(); err != nil {
			return nil, false, err
		}
		v, numeric, err := p.atom()
		if err != nil {
			return nil, false, err
		}
		if !numeric {
			return nil, false, p.errAt(pos, "a unary sign applies only to a number")
		}
		if neg {
			switch x := v.(type) {
			case int64:
				v = normInt(new(big.Int).Neg(big.NewInt(x)))
			case *big.Int:
				v = normInt(new(big.Int).Neg(x))
			case float64:
				v = -x
			}
		}
		return v, false, nil
	}
	return p.atom()
}

func (p *litParser) atom() (any, bool, error) {
	switch p.tok.kind {
	case tokNumber:
		v := p.tok.val
		return v, true, p.advance()
	case tokString:
		return p.strings()
	case tokName:
		return p.name()
	case tokOp:
		switch p.tok.text {
		case "(":
			return p.paren()
		case "[":
			v, err := p.list()
			return v, false, err
		case "{":
			v, err := p.dict()
			return v, false, err
		}
	}
	return nil, false, p.unexpected("a value")
}

// strings parses adjacent string literals, which Python concatenates.
func (p *litParser) strings() (any, bool, error) {
	isBytes := p.tok.isBytes
	var b strings.Builder
	for p.tok.kind == tokString {
		if p.tok.isBytes != isBytes {
			return nil, false, p.errAt(p.tok.pos, "cannot mix bytes and nonbytes literals")
		}
		b.WriteString(p.tok.str)
		if err := p.advance(); err != nil {
			return nil, false, err
		}
	}
	if isBytes {
		return []byte(b.String()), false, nil
	}
	return b.String(), false, nil
}

func (p *litParser) paren() (any, bool, error) {
	if err := p.advance(); err != nil {
		return nil, false, err
	}
	if p.isOp(")") {
		return Tuple{}, false, p.advance()
	}
	pos := p.tok.pos
	v, numeric, err := p.expr()
	if err != nil {
		return nil, false, err
	}
	if p.isOp(")") {
		return v, numeric, p.advance()
	}
	if !p.isOp(",") {
		return nil, false, p.unexpected(`"," or ")"`)
	}
	if err := checkValue(p, pos, v); err != nil {
		return nil, false, err
	}
	items := []any{v}
	for p.isOp(",") {
		if err := p.advance(); err != nil {
			return nil, false, err
		}
		if p.isOp(")") {
			break
		}
		v, err := p.value()
		if err != nil {
			return nil, false, err
		}
		items = append(items, v)
		if !p.isOp(",") && !p.isOp(")") {
			return nil, false, p.unexpected(`"," or ")"`)
		}
	}
	return Tuple(items), false, p.advance()
}

// checkValue rejects the timezone and timedelta values where a value of the
// model is needed.
func checkValue(p *litParser, pos int, v any) error {
	switch v.(type) {
	case litTimezone:
		return p.errAt(pos, "a timezone is only valid as a datetime's tzinfo")
	case litTimedelta:
		return p.errAt(pos, "a timedelta is only valid as the argument of datetime.timezone")
	}
	return nil
}

func (p *litParser) list() (any, error) {
	if err := p.advance(); err != nil {
		return nil, err
	}
	items := []any{}
	for !p.isOp("]") {
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		items = append(items, v)
		if p.isOp(",") {
			if err := p.advance(); err != nil {
				return nil, err
			}
		} else if !p.isOp("]") {
			return nil, p.unexpected(`"," or "]"`)
		}
	}
	return items, p.advance()
}

func (p *litParser) dict() (any, error) {
	if err := p.advance(); err != nil {
		return nil, err
	}
	d := Dict{}
	var index map[string]int
	for !p.isOp("}") {
		pos := p.tok.pos
		k, err := p.value()
		if err != nil {
			return nil, err
		}
		if !p.isOp(":") {
			if p.isOp(",") || p.isOp("}") {
				return nil, p.errAt(pos, "sets are not supported")
			}
			return nil, p.unexpected(`":"`)
		}
		key, ok := k.(string)
		if !ok {
			return nil, p.errAt(pos, "dict keys must be str, not %s", TypeName(k))
		}
		if err := p.advance(); err != nil {
			return nil, err
		}
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		if index == nil {
			index = make(map[string]int)
		}
		if i, dup := index[key]; dup {
			d[i].Value = v
		} else {
			index[key] = len(d)
			d = append(d, Item{Key: key, Value: v})
		}
		if p.isOp(",") {
			if err := p.advance(); err != nil {
				return nil, err
			}
		} else if !p.isOp("}") {
			return nil, p.unexpected(`"," or "}"`)
		}
	}
	return d, p.advance()
}

// name parses a name, a dotted name, or a call.
func (p *litParser) name() (any, bool, error) {
	pos := p.tok.pos
	name := p.tok.text
	if err := p.advance(); err != nil {
		return nil, false, err
	}
	for p.isOp(".") {
		if err := p.advance(); err != nil {
			return nil, false, err
		}
		if p.tok.kind != tokName {
			return nil, false, p.unexpected("a name after \".\"")
		}
		name += "." + p.tok.text
		if err := p.advance(); err != nil {
			return nil, false, err
		}
	}
	if p.isOp("(") {
		return p.call(pos, name)
	}
	switch name {
	case "None":
		return nil, false, nil
	case "True":
		return true, false, nil
	case "False":
		return false, false, nil
	case "nan":
		return math.NaN(), true, nil
	case "inf":
		return math.Inf(1), true, nil
	case "datetime.timezone.utc", "timezone.utc":
		return litTimezone{}, false, nil
	}
	return nil, false, p.errAt(pos, "unknown name %q", name)
}

// litArg is one argument of a call.
type litArg struct {
	pos     int
	keyword string
	value   any
}

// call parses the arguments of a call to name and evaluates it.
func (p *litParser) call(pos int, name string) (any, bool, error) {
	if err := p.advance(); err != nil { // "("
		return nil, false, err
	}
	var args []litArg
	for !p.isOp(")") {
		arg := litArg{pos: p.tok.pos}
		if p.tok.kind == tokName {
			saved, savedTok := p.lex, p.tok
			if err := p.advance(); err != nil {
				return nil, false, err
			}
			if p.isOp("=") {
				arg.keyword = savedTok.text
				if err := p.advance(); err != nil {
					return nil, false, err
				}
				for _, a := range args {
					if a.keyword == arg.keyword {
						return nil, false, p.errAt(arg.pos, "keyword argument repeated: %s", arg.keyword)
					}
				}
			} else {
				p.lex, p.tok = saved, savedTok
			}
		}
		if arg.keyword == "" && len(args) > 0 && args[len(args)-1].keyword != "" {
			return nil, false, p.errAt(arg.pos, "positional argument follows keyword argument")
		}
		v, _, err := p.expr()
		if err != nil {
			return nil, false, err
		}
		arg.value = v
		args = append(args, arg)
		if len(args) > maxCallArgs {
			// No function here takes more; stopping also keeps the
			// repeated-keyword check above cheap.
			return nil, false, p.errAt(arg.pos, "%s: too many arguments", name)
		}
		if p.isOp(",") {
			if err := p.advance(); err != nil {
				return nil, false, err
			}
		} else if !p.isOp(")") {
			return nil, false, p.unexpected(`"," or ")"`)
		}
	}
	if err := p.advance(); err != nil { // ")"
		return nil, false, err
	}
	switch name {
	case "Markup", "UUID", "float":
		if len(args) != 1 || args[0].keyword != "" {
			return nil, false, p.errAt(pos, "%s takes exactly one positional argument", name)
		}
		s, ok := args[0].value.(string)
		if !ok {
			return nil, false, p.errAt(args[0].pos, "the argument of %s must be a str", name)
		}
		switch name {
		case "Markup":
			return Markup(s), false, nil
		case "UUID":
			u, err := ParseUUID(s)
			if err != nil {
				return nil, false, p.errAt(args[0].pos, "badly formed hexadecimal UUID string")
			}
			return u, false, nil
		}
		f, ok := parseFloatString(s)
		if !ok {
			return nil, false, p.errAt(args[0].pos, "could not convert string to float: %q", s)
		}
		return f, true, nil
	case "datetime.datetime":
		v, err := p.datetime(pos, args)
		return v, false, err
	case "datetime.timezone", "timezone":
		if len(args) != 1 || args[0].keyword != "" {
			return nil, false, p.errAt(pos, "timezone takes exactly one positional argument (a timedelta)")
		}
		td, ok := args[0].value.(litTimedelta)
		if !ok {
			return nil, false, p.errAt(args[0].pos, "the argument of timezone must be a timedelta")
		}
		day := big.NewInt(86400e6)
		if td.micros.CmpAbs(day) >= 0 {
			return nil, false, p.errAt(args[0].pos, "offset must be a timedelta strictly between -timedelta(hours=24) and timedelta(hours=24)")
		}
		secs, rem := new(big.Int).QuoRem(td.micros, big.NewInt(1e6), new(big.Int))
		if rem.Sign() != 0 {
			return nil, false, p.errAt(args[0].pos, "UTC offsets that are not whole seconds are not supported")
		}
		return litTimezone{offset: int(secs.Int64())}, false, nil
	case "datetime.timedelta", "timedelta":
		v, err := p.timedelta(pos, args)
		return v, false, err
	}
	return nil, false, p.errAt(pos, "unknown function %q", name)
}

// bindArgs places positional and keyword arguments into the slots named
// names.
func (p *litParser) bindArgs(fn string, pos int, args []litArg, names []string) ([]*litArg, error) {
	slots := make([]*litArg, len(names))
	for i := range args {
		a := &args[i]
		if a.keyword == "" {
			if i >= len(names) {
				return nil, p.errAt(a.pos, "%s takes at most %d arguments", fn, len(names))
			}
			slots[i] = a
			continue
		}
		k := -1
		for j, n := range names {
			if n == a.keyword {
				k = j
			}
		}
		if k < 0 {
			return nil, p.errAt(a.pos, "%s got an unexpected keyword argument %q", fn, a.keyword)
		}
		if slots[k] != nil {
			return nil, p.errAt(a.pos, "%s got multiple values for argument %q", fn, a.keyword)
		}
		slots[k] = a
	}
	return slots, nil
}

func (p *litParser) datetime(pos int, args []litArg) (any, error) {
	names := []string{"year", "month", "day", "hour", "minute", "second", "microsecond", "tzinfo"}
	slots, err := p.bindArgs("datetime", pos, args, names)
	if err != nil {
		return nil, err
	}
	var f [7]int
	for i := 0; i < 7; i++ {
		a := slots[i]
		if a == nil {
			if i < 3 {
				return nil, p.errAt(pos, "datetime: missing required argument %q", names[i])
			}
			continue
		}
		switch x := a.value.(type) {
		case int64:
			if x < math.MinInt32 || x > math.MaxInt32 {
				return nil, p.errAt(a.pos, "datetime: %s out of range", names[i])
			}
			f[i] = int(x)
		case *big.Int:
			return nil, p.errAt(a.pos, "datetime: %s out of range", names[i])
		default:
			return nil, p.errAt(a.pos, "datetime: %s must be an int", names[i])
		}
	}
	limits := [7][2]int{{1, 9999}, {1, 12}, {1, 31}, {0, 23}, {0, 59}, {0, 59}, {0, 999999}}
	if f[0] >= 1 && f[0] <= 9999 && f[1] >= 1 && f[1] <= 12 {
		limits[2][1] = time.Date(f[0], time.Month(f[1])+1, 0, 0, 0, 0, 0, time.UTC).Day()
	}
	for i, lim := range limits {
		if f[i] < lim[0] || f[i] > lim[1] {
			at := pos
			if slots[i] != nil {
				at = slots[i].pos
			}
			return nil, p.errAt(at, "datetime: %s must be in %d..%d", names[i], lim[0], lim[1])
		}
	}
	loc := time.UTC
	if a := slots[7]; a != nil && a.value != nil {
		tz, ok := a.value.(litTimezone)
		if !ok {
			return nil, p.errAt(a.pos, "datetime: tzinfo must be None or a datetime.timezone")
		}
		if tz.offset != 0 {
			loc = time.FixedZone("", tz.offset)
		}
	}
	return time.Date(f[0], time.Month(f[1]), f[2], f[3], f[4], f[5], f[6]*1000, loc), nil
}

func (p *litParser) timedelta(pos int, args []litArg) (any, error) {
	names := []string{"days", "seconds", "microseconds", "milliseconds", "minutes", "hours", "weeks"}
	units := []int64{86400e6, 1e6, 1, 1e3, 60e6, 3600e6, 604800e6}
	slots, err := p.bindArgs("timedelta", pos, args, names)
	if err != nil {
		return nil, err
	}
	total := new(big.Int)
	for i, a := range slots {
		if a == nil {
			continue
		}
		var n *big.Int
		switch x := a.value.(type) {
		case int64:
			n = big.NewInt(x)
		case *big.Int:
			n = new(big.Int).Set(x)
		default:
			return nil, p.errAt(a.pos, "timedelta: %s must be an int", names[i])
		}
		total.Add(total, n.Mul(n, big.NewInt(units[i])))
	}
	return litTimedelta{micros: total}, nil
}

// isPySpace reports whether float(str) strips r: ASCII whitespace, or a
// non-ASCII character that str.isspace accepts.
func isPySpace(r rune) bool {
	if r < utf8.RuneSelf {
		return r == ' ' || r >= '\t' && r <= '\r'
	}
	return unicode.IsSpace(r)
}

// parseFloatString parses s as Python's float(s) does, except that only
// ASCII digits are accepted.
func parseFloatString(s string) (float64, bool) {
	s = strings.TrimFunc(s, isPySpace)
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	var f float64
	switch {
	case asciiEqualFold(s, "inf") || asciiEqualFold(s, "infinity"):
		f = math.Inf(1)
	case asciiEqualFold(s, "nan"):
		f = math.NaN()
	default:
		end, _, ok := scanDecimal(s, 0)
		if !ok || end != len(s) {
			return 0, false
		}
		f = parseDecimalFloat(s)
	}
	if neg {
		f = -f
	}
	return f, true
}

// asciiEqualFold reports whether s equals the lowercase ASCII word, ignoring
// ASCII case only.
func asciiEqualFold(s, word string) bool {
	if len(s) != len(word) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != word[i] {
			return false
		}
	}
	return true
}
