"""The HTTP transport habanero uses for this pipeline: one shared client, every answer bounded.

Consumes the GET requests habanero makes (url, params, headers, timeout) and the bounds of the
settings; produces finished `httpx2.Response`s whose body was streamed and stopped at the caps:
at most `max_bytes` on the wire and `max_decoded_bytes` once unpacked (gzip and deflate are unpacked
here, a bounded piece at a time, so a gzip bomb stops at the cap instead of filling memory), and the
whole request, from connecting to the last byte, within `deadline` seconds (every socket read and
write waits at most what is left, so a server that drips a byte a second cannot hold a request
open). An answer over a cap raises `AnswerRefused`; past the deadline, `httpx2.ReadTimeout`.

habanero calls `httpx2.get` from its own modules and takes no transport. `route_habanero` (called when
the client makes its first request, never at import) points those modules at a router that sends a call to
the transport active in the calling thread (`with transport.active():`, one request per block: an
answer's next-cursor cannot make habanero page on and on) and any other call to httpx2 as before. The last response of each thread is kept so the client can read the headers
habanero does not return (rate limits, Retry-After).
"""
from __future__ import annotations

import contextlib
import threading
import time
import zlib
from dataclasses import dataclass

import httpcore2
import httpx2

CHUNK = 64 * 1024
DROPPED_HEADERS = ("content-encoding", "content-length", "transfer-encoding")
_deadline = threading.local()  # the deadline of the request the calling thread is making


class AnswerRefused(Exception):
    """An answer stopped while being read: over a byte cap, or in an encoding that cannot be read."""


@dataclass(frozen=True)
class Bounds:
    max_bytes: int
    max_decoded_bytes: int
    deadline: float


def _left(timeout: float | None) -> float | None:
    """The socket timeout, shortened to what is left of the request's deadline."""
    deadline = getattr(_deadline, "value", None)
    if deadline is None:
        return timeout
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise httpcore2.ReadTimeout("the request's overall deadline passed")
    return remaining if timeout is None else min(timeout, remaining)


class _DeadlineStream(httpcore2.NetworkStream):
    def __init__(self, stream):
        self.stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.stream.read(max_bytes, _left(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.stream.write(buffer, _left(timeout))

    def close(self) -> None:
        self.stream.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None):
        return _DeadlineStream(self.stream.start_tls(ssl_context, server_hostname, _left(timeout)))

    def get_extra_info(self, info: str):
        return self.stream.get_extra_info(info)


class _DeadlineBackend(httpcore2.SyncBackend):
    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        return _DeadlineStream(super().connect_tcp(host, port, _left(timeout), local_address, socket_options))


def _decoder(response):
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip", "deflate"):
        return zlib.decompressobj(47)  # 47: a gzip or a zlib header, whichever the answer has
    raise AnswerRefused(f"the answer is in a content encoding that is not read ({encoding[:30]})")


class BoundedTransport:
    """`get` as habanero calls it; one thread-safe `httpx2.Client` for every request."""

    def __init__(self, bounds: Bounds):
        self.bounds = bounds
        self.local = threading.local()
        http = httpx2.HTTPTransport()
        # the pool with a network backend that honours the deadline (httpx2 takes no backend argument)
        http._pool = httpcore2.ConnectionPool(ssl_context=httpx2.create_ssl_context(),
                                              network_backend=_DeadlineBackend())
        self.client = httpx2.Client(transport=http)

    @contextlib.contextmanager
    def active(self):
        """habanero's calls made in this thread inside the block go through this transport."""
        previous = getattr(_router.local, "transport", None)
        _router.local.transport = self
        self.local.requests = 0
        try:
            yield self
        finally:
            _router.local.transport = previous

    @property
    def last_response(self):
        return getattr(self.local, "response", None)

    def get(self, url, *, params=None, headers=None, timeout=None):
        self.local.response = None
        self.local.requests = getattr(self.local, "requests", 0) + 1
        if self.local.requests > 1:
            # habanero follows an answer's next-cursor page after page: one call, one request
            raise AnswerRefused("the answer asked for more pages (next-cursor); only one is read")
        request = self.client.build_request("GET", url, params=params, timeout=timeout,
                                            headers={**(headers or {}), "Accept-Encoding": "gzip, deflate"})
        _deadline.value = time.monotonic() + self.bounds.deadline
        try:
            streamed = self.client.send(request, stream=True)
            try:
                body = self._read(streamed)
            finally:
                streamed.close()  # a refused answer's connection is dropped, not read to its end
        except (httpx2.TimeoutException, httpcore2.TimeoutException):
            if time.monotonic() < _deadline.value:
                raise  # the socket's own timeout
            raise httpx2.ReadTimeout(f"no whole answer within the {self.bounds.deadline:g} s deadline of a request",
                                     request=request) from None
        finally:
            _deadline.value = None
        response = httpx2.Response(
            streamed.status_code, content=body, request=streamed.request,
            headers=[(k, v) for k, v in streamed.headers.multi_items() if k.lower() not in DROPPED_HEADERS])
        self.local.response = response
        return response

    def _read(self, response) -> bytes:
        """The body, unpacked; AnswerRefused past a cap, ReadTimeout past the deadline."""
        caps = self.bounds
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > caps.max_bytes:
            raise AnswerRefused(f"the answer announces {int(declared):,} bytes, over the {caps.max_bytes:,} cap")
        decoder, body, wire = _decoder(response), bytearray(), 0
        for chunk in response.iter_raw(CHUNK):
            wire += len(chunk)
            if wire > caps.max_bytes:
                raise AnswerRefused(f"the answer is over the {caps.max_bytes:,}-byte cap")
            try:
                # never unpack more than the room left: a bomb stops here, not in memory
                body += decoder.decompress(chunk, caps.max_decoded_bytes + 1 - len(body)) if decoder else chunk
            except zlib.error as error:
                raise AnswerRefused(f"the answer's compressed body is broken ({error})") from None
            if len(body) > caps.max_decoded_bytes:
                raise AnswerRefused(f"the answer unpacks to over the {caps.max_decoded_bytes:,}-byte cap")
            _left(None)  # a drip of small chunks, each within the socket timeout: past the deadline, a timeout
        if decoder:
            body += decoder.flush()[: caps.max_decoded_bytes + 1]
            if len(body) > caps.max_decoded_bytes:
                raise AnswerRefused(f"the answer unpacks to over the {caps.max_decoded_bytes:,}-byte cap")
        return bytes(body)


class _Router:
    """Stands in for the httpx2 module inside habanero: `get` goes to the calling thread's
    active transport (plain httpx2 without one); every other attribute is httpx2's own."""

    def __init__(self):
        self.local = threading.local()

    def get(self, url, **kwargs):
        transport = getattr(self.local, "transport", None)
        return (transport or httpx2).get(url, **kwargs)

    def __getattr__(self, name):
        return getattr(httpx2, name)


_router = _Router()


def route_habanero() -> None:
    """Send habanero's requests through the router (idempotent; called when the client first asks)."""
    import habanero.request as habanero_request
    import habanero.request_class as habanero_request_class

    habanero_request.httpx2 = _router         # DOI lookups
    habanero_request_class.httpx2 = _router   # searches
