// Package fuzz holds the black-box fuzz targets, the hard-limit tests and the
// differential fuzzing harness of flaskcookie. It has no API: everything is
// in its tests.
//
//   - Native fuzz targets (Fuzz*) drive the public API of itsdangerous,
//     codec and py, and the internal JSON and base64 readers, and check
//     properties rather than only the absence of panics: every error matches
//     the documented sentinels, whatever decodes re-encodes to the same
//     value, a one-byte change to a valid token never verifies unless it is
//     another spelling of the same bytes, and strict base64 accepts nothing
//     that the lenient mode rejects. Their seeds come from the committed
//     Python vectors; crashers are kept under testdata/fuzz/<Target>.
//   - The limit tests decode a zlib bomb, a deeply nested payload and an
//     over-long cookie and check the typed error and the memory allocated.
//   - TestDifferentialSmoke mutates real tokens and compares every outcome
//     with the real itsdangerous and Flask running in compat/oracle.py.
//
// The scripts run-fuzz.sh and run-diff.sh run the fuzz targets and a long
// differential run; README.md lists the intended differences from Python
// that the harness classifies.
package fuzz
