"""A raw-socket HTTP/1.1 server on loopback that misbehaves on purpose.

Each request the server reads (request line, headers, Content-Length body)
is recorded as a :class:`~support.capture_server.CapturedRequest` and then
answered by the next scripted :class:`Fault` (in arrival order; once the
script is used up, the default fault answers). A fault can:

* answer normally (any status, headers, body), optionally closing after;
* ``reset``: close the connection with SO_LINGER 0 (the client sees a TCP
  RST, "connection reset by peer") without sending a byte;
* ``drop``: close the connection cleanly (FIN) without answering;
* ``hang``: send nothing for ``hang`` seconds (bounded, cut short by stop()),
  then close -- a read timeout for any client with a smaller read_timeout;
* ``truncate_to``: announce the full Content-Length but send only the first
  ``truncate_to`` bytes of the body, then close;
* ``slow_chunks``: send the body in pieces, ``chunk_delay`` seconds apart;
* ``head_delay``: wait before sending the status line (a slow but
  successful server).

Also here: :class:`ClosedPort` (a bound, never-listening port: connecting
is refused at once) and :class:`FullBacklogPort` (a listening socket whose
accept queue is full, so a new connection's SYN goes unanswered: a connect
timeout without leaving loopback).

Everything is bounded: at most ``max_connections`` live connections (extra
ones are closed at once), socket timeouts on every read, every sleep capped
at ``MAX_SLEEP`` seconds and interrupted by stop(). Only 127.0.0.1 is bound.
"""

from __future__ import annotations

import collections
import dataclasses
import email.utils
import socket
import struct
import threading
import time
from typing import Callable, Deque, List, Optional, Sequence, Tuple, Union

from .capture_server import CapturedRequest

__all__ = [
    "Fault",
    "FaultServer",
    "FIXED_DATE",
    "ClosedPort",
    "FullBacklogPort",
    "respond",
    "s3_error",
    "slowdown_503",
    "internal_error_500",
    "too_many_requests_429",
    "html_502",
    "no_content_204",
    "RESET",
    "DROP",
    "hang",
    "truncated",
    "slow_body",
]

MAX_SLEEP = 10.0  # no fault ever sleeps longer than this
REQUEST_ID = "FAULTREQ0123456789"
HOST_ID = "ZmF1bHQtc2VydmVyLWhvc3QtaWQ="
# Responses carry this Date (as S3's do, a Date is always there): botocore
# derives the amz-sdk-request "ttl" of a retry from it, and a fixed value
# makes that ttl the same for every client and every run.
FIXED_DATE = "Wed, 01 Mar 2023 12:00:00 GMT"


@dataclasses.dataclass
class Fault:
    status: int = 200
    headers: Sequence[Tuple[str, str]] = ()
    body: bytes = b""
    reason: Optional[str] = None
    close: bool = False  # close after answering (Connection: close sent)
    reset: bool = False  # RST without answering
    drop: bool = False  # FIN without answering
    hang: float = 0.0  # seconds of silence, then close
    head_delay: float = 0.0  # seconds before the status line
    truncate_to: Optional[int] = None  # send only this many body bytes, then close
    slow_chunks: int = 0  # send the body in this many pieces ...
    chunk_delay: float = 0.0  # ... this many seconds apart
    date: Optional[str] = "fixed"  # Date header: "fixed" (FIXED_DATE), "now", or None for none

    def head_bytes(self) -> bytes:
        reason = self.reason
        if reason is None:
            from http import HTTPStatus

            try:
                reason = HTTPStatus(self.status).phrase
            except ValueError:
                reason = "Unknown"
        headers = list(self.headers)
        names = {k.lower() for k, _ in headers}
        if self.date and "date" not in names:
            value = email.utils.formatdate(usegmt=True) if self.date == "now" else FIXED_DATE
            headers.insert(0, ("Date", value))
        if "content-length" not in names and "transfer-encoding" not in names:
            headers.append(("Content-Length", str(len(self.body))))
        if (self.close or self.truncate_to is not None) and "connection" not in names:
            headers.append(("Connection", "close"))
        head = f"HTTP/1.1 {self.status} {reason}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers)
        return head.encode("latin-1") + b"\r\n"


FaultSpec = Union[Fault, Callable[[CapturedRequest], Fault]]


# -- canned faults ---------------------------------------------------------
AMZ_IDS = [("x-amz-request-id", REQUEST_ID), ("x-amz-id-2", HOST_ID)]


def s3_error(status: int, code: str, message: str, **kw) -> Fault:
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{code}</Code><Message>{message}</Message>"
        f"<RequestId>{REQUEST_ID}</RequestId><HostId>{HOST_ID}</HostId></Error>"
    ).encode()
    return Fault(status, AMZ_IDS + [("Content-Type", "application/xml")], body, **kw)


def respond(status: int = 200, body: bytes = b"", headers: Sequence[Tuple[str, str]] = (), **kw) -> Fault:
    return Fault(status, AMZ_IDS + list(headers), body, **kw)


def slowdown_503(**kw) -> Fault:
    return s3_error(503, "SlowDown", "Please reduce your request rate.", **kw)


def internal_error_500(**kw) -> Fault:
    return s3_error(500, "InternalError", "We encountered an internal error. Please try again.", **kw)


def too_many_requests_429(**kw) -> Fault:
    return s3_error(429, "TooManyRequests", "Too many requests", **kw)


def html_502(**kw) -> Fault:
    return Fault(
        502,
        [("Content-Type", "text/html"), ("Server", "nginx")],
        b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
        b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
        **kw,
    )


def no_content_204(**kw) -> Fault:
    return respond(204, **kw)


RESET = Fault(reset=True)
DROP = Fault(drop=True)


def hang(seconds: float) -> Fault:
    return Fault(hang=seconds)


def truncated(status: int = 200, body: bytes = b"", keep: int = 0, headers=()) -> Fault:
    return Fault(status, AMZ_IDS + list(headers), body, truncate_to=keep)


def slow_body(status: int, body: bytes, pieces: int, delay: float, headers=()) -> Fault:
    return Fault(status, AMZ_IDS + list(headers), body, slow_chunks=pieces, chunk_delay=delay)


# -- the server ------------------------------------------------------------
class _Closed(Exception):
    pass


class _IdleTimeout(Exception):
    pass


class FaultServer:
    """Usage::

        with FaultServer(default=no_content_204()) as srv:
            srv.script(slowdown_503(), slowdown_503())   # then the default
            client = ...(endpoint_url=srv.url)
            ...
            assert srv.count == 3
    """

    MAX_HEAD = 64 * 1024
    MAX_BODY = 16 * 1024 * 1024

    def __init__(self, default: Optional[FaultSpec] = None, max_connections: int = 128,
                 read_timeout: float = 15.0):
        self._default: FaultSpec = default if default is not None else no_content_204()
        self._script: Deque[FaultSpec] = collections.deque()
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)
        self._requests: List[CapturedRequest] = []
        self._threads: List[threading.Thread] = []
        self._conns: List[socket.socket] = []
        self._stopping = threading.Event()
        self._sock: Optional[socket.socket] = None
        self.max_connections = max_connections
        self.read_timeout = read_timeout
        self.connections = 0  # connections accepted
        self.refused = 0  # connections closed for exceeding max_connections
        self.peer_closes = 0  # connections the client closed (EOF between requests)
        self.open_connections = 0  # connections currently open
        self.peak_connections = 0  # the most open at once
        self.errors: List[str] = []  # malformed requests
        self.accept_errors: List[str] = []  # accept() failures (the server keeps accepting)
        self.port = 0

    # lifecycle
    def start(self) -> "FaultServer":
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        sock.listen(128)
        sock.settimeout(0.2)
        self._sock = sock
        self.port = sock.getsockname()[1]
        t = threading.Thread(target=self._accept_loop, name="fault-accept", daemon=True)
        t.start()
        self._threads.append(t)
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._sock is not None:
            try:
                self._sock.close()
            except OSError:
                pass
        with self._lock:
            conns = list(self._conns)
            threads = list(self._threads)
        for c in conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            try:
                c.close()
            except OSError:
                pass
        for t in threads:
            t.join(timeout=2)

    def __enter__(self) -> "FaultServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # scripting
    def script(self, *faults: FaultSpec) -> None:
        """Answer the next requests with these faults, in order, then the default."""
        with self._lock:
            self._script.extend(faults)

    def set_default(self, fault: FaultSpec) -> None:
        with self._lock:
            self._default = fault

    def reset(self, default: Optional[FaultSpec] = None, *faults: FaultSpec) -> None:
        """Forget the requests seen and the script; optionally set a new default and script."""
        with self._lock:
            self._requests.clear()
            self._script.clear()
            self.errors.clear()
            if default is not None:
                self._default = default
            self._script.extend(faults)

    # results
    @property
    def requests(self) -> List[CapturedRequest]:
        with self._lock:
            return list(self._requests)

    @property
    def count(self) -> int:
        with self._lock:
            return len(self._requests)

    def pop_all(self) -> List[CapturedRequest]:
        with self._lock:
            out = list(self._requests)
            self._requests.clear()
            return out

    def wait_until(self, predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
        """Poll ``predicate`` (e.g. on peer_closes) for up to ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if predicate():
                    return True
            time.sleep(0.02)
        with self._lock:
            return predicate()

    def wait_for(self, n: int, timeout: float = 5.0) -> int:
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self._requests) < n:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
            return len(self._requests)

    # internals
    def _accept_loop(self) -> None:
        assert self._sock is not None
        while not self._stopping.is_set():
            try:
                conn, _ = self._sock.accept()
            except socket.timeout:
                continue
            except OSError as e:
                if self._stopping.is_set():
                    return
                # e.g. ECONNABORTED: a client gave up before we accepted; keep serving
                self.accept_errors.append(repr(e))
                time.sleep(0.01)
                continue
            with self._lock:
                live = [t for t in self._threads if t.is_alive()]
                self._threads = live
                if len(live) > self.max_connections:
                    self.refused += 1
                    conn.close()
                    continue
                self.connections += 1
                self.open_connections += 1
                self.peak_connections = max(self.peak_connections, self.open_connections)
                cid = self.connections
                self._conns.append(conn)
                t = threading.Thread(target=self._serve, args=(conn, cid), name=f"fault-{cid}", daemon=True)
                self._threads.append(t)
            t.start()

    def _sleep(self, seconds: float) -> bool:
        """Bounded, interruptible sleep; True when the server is stopping."""
        return self._stopping.wait(min(max(seconds, 0.0), MAX_SLEEP))

    def _serve(self, conn: socket.socket, cid: int) -> None:
        conn.settimeout(self.read_timeout)
        buf = bytearray()
        try:
            while not self._stopping.is_set():
                try:
                    req = self._read_request(conn, buf, cid)
                except (_Closed, ConnectionResetError):
                    with self._lock:
                        self.peer_closes += 1
                    return
                except _IdleTimeout:
                    return
                except ValueError as e:
                    with self._lock:
                        self.errors.append(str(e))
                    return
                req.received_at = time.time()  # type: ignore[attr-defined]
                with self._cond:
                    self._requests.append(req)
                    spec = self._script.popleft() if self._script else self._default
                    self._cond.notify_all()
                fault = spec(req) if callable(spec) else spec
                if not self._play(conn, fault, req):
                    return
        except OSError:
            return
        finally:
            with self._lock:
                if conn in self._conns:
                    self._conns.remove(conn)
                self.open_connections -= 1
            try:
                conn.close()
            except OSError:
                pass

    def _play(self, conn: socket.socket, f: Fault, req: CapturedRequest) -> bool:
        """Act out one fault; False when the connection is finished."""
        if f.reset:
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return False
        if f.drop:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return False
        if f.hang:
            self._sleep(f.hang)
            return False
        if f.head_delay and self._sleep(f.head_delay):
            return False
        head = f.head_bytes()
        if req.method == "HEAD":
            conn.sendall(head)
            return not f.close
        if f.truncate_to is not None:
            conn.sendall(head + f.body[: f.truncate_to])
            try:
                conn.shutdown(socket.SHUT_WR)
            except OSError:
                pass
            return False
        if f.slow_chunks > 1 and f.body:
            conn.sendall(head)
            n = f.slow_chunks
            size = max(1, -(-len(f.body) // n))
            for i in range(0, len(f.body), size):
                if i and self._sleep(f.chunk_delay):
                    return False
                conn.sendall(f.body[i : i + size])
        else:
            conn.sendall(head + f.body)
        if f.close or (req.header("Connection") or "").lower() == "close":
            return False
        return True

    def _read_request(self, conn: socket.socket, buf: bytearray, cid: int) -> CapturedRequest:
        while b"\r\n\r\n" not in buf:
            if len(buf) > self.MAX_HEAD:
                raise ValueError("request head too large")
            try:
                data = conn.recv(65536)
            except socket.timeout:
                if buf.strip():
                    raise ValueError(f"timed out inside a request head: {bytes(buf[:300])!r}")
                raise _IdleTimeout()  # an idle keep-alive connection: we hang up
            if not data:
                if buf.strip():
                    raise ValueError("connection closed inside the request head")
                raise _Closed()
            buf += data
        end = buf.index(b"\r\n\r\n")
        head = bytes(buf[:end]).decode("latin-1")
        del buf[: end + 4]
        lines = head.split("\r\n")
        while lines and not lines[0]:
            lines.pop(0)
        try:
            method, target, version = lines[0].split(" ")
        except (ValueError, IndexError):
            raise ValueError(f"malformed request line {lines[:1]!r}")
        headers = []
        raw_headers = []
        for line in lines[1:]:
            name, sep, value = line.partition(":")
            if not sep:
                raise ValueError(f"malformed header line {line!r}")
            raw_headers.append((name, value.encode("latin-1")))
            headers.append((name, value.strip(" \t").encode("latin-1").decode("utf-8", "surrogateescape")))
        lower = {k.lower(): v for k, v in headers}
        if lower.get("transfer-encoding"):
            raise ValueError("chunked request bodies are not expected here")
        n = int(lower.get("content-length", "0") or "0")
        if n < 0 or n > self.MAX_BODY:
            raise ValueError("bad content-length")
        if lower.get("expect", "").lower() == "100-continue":
            conn.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
        while len(buf) < n:
            try:
                data = conn.recv(65536)
            except socket.timeout:
                raise ValueError(f"timed out waiting for the body: got {len(buf)} of {n} bytes after {head[:300]!r}")
            if not data:
                raise ValueError("connection closed inside the body")
            buf += data
        body = bytes(buf[:n])
        del buf[:n]
        return CapturedRequest(method, target, version, headers, body, cid, False, False, raw_headers)


class ClosedPort:
    """A loopback port nobody listens on (kept bound, so no one else takes it):
    connecting is refused at once."""

    def __init__(self) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        self.port = self._sock.getsockname()[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self._sock.close()

    def __enter__(self) -> "ClosedPort":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class FullBacklogPort:
    """A listening loopback socket that never accepts, its (tiny) accept queue
    filled by our own connections: the kernel drops further SYNs, so a client
    connecting here waits for its connect timeout."""

    def __init__(self, fillers: int = 8) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(0)
        self.port = self._sock.getsockname()[1]
        self._fillers: List[socket.socket] = []
        for _ in range(fillers):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setblocking(False)
            try:
                s.connect(("127.0.0.1", self.port))
            except (BlockingIOError, OSError):
                pass
            self._fillers.append(s)
        time.sleep(0.05)

    def connect_times_out(self, timeout: float = 0.3) -> bool:
        """Whether a fresh connection here really hangs (the trick works on this kernel)."""
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.settimeout(timeout)
        try:
            s.connect(("127.0.0.1", self.port))
        except socket.timeout:
            return True
        except OSError:
            return False
        finally:
            s.close()
        return False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        for s in self._fillers:
            s.close()
        self._sock.close()

    def __enter__(self) -> "FullBacklogPort":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
