package audit_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/flaskcookie/flaskcookie/audit"
)

// A Flask 2.2.2 session cookie signed with the key "dev" (Flask's tutorial
// default) and a Starlette 0.46.1 cookie signed with "changeme", both from
// testdata/audit (compat/gen_audit.py).
const (
	flaskCookie     = "eyJ1c2VyX2lkIjo0Mn0.ZVPxAA.hjhtQRGPO7UK57j5dSOtrXVGqbs"
	starletteCookie = "eyJ1c2VyIjogImFsaWNlIiwgInJvbGVzIjogWyJhIiwgImIiXX0=.ZVPxAA.tvaOu33XorF4o60W3_GihWSmzjs"
)

func ExampleDetect() {
	for _, c := range []string{flaskCookie, starletteCookie, "alice:1r31eq:n_4drjpVlZIDD4P1LUNfxbYWdTopEH5oMzCIFioVINA"} {
		fmt.Println(audit.Detect(c).Format.Describe())
	}
	// Output:
	// a Flask session cookie
	// a Starlette session cookie (SessionMiddleware, FastAPI too)
	// a Django signed cookie value (set_signed_cookie)
}

func ExampleFleet_Search() {
	var targets []*audit.Target
	for _, c := range []string{flaskCookie, starletteCookie} {
		t, err := audit.NewTarget(c)
		if err != nil {
			fmt.Println(err)
			return
		}
		targets = append(targets, t)
	}
	wordlist := strings.NewReader("admin\nchangeme\ndev\n")
	finds, err := audit.NewFleet(targets...).Search(context.Background(), wordlist)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range finds {
		fmt.Printf("cookie %d: %s, key %q on line %d\n", f.Target, f.Scheme.Format, f.Secret, f.Line)
	}
	// Output:
	// cookie 0: flask, key "dev" on line 3
	// cookie 1: starlette, key "changeme" on line 2
}

func ExampleKnownSecrets() {
	t, err := audit.NewTarget(flaskCookie)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, k := range audit.KnownSecrets() {
		if _, ok := t.Test([]byte(k.Secret)); ok {
			fmt.Printf("signed with the public key %q\n", k.Secret)
		}
	}
	// Output:
	// signed with the public key "dev"
}

func ExampleDissect() {
	p, err := audit.Dissect(audit.Flask, flaskCookie)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("payload %s\n", p.Payload)
	fmt.Printf("signed at %s\n", p.SignedAt.Format("2006-01-02 15:04:05 UTC"))
	fmt.Printf("signature %d bytes, %s\n", len(p.Signature), audit.TokenDigest(audit.Flask, flaskCookie))
	// Output:
	// payload {"user_id":42}
	// signed at 2023-11-14 22:13:20 UTC
	// signature 20 bytes, sha1
}

func ExampleHashcatLine() {
	line, err := audit.HashcatLine(flaskCookie)
	fmt.Println(line, err)
	_, err = audit.HashcatLine(starletteCookie)
	fmt.Println(err)
	// Output:
	// eyJ1c2VyX2lkIjo0Mn0.ZVPxAA.hjhtQRGPO7UK57j5dSOtrXVGqbs <nil>
	// hashcat has no mode for a Starlette session cookie (SessionMiddleware, FastAPI too); only Flask session cookies (mode 29100): use unsign
}
