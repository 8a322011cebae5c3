package py

import (
	"fmt"
	"math"
	"math/big"
	"strings"
)

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
