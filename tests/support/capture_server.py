"""A tiny threaded HTTP/1.1 server that records requests exactly as received.

Each request is stored as a :class:`CapturedRequest` (method, raw request
target, header list in wire order and case, body bytes) and answered with a
canned response.  The server also works as a plain-HTTP forward proxy: a
client configured with ``proxies={"http": server.url}`` sends absolute-form
targets (``PUT http://bucket.s3.amazonaws.com/?policy HTTP/1.1``), which lets
tests observe requests addressed to real AWS host names without any network.

Optional TLS (``tls=True``) uses a throw-away CA and a certificate for
127.0.0.1/localhost; ``server.ca_file`` (the CA) is the path to pass as ``verify=``.

Only loopback is ever bound.
"""

from __future__ import annotations

import collections
import dataclasses
import os
import socket
import ssl
import tempfile
import threading
import time
from typing import Callable, Deque, List, Optional, Sequence, Tuple, Union
from urllib.parse import urlsplit

__all__ = ["CaptureServer", "CannedResponse", "CapturedRequest"]

Headers = List[Tuple[str, str]]


@dataclasses.dataclass
class CapturedRequest:
    method: str
    target: str  # raw request-target as sent (origin-form or absolute-form)
    version: str
    headers: Headers  # (name, value) in wire order, original case
    body: bytes
    connection_id: int
    chunked: bool = False
    tls: bool = False
    raw_headers: List[Tuple[str, bytes]] = dataclasses.field(default_factory=list)
    # raw_headers: (name, value bytes exactly as after the colon)

    # -- convenience -----------------------------------------------------
    def header(self, name: str, default: Optional[str] = None) -> Optional[str]:
        """Value of the (single) header ``name`` (case-insensitive)."""
        values = self.header_all(name)
        if not values:
            return default
        if len(values) > 1:
            raise AssertionError(f"header {name!r} sent {len(values)} times")
        return values[0]

    def header_all(self, name: str) -> List[str]:
        lname = name.lower()
        return [v for (k, v) in self.headers if k.lower() == lname]

    def header_names(self) -> List[str]:
        return [k for (k, _) in self.headers]

    @property
    def is_absolute_form(self) -> bool:
        return "://" in self.target.split("?", 1)[0]

    @property
    def path_and_query(self) -> str:
        """The origin-form target (path plus '?query' if any)."""
        if self.is_absolute_form:
            rest = self.target.split("://", 1)[1]
            cut = min([i for i in (rest.find("/"), rest.find("?")) if i >= 0], default=len(rest))
            pq = rest[cut:]
            return pq if pq.startswith("/") else "/" + pq
        return self.target

    @property
    def target_authority(self) -> Optional[str]:
        """host[:port] of an absolute-form target (proxy requests), else None."""
        if not self.is_absolute_form:
            return None
        return urlsplit(self.target).netloc

    @property
    def path(self) -> str:
        return self.path_and_query.split("?", 1)[0]

    @property
    def query(self) -> Optional[str]:
        pq = self.path_and_query
        return pq.split("?", 1)[1] if "?" in pq else None

    @property
    def host(self) -> Optional[str]:
        """The Host header as sent (that is what the request is addressed to)."""
        return self.header("Host")

    def url(self, scheme: Optional[str] = None) -> str:
        """Full URL of the request, as the client addressed it."""
        if self.is_absolute_form:
            return self.target
        if scheme is None:
            scheme = "https" if self.tls else "http"
        return f"{scheme}://{self.host}{self.target}"

    def safe_repr(self) -> str:
        """A description without secrets (for assertion messages)."""
        hidden = {"authorization", "x-amz-security-token", "x-amz-s3session-token"}
        hs = [(k, "<hidden>" if k.lower() in hidden else v) for (k, v) in self.headers]
        target = self.target
        if "signature" in target.lower() or "security-token" in target.lower():
            # a presigned query string carries secrets: hide it
            target = target.split("?", 1)[0] + "?<hidden>"
        return f"{self.method} {target} {hs} body[{len(self.body)}]"

    def __repr__(self) -> str:  # never print secrets in pytest output
        return f"CapturedRequest({self.safe_repr()})"


@dataclasses.dataclass
class CannedResponse:
    status: int = 200
    headers: Sequence[Tuple[str, str]] = ()
    body: bytes = b""
    reason: Optional[str] = None
    close: bool = False  # close the connection after answering
    delay: float = 0.0  # seconds to wait before answering (read-timeout tests)
    drop: bool = False  # close the connection without answering at all

    def to_bytes(self) -> bytes:
        reason = self.reason
        if reason is None:
            from http import HTTPStatus

            try:
                reason = HTTPStatus(self.status).phrase
            except ValueError:
                reason = "Unknown"
        body = self.body.encode("utf-8") if isinstance(self.body, str) else self.body
        headers = list(self.headers)
        if not any(k.lower() in ("content-length", "transfer-encoding") for k, _ in headers):
            headers.append(("Content-Length", str(len(body))))
        if self.close and not any(k.lower() == "connection" for k, _ in headers):
            headers.append(("Connection", "close"))
        head = f"HTTP/1.1 {self.status} {reason}\r\n" + "".join(
            f"{k}: {v}\r\n" for k, v in headers
        )
        return head.encode("latin-1") + b"\r\n" + body


ResponseSpec = Union[CannedResponse, Callable[[CapturedRequest], CannedResponse]]


class _BadRequest(Exception):
    pass


def _make_self_signed(directory: str) -> Tuple[str, str, str]:
    """Create a throw-away CA and a server certificate it signs for
    127.0.0.1/localhost; return (ca_cert, server_cert_chain, server_key).

    (A CA certificate used directly as the server certificate is rejected by
    webpki/rustls, so the server gets a proper leaf.)"""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "fastboto-test-ca")])
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                     content_commitment=False, key_encipherment=False, data_encipherment=False,
                                     key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    ca_path = os.path.join(directory, "ca.pem")
    chain_path = os.path.join(directory, "server.pem")
    key_path = os.path.join(directory, "server-key.pem")
    pem = serialization.Encoding.PEM
    with open(ca_path, "wb") as f:
        f.write(ca_cert.public_bytes(pem))
    with open(chain_path, "wb") as f:
        f.write(cert.public_bytes(pem) + ca_cert.public_bytes(pem))
    with open(key_path, "wb") as f:
        f.write(key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return ca_path, chain_path, key_path


class CaptureServer:
    """Record every request; answer each with a canned response.

    Usage::

        with CaptureServer() as srv:
            srv.set_response(CannedResponse(404, [...], b"..."))
            ...  # point a client at srv.url
            (req,) = srv.requests
    """

    MAX_HEADER_BYTES = 256 * 1024
    MAX_BODY_BYTES = 64 * 1024 * 1024

    def __init__(self, response: Optional[ResponseSpec] = None, tls: bool = False,
                 ssl_context: Optional[ssl.SSLContext] = None):
        self._default: ResponseSpec = response or CannedResponse()
        self._queue: Deque[ResponseSpec] = collections.deque()
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)
        self._requests: List[CapturedRequest] = []
        self._conn_seq = 0
        self._threads: List[threading.Thread] = []
        self._conns: List[socket.socket] = []
        self._stopping = threading.Event()
        self._sock: Optional[socket.socket] = None
        self.errors: List[str] = []  # protocol errors seen (malformed requests)
        # `ssl_context`: the test's own server certificates (and client
        # certificate requirements) instead of the throw-away CA's.
        self.tls = tls or ssl_context is not None
        self._tmpdir: Optional[tempfile.TemporaryDirectory] = None
        self._ssl_ctx: Optional[ssl.SSLContext] = ssl_context
        self.ca_file: Optional[str] = None
        self.port: int = 0

    # -- lifecycle -------------------------------------------------------
    def start(self) -> "CaptureServer":
        if self.tls and self._ssl_ctx is None:
            self._tmpdir = tempfile.TemporaryDirectory(prefix="capture-tls-")
            ca, chain, key = _make_self_signed(self._tmpdir.name)
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(chain, key)
            self._ssl_ctx = ctx
            self.ca_file = ca
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)
        sock.settimeout(0.2)
        self._sock = sock
        self.port = sock.getsockname()[1]
        t = threading.Thread(target=self._accept_loop, name="capture-accept", daemon=True)
        t.start()
        self._threads.append(t)
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._sock is not None:
            try:
                self._sock.shutdown(socket.SHUT_RDWR)  # wakes accept()
            except OSError:
                pass
            try:
                self._sock.close()
            except OSError:
                pass
        with self._lock:
            conns = list(self._conns)
        for c in conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            try:
                c.close()
            except OSError:
                pass
        for t in self._threads:
            t.join(timeout=2)
        if self._tmpdir is not None:
            self._tmpdir.cleanup()
            self._tmpdir = None

    def __enter__(self) -> "CaptureServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- configuration ---------------------------------------------------
    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    @property
    def proxy_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def set_response(self, response: ResponseSpec) -> None:
        """Answer every later request with ``response`` (or call it)."""
        with self._lock:
            self._default = response
            self._queue.clear()

    def respond(self, status: int = 200, headers: Sequence[Tuple[str, str]] = (), body: bytes = b"") -> None:
        self.set_response(CannedResponse(status, list(headers), body))

    def enqueue(self, *responses: ResponseSpec) -> None:
        """Answer the next requests with these, in order, then the default."""
        with self._lock:
            self._queue.extend(responses)

    # -- results ---------------------------------------------------------
    @property
    def requests(self) -> List[CapturedRequest]:
        with self._lock:
            return list(self._requests)

    def clear(self) -> None:
        with self._lock:
            self._requests.clear()
            self._queue.clear()
            self.errors.clear()

    def pop_all(self) -> List[CapturedRequest]:
        with self._lock:
            out = list(self._requests)
            self._requests.clear()
            return out

    def wait_for(self, n: int, timeout: float = 5.0) -> List[CapturedRequest]:
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self._requests) < n:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
            return list(self._requests)

    # -- internals -------------------------------------------------------
    def _accept_loop(self) -> None:
        assert self._sock is not None
        while not self._stopping.is_set():
            try:
                conn, _ = self._sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            with self._lock:
                self._conn_seq += 1
                cid = self._conn_seq
                self._conns.append(conn)
            t = threading.Thread(target=self._serve, args=(conn, cid), name=f"capture-{cid}", daemon=True)
            t.start()
            with self._lock:
                self._threads = [x for x in self._threads if x.is_alive()] + [t]

    def _serve(self, conn: socket.socket, cid: int) -> None:
        conn.settimeout(30)
        tls = False
        try:
            if self._ssl_ctx is not None:
                conn = self._ssl_ctx.wrap_socket(conn, server_side=True)
                tls = True
                with self._lock:
                    self._conns.append(conn)
            reader = _Reader(conn)
            while not self._stopping.is_set():
                try:
                    req = self._read_request(reader, conn, cid, tls)
                except _BadRequest as e:
                    with self._lock:
                        self.errors.append(str(e))
                    conn.sendall(CannedResponse(400, [], b"bad request", close=True).to_bytes())
                    return
                if req is None:
                    return
                with self._cond:
                    self._requests.append(req)
                    spec = self._queue.popleft() if self._queue else self._default
                    self._cond.notify_all()
                resp = spec(req) if callable(spec) else spec
                if resp.delay and self._stopping.wait(resp.delay):
                    return
                if resp.drop:
                    return
                conn.sendall(resp.to_bytes())
                if resp.close or (req.header("Connection") or "").lower() == "close" or req.version == "HTTP/1.0":
                    return
        except (OSError, ssl.SSLError, ValueError):
            return
        finally:
            try:
                conn.close()
            except OSError:
                pass

    def _read_request(self, reader: "_Reader", conn: socket.socket, cid: int, tls: bool) -> Optional[CapturedRequest]:
        line = reader.readline(self.MAX_HEADER_BYTES)
        while line in (b"\r\n", b"\n"):  # tolerate stray CRLF between requests
            line = reader.readline(self.MAX_HEADER_BYTES)
        if not line:
            return None
        if not line.endswith(b"\r\n"):
            raise _BadRequest(f"request line not CRLF terminated: {line[:100]!r}")
        try:
            method, target, version = line[:-2].decode("latin-1").split(" ")
        except ValueError:
            raise _BadRequest(f"malformed request line: {line[:100]!r}")
        headers: Headers = []
        raw_headers: List[Tuple[str, bytes]] = []
        total = 0
        while True:
            hl = reader.readline(self.MAX_HEADER_BYTES)
            if not hl:
                raise _BadRequest("connection closed inside headers")
            total += len(hl)
            if total > self.MAX_HEADER_BYTES:
                raise _BadRequest("headers too large")
            if hl == b"\r\n":
                break
            if not hl.endswith(b"\r\n") or b"\r" in hl[:-2] or b"\n" in hl[:-2]:
                raise _BadRequest(f"malformed header line: {hl[:100]!r}")
            raw_name, sep, raw_value = hl[:-2].partition(b":")
            name = raw_name.decode("latin-1")
            if not sep or not name or name != name.strip() or not raw_name.isascii():
                raise _BadRequest(f"malformed header line: {hl[:100]!r}")
            raw_headers.append((name, raw_value))
            # Values are decoded as UTF-8 (what botocore encodes them with);
            # bytes that are not UTF-8 survive as surrogate escapes, so
            # comparing two decoded values compares the bytes exactly.
            # Optional whitespace around the value (RFC 9110 OWS) is dropped.
            headers.append((name, raw_value.strip(b" \t").decode("utf-8", "surrogateescape")))
        lower = {k.lower(): v for k, v in headers}
        if lower.get("expect", "").lower() == "100-continue":
            conn.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
        body = b""
        chunked = False
        te = lower.get("transfer-encoding", "").lower()
        if te:
            if te != "chunked":
                raise _BadRequest(f"unsupported transfer-encoding {te!r}")
            chunked = True
            parts = []
            while True:
                size_line = reader.readline(1024)
                try:
                    size = int(size_line.split(b";")[0].strip(), 16)
                except ValueError:
                    raise _BadRequest(f"bad chunk size {size_line!r}")
                if size == 0:
                    while reader.readline(self.MAX_HEADER_BYTES) not in (b"\r\n", b""):
                        pass  # trailers are ignored
                    break
                parts.append(reader.read(size))
                if reader.read(2) != b"\r\n":
                    raise _BadRequest("chunk not CRLF terminated")
            body = b"".join(parts)
        elif "content-length" in lower:
            try:
                n = int(lower["content-length"])
            except ValueError:
                raise _BadRequest("bad content-length")
            if n < 0 or n > self.MAX_BODY_BYTES:
                raise _BadRequest("bad content-length")
            body = reader.read(n)
            if len(body) != n:
                raise _BadRequest("connection closed inside body")
        return CapturedRequest(method, target, version, headers, body, cid, chunked, tls, raw_headers)


class _Reader:
    """Buffered reads from a socket (makefile() misbehaves with timeouts+TLS)."""

    def __init__(self, sock: socket.socket):
        self._sock = sock
        self._buf = bytearray()

    def _fill(self) -> bool:
        data = self._sock.recv(65536)
        if not data:
            return False
        self._buf += data
        return True

    def readline(self, limit: int) -> bytes:
        while True:
            i = self._buf.find(b"\n")
            if i >= 0:
                out = bytes(self._buf[: i + 1])
                del self._buf[: i + 1]
                return out
            if len(self._buf) > limit:
                raise _BadRequest("line too long")
            if not self._fill():
                out = bytes(self._buf)
                self._buf.clear()
                return out

    def read(self, n: int) -> bytes:
        while len(self._buf) < n:
            if not self._fill():
                break
        out = bytes(self._buf[:n])
        del self._buf[:n]
        return out
