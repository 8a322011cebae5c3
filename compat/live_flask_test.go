package compat_test

import (
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/internal/testonly/pyoracle"
	"github.com/flaskcookie/flaskcookie/internal/testonly/testvec"
)

// Flask reads every cookie we write for the Flask vectors, compressed ones
// included, to exactly the value (with exact Python types) that it reads
// from its own cookie; and re-encoding what we decode gives the JSON Flask
// writes when it saves that session again.
func TestLiveFlaskReadsOurCookies(t *testing.T) {
	o := pyoracle.Shared(t)
	_, vectors := testvec.LoadFlask(t, testvec.Path(t, testvec.FlaskFile))
	checked, compressed := 0, 0
	for i := range vectors {
		v := &vectors[i]
		if v.Op != "encode" {
			continue
		}
		t.Run(v.Name, func(t *testing.T) {
			c, err := codec.New(v.Secret, codec.WithMaxCookieSize(0),
				codec.WithClock(func() time.Time { return time.Unix(v.Now, 0) }))
			if err != nil {
				t.Fatal(err)
			}
			in, err := v.Value.Ordered()
			if err != nil {
				t.Fatal(err)
			}
			ours, err := c.Encode(in)
			if err != nil {
				t.Fatal(err)
			}
			if ours[0] == '.' {
				compressed++
			}
			load := pyoracle.FlaskLoadsRequest{Secret: pyoracle.Bytes(v.Secret), Now: v.Now, Cookie: ours}
			var resp pyoracle.Response
			if err := o.Do(pyoracle.FlaskCheckRequest{FlaskLoadsRequest: load, Expect: []byte(v.Decoded)}, &resp); err != nil {
				t.Fatal(err)
			}
			if !resp.OK || !resp.Equal {
				t.Fatalf("Flask read our cookie %s as something else: %s %s", ours, resp.Describe(), resp.Diff)
			}
			// Stability: decode Flask's cookie, encode it again, compare
			// with Flask's own re-dump of the session it loaded.
			var got map[string]any
			if _, err := c.Decode(v.Cookie, &got); err != nil {
				t.Fatal(err)
			}
			again, err := codec.TaggedJSON.AppendPayload(nil, got)
			if err != nil {
				t.Fatal(err)
			}
			load.Cookie = v.Cookie
			if err := o.Do(load, &resp); err != nil || !resp.OK {
				t.Fatalf("flask_loads: %v %s", err, resp.Describe())
			}
			if string(again) != resp.JSON {
				t.Errorf("re-encoded JSON\n got %s\nwant %s", again, resp.JSON)
			}
			checked++
		})
	}
	if checked == 0 || compressed == 0 {
		t.Fatalf("checked %d cookies, %d compressed; want some of each", checked, compressed)
	}
	t.Logf("Flask read %d of our cookies (%d compressed)", checked, compressed)
}
