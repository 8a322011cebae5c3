package session

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"sync"
)

// BufferSize is how many bytes of the response body Handler holds back,
// so that the session is saved when the handler returns, with everything
// the handler did to it, as Flask saves it once the whole response is
// built. A response that outgrows it, or that the handler flushes, starts
// early (see Handler).
const BufferSize = 4 << 10

// heldPool holds the state of a response not started yet: its status,
// a copy of its header map and the body held back.
var heldPool = sync.Pool{New: func() any { return &heldBack{body: make([]byte, 0, BufferSize)} }}

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
//
// Nothing given to next is reused for another request: next may keep the
// request, its session and the response writer after it returns (a
// goroutine that still reads the session sees it as the request left
// it). Each request costs one allocation for all of them; only what is
// held back until the response starts (the status, the body, a copy of the
// header map), which next never sees, comes from a pool.
//
// (Handler is not inlined, so that its closure is compiled in this
// package, where the copy of the request that WithContext makes stays on
// the stack.)
//
//go:noinline
func (m *Manager) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := new(requestState)
		m.loadInto(&st.s, r)
		st.ctx.Context, st.ctx.s = r.Context(), &st.s
		// WithContext is inlined: its copy stays on the stack, and the
		// request given to next lives in st.
		st.r = *r.WithContext(&st.ctx)
		// Field by field: assigning a whole struct to st would clear it
		// first, with the bulk write barrier while the GC marks.
		st.w.ResponseWriter, st.w.m, st.w.st = w, m, st
		defer st.w.release()
		next.ServeHTTP(&st.w, &st.r)
		st.w.start(false)
	})
}

// requestState is everything Handler makes for one request, in one
// allocation: the request given to next (a copy of the incoming one with
// a context carrying the session), the session, the response writer and
// the backing arrays of the Vary and Set-Cookie headers it adds. Nothing
// in it is reused for another request: next may keep the request, the
// session or the writer after it returns (a goroutine reading the
// session, a test holding the request), so only what the writer holds
// back, which next never sees, comes from a pool (heldBack).
//
// Its size is kept within 512 bytes (TestRequestStateSize): in a loaded
// server the allocation costs by the byte, in the GC's work and in fresh
// memory pulled into the cache, far more than a benchmark without a
// network shows, and the runtime allocates objects up to 512 bytes on a
// cheaper path.
type requestState struct {
	r     http.Request
	ctx   sessionContext
	s     Session
	w     responseWriter
	slots headerSlots
}

// headerSlots back the first values of the Vary and Set-Cookie headers
// that saving adds, so that the usual response (one of each, or none)
// allocates no slice for them. Each slice made from them has its capacity
// cut to its length, so that an append by anyone copies instead of
// writing here.
type headerSlots struct {
	vary, setCookie [1]string
}

// sessionContext is the context of the request given to next: its parent
// plus the session under contextKey{}, as NewContext would make it,
// without an allocation of its own.
type sessionContext struct {
	context.Context
	s *Session
}

// Value returns the session for contextKey{}, and asks the parent for any
// other key.
func (c *sessionContext) Value(key any) any {
	if _, ok := key.(contextKey); ok {
		return c.s
	}
	return c.Context.Value(key)
}

// String describes the context as context.WithValue's does.
func (c *sessionContext) String() string {
	return fmt.Sprintf("%v.WithValue(session.contextKey, *session.Session)", c.Context)
}

// responseWriter holds the response back until the session is saved.
type responseWriter struct {
	http.ResponseWriter
	m  *Manager
	st *requestState // the request and session (st.r, st.s)
	// held is what is held back until the response starts, from
	// heldPool; nil until next starts the response or calls WriteHeader.
	held    *heldBack
	started bool // the session is saved and the response started
	failed  bool // saving failed: the error handler answered instead
	// headerUsed says that next called Header: until then next cannot
	// have changed the header map, which needs no copy.
	headerUsed bool
}

// heldBack is what a responseWriter holds back until the response starts.
type heldBack struct {
	status int  // the final status next set, not yet written (0: none)
	begun  bool // next started the response (WriteHeader or a body)
	// snap is the header map when next started the response, taken
	// then if next had called Header, or at its first call after.
	snap headerSnap
	body []byte // the body held back, at most BufferSize bytes
}

// hold returns the held-back state, taking it from the pool the first
// time.
func (w *responseWriter) hold() *heldBack {
	if w.held == nil {
		w.held = heldPool.Get().(*heldBack)
	}
	return w.held
}

// status is the final status next set and that is not written yet, or 0.
func (w *responseWriter) status() int {
	if w.held == nil {
		return 0
	}
	return w.held.status
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
	held := w.held
	if held != nil && held.snap.taken {
		held.snap.restore(h)
	}
	if err := w.m.save(h, &w.st.s, early, &w.st.slots); err != nil {
		w.failed = true
		w.m.logSaveError(&w.st.r, &w.st.s, err)
		clear(h)
		w.m.onError(w.ResponseWriter, &w.st.r, err)
		return ErrSaveFailed
	}
	if held == nil {
		return nil
	}
	if held.status != 0 {
		w.ResponseWriter.WriteHeader(held.status)
	}
	if len(held.body) > 0 {
		_, err := w.ResponseWriter.Write(held.body)
		held.body = held.body[:0]
		return err
	}
	return nil
}

// release returns the held-back state to the pool, keeping no reference
// to this response's header values.
func (w *responseWriter) release() {
	if h := w.held; h != nil {
		w.held = nil
		h.status, h.begun, h.body = 0, false, h.body[:0]
		h.snap.reset()
		heldPool.Put(h)
	}
}

// begin records the header map when next starts the response (its first
// WriteHeader or Write), as net/http takes it then. A next that has not
// called Header cannot have changed the map: the copy waits for its first
// call (see Header), and most responses that set no header need none.
func (w *responseWriter) begin() *heldBack {
	h := w.hold()
	if !h.begun {
		h.begun = true
		if w.headerUsed {
			h.snap.take(w.ResponseWriter.Header())
		}
	}
	return h
}

// Header returns the underlying writer's header map. Its first call after
// next started the response, while the response is held back, first
// copies the map as it was then: changes made from now on must not reach
// the response.
func (w *responseWriter) Header() http.Header {
	h := w.ResponseWriter.Header()
	if !w.headerUsed {
		w.headerUsed = true
		if held := w.held; held != nil && held.begun && !w.started {
			held.snap.take(h)
		}
	}
	return h
}

// headerSnap is a copy of a header map, kept without a map of its own:
// the keys and values in slices whose first few elements are inline.
type headerSnap struct {
	taken bool
	keys  []string
	vals  [][]string
	inK   [1]string
	inV   [1][]string
	inS   [1]string
}

// take copies h.
func (s *headerSnap) take(h http.Header) {
	s.taken = true
	s.keys, s.vals = s.inK[:0], s.inV[:0]
	store := s.inS[:0]
	for k, v := range h {
		if v == nil {
			// A nil value suppresses a header net/http would add
			// (Date, Content-Type); keep it nil.
			s.keys, s.vals = append(s.keys, k), append(s.vals, nil)
			continue
		}
		if len(store)+len(v) > cap(store) {
			store = make([]string, 0, len(v)+2*len(h))
		}
		n := len(store)
		store = append(store, v...)
		s.keys, s.vals = append(s.keys, k), append(s.vals, store[n:len(store):len(store)])
	}
}

// reset forgets the copy, and the values it refers to.
func (s *headerSnap) reset() {
	if len(s.keys) == 0 {
		// Nothing copied: keys and vals are the inline arrays, empty.
		s.taken = false
		return
	}
	*s = headerSnap{}
}

// get returns the values of key in the copy, and whether it has key.
func (s *headerSnap) get(key string) ([]string, bool) {
	for i, k := range s.keys {
		if k == key {
			return s.vals[i], true
		}
	}
	return nil, false
}

// restore makes h what it was when the copy was taken, keeping the
// trailers set since (declared in the Trailer header, or with
// http.TrailerPrefix).
func (s *headerSnap) restore(h http.Header) {
	declared, _ := s.get("Trailer")
	keep := func(k string) bool {
		if len(k) > len(http.TrailerPrefix) && k[:len(http.TrailerPrefix)] == http.TrailerPrefix {
			return true
		}
		for _, line := range declared {
			for _, t := range splitList(line) {
				if http.CanonicalHeaderKey(t) == k {
					return true
				}
			}
		}
		return false
	}
	for k := range h {
		if _, ok := s.get(k); !ok && !keep(k) {
			delete(h, k)
		}
	}
	for i, k := range s.keys {
		if keep(k) {
			continue
		}
		v, ok := h[k]
		if ok && (v == nil) == (s.vals[i] == nil) && slices.Equal(v, s.vals[i]) {
			continue // unchanged, as usual
		}
		// A copy: the snapshot's storage is reused by other requests.
		h[k] = slices.Clone(s.vals[i])
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
	if w.status() != 0 {
		return // superfluous, as net/http ignores it
	}
	w.begin().status = code
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
	if st := w.status(); st != 0 && !bodyAllowed(st) {
		return 0, http.ErrBodyNotAllowed
	}
	if h := w.begin(); len(h.body)+len(p) <= BufferSize {
		h.body = append(h.body, p...)
		return len(p), nil
	}
	if err := w.start(true); err != nil {
		return 0, err
	}
	return w.ResponseWriter.Write(p)
}

// WriteString is Write for a string (io.WriteString calls it), which it
// holds back without converting it to a []byte.
func (w *responseWriter) WriteString(s string) (int, error) {
	if st := w.status(); !w.started && (st == 0 || bodyAllowed(st)) {
		if h := w.begin(); len(h.body)+len(s) <= BufferSize {
			h.body = append(h.body, s...)
			return len(s), nil
		}
	}
	if w.started && !w.failed {
		return io.WriteString(w.ResponseWriter, s)
	}
	return w.Write([]byte(s))
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
		if st := w.status(); st != 0 && !bodyAllowed(st) {
			return 0, http.ErrBodyNotAllowed
		}
		h := w.begin()
		b := h.body
		for empty := 0; len(b) < BufferSize; {
			k, err := src.Read(b[len(b):BufferSize])
			b = b[:len(b)+k]
			n += int64(k)
			if err == io.EOF {
				h.body = b
				return n, nil
			}
			if k == 0 && err == nil {
				if empty++; empty >= 100 {
					err = io.ErrNoProgress
				}
			}
			if err != nil {
				h.body = b
				return n, err
			}
		}
		h.body = b
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
