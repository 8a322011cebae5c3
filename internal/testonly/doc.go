// Package testonly holds nothing itself: its subpackages are test
// machinery, imported only by _test.go files and never by shipped code.
//
//   - testvec loads the committed vectors under testdata/; starlettevec
//     builds the codecs Starlette's vectors describe (apart, since it
//     imports package starlette and testvec must not).
//   - pyoracle starts compat/oracle.py and asks it questions, with the
//     Python peer set FLASKCOOKIE_PEERS names.
//   - pyapp starts the Flask, Quart, Starlette and Django apps of compat/,
//     and runs one-shot peers such as the Fernet one (FernetPeer).
//   - fixture holds the sessions the benchmarks of issue 14 share.
package testonly
