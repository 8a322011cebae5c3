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
  flaskcookie encode  --fernet-key KEY [flags] VALUE
                                        make a sealed session cookie
  flaskcookie inspect [flags] COOKIE    show a cookie's anatomy
  flaskcookie unsign  --wordlist FILE [flags] COOKIE
                                        find the secret key in a wordlist
  flaskcookie demo                      decode a built-in sample cookie
  flaskcookie help [COMMAND]            show the help of a command

COOKIE is the cookie value, session=VALUE, or a whole Cookie header
("a=b; session=VALUE"); - reads it from standard input.

Sealed sessions (a Flask app whose session interface encrypts the session in
a Fernet token, gAAAAA..., such as compat/fernet_session) need the app's
Fernet key: decode, encode and inspect take --fernet-key KEY (repeatable,
newest first).

Other frameworks' signed cookies and tokens: decode, encode, inspect and
unsign take --profile flask (the default), starlette (Starlette and FastAPI
sessions), django-session (Django's signed_cookies sessions), django
(signing.dumps tokens), django-cookie (set_signed_cookie values), jws or
jws-timed (itsdangerous's JWS tokens, up to 2.0). Without
it, decode, inspect and unsign recognise each format from its text.
  flaskcookie decode --profile django-session --secret "$SECRET_KEY" "$COOKIE"

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

// profilesHelp describes --profile for decode, encode and inspect.
const profilesHelp = `Profiles (--profile):
  flask           Flask's session cookie, the default: tagged JSON signed by
                  itsdangerous's URLSafeTimedSerializer (salt cookie-session).
  starlette       Starlette's SessionMiddleware (FastAPI's too): standard
                  base64 of json.dumps, signed by itsdangerous's
                  TimestampSigner with its defaults (salt itsdangerous.Signer,
                  SHA-1). Starlette signs with str(secret_key), so a bytes
                  key b'k' signs as the text "b'k'": pass --secret "b'k'", or
                  --literal --secret "b'k'", which does the same here.
  django-session  Django's signed_cookies session backend (the sessionid
                  cookie): signing.dumps(session, compress=True,
                  salt="django.contrib.sessions.backends.signed_cookies").
  django          django.core.signing.dumps / loads tokens: --salt SALT
                  (default django.core.signing; empty means
                  django.core.signing.TimestampSigner, as in Django).
                  With both Django profiles --digest is the algorithm
                  (sha256 by default; sha1 for DEFAULT_HASHING_ALGORITHM =
                  'sha1') and --legacy also accepts the SHA-1 signatures that
                  Django 3.1 and 3.2 accept; --fallback-secret is
                  SECRET_KEY_FALLBACKS.
  django-cookie   values of HttpResponse.set_signed_cookie:
                  VALUE:TIMESTAMP:SIGNATURE, the value a plain str, signed
                  with the salt NAME + --salt and the key
                  "django.http.cookies" + SECRET_KEY; give the cookie as
                  NAME=VALUE or --name NAME. encode takes --name NAME and
                  the value as a JSON string ("alice"), a Python str
                  (--format python) or the text as it is (--format tagged).
  jws             itsdangerous's JSONWebSignatureSerializer and
  jws-timed       TimedJSONWebSignatureSerializer (0.x to 2.0; removed in
                  2.1): HEADER.PAYLOAD.SIGNATURE. --digest HS256, HS384 or
                  HS512 pins the algorithm (encode's default HS512); without
                  it decode checks with the algorithm the header names (HS256,
                  HS384 or HS512; a token whose header says "none" is not
                  signed and is read only without --secret). --salt SALT when
                  the serializer has one. jws-timed always checks the
                  header's "exp"; encode --expires-in sets it.
  For every profile but flask the value is plain JSON: --format json and
  python show it as for Flask (dict keys in the cookie's order), and --format
  tagged prints the JSON text inside the cookie, exactly as the framework
  wrote it (Starlette's json.dumps with its spaces and \u escapes; Django's
  and JWS's compact JSON). --key-derivation and --fernet-key are Flask's
  only.
`

const helpDecode = `Usage: flaskcookie decode [flags] COOKIE

Prints the session a Flask session cookie holds; with --profile, the value
of a Starlette or Django session cookie, a Django signed token or an
itsdangerous JWS token (see Profiles below).

With --secret, the signature must verify with the secret key or one of the
fallback keys; without it, the cookie is decoded without any check and a
warning goes to standard error (the payload of a Flask cookie is signed,
not encrypted: anyone can read it).

A sealed cookie (a Fernet token, gAAAAA..., from an app whose session
interface encrypts the session, such as compat/fernet_session) cannot be
read without its key: give the app's Fernet key with --fernet-key. The
session inside is the same tagged JSON, printed the same way. With
--fernet-key, --max-age is Fernet's TTL, as the app checks
PERMANENT_SESSION_LIFETIME: the cookie is refused when it is older than
SECONDS or was sealed more than 60 seconds in the future (Fernet's clock
skew; signed cookies allow none); without --max-age no time is checked. The
flags of signed cookies (--secret, --salt, --digest, ...) do not apply.

COOKIE is the cookie value, session=VALUE, or a whole Cookie header
("a=b; session=VALUE; c=d", with or without "Cookie:"); - reads it from
standard input. Surrounding whitespace is ignored.

Flags:
  --secret KEY          the app's SECRET_KEY; not empty: anyone can sign
                        with the empty key (unsign tells if an app does)
  --fallback-secret KEY an old key still accepted (SECRET_KEY_FALLBACKS);
                        repeat for several; not empty either
  --fernet-key KEY      for a sealed cookie: a Fernet key of the app
                        (SESSION_FERNET_KEYS), 44 characters of URL-safe
                        base64; repeat for several (MultiFernet): the cookie
                        opens with any of them
  --max-age SECONDS     refuse the cookie if it is older than that, or signed
                        in the future (sealed: more than 60 seconds ahead),
                        as Flask does with PERMANENT_SESSION_LIFETIME
                        (2678400, 31 days, by default), at most 8589934591
                        (272 years). Without it no age is checked.
  --now UNIX            the present, in Unix seconds, for --max-age
  --format FORMAT       json (default), python or tagged; see below
  --profile NAME        the format of the cookie: flask, starlette, django,
                        django-session, django-cookie, jws or jws-timed;
                        without it the cookie's text chooses (named on
                        standard error); see below
` + keyFlagsHelp + `
With --profile starlette or django-session, --max-age is the app's max_age
or SESSION_COOKIE_AGE (both 1209600, 14 days, by default); without it no age
is checked. Django, unlike itsdangerous, accepts a cookie signed in the
future. For JWS there is no --max-age: a timed token's "exp" is checked.
--name defaults to sessionid for the Django profiles.

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
  tagged  the tagged JSON exactly as it is in the cookie (after inflating a
          compressed one): the app's key order and escapes, such as the
          unsorted keys and raw non-ASCII of Quart or of an app with
          sort_keys off. The json view above is the normalised form (keys
          sorted, as Flask's defaults write them).
In json and tagged, characters that could act on a terminal or reorder the
text (DEL, C1 controls such as U+009B, bidi overrides and isolates such as
U+202E, U+2028, U+2029) are written as \u escapes, and a tab or carriage
return between tokens as a space: the same JSON value.
python escapes them as Python's repr does. Messages on standard error and
inspect's report escape them too (\x1b, \u202e).

` + profilesHelp + `
Exit status: 0 on success; 1 when the cookie is malformed, does not verify
(or, sealed, does not open or has no --fernet-key) or has expired (nothing
on standard output, one line on standard error); 2 for usage errors.

Examples:
  flaskcookie decode --secret dev-secret 'eyJ1c2VyX2lkIjo0Mn0.ZVPxAA.LIr3YcHFjdrdtQSuFvBzSarrgwM'
  flaskcookie decode --format python 'session=eyJ1c2VyX2lkIjo0Mn0.ZVPxAA.LIr3YcHFjdrdtQSuFvBzSarrgwM'
  pbpaste | flaskcookie decode --secret "$SECRET_KEY" --max-age 2678400 -
  flaskcookie decode --secret new --fallback-secret old --format tagged "$COOKIE"
  flaskcookie decode --fernet-key AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8= 'gAAAAABlU_EA0NHS09TV1tfY2drb3N3e38cmIRzqW-M7Gt8allJeJeYLb1_UOBztVBMpc7CldyOYYAVIsfVnbMwk6vbOYDjeCA=='
  flaskcookie decode --fernet-key "$NEW_KEY" --fernet-key "$OLD_KEY" --max-age 2678400 --format python "$COOKIE"
  flaskcookie decode --profile starlette --secret starlette-secret --max-age 1209600 'eyJ1c2VyX2lkIjogNDIsICJuYW1lIjogIkpcdTAwZmNyZ2VuIiwgInJvbGVzIjogWyJhIiwgImIiXX0=.ZVPxAA.CnjCu-ijoXWdBdrJQPp5iZet9FE'
  flaskcookie decode --profile django-session --secret django-secret --format python 'sessionid=eyJ1c2VyX2lkIjo0Mn0:1r31eq:lIY0VP6AROwehoElhvrluN-vnamT0pO5bKxRV6KtY8U'
  flaskcookie decode --profile django --secret "$SECRET_KEY" --salt password-reset "$TOKEN"
  flaskcookie decode --profile jws-timed --secret secret-key --format tagged "$TOKEN"
`

const helpEncode = `Usage: flaskcookie encode --secret KEY [flags] VALUE
       flaskcookie encode --fernet-key KEY [--fernet-key OLD]... [flags] VALUE

Signs the session VALUE (a dict) and prints the cookie value, as Flask's
save_session writes it. - reads VALUE from standard input. With --profile,
writes a Starlette or Django session cookie, a Django signed token or an
itsdangerous JWS token instead (see flaskcookie help decode).

With --timestamp the output is reproducible: byte-identical to Flask's cookie
for the same value and time, compressed or not (the deflate is zlib's).

With --timestamp the other profiles' output is byte-identical to the
framework's too. For them --format tagged reads plain JSON, as the
framework writes it; Python literals and the JSON view are read as for
Flask (a tuple is written as a list, Markup as a str), and values JSON
cannot hold (bytes, UUIDs, datetimes) cannot be written. The sessions of Starlette and Django are
dicts; signing.dumps and JWS take any value.

With --fernet-key instead of --secret, the session is sealed: encrypted in a
Fernet token with the first key, as an app with a Fernet session interface
(compat/fernet_session) writes it. The IV is random, so a sealed cookie
differs every time, even with --timestamp; the app opens every one. The
flags of signed cookies (--salt, --digest, ...) do not apply.

Flags:
  --secret KEY          the app's SECRET_KEY (required for a signed cookie);
                        --secret "" signs with the empty key, with a warning,
                        for an app that has one
  --fernet-key KEY      seal instead, with this Fernet key (44 characters of
                        URL-safe base64, as Fernet.generate_key() writes);
                        repeatable: the first seals, as in MultiFernet
  --format FORMAT       how VALUE is written: json (default; the view that
                        decode prints, see flaskcookie help decode), python
                        (a literal: dict, list, tuple, str, bytes, int,
                        float, True/False/None, Markup('...'), UUID('...'),
                        datetime.datetime(...), nan, inf) or tagged (Flask's
                        tagged JSON)
  --timestamp UNIX      the signing (or sealing) time, in Unix seconds
                        (default: now; jws-timed: its "iat")
  --profile NAME        flask (default), starlette, django, django-session,
                        jws or jws-timed
  --compress            --profile django: compress as signing.dumps(...,
                        compress=True) does, when that is shorter
  --expires-in SECONDS  --profile jws-timed: the token's lifetime, "exp"
                        minus "iat" (default 3600), at most 8589934591
                        either way
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
  flaskcookie encode --fernet-key AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8= '{"user_id": 42}'
  flaskcookie decode --secret "$SECRET_KEY" "$COOKIE" | flaskcookie encode --fernet-key "$FERNET_KEY" -
      (moves a session from signed to sealed)
  flaskcookie encode --profile starlette --secret starlette-secret --timestamp 1700000000 '{"user_id": 42, "name": "Jürgen", "roles": ["a", "b"]}'
      (prints eyJ1c2VyX2lkIjogNDIsICJuYW1lIjogIkpcdTAwZmNyZ2VuIiwgInJvbGVzIjogWyJhIiwgImIiXX0=.ZVPxAA.CnjCu-ijoXWdBdrJQPp5iZet9FE, as Starlette does)
  flaskcookie encode --profile django-session --secret django-secret --timestamp 1700000000 '{"user_id": 42}'
      (prints eyJ1c2VyX2lkIjo0Mn0:1r31eq:lIY0VP6AROwehoElhvrluN-vnamT0pO5bKxRV6KtY8U, as Django does)
  flaskcookie encode --profile django --secret "$SECRET_KEY" --salt password-reset --compress --format python "[42, 'x']"
  flaskcookie encode --profile jws-timed --secret secret-key --digest HS256 --expires-in 600 '{"user_id": 42}'
`

const helpInspect = `Usage: flaskcookie inspect [flags] COOKIE

Shows a cookie's anatomy: its format, its size against Flask's 4093-byte
limit, the payload (JSON text, compressed or not, and sizes), the signing
time and age (against Flask's default lifetime of 31 days), the signature's
length and the digest it implies, and, with --secret, whether the key
verifies it. The payload's text is wrapped to fit 80 columns and cut after 8
lines, with a note of what was left out (decode --format tagged prints it
all). A cookie that looks cut short (a paste that lost its end) is said to.

The format is recognised from the cookie's text (or given with --profile):
a Flask cookie (PAYLOAD.TIMESTAMP.SIGNATURE, URL-safe base64, compact JSON,
a leading '.' when compressed), a sealed Flask cookie (a Fernet token), a
Starlette cookie (padded standard base64 of spaced JSON, then .TIMESTAMP.
SIGNATURE), a Django token (PAYLOAD:TIMESTAMP:SIGNATURE, the timestamp in
base 62), or a JWS token (HEADER.PAYLOAD.SIGNATURE whose header holds "alg";
timed when it holds "exp"). Where the text fits two (a Flask or a Starlette
cookie whose JSON has one item; a Django session or signing.dumps token),
--secret decides. For the other formats the report also shows the signing
time (Django's base 62, a JWS header's "iat" and "exp"), the value as a
Python literal (marked "not verified" unless the key verifies) and, when
the key verifies, with which salt and algorithm.

For a sealed cookie (a Fernet token, gAAAAA...), without a key: the version,
the sealing time (not verified) and age, the token's and the ciphertext's
sizes, the range of the session's size, and the cookie's size against the
limit; with --fernet-key: which key opens it, and the session's tagged JSON.
Colour on a terminal (unless NO_COLOR is set), plain text otherwise.

Flags:
  --json                one JSON object instead of the report: format,
                        detected (from the text), verdict (verified,
                        unverified without a key, refused with error),
                        signed_at, seconds; exit 1 when refused
  --secret KEY          a key to check (not empty: see unsign)
  --fallback-secret KEY another key to check; repeat for several
  --fernet-key KEY      for a sealed cookie: a Fernet key to open it with;
                        repeat for several
  --now UNIX            the present, in Unix seconds, for the age
  --profile NAME        read the cookie as this format instead of the one
                        its text suggests: flask, starlette, django,
                        django-session, jws or jws-timed (see flaskcookie
                        help decode)
` + keyFlagsHelp + `
Exit status: 0 when the cookie could be taken apart, whether or not the key
verifies (or opens) and the payload loads (the report says); 1 when it is
neither a sealed cookie nor has the separators of its format, or when the
flags do not fit the format its text shows; 2 for usage errors.

Examples:
  flaskcookie inspect 'eyJ1c2VyX2lkIjo0Mn0.ZVPxAA.LIr3YcHFjdrdtQSuFvBzSarrgwM'
  flaskcookie inspect --secret dev-secret "Cookie: theme=dark; session=$COOKIE"
  flaskcookie inspect 'gAAAAABlU_EA0NHS09TV1tfY2drb3N3e38cmIRzqW-M7Gt8allJeJeYLb1_UOBztVBMpc7CldyOYYAVIsfVnbMwk6vbOYDjeCA=='
  flaskcookie inspect --fernet-key "$NEW_KEY" --fernet-key "$OLD_KEY" "$COOKIE"
  flaskcookie inspect --secret django-secret 'eyJ1c2VyX2lkIjo0Mn0:1r31eq:lIY0VP6AROwehoElhvrluN-vnamT0pO5bKxRV6KtY8U'
  flaskcookie inspect --secret secret-key 'eyJhbGciOiJIUzUxMiJ9.eyJ1c2VyX2lkIjo0Mn0.htU4o83tUVDvEwXn74jmlkv28e-8g-x061hwxeJ3YapG1Lb8DRck2skvGOUggbpJCykbwZXMMuPc7K8U-SmB7Q'
  flaskcookie inspect --profile starlette --secret "$SECRET_KEY" "$COOKIE"
`

const helpUnsign = `Usage: flaskcookie unsign [--wordlist FILE] [flags] COOKIE
       flaskcookie unsign [--wordlist FILE] --cookies FILE [flags]
       flaskcookie unsign [--wordlist FILE] --server URL [flags]

Finds the secret key that signed COOKIE (or every cookie of a file, or the
cookie a server sets) among candidate keys, testing them on all cores.

Candidates: the lines of --wordlist FILE (- reads standard input), streamed,
so the file may be of any size; each line is a key as raw bytes (NUL bytes
and invalid UTF-8 included) without its line ending (\n or \r\n); lines
longer than 1 MiB are skipped and counted; an empty line is the empty key,
which an app with an empty SECRET_KEY signs with. With --literal each line is
read as Flask-Unsign reads it: a Python str or bytes literal such as 'secret'
or b'\x00\x01', else the stripped text (a number such as 123456 is tried as
the text it is). Without --wordlist, a built-in list of secret keys published
in framework docs, tutorials and sample code is tried (audit/secrets/known.tsv
in the source, each with its source).

Formats: without --profile the cookie's text chooses: a Flask session cookie,
a Starlette (FastAPI) session cookie, a Django signing.dumps token,
signed_cookies session or set_signed_cookie value (give it as NAME=VALUE: the
name is in Django's salt), or an itsdangerous JWS token. A sealed (Fernet)
cookie has a random key and cannot be searched. --profile forces a format;
--profile itsdangerous tests a Flask-shaped token as another itsdangerous
serializer's (a password-reset or Flask-WTF CSRF token) with the salts
itsdangerous and wtf-csrf-token, or --salt.

Many cookies: --cookies FILE holds one cookie a line (bare, NAME=VALUE or a
Cookie header; any mix of formats; lines that hold no cookie are skipped and
counted). Each candidate is tested against all of them in one pass, its key
derived once per salt. One line a cookie is printed: its verdict and key.

From a server: --server URL requests URL (--method, default GET; -H "Name:
value" headers; --send-cookie NAME=VALUE; --timeout, default 10s; --follow
follows redirects, at most 10; --insecure skips TLS verification) and takes
the cookie it sets: --cookie-name NAME, else the first of a known format.

Output: the key as text when it is printable UTF-8, else as a Python bytes
literal (b'\x8f...'); as a Python literal with --format python; as hex with
--format hex. --json prints one JSON object a cookie instead (format,
verdict, secret, secret_hex, scheme, wordlist_line, seconds), ASCII only.
--hashcat prints the line hashcat takes (mode 29100, Flask cookies that are
not compressed) instead of searching, and says why another cookie cannot be
handed over. On a terminal standard error shows the progress; --progress
shows it elsewhere too, one line every 2 seconds (for logs).

Flags:
  --wordlist FILE, -w FILE  candidate keys, one a line
  --cookies FILE        many cookies, one a line (- for standard input)
  --server URL          fetch the cookie from URL (see above)
  --threads N           how many keys to test at once (default: the number
                        of CPUs)
  --format FORMAT       text (default), python or hex
  --json                one JSON object a cookie on standard output
  --progress            show progress even when standard error is not a
                        terminal
  --hashcat             print the hashcat -m 29100 line instead of searching
  --profile NAME        flask, starlette, django, django-session,
                        django-cookie, jws, jws-timed or itsdangerous
` + keyFlagsHelp + `
Exit status: 0 when a key is found (for --cookies: at least one); 1 when none
is (or the cookie is malformed, or the server sets none); 2 for usage errors
and an unreadable wordlist.

Examples:
  flaskcookie unsign "$COOKIE"                     # the built-in public keys
  flaskcookie unsign --wordlist rockyou.txt "$COOKIE"
  flaskcookie unsign -w keys.txt --literal --threads 8 'session=eyJ1c2VyX2lkIjo0Mn0.ZVPxAA.LIr3YcHFjdrdtQSuFvBzSarrgwM'
  generate-keys | flaskcookie unsign --wordlist - "$COOKIE"
  flaskcookie unsign -w keys.txt --cookies cookies.txt --json
  flaskcookie unsign --server https://app.example/login --cookie-name session
  flaskcookie unsign --hashcat "$COOKIE" > flask.hash && hashcat -m 29100 flask.hash rockyou.txt
  flaskcookie unsign --profile starlette -w keys.txt 'eyJ1c2VyX2lkIjogNDIsICJuYW1lIjogIkpcdTAwZmNyZ2VuIiwgInJvbGVzIjogWyJhIiwgImIiXX0=.ZVPxAA.CnjCu-ijoXWdBdrJQPp5iZet9FE'
  flaskcookie unsign --profile django-session -w keys.txt "sessionid=$COOKIE"
  flaskcookie unsign -w keys.txt "remember=alice:1r31eq:n_4drjpVlZIDD4P1LUNfxbYWdTopEH5oMzCIFioVINA"
  flaskcookie unsign --profile jws -w keys.txt "$TOKEN"
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

const helpHelp = `Usage: flaskcookie help [COMMAND]

Prints the help of COMMAND (decode, encode, inspect, unsign, demo,
flask-unsign or help) on standard output, or without COMMAND the list of
commands. flaskcookie COMMAND -h does the same.

Examples:
  flaskcookie help decode
  flaskcookie help flask-unsign
`
