#!/usr/bin/env python3
"""Hostile clients for tests/cli/attack.sh (scenario 5): they hold a
server's connections the way a slow or malicious client does.

  slow_client.py trickle PORT N SECONDS
      opens N connections and sends each a request's headers one byte
      every 0.5 s for SECONDS; prints, per connection, "closed T" (the
      server ended it after T seconds) or "open" (it was still open)
  slow_client.py hold PORT HASH LENGTH FILE BYTES SECONDS
      PUT /bundles/HASH declaring Content-Length LENGTH, after 1.5 s sends
      the first BYTES bytes of FILE, then holds the connection for SECONDS
  slow_client.py put PORT HASH LENGTH
      PUT /bundles/HASH declaring Content-Length LENGTH and no body yet;
      prints the status line and the Retry-After header of the answer if
      one comes within 3 s, else "no answer"
"""
import socket
import sys
import time


def connect(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    return s


def trickle(port, n, seconds):
    conns = []
    for _ in range(n):
        try:
            conns.append([connect(port), None])
        except OSError:
            conns.append([None, 0.0])
    text = b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 1000
    start = time.monotonic()
    i = 0
    while time.monotonic() - start < seconds:
        for c in conns:
            if c[1] is not None:
                continue
            try:
                c[0].send(text[i:i + 1])
                c[0].setblocking(False)
                try:
                    if c[0].recv(1) == b"":
                        c[1] = time.monotonic() - start
                except BlockingIOError:
                    pass
                c[0].setblocking(True)
            except OSError:
                c[1] = time.monotonic() - start
        i += 1
        time.sleep(0.5)
    for c in conns:
        print("open" if c[1] is None else "closed %.1f" % c[1])
        if c[0]:
            c[0].close()


def headers(hash_, length):
    return ("PUT /bundles/%s HTTP/1.1\r\nHost: x\r\nAccept-Language: en\r\n"
            "Content-Length: %d\r\n\r\n" % (hash_, length)).encode()


def hold(port, hash_, length, path, nbytes, seconds):
    s = connect(port)
    s.send(headers(hash_, length))
    if nbytes:
        time.sleep(1.5)
        with open(path, "rb") as f:
            s.send(f.read(nbytes))
    time.sleep(seconds)
    s.close()


def put(port, hash_, length):
    s = connect(port)
    s.settimeout(3)
    s.send(headers(hash_, length))
    try:
        data = s.recv(4096).decode("latin-1")
    except socket.timeout:
        print("no answer")
        return
    lines = data.split("\r\n")
    print(lines[0])
    for line in lines[1:]:
        if line.lower().startswith("retry-after:"):
            print(line)


def main():
    mode = sys.argv[1]
    if mode == "trickle":
        trickle(int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]))
    elif mode == "hold":
        hold(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5], int(sys.argv[6]),
             float(sys.argv[7]))
    elif mode == "put":
        put(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]))
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()
