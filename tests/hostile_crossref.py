"""A hostile Crossref: a real HTTP server on 127.0.0.1 that answers every request badly, one way per case.

Consumes a case name (and sizes, so that the tests can stay small and quick while `bench/bench_hostile.py`
uses the sizes of the adversarial round); produces, for every /works request, the answer of that case:

- shapes that are not the REST API's: `message: null`, `message: []`, a top-level list or string,
  `subject: 7`, `date-parts [[1e400]]`, `score: "high"` (`malformed:<name>`, or `malformed` for each in turn);
- a huge answer (`huge`: one title of `size` bytes), a gzip bomb (`bomb`: `size` bytes of JSON sent
  gzip-compressed, about a thousandth on the wire), more items than asked (`items`: `size` items);
- a slow answer (`drip`: headers, then the body one byte every `drip_seconds`), a rate limit of zero
  (`ratelimit0`: `X-Rate-Limit-Limit: 0` and a huge interval on good answers), and
  `retry-after`: a 429 with `Retry-After: size` on every request.

Every loop stops by itself: a drip ends when the client hangs up or after `drip_bytes`; the server
only listens on loopback. Used by tests/test_hostile_crossref.py and bench/bench_hostile.py.
"""
from __future__ import annotations

import json
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MALFORMED = {
    "message-null": {"status": "ok", "message-type": "work", "message": None},
    "message-list": {"status": "ok", "message-type": "work", "message": []},
    "top-list": [{"DOI": "10.1/x"}],
    "top-string": "not an object",
    "subject-7": {"status": "ok", "message-type": "work",
                  "message": {"DOI": "10.1/x", "title": ["A title"], "subject": 7}},
    "date-1e400": None,  # written by hand below: json.dumps cannot write a number that overflows a float
    "score-high": {"status": "ok", "message-type": "work-list",
                   "message": {"total-results": 1, "items": [{"DOI": "10.1/x", "title": ["A title"], "score": "high"}]}},
}
DATE_1E400 = ('{"status": "ok", "message-type": "work", "message": {"DOI": "10.1/x", "title": ["A title"], '
              '"issued": {"date-parts": [[1e400]]}}}')
CASES = ("malformed", "huge", "bomb", "items", "drip", "ratelimit0", "retry-after")


def malformed_body(name: str) -> bytes:
    return (DATE_1E400 if name == "date-1e400" else json.dumps(MALFORMED[name])).encode()


WORK_HEAD = b'{"status": "ok", "message-type": "work", "message": {"DOI": "10.1/x", "title": ["'
WORK_TAIL = b'"]}}'
LIST_HEAD = (b'{"status": "ok", "message-type": "work-list", "message": {"total-results": 1, "items": [{"DOI": "10.1/x", '
             b'"score": 1.0, "title": ["')
LIST_TAIL = b'"]}]}}'


def _frame(search: bool) -> tuple[bytes, bytes]:
    """The JSON around one title: a `work` answer for /works/{doi}, a `work-list` for a search."""
    return (LIST_HEAD, LIST_TAIL) if search else (WORK_HEAD, WORK_TAIL)


def huge_body(size: int, search: bool = False) -> bytes:
    head, tail = _frame(search)
    return head + b"a " * max(0, (size - len(head) - len(tail)) // 2) + tail


def bomb_body(size: int, search: bool = False) -> bytes:
    """`size` bytes of a valid-looking answer, gzip-compressed (about size/1000 on the wire)."""
    head, tail = _frame(search)
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [packer.compress(head)]
    block = b"a " * (1 << 19)
    for _ in range(size >> 20):
        parts.append(packer.compress(block))
    parts.append(packer.compress(tail))
    parts.append(packer.flush())
    return b"".join(parts)


def items_body(count: int) -> bytes:
    items = ",".join(f'{{"DOI": "10.1/{i}", "title": ["Item {i}"], "score": 1.0}}' for i in range(count))
    return ('{"status": "ok", "message-type": "work-list", "message": {"total-results": %d, "items": [%s]}}'
            % (count, items)).encode()


class HostileCrossref:
    """`with HostileCrossref("bomb", size=...) as server:` then point the pipeline at `server.url`."""

    def __init__(self, case: str, size: int = 0, drip_seconds: float = 1.0, drip_bytes: int = 600):
        if case.split(":")[0] not in CASES:
            raise ValueError(f"unknown case {case!r}")
        self.case, self.size = case, size
        self.drip_seconds, self.drip_bytes = drip_seconds, drip_bytes
        self.requests = 0
        self.lock = threading.Lock()
        self._bombs = {search: bomb_body(size, search) for search in (False, True)} if case == "bomb" else {}
        self.server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self):
        hostile = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def handle(self):
                try:
                    super().handle()
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client hung up on a refused answer, as it should

            def do_GET(self):
                try:
                    hostile.answer(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up, as it should

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def _send(self, handler, status: int, body: bytes, headers: dict | None = None) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            handler.send_header(key, value)
        handler.end_headers()
        if self.case != "drip":
            handler.wfile.write(body)
            return
        for byte in body[: self.drip_bytes]:  # stops by itself, or when the client hangs up
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            time.sleep(self.drip_seconds)
        handler.close_connection = True

    def answer(self, handler) -> None:
        with self.lock:
            self.requests += 1
            n = self.requests
        case, _, which = self.case.partition(":")
        search = not handler.path.split("?")[0].rstrip("/").rpartition("/works")[2]  # /works?query=...
        if case == "malformed":
            names = [which] if which else list(MALFORMED)
            return self._send(handler, 200, malformed_body(names[n % len(names)]))
        if case == "huge":
            return self._send(handler, 200, huge_body(self.size, search))
        if case == "bomb":
            return self._send(handler, 200, self._bombs[search], {"Content-Encoding": "gzip"})
        if case == "items":
            return self._send(handler, 200, items_body(self.size))
        if case == "drip":
            return self._send(handler, 200, huge_body(2000, search))
        if case == "ratelimit0":
            return self._send(handler, 200, huge_body(100, search),
                              {"X-Rate-Limit-Limit": "0", "X-Rate-Limit-Interval": "100000s"})
        return self._send(handler, 429, b'{"status": "error", "message": "Too many requests"}',
                          {"Retry-After": str(self.size or 100000)})
