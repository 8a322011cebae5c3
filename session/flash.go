package session

import "github.com/flaskcookie/flaskcookie/py"

// A Flash is one flashed message, as flask.flash stores it: the tuple
// (category, message) in the session's "_flashes" list.
type Flash struct {
	Category string
	Message  string
}

// Flash adds a message for a later request, exactly as flask.flash(message,
// category) does: it reads "_flashes" (marking the session accessed),
// appends the tuple (category, message) and stores the list again (marking
// it modified). Flask's default category is DefaultCategory, "message".
//
// If "_flashes" holds something other than a list (which Flask would fail
// on), it is replaced by a new list.
func (s *Session) Flash(category, message string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.decode()
	s.accessed = true
	old, _ := s.data[FlashesKey].([]any)
	list := make([]any, len(old), len(old)+1)
	copy(list, old)
	s.put(FlashesKey, append(list, py.Tuple{category, message}))
	s.touch()
}

// FlashedMessages returns the flashed messages, as
// flask.get_flashed_messages(with_categories=True, category_filter=categories)
// does. The first call of a request pops "_flashes" from the session (so
// the messages are shown once; the session is then accessed and modified),
// and later calls in the same request return the same messages. With
// categories, only the messages of those categories are returned, but all
// are removed from the session, as in Flask.
//
// When there are no flashed messages the session is marked accessed under
// Flask 3.1 (which counts "_flashes" in session as an access) and not
// under Flask 2.2. A category or
// message that is not a str (Flask's flash accepts any value) is given as
// Python's str() of it; an entry that is not a pair is skipped.
func (s *Session) FlashedMessages(categories ...string) []Flash {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.decode()
	s.used = true
	if s.flashes == nil {
		var popped []Flash
		if v, ok := s.data[FlashesKey]; ok {
			s.del(FlashesKey)
			s.touch()
			popped = toFlashes(v)
		}
		s.flashes = &popped
	}
	if len(categories) == 0 {
		return append([]Flash(nil), *s.flashes...)
	}
	var out []Flash
	for _, f := range *s.flashes {
		for _, c := range categories {
			if f.Category == c {
				out = append(out, f)
				break
			}
		}
	}
	return out
}

// toFlashes reads a "_flashes" value: a list of (category, message)
// tuples, or lists after a round trip through plain JSON.
func toFlashes(v any) []Flash {
	var items []any
	switch v := v.(type) {
	case []any:
		items = v
	case py.Tuple:
		items = v
	default:
		return nil
	}
	out := make([]Flash, 0, len(items))
	for _, it := range items {
		var pair []any
		switch it := it.(type) {
		case py.Tuple:
			pair = it
		case []any:
			pair = it
		}
		if len(pair) != 2 {
			continue
		}
		out = append(out, Flash{Category: pyStr(pair[0]), Message: pyStr(pair[1])})
	}
	return out
}

// pyStr is Python's str() of a flashed category or message.
func pyStr(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case py.Markup:
		return string(v)
	}
	return py.Str(v)
}
