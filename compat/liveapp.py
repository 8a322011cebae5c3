"""What the live test apps (compat/*app/app.py) share beside the fake clock
(fakeclock.py): the loopback socket they listen on, the "READY <port>" line
the Go side waits for (internal/testonly/pyapp), and the exit when the test
closes their stdin, so that no app outlives its test.
"""

import os
import socket
import sys
import threading


def exit_when_stdin_closes():
    """Exit the process, from a daemon thread, when stdin reaches its end."""
    def watch():
        try:
            sys.stdin.read()
        finally:
            os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def listen(backlog=128):
    """A TCP socket listening on 127.0.0.1, on a port the OS picks."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(backlog)
    return sock


def ready(port):
    """Tell the Go side the app listens on port."""
    print(f"READY {port}", flush=True)
