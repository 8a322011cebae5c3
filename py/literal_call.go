package py

import (
	"math"
	"math/big"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

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
