package session

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
)

// Handler returns the middleware: it loads the session of each request
// (see Load), makes it available to next through FromRequest, and saves it
// (see Save) just before the response headers are written: on the first
// WriteHeader (other than a 1xx informational one), Write, ReadFrom, Flush
// or Hijack, or when next returns without writing anything.
//
// The response writer given to next supports http.Flusher, http.Hijacker,
// io.ReaderFrom and Unwrap, so http.ResponseController reaches the
// underlying writer's deadlines and full-duplex mode. Flush and Hijack
// report http.ErrNotSupported through http.ResponseController when the
// underlying writer lacks them.
func (m *Manager) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := m.Load(r)
		r = r.WithContext(NewContext(r.Context(), s))
		sw := &responseWriter{ResponseWriter: w, m: m, r: r, s: s}
		next.ServeHTTP(sw, r)
		sw.save()
	})
}

// responseWriter saves the session before the first byte of the response.
type responseWriter struct {
	http.ResponseWriter
	m *Manager
	r *http.Request
	s *Session

	once   sync.Once
	failed bool // set inside once: the error handler answered instead
}

// save saves the session once, and reports whether the handler's response
// may proceed.
func (w *responseWriter) save() bool {
	w.once.Do(func() {
		h := w.ResponseWriter.Header()
		if err := w.m.Save(h, w.s); err != nil {
			w.failed = true
			clear(h)
			w.m.onError(w.ResponseWriter, w.r, err)
		}
	})
	return !w.failed
}

// WriteHeader saves the session, then writes the header. Informational
// (1xx) headers other than 101 Switching Protocols go out without saving:
// the final response comes later.
func (w *responseWriter) WriteHeader(code int) {
	if code >= 100 && code <= 199 && code != http.StatusSwitchingProtocols {
		w.ResponseWriter.WriteHeader(code)
		return
	}
	if w.save() {
		w.ResponseWriter.WriteHeader(code)
	}
}

// Write saves the session, then writes p.
func (w *responseWriter) Write(p []byte) (int, error) {
	if !w.save() {
		return 0, ErrSaveFailed
	}
	return w.ResponseWriter.Write(p)
}

// ReadFrom saves the session, then copies src with the underlying writer's
// ReadFrom when it has one (sendfile for *os.File on plain connections).
func (w *responseWriter) ReadFrom(src io.Reader) (int64, error) {
	if !w.save() {
		return 0, ErrSaveFailed
	}
	if rf, ok := w.ResponseWriter.(io.ReaderFrom); ok {
		return rf.ReadFrom(src)
	}
	return io.Copy(writerOnly{w.ResponseWriter}, src)
}

// writerOnly hides every method but Write, so that io.Copy does not call
// ReadFrom again.
type writerOnly struct{ io.Writer }

// Flush saves the session, then flushes the underlying writer if it can.
func (w *responseWriter) Flush() {
	_ = w.FlushError()
}

// FlushError is Flush that reports an error, http.ErrNotSupported when
// the underlying writer cannot flush; http.ResponseController uses it.
func (w *responseWriter) FlushError() error {
	if !w.save() {
		return ErrSaveFailed
	}
	return http.NewResponseController(w.ResponseWriter).Flush()
}

// Hijack saves the session into the header map (where a handler writing
// its own response can find the Set-Cookie header), then hijacks the
// underlying connection.
func (w *responseWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if !w.save() {
		return nil, nil, ErrSaveFailed
	}
	c, rw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, fmt.Errorf("session: hijack: %w", err)
	}
	return c, rw, nil
}

// Unwrap returns the underlying ResponseWriter, for
// http.ResponseController.
func (w *responseWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
