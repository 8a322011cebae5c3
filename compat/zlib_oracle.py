"""Compress batches of inputs with Python's zlib.compress (level 6), for
the differential tests of internal/zlib6.

Protocol on stdin/stdout, all integers little-endian uint32:
  request:  count, then count times (length, bytes)
  response: count times (length, zlib.compress(bytes))
The response to a batch is flushed when the batch is done. An empty stdin
ends the process. The first line written is the zlib version, ending in
a newline, so the client can log what it compared against.

Run with /usr/bin/python3 from the repository root:
  /usr/bin/python3 compat/zlib_oracle.py
"""
import struct
import sys
import zlib


def main():
    rd = sys.stdin.buffer
    wr = sys.stdout.buffer
    wr.write(("zlib %s (runtime %s), Python %s\n" % (
        zlib.ZLIB_VERSION, zlib.ZLIB_RUNTIME_VERSION,
        sys.version.split()[0])).encode())
    wr.flush()
    u32 = struct.Struct("<I")
    compress = zlib.compress
    while True:
        head = rd.read(4)
        if len(head) < 4:
            return
        (count,) = u32.unpack(head)
        out = []
        for _ in range(count):
            (n,) = u32.unpack(rd.read(4))
            c = compress(rd.read(n))
            out.append(u32.pack(len(c)))
            out.append(c)
        wr.write(b"".join(out))
        wr.flush()


if __name__ == "__main__":
    main()
