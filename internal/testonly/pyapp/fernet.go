package pyapp

import (
	"encoding/json"
	"testing"

	"github.com/flaskcookie/flaskcookie/internal/testonly/testvec"
)

// FernetPeerScript is the peer of the sealed (Fernet) sessions, relative
// to the repository root: the real cryptography.fernet, and Flask with
// compat/fernet_session's session interface. It reads {"requests": [...]}
// on stdin and answers {"versions": {...}, "responses": [...]}, one
// response a request, in order.
const FernetPeerScript = "compat/fernet_session/peer.py"

// FernetResponse is one response of the Fernet peer; a request's op fills
// the fields it concerns.
type FernetResponse struct {
	Error     string          `json:"error"` // the Python exception's class, "" for none
	Plaintext *string         `json:"plaintext"`
	Token     string          `json:"token"`
	Timestamp *uint64         `json:"timestamp"`
	Status    int             `json:"status"`  // of a Flask request
	Session   json.RawMessage `json:"session"` // the session Flask loaded, a testvec.TV
	Cookie    *string         `json:"cookie"`
	SetCookie string          `json:"set_cookie"`
}

// FlaskSession returns the session that a Flask request of the peer
// loaded, in package py's value model. It fails t when the request failed.
func (r FernetResponse) FlaskSession(t testing.TB) any {
	t.Helper()
	if r.Error != "" || r.Status != 200 {
		t.Fatalf("Flask: %+v", r)
	}
	v, err := testvec.TV(r.Session).Value()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// FernetFlaskRead is the request in which Flask, with the keys (newest
// first) and a session lifetime in seconds, loads the sealed cookie at the
// clock now (Unix seconds).
func FernetFlaskRead(cookie string, keys []string, now, lifetime int64) map[string]any {
	return map[string]any{"op": "flask_read", "keys": keys, "cookie": cookie, "now": now, "lifetime": lifetime}
}

// FernetPeer runs one batch of requests through the Fernet peer with
// [Run], and logs the versions it ran. It fails t when the peer does not
// answer every request.
func FernetPeer(t testing.TB, reqs []map[string]any) []FernetResponse {
	t.Helper()
	in, err := json.Marshal(map[string]any{"requests": reqs})
	if err != nil {
		t.Fatal(err)
	}
	out := Run(t, in, testvec.Path(t, FernetPeerScript))
	var resp struct {
		Versions  map[string]string `json:"versions"`
		Responses []FernetResponse  `json:"responses"`
	}
	if err := json.Unmarshal(out, &resp); err != nil {
		t.Fatalf("%s output: %v\n%s", FernetPeerScript, err, out)
	}
	if len(resp.Responses) != len(reqs) {
		t.Fatalf("%s answered %d of %d requests", FernetPeerScript, len(resp.Responses), len(reqs))
	}
	t.Logf("Fernet peer: %v", resp.Versions)
	return resp.Responses
}

// A FernetBatch collects requests for the Fernet peer, each with the
// check of its response.
type FernetBatch struct {
	reqs   []map[string]any
	checks []func(*testing.T, FernetResponse)
}

// Add adds a request and the check of its response.
func (b *FernetBatch) Add(req map[string]any, check func(*testing.T, FernetResponse)) {
	b.reqs = append(b.reqs, req)
	b.checks = append(b.checks, check)
}

// Run sends the requests in one batch ([FernetPeer]) and runs each check
// on its response.
func (b *FernetBatch) Run(t *testing.T) {
	t.Helper()
	resps := FernetPeer(t, b.reqs)
	for i, check := range b.checks {
		check(t, resps[i])
	}
}
