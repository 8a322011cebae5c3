package py

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// field is a struct field as seen by ValueOf and Assign.
type field struct {
	name      string
	folded    string // foldName(name)
	tagged    bool
	index     []int
	typ       reflect.Type
	omitEmpty bool
	omitZero  bool
}

type structFields struct {
	list   []field
	exact  map[string]int // name -> index in list
	folded map[string]int // folded name -> index in list (first field wins)
	// unknown is the index of the field tagged `json:",unknown"`, which
	// holds the keys that no other field declares, or nil.
	unknown []int
	// unknownType is its type: map[string]any or Dict.
	unknownType reflect.Type
	// badUnknown is set when a field tagged `json:",unknown"` has another
	// type: ValueOf and Assign refuse the struct.
	badUnknown error
}

// fieldCache maps a struct type to its *structFields. Like encoding/json's,
// it is a cache of pure functions of the type, not a registry.
var fieldCache sync.Map

func cachedFields(t reflect.Type) *structFields {
	if f, ok := fieldCache.Load(t); ok {
		return f.(*structFields)
	}
	f, _ := fieldCache.LoadOrStore(t, typeFields(t))
	return f.(*structFields)
}

// typeFields returns the fields encoding/json would use for the struct type
// t, following its algorithm: a breadth-first walk of embedded structs, then
// Go's rules for hiding fields, where a tagged field beats untagged ones at
// the same depth and a tie removes them all.
func typeFields(t reflect.Type) *structFields {
	current := []field{}
	next := []field{{typ: t}}
	var count, nextCount map[reflect.Type]int
	visited := map[reflect.Type]bool{}
	var fields []field
	var unknown []int
	var unknownType reflect.Type
	var badUnknown error

	for len(next) > 0 {
		current, next = next, current[:0]
		count, nextCount = nextCount, map[reflect.Type]int{}
		for _, f := range current {
			if visited[f.typ] {
				continue
			}
			visited[f.typ] = true
			for i := 0; i < f.typ.NumField(); i++ {
				sf := f.typ.Field(i)
				if sf.Anonymous {
					ft := sf.Type
					if ft.Kind() == reflect.Pointer {
						ft = ft.Elem()
					}
					if !sf.IsExported() && ft.Kind() != reflect.Struct {
						continue
					}
				} else if !sf.IsExported() {
					continue
				}
				tag := sf.Tag.Get("json")
				if tag == "-" {
					continue
				}
				name, opts, _ := strings.Cut(tag, ",")
				if !isValidTag(name) {
					name = ""
				}
				index := make([]int, len(f.index)+1)
				copy(index, f.index)
				index[len(f.index)] = i
				if hasOption(opts, "unknown") {
					// The catch-all of keys no field declares: the
					// shallowest one, first in field order.
					switch {
					case sf.Type != mapType && sf.Type != dictType:
						badUnknown = fmt.Errorf("py: field %s tagged \",unknown\" is a %s, not a map[string]any or py.Dict: %w", sf.Name, sf.Type, ErrUnsupportedType)
					case unknown == nil:
						unknown, unknownType = index, sf.Type
					}
					continue
				}

				ft := sf.Type
				if ft.Name() == "" && ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if name != "" || !sf.Anonymous || ft.Kind() != reflect.Struct {
					tagged := name != ""
					if name == "" {
						name = sf.Name
					}
					nf := field{
						name:      name,
						folded:    foldName(name),
						tagged:    tagged,
						index:     index,
						typ:       ft,
						omitEmpty: hasOption(opts, "omitempty"),
						omitZero:  hasOption(opts, "omitzero"),
					}
					fields = append(fields, nf)
					if count[f.typ] > 1 {
						// Several embedded structs of the same type at this
						// depth: add a duplicate so that the field is annihilated.
						fields = append(fields, nf)
					}
					continue
				}
				nextCount[ft]++
				if nextCount[ft] == 1 {
					next = append(next, field{name: ft.Name(), index: index, typ: ft})
				}
			}
		}
	}

	sort.Slice(fields, func(i, j int) bool {
		x := fields
		if x[i].name != x[j].name {
			return x[i].name < x[j].name
		}
		if len(x[i].index) != len(x[j].index) {
			return len(x[i].index) < len(x[j].index)
		}
		if x[i].tagged != x[j].tagged {
			return x[i].tagged
		}
		return lessIndex(x[i].index, x[j].index)
	})

	out := fields[:0]
	for advance, i := 0, 0; i < len(fields); i += advance {
		fi := fields[i]
		for advance = 1; i+advance < len(fields); advance++ {
			if fields[i+advance].name != fi.name {
				break
			}
		}
		if advance == 1 {
			out = append(out, fi)
			continue
		}
		dup := fields[i : i+advance]
		if len(dup[0].index) == len(dup[1].index) && dup[0].tagged == dup[1].tagged {
			continue // ambiguous: hidden, as in Go
		}
		out = append(out, dup[0])
	}
	fields = out
	sort.Slice(fields, func(i, j int) bool { return lessIndex(fields[i].index, fields[j].index) })

	sf := &structFields{list: fields, exact: make(map[string]int, len(fields)), folded: make(map[string]int, len(fields)),
		unknown: unknown, unknownType: unknownType, badUnknown: badUnknown}
	for i, f := range fields {
		sf.exact[f.name] = i
		if _, ok := sf.folded[f.folded]; !ok {
			sf.folded[f.folded] = i
		}
	}
	return sf
}

func lessIndex(a, b []int) bool {
	for k, x := range a {
		if k >= len(b) {
			return false
		}
		if x != b[k] {
			return x < b[k]
		}
	}
	return len(a) < len(b)
}

func hasOption(opts, name string) bool {
	for opts != "" {
		var o string
		o, opts, _ = strings.Cut(opts, ",")
		if o == name {
			return true
		}
	}
	return false
}

// isValidTag reports whether s is a tag name encoding/json accepts.
func isValidTag(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case !unicode.IsLetter(c) && !unicode.IsDigit(c):
			return false
		}
	}
	return true
}

// foldName folds s for the case-insensitive match of dict keys to field
// names, as encoding/json does.
func foldName(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' {
			return strings.Map(func(r rune) rune { return unicode.ToLower(unicode.ToUpper(r)) }, s)
		}
	}
	return s
}
