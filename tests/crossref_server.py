"""A local HTTP server on 127.0.0.1 that speaks the Crossref REST API from fixture records.

Serves /works/{doi} (message-type `work`, 404 "Resource not found." for unknown DOIs) and
/works?query.bibliographic=...&rows=N&select=... (message-type `work-list`, items ranked
by a simple search-engine score over title, authors, container and year, so that decoys
come back beside the right work). Sends X-Rate-Limit-Limit / X-Rate-Limit-Interval
headers, counts requests, and injects faults on demand: every k-th request a 429 with
Retry-After, every m-th a 503, slow answers, malformed JSON, an enforced rate limit, or
the server down (connection refused). Used by the tests and by `make bench`.
"""
from __future__ import annotations

import json
import math
import re
import threading
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

FIXTURES = Path(__file__).parent / "data" / "crossref" / "works.json"


@dataclass
class Faults:
    every_429: int = 0          # every k-th request answers 429 with Retry-After
    every_503: int = 0          # every m-th request answers 503
    retry_after: float = 0.05
    slow_every: int = 0         # every n-th request sleeps `slow_seconds` before answering
    slow_seconds: float = 0.0
    malformed_every: int = 0    # every n-th request answers 200 with broken JSON
    rate_limit_per_s: float = 0.0  # enforce this many requests a second (429 beyond it)


def _tokens(text: str) -> list[str]:
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return re.findall(r"[a-z0-9]+", text)


def _item_text(item: dict) -> str:
    authors = " ".join(f"{a.get('given', '')} {a.get('family', '')}" for a in item.get("author", []))
    year = ""
    try:
        year = str(item["issued"]["date-parts"][0][0])
    except (KeyError, IndexError, TypeError):
        pass
    return " ".join([" ".join(item.get("title", [])), authors, " ".join(item.get("container-title", [])), year])


class Index:
    """BM25-like ranking over the fixture records."""

    def __init__(self, items: list[dict]):
        self.items = items
        self.docs = [Counter(_tokens(_item_text(i))) for i in items]
        self.df = Counter(t for d in self.docs for t in d)
        self.avg = sum(sum(d.values()) for d in self.docs) / max(1, len(self.docs))

    def search(self, query: str, rows: int) -> list[tuple[float, dict]]:
        terms = set(_tokens(query))
        scored = []
        n = len(self.docs)
        for doc, item in zip(self.docs, self.items):
            length = sum(doc.values())
            score = 0.0
            for term in terms:
                if term in doc:
                    idf = math.log(1 + (n - self.df[term] + 0.5) / (self.df[term] + 0.5))
                    tf = doc[term]
                    score += idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * length / self.avg))
            if score > 0:
                scored.append((round(score, 3), item))
        scored.sort(key=lambda pair: -pair[0])
        return scored[:rows]


class CrossrefStandIn:
    def __init__(self, items: list[dict] | None = None, faults: Faults | None = None):
        self.items = items if items is not None else json.loads(FIXTURES.read_text(encoding="utf-8"))
        self.by_doi = {i["DOI"].casefold(): i for i in self.items}
        self.index = Index(self.items)
        self.faults = faults or Faults()
        self.request_count = 0
        self.refused = 0  # answered 429 by the enforced rate limit
        self.paths: list[str] = []
        self.user_agents: list[str] = []
        self.lock = threading.Lock()
        self.window: list[float] = []
        self.server: ThreadingHTTPServer | None = None
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def start(self, port: int = 0):
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def do_GET(self):
                stand_in.handle(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    # -- answering -------------------------------------------------------------------------
    def _send(self, handler, status: int, body: str, content_type: str = "application/json", headers=None):
        data = body.encode("utf-8")
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data)))
        handler.send_header("X-Rate-Limit-Limit", str(int(self.faults.rate_limit_per_s or 50)))
        handler.send_header("X-Rate-Limit-Interval", "1s")
        for key, value in (headers or {}).items():
            handler.send_header(key, value)
        handler.end_headers()
        try:
            handler.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout under test): nothing to answer

    def handle(self, handler) -> None:
        with self.lock:
            self.request_count += 1
            n = self.request_count
            self.paths.append(handler.path)
            self.user_agents.append(handler.headers.get("User-Agent", ""))
            now = time.monotonic()
            limited = False
            if self.faults.rate_limit_per_s:
                self.window = [t for t in self.window if now - t < 1.0]
                limited = len(self.window) >= self.faults.rate_limit_per_s
                if not limited:
                    self.window.append(now)
                else:
                    self.refused += 1
        f = self.faults
        if f.slow_every and n % f.slow_every == 0:
            time.sleep(f.slow_seconds)
        if limited or (f.every_429 and n % f.every_429 == 0):
            retry = "1" if limited else str(f.retry_after)
            return self._send(handler, 429, json.dumps({"status": "error", "message": "Too many requests"}),
                              headers={"Retry-After": retry})
        if f.every_503 and n % f.every_503 == 0:
            return self._send(handler, 503, "Service Unavailable", content_type="text/plain")
        if f.malformed_every and n % f.malformed_every == 0:
            return self._send(handler, 200, '{"status": "ok", "message": {"items": [')
        parts = urlsplit(handler.path)
        if parts.path.startswith("/works/"):
            doi = unquote(parts.path[len("/works/"):]).casefold()
            item = self.by_doi.get(doi)
            if item is None:
                return self._send(handler, 404, "Resource not found.", content_type="text/plain")
            return self._send(handler, 200, json.dumps({"status": "ok", "message-type": "work",
                                                        "message-version": "1.0.0", "message": item}))
        if parts.path.rstrip("/") == "/works":
            params = parse_qs(parts.query)
            query = " ".join(params.get("query.bibliographic", []) + params.get("query", []))
            rows = int(params.get("rows", ["20"])[0])
            select = params.get("select", [""])[0]
            items = []
            for score, item in self.index.search(query, rows):
                item = dict(item, score=score)
                if select:
                    item = {k: v for k, v in item.items() if k in select.split(",")}
                items.append(item)
            message = {"status": "ok", "message-type": "work-list", "message-version": "1.0.0",
                       "message": {"total-results": len(items), "items": items, "items-per-page": rows,
                                   "query": {"start-index": 0, "search-terms": query}}}
            return self._send(handler, 200, json.dumps(message))
        return self._send(handler, 404, "Resource not found.", content_type="text/plain")
