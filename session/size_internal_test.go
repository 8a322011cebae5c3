package session

import (
	"testing"
	"unsafe"
)

// TestRequestStateSize keeps the one allocation Handler makes per request
// within 512 bytes, the largest size the runtime allocates without an
// object header (see requestState).
func TestRequestStateSize(t *testing.T) {
	if n := unsafe.Sizeof(requestState{}); n > 512 {
		t.Errorf("requestState is %d bytes, want at most 512", n)
	}
}
