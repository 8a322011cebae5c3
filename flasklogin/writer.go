package flasklogin

import (
	"bufio"
	"net"
	"net/http"
	"sync"
)

// hookWriter runs hook on the response headers once, just before they are
// written (or when the handler returns), so that it runs before the
// session middleware underneath saves the session.
type hookWriter struct {
	http.ResponseWriter
	hook func(http.Header)
	once sync.Once
}

func (w *hookWriter) run() { w.once.Do(func() { w.hook(w.ResponseWriter.Header()) }) }

func (w *hookWriter) WriteHeader(code int) {
	if code >= 200 || code == http.StatusSwitchingProtocols {
		w.run()
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *hookWriter) Write(p []byte) (int, error) {
	w.run()
	return w.ResponseWriter.Write(p)
}

func (w *hookWriter) Flush() {
	w.run()
	_ = http.NewResponseController(w.ResponseWriter).Flush()
}

func (w *hookWriter) FlushError() error {
	w.run()
	return http.NewResponseController(w.ResponseWriter).Flush()
}

func (w *hookWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	w.run()
	return http.NewResponseController(w.ResponseWriter).Hijack()
}

func (w *hookWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
