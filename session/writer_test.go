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
	"github.com/google/go-cmp/cmp"
)

// The session is saved when the response starts: when the handler
// returns, as Flask saves it once the response is built, for a response
// held back in the buffer; at once when the handler flushes, writes past
// the buffer, or hijacks. Changes after that are lost, as in Flask.
func TestSavedWhenResponseStarts(t *testing.T) {
	big := strings.Repeat("b", session.BufferSize+1)
	tests := []struct {
		name  string
		start func(w http.ResponseWriter)
		early bool // the response starts before the handler returns
	}{
		{"WriteHeader", func(w http.ResponseWriter) { w.WriteHeader(http.StatusCreated) }, false},
		{"small Write", func(w http.ResponseWriter) { w.Write([]byte("hello")) }, false},
		{"small WriteString", func(w http.ResponseWriter) { io.WriteString(w, "hello") }, false},
		{"small io.Copy (ReadFrom)", func(w http.ResponseWriter) { io.Copy(w, strings.NewReader("hello")) }, false},
		{"Write up to the buffer size", func(w http.ResponseWriter) { io.WriteString(w, big[1:]) }, false},
		{"returning without writing", func(w http.ResponseWriter) {}, false},
		{"Write past the buffer", func(w http.ResponseWriter) { w.Write([]byte(big)) }, true},
		{"WriteString past the buffer", func(w http.ResponseWriter) { io.WriteString(w, big) }, true},
		{"small Writes adding up past the buffer", func(w http.ResponseWriter) {
			io.WriteString(w, big[:100])
			io.WriteString(w, big[100:])
		}, true},
		{"io.Copy past the buffer (ReadFrom)", func(w http.ResponseWriter) { io.Copy(w, strings.NewReader(big)) }, true},
		{"Flush", func(w http.ResponseWriter) { w.(http.Flusher).Flush() }, true},
		{"ResponseController.Flush", func(w http.ResponseWriter) {
			if err := http.NewResponseController(w).Flush(); err != nil {
				panic(err)
			}
		}, true},
	}
	setX2 := "session=eyJ4IjoyfQ.ZVPxAA.cpiR5FuyRbGB3aMsMxsKTFQ2ymA; HttpOnly; Path=/" // {"x": 2}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newManager(t, newCodec(t, now))
			got := serve(m, "", func(w http.ResponseWriter, r *http.Request) {
				s := session.FromRequest(r)
				s.Set("x", 1)
				tt.start(w)
				s.Set("x", 2)
			})
			want := setX2
			if tt.early {
				want = setX // the session as it was when the response started
			}
			if len(got.SetCookie) != 1 || got.SetCookie[0] != want {
				t.Errorf("Set-Cookie = %q, want [%s]", got.SetCookie, want)
			}
		})
	}
}

// Vary after the first write: a handler that reads the session after
// writing part of its body still sends Vary: Cookie, as Flask does (it
// saves the session once the response is built). When the response starts
// before the handler returns, it carries Vary: Cookie under Flask 3.1
// whatever the handler did so far, since the handler may read the session
// later; under Flask 2.2 only if the session was accessed by then. A
// handler that does not use the session and is not streamed sends no
// Vary, as in Flask.
func TestVaryAfterFirstWrite(t *testing.T) {
	big := strings.Repeat("b", session.BufferSize+1)
	tests := []struct {
		name    string
		handler func(w http.ResponseWriter, s *session.Session)
		want31  []string
		want22  []string
	}{
		{"small body, then Get", func(w http.ResponseWriter, s *session.Session) {
			io.WriteString(w, "hello ")
			s.Get("user")
		}, []string{"Cookie"}, []string{"Cookie"}},
		{"WriteHeader, then Has", func(w http.ResponseWriter, s *session.Session) {
			w.WriteHeader(http.StatusAccepted)
			s.Has("user")
		}, []string{"Cookie"}, nil},
		{"small body, session unused", func(w http.ResponseWriter, s *session.Session) {
			io.WriteString(w, "hello")
		}, nil, nil},
		{"Flush, then Get", func(w http.ResponseWriter, s *session.Session) {
			io.WriteString(w, "hello ")
			w.(http.Flusher).Flush()
			s.Get("user")
		}, []string{"Cookie"}, nil},
		{"Flush, session unused", func(w http.ResponseWriter, s *session.Session) {
			w.(http.Flusher).Flush()
		}, []string{"Cookie"}, nil},
		{"big body, then Get", func(w http.ResponseWriter, s *session.Session) {
			io.WriteString(w, big)
			s.Get("user")
		}, []string{"Cookie"}, nil},
		{"Get, then Flush", func(w http.ResponseWriter, s *session.Session) {
			s.Get("user")
			w.(http.Flusher).Flush()
		}, []string{"Cookie"}, []string{"Cookie"}},
		{"streaming merges with the handler's Vary", func(w http.ResponseWriter, s *session.Session) {
			w.Header().Set("Vary", "Accept-Encoding")
			w.(http.Flusher).Flush()
		}, []string{"Accept-Encoding, Cookie"}, []string{"Accept-Encoding"}},
	}
	for _, tt := range tests {
		for _, v := range []session.FlaskVersion{session.Flask31, session.Flask22} {
			t.Run(v.String()+"/"+tt.name, func(t *testing.T) {
				m := newManager(t, newCodec(t, now), session.WithFlaskVersion(v))
				got := serve(m, cookieUser, func(w http.ResponseWriter, r *http.Request) {
					tt.handler(w, session.FromRequest(r))
				})
				want := tt.want31
				if v == session.Flask22 {
					want = tt.want22
				}
				if diff := cmp.Diff(want, got.Vary); diff != "" {
					t.Errorf("Vary (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// The held-back response is the one net/http would send: the header map
// as it was at the first WriteHeader or Write (later changes are dropped,
// trailers excepted), the status, and the whole body.
func TestHeldBackResponse(t *testing.T) {
	m := newManager(t, newCodec(t, now))
	srv := httptest.NewServer(m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Trailer", "X-Sum")
		w.Header().Set("X-Before", "1")
		w.Header()["X-Many"] = []string{"a", "b", "c"}
		w.Header().Set("X-Third", "3")
		w.WriteHeader(http.StatusCreated)
		w.Header().Set("X-After", "dropped")
		w.Header()["X-Many"][1] = "changed in place"
		w.Header().Add("X-Third", "added")
		w.Header().Set("X-Before", "changed")
		io.WriteString(w, "one ")
		w.WriteHeader(http.StatusTeapot) // superfluous
		io.Copy(w, strings.NewReader("two"))
		session.FromRequest(r).Set("x", 1)
		w.Header().Set("X-Sum", "42")
		w.Header().Set(http.TrailerPrefix+"X-Late", "7")
	})))
	defer srv.Close()
	res, err := srv.Client().Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusCreated || string(body) != "one two" {
		t.Errorf("response %d %q, want 201 \"one two\"", res.StatusCode, body)
	}
	if got := res.Header.Get("X-Before"); got != "1" {
		t.Errorf("X-Before = %q, want the value at WriteHeader, 1", got)
	}
	if diff := cmp.Diff([]string{"a", "b", "c"}, res.Header.Values("X-Many")); diff != "" {
		t.Errorf("X-Many, changed in place after WriteHeader (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"3"}, res.Header.Values("X-Third")); diff != "" {
		t.Errorf("X-Third, added to after WriteHeader (-want +got):\n%s", diff)
	}
	if got := res.Header.Values("X-After"); len(got) != 0 {
		t.Errorf("X-After = %q, set after WriteHeader, reached the response", got)
	}
	if got := res.Header.Values("Set-Cookie"); len(got) != 1 || got[0] != setX {
		t.Errorf("Set-Cookie = %q, want [%s]", got, setX)
	}
	if got := res.Trailer.Get("X-Sum"); got != "42" {
		t.Errorf("trailer X-Sum = %q, want 42", got)
	}
	if got := res.Trailer.Get("X-Late"); got != "7" {
		t.Errorf("trailer X-Late = %q, want 7", got)
	}
}

// A body on a status that allows none is refused at once, as net/http
// refuses it.
func TestBodyNotAllowed(t *testing.T) {
	m := newManager(t, newCodec(t, now))
	serve(m, "", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotModified)
		if _, err := io.WriteString(w, "x"); !errors.Is(err, http.ErrBodyNotAllowed) {
			t.Errorf("WriteString after 304: %v, want http.ErrBodyNotAllowed", err)
		}
		if _, err := w.Write([]byte("x")); !errors.Is(err, http.ErrBodyNotAllowed) {
			t.Errorf("Write after 304: %v, want http.ErrBodyNotAllowed", err)
		}
	})
}

// Strings and byte slices, held back or written after the response
// started, make up the body in order.
func TestBodyPieces(t *testing.T) {
	m := newManager(t, newCodec(t, now))
	big := strings.Repeat("b", session.BufferSize)
	got := serve(m, "", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "a")
		w.Write([]byte("c"))
		io.WriteString(w, big) // past the buffer: the response starts
		io.WriteString(w, "d")
		w.Write([]byte("e"))
	})
	if want := "ac" + big + "de"; got.Body != want {
		t.Errorf("body of %d bytes, want %d (%q...)", len(got.Body), len(want), got.Body[:min(len(got.Body), 8)])
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
			m := newManager(t, newCodec(t, now, tt.opts...), session.WithLogger(discardLogger))
			var smallErr, bigErr error
			got := serve(m, "", func(w http.ResponseWriter, r *http.Request) {
				session.FromRequest(r).Set("v", tt.value)
				w.Header().Set("X-Handler", "1")
				_, smallErr = io.WriteString(w, "handler output")
				_, bigErr = io.WriteString(w, strings.Repeat("x", session.BufferSize))
			})
			if got.Status != 500 || got.Body != "Internal Server Error\n" || len(got.SetCookie) != 0 {
				t.Errorf("response = %+v, want a bare 500", got)
			}
			if smallErr != nil {
				t.Errorf("handler's Write held back: %v, want no error", smallErr)
			}
			if !errors.Is(bigErr, session.ErrSaveFailed) {
				t.Errorf("handler's Write past the buffer: %v, want ErrSaveFailed", bigErr)
			}
		})
		t.Run(tt.name+", custom handler", func(t *testing.T) {
			var gotErr error
			m := newManager(t, newCodec(t, now, tt.opts...), session.WithLogger(discardLogger), session.WithErrorHandler(func(w http.ResponseWriter, r *http.Request, err error) {
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

// stuckReader never makes progress.
type stuckReader struct{}

func (stuckReader) Read([]byte) (int, error) { return 0, nil }

// A reader that never makes progress does not hang the held-back copy.
func TestReadFromNoProgress(t *testing.T) {
	m := newManager(t, newCodec(t, now))
	serve(m, "", func(w http.ResponseWriter, r *http.Request) {
		if _, err := w.(io.ReaderFrom).ReadFrom(stuckReader{}); !errors.Is(err, io.ErrNoProgress) {
			t.Errorf("ReadFrom: %v, want io.ErrNoProgress", err)
		}
	})
}

// A handler may keep the request, its session and the response writer
// after it returns (a goroutine still reading the session, a log line
// written later): Handler reuses none of them for another request, so
// what was kept stays as the request left it.
func TestStateKeptAfterReturn(t *testing.T) {
	m := newManager(t, newCodec(t, now))
	type kept struct {
		r *http.Request
		s *session.Session
		w http.ResponseWriter
	}
	var all []kept
	h := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.FromRequest(r)
		s.Set("i", len(all))
		all = append(all, kept{r, s, w})
		io.WriteString(w, "ok")
	}))
	for i := 0; i < 20; i++ {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
		if got := rec.Result().Header.Values("Set-Cookie"); len(got) != 1 {
			t.Fatalf("request %d: Set-Cookie %q", i, got)
		}
	}
	for i, k := range all {
		if v, _ := k.s.Get("i"); v != i {
			t.Errorf("session kept from request %d holds i=%v", i, v)
		}
		if session.FromRequest(k.r) != k.s {
			t.Errorf("request kept from request %d has another session", i)
		}
		for j := 0; j < i; j++ {
			if all[j].w == k.w || all[j].r == k.r {
				t.Errorf("requests %d and %d share a writer or request", j, i)
			}
		}
	}
}

// What the writer holds back until the response starts is reused by later
// requests, but nothing of it stays in a response's header map: each
// request's headers keep their values after later requests, both those
// left as they were and those restored after a change in place.
func TestHeaderKeptAfterReturn(t *testing.T) {
	m := newManager(t, newCodec(t, now))
	var i int
	h := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Kept", fmt.Sprint("kept ", i))
		w.Header().Set("X-Changed", fmt.Sprint("before ", i))
		w.WriteHeader(http.StatusAccepted)
		w.Header()["X-Changed"][0] = "after"
		io.WriteString(w, "ok")
	}))
	recs := make([]*httptest.ResponseRecorder, 20)
	for i = range recs {
		recs[i] = httptest.NewRecorder()
		h.ServeHTTP(recs[i], httptest.NewRequest("GET", "/", nil))
	}
	for i, rec := range recs {
		want := http.Header{"X-Kept": {fmt.Sprint("kept ", i)}, "X-Changed": {fmt.Sprint("before ", i)}}
		if diff := cmp.Diff(want, rec.Header()); diff != "" {
			t.Errorf("request %d: header map after later requests (-want +got):\n%s", i, diff)
		}
	}
}

// A handler that first calls Header after starting the response finds the
// map as it was then, and its changes do not reach the response, as for
// one that called it before: the copy the writer takes when the response
// starts is taken at that first call instead. The header set by an outer
// handler (X-Outer) stands for the map's state when the response started.
func TestHeaderFirstUsedAfterStart(t *testing.T) {
	tests := []struct {
		name    string
		handler func(w http.ResponseWriter)
		want    http.Header // the X- headers of the response
	}{
		{"set before Write", func(w http.ResponseWriter) {
			w.Header().Set("X-Before", "1")
			io.WriteString(w, "x")
		}, http.Header{"X-Outer": {"o"}, "X-Before": {"1"}}},
		{"never used", func(w http.ResponseWriter) {
			io.WriteString(w, "x")
		}, http.Header{"X-Outer": {"o"}}},
		{"set after Write", func(w http.ResponseWriter) {
			io.WriteString(w, "x")
			w.Header().Set("X-After", "dropped")
		}, http.Header{"X-Outer": {"o"}}},
		{"deleted after WriteHeader", func(w http.ResponseWriter) {
			w.WriteHeader(http.StatusAccepted)
			w.Header().Del("X-Outer")
		}, http.Header{"X-Outer": {"o"}}},
		{"changed in place after Write", func(w http.ResponseWriter) {
			io.WriteString(w, "x")
			h := w.Header()
			h["X-Outer"][0] = "changed"
			h.Set("X-After", "dropped")
		}, http.Header{"X-Outer": {"o"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newManager(t, newCodec(t, now))
			h := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				session.FromRequest(r).Set("x", 1)
				tt.handler(w)
			}))
			rec := httptest.NewRecorder()
			rec.Header()["X-Outer"] = []string{"o"}
			h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
			got := http.Header{}
			for k, v := range rec.Result().Header {
				if strings.HasPrefix(k, "X-") {
					got[k] = v
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("X- headers of the response (-want +got):\n%s", diff)
			}
			if n := len(rec.Result().Header.Values("Set-Cookie")); n != 1 {
				t.Errorf("%d Set-Cookie headers, want 1", n)
			}
		})
	}
}
