// Package testvec loads the known-answer vectors that compat/gen_*.py
// produced with the real Python packages and that live in testdata/.
//
// Two files have loaders of their own:
//
//   - testdata/itsdangerous/vectors.json ([LoadItsDangerous]): one sign or
//     verify operation each, on a Signer, TimestampSigner, Serializer,
//     TimedSerializer, URLSafeSerializer or URLSafeTimedSerializer built from
//     the fields of the vector, with the clock fixed at Now.
//   - testdata/flask/vectors.json ([LoadFlask]): Flask session cookies
//     encoded or decoded by Flask's own signing serializer.
//
// The other formats' files (Starlette, JWS, Django: [StarletteFile],
// [JWSFile], [DjangoFile], [DjangoCurrentFile]) are read with
// [LoadVectors] into slices of [StarletteVector], [JWSVector] and
// [DjangoVector], or of types that embed them.
//
// testdata/README.md describes the fields and how the files are made. The
// loaders fail the test when a file is missing, malformed or empty, so a
// test that ranges over the vectors can never pass by testing nothing.
//
// # Typed values
//
// Python values are stored as typed values ([TV]): JSON objects with a type
// tag, such as {"t":"tuple","v":[...]} or {"t":"float","v":"nan"}. [TV.Value]
// and [TV.Ordered] rebuild them in the value model of package py; [EncodeTV]
// goes the other way, to send Go values to the Python oracle. Byte strings
// outside typed values (keys, salts, tokens) are [Bytes].
//
// # Comparing
//
// [Diff] compares two values of the py model exactly: Tuple is not a list,
// Markup is not a string, NaN equals NaN and -0.0 differs from 0.0.
package testvec
