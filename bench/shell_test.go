package bench

// shell, the floor of BenchmarkLoopbackFloors that stands for the least a
// middleware of session.Manager's shape does.

import (
	"context"
	"io"
	"net/http"
)

// shell is the least a net/http middleware of session.Manager's shape
// does, for BenchmarkLoopbackFloors: it hands next a copy of the request
// whose context carries a value (FromRequest's way to the session), and a
// wrapper of the response writer that adds Vary: Cookie when the response
// starts (where the session is saved), both in one allocation; it reads
// no cookie and holds nothing back.
//
// As with session.Manager.Handler, shell is not inlined: its closure is
// then compiled here, where the copy that WithContext makes stays on the
// stack. Inlined into its caller, the copy escaped: a second allocation
// of 320 bytes that the middleware does not make.
//
//go:noinline
func shell(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := new(shellState)
		st.ctx.Context, st.ctx.v = r.Context(), st
		st.r = *r.WithContext(&st.ctx)
		st.w.ResponseWriter = w
		next.ServeHTTP(&st.w, &st.r)
		st.w.begin()
	})
}

// shellState is everything shell makes for one request.
type shellState struct {
	r   http.Request
	ctx shellContext
	w   shellWriter
}

// shellKey is the key of the value that shell's contexts carry.
type shellKey struct{}

// shellContext is its parent plus a value under shellKey{}.
type shellContext struct {
	context.Context
	v any
}

func (c *shellContext) Value(key any) any {
	if _, ok := key.(shellKey); ok {
		return c.v
	}
	return c.Context.Value(key)
}

// shellWriter adds Vary: Cookie when the response starts.
type shellWriter struct {
	http.ResponseWriter
	started bool
}

func (w *shellWriter) begin() {
	if !w.started {
		w.started = true
		w.ResponseWriter.Header()["Vary"] = varyCookie
	}
}

func (w *shellWriter) WriteHeader(code int) {
	w.begin()
	w.ResponseWriter.WriteHeader(code)
}

func (w *shellWriter) Write(p []byte) (int, error) {
	w.begin()
	return w.ResponseWriter.Write(p)
}

func (w *shellWriter) WriteString(s string) (int, error) {
	w.begin()
	return io.WriteString(w.ResponseWriter, s)
}
