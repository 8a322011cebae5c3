package session

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
)

// BufferSize is how many bytes of the response body Handler holds back,
// so that the session is saved when the handler returns, with everything
// the handler did to it, as Flask saves it once the whole response is
// built. A response that outgrows it, or that the handler flushes, starts
// early (see Handler).
const BufferSize = 4 << 10

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, BufferSize); return &b }}

// Handler returns the middleware: it loads the session of each request
// (see Load), makes it available to next through FromRequest, and saves it
// (see Save) when the response starts.
//
// The response starts when next returns, as in Flask, which saves the
// session once the view has built the whole response: up to BufferSize
// bytes written by next (and the status of WriteHeader) are held back
// until then, so that the session's state at the end of the request
// decides the Vary and Set-Cookie headers. The response starts early when
// next writes more than BufferSize bytes, or calls Flush or Hijack
// (streaming, server-sent events, WebSockets), or WriteHeader(101). When
// it starts early the session is saved as it is then, changes made later
// are lost, and, since next may still read the session, the response
// carries Vary: Cookie under Flask 3.1 whatever next did so far (under
// Flask22 it carries it only if the session was accessed by then). As
// with net/http's own writer, changes to the header map after the first
// WriteHeader or Write do not reach the response (trailers excepted).
//
// The response writer given to next supports http.Flusher, http.Hijacker,
// io.ReaderFrom and Unwrap, so http.ResponseController reaches the
// underlying writer's deadlines and full-duplex mode. Flush and Hijack
// report http.ErrNotSupported through http.ResponseController when the
// underlying writer lacks them. Informational (1xx) headers other than
// 101 go out at once.
func (m *Manager) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := m.Load(r)
		r = r.WithContext(NewContext(r.Context(), s))
		sw := &responseWriter{ResponseWriter: w, m: m, r: r, s: s}
		defer sw.release()
		next.ServeHTTP(sw, r)
		sw.start(false)
	})
}

// responseWriter holds the response back until the session is saved.
type responseWriter struct {
	http.ResponseWriter
	m *Manager
	r *http.Request
	s *Session

	status  int         // the final status next set, not yet written (0: none)
	snap    http.Header // the header map when next started the response
	buf     *[]byte     // the body held back, from bufPool
	started bool        // the session is saved and the response started
	failed  bool        // saving failed: the error handler answered instead
}

// start saves the session and starts the response: the status and the
// body held back go out. early says that next has not returned yet. It
// returns ErrSaveFailed when the session could not be saved (now or
// before), or the error of writing the held-back body.
func (w *responseWriter) start(early bool) error {
	if w.started {
		if w.failed {
			return ErrSaveFailed
		}
		return nil
	}
	w.started = true
	h := w.ResponseWriter.Header()
	if w.snap != nil {
		restoreHeader(h, w.snap)
	}
	if err := w.m.save(h, w.s, early); err != nil {
		w.failed = true
		w.m.logSaveError(w.r, w.s, err)
		clear(h)
		w.m.onError(w.ResponseWriter, w.r, err)
		return ErrSaveFailed
	}
	if w.status != 0 {
		w.ResponseWriter.WriteHeader(w.status)
	}
	if w.buf != nil && len(*w.buf) > 0 {
		_, err := w.ResponseWriter.Write(*w.buf)
		*w.buf = (*w.buf)[:0]
		return err
	}
	return nil
}

// release returns the buffer to the pool.
func (w *responseWriter) release() {
	if w.buf != nil {
		*w.buf = (*w.buf)[:0]
		bufPool.Put(w.buf)
		w.buf = nil
	}
}

// begin records the header map when next starts the response (its first
// WriteHeader or Write), as net/http takes it then.
func (w *responseWriter) begin() {
	if w.snap == nil {
		w.snap = w.ResponseWriter.Header().Clone()
		if w.snap == nil {
			w.snap = http.Header{}
		}
	}
}

// restoreHeader makes h what it was in snap, keeping the trailers set
// since (declared in the Trailer header, or with http.TrailerPrefix).
func restoreHeader(h, snap http.Header) {
	trailer := map[string]bool{}
	for _, v := range snap.Values("Trailer") {
		for _, k := range splitList(v) {
			trailer[http.CanonicalHeaderKey(k)] = true
		}
	}
	keep := func(k string) bool {
		return trailer[k] || len(k) > len(http.TrailerPrefix) && k[:len(http.TrailerPrefix)] == http.TrailerPrefix
	}
	for k := range h {
		if _, ok := snap[k]; !ok && !keep(k) {
			delete(h, k)
		}
	}
	for k, v := range snap {
		if !keep(k) {
			h[k] = v
		}
	}
}

// WriteHeader records a final status, to be written when the response
// starts. Informational (1xx) headers other than 101 Switching Protocols
// go out at once: the final response comes later. 101 starts the
// response.
func (w *responseWriter) WriteHeader(code int) {
	if w.started || code >= 100 && code <= 199 && code != http.StatusSwitchingProtocols {
		if !w.failed {
			w.ResponseWriter.WriteHeader(code)
		}
		return
	}
	if code < 100 || code > 999 {
		// net/http's own check, made here where the handler calls.
		panic(fmt.Sprintf("invalid WriteHeader code %v", code))
	}
	if w.status != 0 {
		return // superfluous, as net/http ignores it
	}
	w.begin()
	w.status = code
	if code == http.StatusSwitchingProtocols {
		w.start(true)
	}
}

// Write holds p back while the body fits in BufferSize; beyond that the
// response starts and p is written.
func (w *responseWriter) Write(p []byte) (int, error) {
	if w.started {
		if w.failed {
			return 0, ErrSaveFailed
		}
		return w.ResponseWriter.Write(p)
	}
	if w.status != 0 && !bodyAllowed(w.status) {
		return 0, http.ErrBodyNotAllowed
	}
	w.begin()
	if w.buf == nil {
		w.buf = bufPool.Get().(*[]byte)
	}
	if len(*w.buf)+len(p) <= BufferSize {
		*w.buf = append(*w.buf, p...)
		return len(p), nil
	}
	if err := w.start(true); err != nil {
		return 0, err
	}
	return w.ResponseWriter.Write(p)
}

// bodyAllowed is net/http's bodyAllowedForStatus.
func bodyAllowed(status int) bool {
	switch {
	case status >= 100 && status <= 199, status == http.StatusNoContent, status == http.StatusNotModified:
		return false
	}
	return true
}

// ReadFrom holds src back while it fits in BufferSize, like Write; beyond
// that the response starts and the rest is copied with the underlying
// writer's ReadFrom when it has one (sendfile for *os.File on plain
// connections).
func (w *responseWriter) ReadFrom(src io.Reader) (int64, error) {
	var n int64
	if !w.started {
		if w.status != 0 && !bodyAllowed(w.status) {
			return 0, http.ErrBodyNotAllowed
		}
		w.begin()
		if w.buf == nil {
			w.buf = bufPool.Get().(*[]byte)
		}
		b := *w.buf
		for empty := 0; len(b) < BufferSize; {
			k, err := src.Read(b[len(b):BufferSize])
			b = b[:len(b)+k]
			n += int64(k)
			if err == io.EOF {
				*w.buf = b
				return n, nil
			}
			if k == 0 && err == nil {
				if empty++; empty >= 100 {
					err = io.ErrNoProgress
				}
			}
			if err != nil {
				*w.buf = b
				return n, err
			}
		}
		*w.buf = b
	}
	if err := w.start(true); err != nil {
		return n, err
	}
	var k int64
	var err error
	if rf, ok := w.ResponseWriter.(io.ReaderFrom); ok {
		k, err = rf.ReadFrom(src)
	} else {
		k, err = io.Copy(writerOnly{w.ResponseWriter}, src)
	}
	return n + k, err
}

// writerOnly hides every method but Write, so that io.Copy does not call
// ReadFrom again.
type writerOnly struct{ io.Writer }

// Flush starts the response, then flushes the underlying writer if it can.
func (w *responseWriter) Flush() {
	_ = w.FlushError()
}

// FlushError is Flush that reports an error, http.ErrNotSupported when
// the underlying writer cannot flush; http.ResponseController uses it.
func (w *responseWriter) FlushError() error {
	if err := w.start(true); err != nil {
		return err
	}
	return http.NewResponseController(w.ResponseWriter).Flush()
}

// Hijack starts the response (so that the session is saved into the
// header map, where a handler writing its own response can find the
// Set-Cookie header, and anything held back is sent as net/http sends it
// on Hijack), then hijacks the underlying connection.
func (w *responseWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if err := w.start(true); err != nil {
		return nil, nil, err
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
