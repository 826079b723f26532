#!/usr/bin/env python3
"""fake_server.py - a lying taizhang server for the hostile-peer tests.

    python3 fake_server.py MODE PORTFILE [ARG]

Listens on 127.0.0.1 (an ephemeral port, written to PORTFILE; each request's
method and path are appended to PORTFILE.log) and answers
the protocol of docs/network.md the way an attacker or a broken proxy would:

  biglist   GET /bundles lists one bundle of 200 MiB and GET /bundles/<hash>
            streams that many bytes (the client must not believe the size)
  present   PUT /bundles/<hash> takes the body and answers "200 present" with
            no receipt, or with the text of the file ARG after it (a forged
            or stale receipt); GET /receipts/<device> answers that file too
"""
import http.server
import os
import sys

MODE = sys.argv[1]
BIG = 200 << 20
SPOOL = "0123456789abcdef0123456789abcdef"
HASH = "ab" * 32


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def log_request(self, code="-", size="-"):
        with open(sys.argv[2] + ".log", "a") as f:
            f.write("%s %s\n" % (self.command, self.path))

    def reply(self, code, body):
        data = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path.startswith("/health"):
            return self.reply(200, "ok taizhang\n")
        if self.path.startswith("/bundles?") or self.path == "/bundles":
            if MODE == "biglist":
                return self.reply(200, "taizhang-spool v1 %s\n1 %s %d %s 1 1\n"
                                  % (SPOOL, HASH, BIG, "cd" * 16))
            return self.reply(200, "taizhang-spool v1 %s\n" % SPOOL)
        if self.path.startswith("/bundles/") and MODE == "biglist":
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(BIG))
            self.end_headers()
            chunk = b"\0" * (1 << 20)
            try:
                for _ in range(BIG >> 20):
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return None
        if self.path.startswith("/receipts/") and MODE == "present" and len(sys.argv) > 3:
            with open(sys.argv[3]) as f:
                return self.reply(200, f.read())
        return self.reply(404, "not found\n")

    def do_PUT(self):
        n = int(self.headers.get("Content-Length", "0"))
        while n > 0:
            got = self.rfile.read(min(n, 1 << 16))
            if not got:
                break
            n -= len(got)
        if MODE == "present" and self.path.startswith("/bundles/"):
            extra = ""
            if len(sys.argv) > 3:
                with open(sys.argv[3]) as f:
                    extra = f.read()
            return self.reply(200, "present %s\n%s" % (self.path[9:], extra))
        return self.reply(404, "not found\n")


srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(sys.argv[2] + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
os.rename(sys.argv[2] + ".tmp", sys.argv[2])
srv.serve_forever()
