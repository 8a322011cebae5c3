package session

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/flaskcookie/flaskcookie/codec"
)

// logSaveError reports through the Manager's logger that the session of r
// could not be saved. For a session over the size limit it names the
// largest top-level key. Key names are quoted (strconv.Quote): they come
// from the session, which may come from a cookie.
func (m *Manager) logSaveError(r *http.Request, s *Session, err error) {
	msg := "session: session not saved"
	attrs := []slog.Attr{
		slog.String("cookie", m.name),
		slog.String("error", err.Error()),
	}
	if errors.Is(err, codec.ErrTooLarge) {
		msg = "session: session too large to save"
		if key, size, ok := s.largestKey(); ok {
			attrs = append(attrs, slog.String("largest_key", strconv.Quote(key)), slog.Int("largest_key_bytes", size))
		}
	}
	m.logger.LogAttrs(r.Context(), slog.LevelError, msg, attrs...)
}

// largestKey returns the top-level key whose item takes the most bytes in
// Flask's tagged JSON, and that size.
func (s *Session) largestKey() (key string, size int, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.decode()
	var buf []byte
	for k, v := range s.data {
		var err error
		buf, err = codec.TaggedJSON.AppendPayload(buf[:0], map[string]any{k: v})
		if err != nil {
			continue
		}
		if n := len(buf); !ok || n > size || n == size && k < key {
			key, size, ok = k, n, true
		}
	}
	return key, size, ok
}
