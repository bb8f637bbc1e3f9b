#!/usr/bin/env python3
"""A stand-in intake for trying Edge locally: prints every request it gets
(method, path, content type and the body, decompressed) and answers
`202 {}` like Datadog's intake. Python standard library only.

    python3 examples/intake/intake.py            # listens on 127.0.0.1:9000
    python3 examples/intake/intake.py --port 9100
"""
import argparse
import gzip
import json
import sys
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def decode(body, encoding):
    """The body as text, undoing gzip/deflate; raw bytes shown otherwise."""
    encoding = (encoding or "").strip().lower()
    try:
        if encoding in ("gzip", "x-gzip"):
            body = gzip.decompress(body)
        elif encoding == "deflate":
            try:
                body = zlib.decompress(body)
            except zlib.error:
                body = zlib.decompress(body, -zlib.MAX_WBITS)
    except (OSError, zlib.error, EOFError) as err:
        return f"<{encoding} body that does not decompress: {err}>"
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return f"<{len(body)} bytes of binary data>"
    try:
        return json.dumps(json.loads(text), indent=2)
    except ValueError:
        return text


class Intake(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        print(f"--> {self.command} {self.path} "
              f"({self.headers.get('Content-Type', 'no content type')}, {length} bytes)")
        if body:
            print(decode(body, self.headers.get("Content-Encoding")))
        sys.stdout.flush()
        reply = b"{}"
        self.send_response(202)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    do_POST = do_PUT = do_GET = _answer

    def log_message(self, *args):
        pass  # the request line is printed by _answer


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=9000)
    args = ap.parse_args()
    server = ThreadingHTTPServer((args.host, args.port), Intake)
    print(f"intake listening on http://{args.host}:{args.port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
