package main

import "runtime/debug"

// version returns the module version the binary was built from.
func version() string {
	v := "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		v = bi.Main.Version
	}
	return "flaskcookie " + v
}

const helpMain = `flaskcookie reads, writes and audits Flask session cookies, byte for byte as
Flask and itsdangerous do.

Usage:
  flaskcookie decode  [flags] COOKIE    print the session a cookie holds
  flaskcookie encode  --secret KEY [flags] VALUE
                                        make a signed session cookie
  flaskcookie inspect [flags] COOKIE    show a cookie's anatomy
  flaskcookie unsign  --wordlist FILE [flags] COOKIE
                                        find the secret key in a wordlist
  flaskcookie demo                      decode a built-in sample cookie
  flaskcookie help [COMMAND]            show the help of a command

COOKIE is the cookie value, session=VALUE, or a whole Cookie header
("a=b; session=VALUE"); - reads it from standard input.

Flask-Unsign's options work too (flaskcookie help flask-unsign):
  flaskcookie --decode --cookie COOKIE
  flaskcookie --sign --cookie "{'user_id': 1}" --secret KEY
  flaskcookie --unsign --cookie COOKIE --wordlist FILE

Exit status: 0 on success; 1 when a cookie is malformed, does not verify or
has expired, when a value cannot be encoded, or when no key is found (then
standard output is empty and standard error holds one line); 2 for usage
errors.

Start with:
  flaskcookie demo
`

const keyFlagsHelp = `  --salt SALT           the salt (default cookie-session, Flask's)
  --digest NAME         sha1 (default, Flask's), sha224, sha256, sha384,
                        sha512 or md5, for apps that change digest_method
  --key-derivation KD   hmac (default, Flask's), concat, django-concat or none
  --legacy              timestamps counted from 2011, as itsdangerous 0.24
                        and older wrote them (Flask before 1.0)
  --literal             read --secret, --fallback-secret and --salt as
                        Python str or bytes literals, as Flask-Unsign does:
                        --literal --secret "b'\x8f\x01...'" for a binary key
  --name NAME           the cookie's name in a Cookie header (default session)
`

const helpDecode = `Usage: flaskcookie decode [flags] COOKIE

Prints the session a Flask session cookie holds.

With --secret, the signature must verify with the secret key or one of the
fallback keys; without it, the cookie is decoded without any check and a
warning goes to standard error (the payload of a Flask cookie is signed,
not encrypted: anyone can read it).

COOKIE is the cookie value, session=VALUE, or a whole Cookie header
("a=b; session=VALUE; c=d", with or without "Cookie:"); - reads it from
standard input. Surrounding whitespace is ignored.

Flags:
  --secret KEY          the app's SECRET_KEY
  --fallback-secret KEY an old key still accepted (SECRET_KEY_FALLBACKS);
                        repeat for several
  --max-age SECONDS     refuse the cookie if it is older than that, or signed
                        in the future, as Flask does with
                        PERMANENT_SESSION_LIFETIME (2678400, 31 days, by
                        default). Without it no age is checked.
  --now UNIX            the present, in Unix seconds, for --max-age
  --format FORMAT       json (default), python or tagged; see below
` + keyFlagsHelp + `
Formats:
  json    a readable JSON view. Dicts are objects (keys sorted), lists arrays,
          ints numbers of any size, floats numbers that always show a point or
          an exponent (1.0, 1e-07). The types JSON lacks are one-key objects:
            tuple     {"$tuple": [1, "a"]}
            bytes     {"$bytes": "AP9iaW4="}          (standard base64)
            Markup    {"$markup": "<b>hi</b>"}
            UUID      {"$uuid": "12345678-1234-5678-1234-567812345678"}
            datetime  {"$datetime": "2023-11-14T22:13:20Z"}
            nan, inf  {"$float": "nan"}, {"$float": "inf"}, {"$float": "-inf"}
          and a dict whose only key starts with "$" is {"$dict": {...}}.
          encode --format json reads it back.
  python  a Python literal: eval() with datetime (the module), UUID, Markup,
          nan and inf in scope gives exactly the session Flask would hold
          (tuples, b'bytes', Markup('...'), UUID('...'),
          datetime.datetime(..., tzinfo=datetime.timezone.utc), big ints,
          exact floats).
  tagged  the tagged JSON exactly as Flask writes it in the cookie.

Exit status: 0 on success; 1 when the cookie is malformed, does not verify
or has expired (nothing on standard output, one line on standard error);
2 for usage errors.

Examples:
  flaskcookie decode --secret dev-secret 'eyJ1c2VyX2lkIjo0Mn0.ZVPxAA.LIr3YcHFjdrdtQSuFvBzSarrgwM'
  flaskcookie decode --format python 'session=eyJ1c2VyX2lkIjo0Mn0.ZVPxAA.LIr3YcHFjdrdtQSuFvBzSarrgwM'
  pbpaste | flaskcookie decode --secret "$SECRET_KEY" --max-age 2678400 -
  flaskcookie decode --secret new --fallback-secret old --format tagged "$COOKIE"
`

const helpEncode = `Usage: flaskcookie encode --secret KEY [flags] VALUE

Signs the session VALUE (a dict) and prints the cookie value, as Flask's
save_session writes it. - reads VALUE from standard input.

With --timestamp the output is reproducible: byte-identical to Flask's cookie
for the same value and time whenever Flask's cookie is not compressed (Go's
zlib output differs from Python's; Flask reads both).

Flags:
  --secret KEY          the app's SECRET_KEY (required)
  --format FORMAT       how VALUE is written: json (default; the view that
                        decode prints, see flaskcookie help decode), python
                        (a literal: dict, list, tuple, str, bytes, int,
                        float, True/False/None, Markup('...'), UUID('...'),
                        datetime.datetime(...), nan, inf) or tagged (Flask's
                        tagged JSON)
  --timestamp UNIX      the signing time, in Unix seconds (default: now)
` + keyFlagsHelp + `
A cookie over Flask's 4093-byte limit is still printed, with a warning.

Exit status: 0 on success; 1 when VALUE cannot be read or encoded; 2 for
usage errors.

Examples:
  flaskcookie encode --secret dev-secret '{"user_id": 42}'
  flaskcookie encode --secret dev-secret --timestamp 1700000000 '{"user_id": 42}'
      (prints eyJ1c2VyX2lkIjo0Mn0.ZVPxAA.LIr3YcHFjdrdtQSuFvBzSarrgwM, as Flask does)
  flaskcookie encode --secret dev-secret --format python "{'_flashes': [('message', 'Hi')], 'when': datetime.datetime(2024, 1, 2, tzinfo=datetime.timezone.utc)}"
  flaskcookie decode --secret old "$COOKIE" | flaskcookie encode --secret new -
`

const helpInspect = `Usage: flaskcookie inspect [flags] COOKIE

Shows a cookie's anatomy: its size against Flask's 4093-byte limit, the
payload (JSON text, compressed or not, and sizes), the signing time and age
(against Flask's default lifetime of 31 days), the signature's length and
the digest it implies, and, with --secret, whether the key verifies it.
Colour on a terminal (unless NO_COLOR is set), plain text otherwise.

Flags:
  --secret KEY          a key to check
  --fallback-secret KEY another key to check; repeat for several
  --now UNIX            the present, in Unix seconds, for the age
` + keyFlagsHelp + `
Exit status: 0 when the cookie could be taken apart, whether or not the key
verifies and the payload loads (the report says); 1 when it has no '.' at
all; 2 for usage errors.

Examples:
  flaskcookie inspect 'eyJ1c2VyX2lkIjo0Mn0.ZVPxAA.LIr3YcHFjdrdtQSuFvBzSarrgwM'
  flaskcookie inspect --secret dev-secret "Cookie: theme=dark; session=$COOKIE"
`

const helpUnsign = `Usage: flaskcookie unsign --wordlist FILE [flags] COOKIE

Finds the secret key that signed COOKIE among the lines of FILE (- reads the
wordlist from standard input), testing them on all cores. The wordlist is
streamed, so it may be of any size. Each line is a candidate key, as raw bytes
(any encoding) without its line ending (\n or \r\n); with --literal each line
is read as Flask-Unsign reads it: a Python str or bytes literal such as
'secret' or b'\x00\x01', or else the stripped text.

On a terminal, standard error shows the progress (count, rate, and the
percentage and time left when FILE is a regular file).

When found, the key is printed and the exit status is 0: as text when it is
printable UTF-8, else as a Python bytes literal (b'\x8f...'); always as a
Python literal with --format python ('text' for UTF-8, else b'...'); or as
hex with --format hex.

Flags:
  --wordlist FILE, -w FILE  candidate keys, one a line
  --threads N           how many keys to test at once (default: the number
                        of CPUs)
  --format FORMAT       text (default), python or hex
` + keyFlagsHelp + `
Exit status: 0 when the key is found; 1 when it is not (or the cookie is
malformed); 2 for usage errors and an unreadable wordlist.

Examples:
  flaskcookie unsign --wordlist rockyou.txt "$COOKIE"
  flaskcookie unsign -w keys.txt --literal --threads 8 'session=eyJ1c2VyX2lkIjo0Mn0.ZVPxAA.LIr3YcHFjdrdtQSuFvBzSarrgwM'
  generate-keys | flaskcookie unsign --wordlist - "$COOKIE"
`

const helpDemo = `Usage: flaskcookie demo

Takes apart and decodes a built-in sample cookie, made by Flask 2.2.2 for a
session holding every type Flask tags, and prints it in every format. The
output never changes (the commands shown pass a fixed --now).

Example:
  go run ./cmd/flaskcookie demo
`

const helpFlaskUnsign = `Usage: flaskcookie --decode|--sign|--unsign [Flask-Unsign options]

Flask-Unsign's command line, for muscle memory and scripts:

  --decode, -d          print the session as a Python literal (or --format)
  --sign, -s            sign the Python literal given with --cookie
  --unsign, -u          find the key with --wordlist
  --cookie, -c VALUE    the cookie (or, with --sign, the session); without a
                        value it is read from standard input
  --secret, -S KEY      the secret key (--sign; --decode then verifies)
  --salt SALT           the salt (default cookie-session)
  --wordlist, -w FILE   candidate keys, one a line, read as Python literals
                        unless --no-literal-eval
  --legacy, -l          timestamps counted from 2011 (itsdangerous 0.24)
  --no-literal-eval, -nE
                        take --secret, --salt and wordlist lines as they are
                        (stripped) instead of as Python literals
  --threads, -t N       keys tested at once (default: the number of CPUs)
  --quiet, -q           no messages on standard error
  --output, -o FILE     write standard output to FILE
  --format FORMAT       python (default), json or tagged, for --decode
  --timestamp UNIX      signing time for --sign (default: now)

As in Flask-Unsign, --unsign prints the key as Python's ascii() writes it
('secret' or b'\x8f...'). --server and the other HTTP options are not
supported: fetch the cookie with curl and pass it with --cookie.

Examples:
  flaskcookie --decode --cookie 'eyJ1c2VyX2lkIjo0Mn0.ZVPxAA.LIr3YcHFjdrdtQSuFvBzSarrgwM'
  flaskcookie --sign --cookie "{'user_id': 1}" --secret 'dev-secret'
  flaskcookie --unsign --cookie "$COOKIE" --wordlist all.txt --no-literal-eval
`
