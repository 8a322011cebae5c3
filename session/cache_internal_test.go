package session

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/flaskcookie/flaskcookie/codec"
)

// The cache holds at most its number of entries and 1 MiB of cookies,
// and keeps only cookies that verified.
func TestDecodeCacheBounds(t *testing.T) {
	c, err := codec.New([]byte("k"), codec.WithClock(func() time.Time { return time.Unix(1700000000, 0) }))
	if err != nil {
		t.Fatal(err)
	}
	dc := newDecodeCache(c, 50)
	for i := 0; i < 200; i++ {
		dc.put(fmt.Sprint("cookie", i), map[string]any{"i": int64(i)}, time.Unix(1700000000, 0))
		if len(dc.byKey) > 50 {
			t.Fatalf("%d entries after %d puts", len(dc.byKey), i+1)
		}
	}
	dc = newDecodeCache(c, 1<<20)
	long := strings.Repeat("a", decodeCacheCookie-10)
	for i := 0; i < 1000; i++ {
		dc.put(fmt.Sprint(i, long), map[string]any{}, time.Unix(1700000000, 0))
		if dc.bytes > decodeCacheBytes {
			t.Fatalf("%d bytes after %d puts", dc.bytes, i+1)
		}
	}

	m, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	s := &Session{}
	m.decodeInto(s, "not.a.cookie", time.Unix(1700000000, 0))
	if len(m.cache.byKey) != 0 {
		t.Errorf("a cookie that does not verify was kept: %v", m.cache.byKey)
	}
	sealed, err := codec.NewSealed(nil)
	if err == nil && newDecodeCache(sealed, 10) != nil {
		t.Error("a sealed codec got a cache")
	}
}

// A kept cookie does not hold on to the Cookie header it was cut from.
func TestDecodeCacheKeyCopied(t *testing.T) {
	c, err := codec.New([]byte("k"), codec.WithClock(func() time.Time { return time.Unix(1700000000, 0) }))
	if err != nil {
		t.Fatal(err)
	}
	cookie, err := c.Encode(map[string]any{"x": int64(1)})
	if err != nil {
		t.Fatal(err)
	}
	header := "pad=" + strings.Repeat("p", 1<<16) + "; session=" + cookie
	m, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	value := header[len(header)-len(cookie):]
	m.decodeInto(&Session{}, value, time.Unix(1700000000, 0))
	if len(m.cache.byKey) != 1 {
		t.Fatalf("%d entries kept", len(m.cache.byKey))
	}
	for k := range m.cache.byKey {
		if unsafe.StringData(k) == unsafe.StringData(value) {
			t.Error("the kept cookie shares the header's memory")
		}
	}
}
