package session_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/session"
)

// A session too large to save answers 500 and says so in the log, naming
// the largest key, quoted, so that a key name cannot forge log lines or
// reach a terminal raw.
func TestSaveFailureLogged(t *testing.T) {
	const evil = "big\x1b[31m\nlevel=INFO msg=forged"
	var out bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&out, nil))
	m := newManager(t, newCodec(t, now, codec.WithMaxCookieSize(200)), session.WithLogger(logger))
	got := serve(m, "", func(w http.ResponseWriter, r *http.Request) {
		s := session.FromRequest(r)
		s.Set("small", "x")
		s.Set(evil, noise(300))
		s.Set("medium", noise(100))
		io.WriteString(w, "ok")
	})
	if got.Status != http.StatusInternalServerError {
		t.Fatalf("status %d, want 500", got.Status)
	}
	var rec struct {
		Level, Msg, Cookie, Error string
		LargestKey                string `json:"largest_key"`
		LargestKeyBytes           int    `json:"largest_key_bytes"`
	}
	if err := json.Unmarshal(out.Bytes(), &rec); err != nil {
		t.Fatalf("log %q: %v", out.String(), err)
	}
	if rec.Level != "ERROR" || rec.Msg != "session: session too large to save" || rec.Cookie != "session" {
		t.Errorf("log record %+v", rec)
	}
	if rec.LargestKey != strconv.Quote(evil) {
		t.Errorf("largest_key = %q, want %q", rec.LargestKey, strconv.Quote(evil))
	}
	if rec.LargestKeyBytes < 300 {
		t.Errorf("largest_key_bytes = %d, want at least the 300 bytes of its value", rec.LargestKeyBytes)
	}

	// With a text handler too, no raw control byte reaches the log.
	out.Reset()
	m = newManager(t, newCodec(t, now, codec.WithMaxCookieSize(200)), session.WithLogger(slog.New(slog.NewTextHandler(&out, nil))))
	serve(m, "", func(w http.ResponseWriter, r *http.Request) {
		session.FromRequest(r).Set(evil, noise(300))
	})
	if line := strings.TrimSuffix(out.String(), "\n"); line == "" || strings.ContainsAny(line, "\x1b\n") {
		t.Errorf("text log %q is empty or holds raw control bytes", out.String())
	}
}

// Without WithLogger the record goes to slog.Default().
func TestSaveFailureDefaultLogger(t *testing.T) {
	var out bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&out, nil)))
	defer slog.SetDefault(old)
	m := newManager(t, newCodec(t, now))
	got := serve(m, "", func(w http.ResponseWriter, r *http.Request) {
		session.FromRequest(r).Set("ch", make(chan int))
	})
	if got.Status != http.StatusInternalServerError {
		t.Fatalf("status %d, want 500", got.Status)
	}
	if !strings.Contains(out.String(), "session: session not saved") {
		t.Errorf("default logger got %q, want the failure", out.String())
	}
}

// discardLogger is for tests whose failures are expected.
var discardLogger = slog.New(slog.NewTextHandler(io.Discard, nil))

// noise returns n letters that zlib cannot shrink much.
func noise(n int) string {
	b := make([]byte, n)
	x := uint32(1)
	for i := range b {
		x = x*1103515245 + 12345
		b[i] = 'a' + byte(x>>16)%26
	}
	return string(b)
}
