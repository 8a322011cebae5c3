package py

import (
	"errors"
	"fmt"
	"strings"
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
