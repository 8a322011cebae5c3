package session

import (
	"net/http"
	"testing"
)

// TestCookieValueOK compares cookieValueOK with net/http's own check on
// every byte, alone and in the middle of a cookie.
func TestCookieValueOK(t *testing.T) {
	for b := 0; b < 256; b++ {
		for _, v := range []string{string([]byte{byte(b)}), "eyJ4IjoxfQ." + string([]byte{byte(b)}) + ".ZVPxAA"} {
			want := (&http.Cookie{Name: "session", Value: v}).Valid() == nil
			if got := cookieValueOK([]byte(v)); got != want {
				t.Errorf("cookieValueOK(%q) = %v, net/http says %v", v, got, want)
			}
		}
	}
}
