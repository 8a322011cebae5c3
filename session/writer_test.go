package session_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/session"
)

// The session is saved before the first byte of the response, whichever
// way the handler starts it; changes after that are lost, as in Flask.
func TestSavedBeforeHeaders(t *testing.T) {
	tests := []struct {
		name  string
		start func(w http.ResponseWriter)
	}{
		{"WriteHeader", func(w http.ResponseWriter) { w.WriteHeader(http.StatusCreated) }},
		{"Write", func(w http.ResponseWriter) { io.WriteString(w, "hello") }},
		{"ReadFrom through io.Copy", func(w http.ResponseWriter) { io.Copy(w, strings.NewReader("hello")) }},
		{"Flush", func(w http.ResponseWriter) { w.(http.Flusher).Flush() }},
		{"ResponseController.Flush", func(w http.ResponseWriter) {
			if err := http.NewResponseController(w).Flush(); err != nil {
				panic(err)
			}
		}},
		{"returning without writing", func(w http.ResponseWriter) {}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newManager(t, newCodec(t, now))
			got := serve(m, "", func(w http.ResponseWriter, r *http.Request) {
				s := session.FromRequest(r)
				s.Set("x", 1)
				tt.start(w)
				if tt.name != "returning without writing" {
					s.Set("x", 2) // too late
				}
			})
			if len(got.SetCookie) != 1 || got.SetCookie[0] != setX {
				t.Errorf("Set-Cookie = %q, want [%s] (the session as it was when the response started)", got.SetCookie, setX)
			}
		})
	}
}

// A 1xx informational response does not save the session; the final one
// does, with the changes made in between.
func TestInformationalHeaders(t *testing.T) {
	m := newManager(t, newCodec(t, now))
	srv := httptest.NewServer(m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.FromRequest(r)
		s.Set("x", 0)
		w.Header().Set("Link", "</style.css>; rel=preload")
		w.WriteHeader(http.StatusEarlyHints)
		s.Set("x", 1)
		io.WriteString(w, "ok")
	})))
	defer srv.Close()
	var early []string
	trace := &httptrace.ClientTrace{Got1xxResponse: func(code int, h textproto.MIMEHeader) error {
		early = append(early, fmt.Sprint(code, " ", h["Set-Cookie"]))
		return nil
	}}
	req, _ := http.NewRequest("GET", srv.URL, nil)
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), trace))
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if len(early) != 1 || early[0] != "103 []" {
		t.Errorf("1xx responses = %q, want one 103 without Set-Cookie", early)
	}
	if got := res.Header.Values("Set-Cookie"); len(got) != 1 || got[0] != setX {
		t.Errorf("final Set-Cookie = %q, want [%s]", got, setX)
	}
}

// Flush and Hijack reach the real connection through the wrapper; the
// deadlines of http.ResponseController reach it through Unwrap.
func TestFlushHijackUnwrap(t *testing.T) {
	m := newManager(t, newCodec(t, now))
	mux := http.NewServeMux()
	mux.HandleFunc("/flush", func(w http.ResponseWriter, r *http.Request) {
		session.FromRequest(r).Set("x", 1)
		rc := http.NewResponseController(w)
		if err := rc.SetWriteDeadline(time.Now().Add(time.Minute)); err != nil {
			t.Errorf("SetWriteDeadline through Unwrap: %v", err)
		}
		io.WriteString(w, "part1")
		if err := rc.Flush(); err != nil {
			t.Errorf("Flush: %v", err)
		}
		io.WriteString(w, "part2")
	})
	mux.HandleFunc("/hijack", func(w http.ResponseWriter, r *http.Request) {
		session.FromRequest(r).Set("x", 1)
		hj, ok := w.(http.Hijacker)
		if !ok {
			t.Error("the wrapper is not an http.Hijacker")
			return
		}
		conn, brw, err := hj.Hijack()
		if err != nil {
			t.Errorf("Hijack: %v", err)
			return
		}
		defer conn.Close()
		// The Set-Cookie header is in the header map for a handler that
		// writes its own response.
		fmt.Fprintf(brw, "HTTP/1.1 200 OK\r\nSet-Cookie: %s\r\nContent-Length: 8\r\nConnection: close\r\n\r\nhijacked", w.Header().Get("Set-Cookie"))
		brw.Flush()
	})
	srv := httptest.NewServer(m.Handler(mux))
	defer srv.Close()
	for _, path := range []string{"/flush", "/hijack"} {
		t.Run(path, func(t *testing.T) {
			res, err := srv.Client().Get(srv.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if got := res.Header.Values("Set-Cookie"); len(got) != 1 || got[0] != setX {
				t.Errorf("Set-Cookie = %q, want [%s]", got, setX)
			}
			if want := map[string]string{"/flush": "part1part2", "/hijack": "hijacked"}[path]; string(body) != want {
				t.Errorf("body = %q, want %q", body, want)
			}
		})
	}
}

// Over a writer that cannot hijack (a recorder), Hijack reports
// http.ErrNotSupported, directly and through http.ResponseController.
func TestHijackNotSupported(t *testing.T) {
	m := newManager(t, newCodec(t, now))
	serve(m, "", func(w http.ResponseWriter, r *http.Request) {
		if _, _, err := w.(http.Hijacker).Hijack(); !errors.Is(err, http.ErrNotSupported) {
			t.Errorf("Hijack: %v, want http.ErrNotSupported", err)
		}
		if _, _, err := http.NewResponseController(w).Hijack(); !errors.Is(err, http.ErrNotSupported) {
			t.Errorf("ResponseController.Hijack: %v, want http.ErrNotSupported", err)
		}
	})
}

// A session that cannot be saved fails the request through the error
// handler, before any of the handler's response, which is dropped.
func TestSaveFailure(t *testing.T) {
	tests := []struct {
		name    string
		opts    []codec.Option
		value   any
		wantErr error
	}{
		{"a value Flask cannot hold", nil, make(chan int), codec.ErrUnsupportedType},
		{"a cookie over the size limit", []codec.Option{codec.WithMaxCookieSize(20)}, "a value", codec.ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name+", default handler", func(t *testing.T) {
			m := newManager(t, newCodec(t, now, tt.opts...))
			var writeErr error
			got := serve(m, "", func(w http.ResponseWriter, r *http.Request) {
				session.FromRequest(r).Set("v", tt.value)
				w.Header().Set("X-Handler", "1")
				_, writeErr = io.WriteString(w, "handler output")
			})
			if got.Status != 500 || got.Body != "Internal Server Error\n" || len(got.SetCookie) != 0 {
				t.Errorf("response = %+v, want a bare 500", got)
			}
			if !errors.Is(writeErr, session.ErrSaveFailed) {
				t.Errorf("handler's Write: %v, want ErrSaveFailed", writeErr)
			}
		})
		t.Run(tt.name+", custom handler", func(t *testing.T) {
			var gotErr error
			m := newManager(t, newCodec(t, now, tt.opts...), session.WithErrorHandler(func(w http.ResponseWriter, r *http.Request, err error) {
				gotErr = err
				if w.Header().Get("X-Handler") != "" {
					t.Error("the handler's headers reached the error handler")
				}
				w.WriteHeader(http.StatusTeapot)
			}))
			got := serve(m, "", func(w http.ResponseWriter, r *http.Request) {
				session.FromRequest(r).Set("v", tt.value)
				w.Header().Set("X-Handler", "1")
				w.WriteHeader(http.StatusOK)
			})
			if got.Status != http.StatusTeapot {
				t.Errorf("status %d, want the error handler's 418", got.Status)
			}
			if !errors.Is(gotErr, tt.wantErr) {
				t.Errorf("error handler got %v, want %v", gotErr, tt.wantErr)
			}
		})
	}
}

// Many requests at once, each using its session from several goroutines
// (run with -race).
func TestConcurrentRequests(t *testing.T) {
	c, err := codec.New([]byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	m := newManager(t, c)
	srv := httptest.NewServer(m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.FromRequest(r)
		var wg sync.WaitGroup
		for i := 0; i < 4; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				s.Set(fmt.Sprint("k", i), i)
				s.Get("n")
				s.Flash("info", fmt.Sprint(i))
				s.Keys()
			}(i)
		}
		wg.Wait()
		n, _ := s.Get("n")
		io.WriteString(w, fmt.Sprint(n))
	})))
	defer srv.Close()
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := srv.Client().Get(srv.URL)
			if err != nil {
				errs <- err
				return
			}
			res.Body.Close()
			if len(res.Header.Values("Set-Cookie")) != 1 {
				errs <- fmt.Errorf("Set-Cookie = %q", res.Header.Values("Set-Cookie"))
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
