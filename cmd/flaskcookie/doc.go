// Command flaskcookie decodes, encodes, inspects and audits Flask session
// cookies, exactly as Flask and itsdangerous read and write them.
//
//	flaskcookie decode  [--secret KEY] [--fallback-secret KEY]... [--max-age SECONDS]
//	                    [--salt SALT] [--format json|python|tagged] COOKIE
//	flaskcookie encode  --secret KEY [--format json|python|tagged] [--timestamp UNIX] VALUE
//	flaskcookie inspect [--secret KEY] COOKIE
//	flaskcookie unsign  --wordlist FILE|- [--threads N] [--literal] COOKIE
//	flaskcookie demo
//
// Flask-Unsign's options (--decode, --sign, --unsign with --cookie,
// --secret, --wordlist, --salt, --legacy, --no-literal-eval) work as well.
//
// COOKIE is a bare cookie value, session=VALUE or a whole Cookie header;
// "-" reads it (or VALUE) from standard input. The exit status is 0 on
// success, 1 when a cookie is malformed, does not verify or has expired, a
// value cannot be encoded or no key is found (standard output is then
// empty and standard error holds one line), and 2 for usage errors.
//
// The formats, the JSON view of Python types and every flag are described
// by "flaskcookie help COMMAND".
package main
