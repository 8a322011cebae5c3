package main

import (
	"fmt"
	"strings"
)

// demoCookie is the cookie Flask 2.2.2 set for a session holding every type
// Flask tags, signed with the secret key "dev-secret" at 1700000000
// (2023-11-14 22:13:20 UTC): vector V9 of the spec
// (wire-formats.md §8), made by the real Flask.
const demoCookie = ".eJx1jssKwjAQRX9lmHXAJK2voIIrQVBcFFxokdTGGqpV2kQU6b87bcWdq3ncO-fOG5OXMxWqN0KCCuebsdXbcIo1w9S165TWkTcMRAjr2wMklwFIqUSgJIfFKmq8F1uReycYHTSNZEFc05D_yGk2JWodM7zqMvf3VriSMElmZzvpJbOGU5jKmbTLtW1xhwOZipsDDc7fL4YgDJ15Ugwu957z07HMTAF7L7k-ImmtS30_EQw10i_ove3Ang6FDML-YDj6VynkA_u-TrQ.ZVPxAA.sWkwMhye4Tr2Ycvk5rpCsfh32wg"

const (
	demoSecret = "dev-secret"
	demoNow    = "1700003600" // an hour after signing, so the output never changes
)

func runDemo(e *env, args []string) error {
	fs := newFlagSet("demo")
	pos, err := parseArgs("demo", fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("demo", "demo takes no arguments")
	}
	p := newPalette(e.color())
	fmt.Fprintf(e.stdout, `A sample cookie: what Flask 2.2.2 sets for a session holding every type Flask
tags (a tuple, bytes, Markup, a UUID, a datetime, a dict that looks like a tag),
signed with SECRET_KEY = %q. Call it COOKIE:

  %s

The commands below pass --now %s (an hour after it was signed) so that
this output never changes; leave it out to use the clock.
`, demoSecret, demoCookie, demoNow)
	steps := [][]string{
		{"inspect", "--secret", demoSecret, "--now", demoNow},
		{"decode", "--secret", demoSecret, "--now", demoNow},
		{"decode", "--secret", demoSecret, "--now", demoNow, "--format", "python"},
		{"decode", "--secret", demoSecret, "--now", demoNow, "--format", "tagged"},
	}
	for _, s := range steps {
		fmt.Fprintf(e.stdout, "\n%s\n", p.paint(p.label, "$ flaskcookie "+strings.Join(s, " ")+" COOKIE"))
		if code := run(e, append(s, demoCookie)); code != exitOK {
			return fmt.Errorf("the demo failed at %q (exit %d)", strings.Join(s, " "), code)
		}
	}
	fmt.Fprintf(e.stdout, `
Try also:
  flaskcookie encode --secret %s --timestamp 1700000000 '{"user_id": 42}'
  flaskcookie help
`, demoSecret)
	return nil
}
