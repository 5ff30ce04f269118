"""Connection handling: proxies, TCP keep-alive and response header bytes,
fastboto against botocore on loopback servers.

* Proxies are botocore's: ``Config(proxies=...)`` as given (an empty dict is
  "no proxy"), else urllib's ``getproxies_environment`` (lowercase names win,
  ``REQUEST_METHOD`` drops ``HTTP_PROXY``, ``ALL_PROXY`` unused) unless
  ``NO_PROXY`` bypasses the client's endpoint as ``proxy_bypass_environment``
  decides. HTTPS goes through a CONNECT tunnel to a local TLS server; a proxy
  that refuses the tunnel, or cannot be reached, is a ``ProxyConnectionError``
  after the same number of attempts, its credentials masked.
* ``tcp_keepalive``: the client socket's SO_KEEPALIVE / TCP_KEEPIDLE /
  TCP_KEEPINTVL / TCP_KEEPCNT, read with getsockopt on a duplicate of the
  socket (both clients run in this process), are botocore's.
* Response header values are latin-1, as http.client decodes them.
"""

from __future__ import annotations

import base64
import os
import select
import socket
import sys
import threading
import time
from typing import List, Optional, Tuple

import botocore.endpoint
import botocore.exceptions
import pytest

import fastboto  # noqa: F401  -- a missing fastboto must fail this module, not skip it
from support.capture_server import CaptureServer
from support.fault_server import ClosedPort, FaultServer, no_content_204, respond
from support.ours import fastboto_client
from support.reference import assert_same_error, botocore_client, scrub

POLICY = '{"Version":"2012-10-17","Statement":[]}'
NO_RETRY = {"retries": {"total_max_attempts": 1}}


class _NoSleepTime:
    """botocore.endpoint's view of the time module, without the backoff sleep."""

    def __getattr__(self, name):
        return getattr(time, name)

    @staticmethod
    def sleep(seconds):
        return None


@pytest.fixture(autouse=True)
def no_botocore_backoff(monkeypatch):
    monkeypatch.setattr(botocore.endpoint, "time", _NoSleepTime())


def both(**kw):
    """(fastboto client, botocore client) from the same keywords, each built
    when the environment is as the test set it."""
    return fastboto_client(**kw), botocore_client(**kw)


def outcome(client, operation="get_bucket_policy", **params) -> Tuple[Optional[dict], Optional[BaseException]]:
    params = params or {"Bucket": "bkt"}
    try:
        return getattr(client, operation)(**params), None
    except Exception as e:  # noqa: BLE001 - we compare exceptions
        return None, e


# ---------------------------------------------------------------------------
# a CONNECT proxy
# ---------------------------------------------------------------------------
class TunnelProxy:
    """An HTTP proxy on loopback that records each request head and either
    opens the CONNECT tunnel (to 127.0.0.1 only) or refuses it with 403."""

    def __init__(self, refuse: bool = False, tls_context=None):
        self.refuse = refuse
        self.tls_context = tls_context
        self.heads: List[Tuple[str, dict]] = []  # (request line, lower-cased headers)
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.2)
        self.port = self._sock.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"{'https' if self.tls_context else 'http'}://127.0.0.1:{self.port}"

    @property
    def connects(self) -> List[Tuple[str, dict]]:
        return [h for h in self.heads if h[0].startswith("CONNECT ")]

    def close(self):
        self._stop.set()
        self._thread.join(2)
        self._sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _accept(self):
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket):
        conn.settimeout(10)
        try:
            if self.tls_context is not None:
                conn = self.tls_context.wrap_socket(conn, server_side=True)
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                head += chunk
            lines = head.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
            headers = {}
            for line in lines[1:]:
                k, _, v = line.partition(":")
                headers[k.strip().lower()] = v.strip()
            self.heads.append((lines[0], headers))
            method, target = lines[0].split(" ")[:2]
            if method != "CONNECT" or self.refuse:
                conn.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                return
            host, _, port = target.rpartition(":")
            if host != "127.0.0.1":
                conn.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
                return
            upstream = socket.create_connection((host, int(port)), timeout=10)
            conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            self._pipe(conn, upstream)
        except (OSError, ValueError):
            pass
        finally:
            conn.close()

    @staticmethod
    def _pipe(a: socket.socket, b: socket.socket):
        """Copy bytes both ways from one thread (an SSLSocket must not be
        read and written by two threads at once)."""
        other = {a: b, b: a}
        try:
            while True:
                ready, _, _ = select.select([a, b], [], [], 10)
                if not ready:
                    return
                for src in ready:
                    data = src.recv(65536)
                    if not data:
                        return
                    while getattr(src, "pending", lambda: 0)():
                        data += src.recv(src.pending())
                    other[src].sendall(data)
        except OSError:
            pass
        finally:
            b.close()


@pytest.fixture
def tls_server():
    with CaptureServer(tls=True) as srv:
        srv.respond(204, [("x-amz-request-id", "REQ"), ("x-amz-id-2", "HOST")])
        yield srv


def _tunnelled_call(make, tls_server, **kw):
    client = make(region_name="eu-west-1", endpoint_url=tls_server.url, verify=tls_server.ca_file, **kw)
    result = client.delete_bucket_policy(Bucket="bkt")
    assert result["ResponseMetadata"]["HTTPStatusCode"] == 204
    return client


# ---------------------------------------------------------------------------
# HTTPS through a CONNECT tunnel
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("userinfo, authorization", [
    ("", None),
    ("user:p%40ss@", "Basic " + base64.b64encode(b"user:p@ss").decode()),
    ("user:@", None),  # botocore sends credentials only with both parts
    (":secret@", None),
], ids=["no-auth", "user-password", "empty-password", "empty-user"])
def test_https_proxy_env_tunnels(tls_server, monkeypatch, userinfo, authorization):
    """https_proxy (lowercase, winning over HTTPS_PROXY as in urllib) tunnels
    to the TLS server; Proxy-Authorization only as botocore sends it."""
    with TunnelProxy() as good, TunnelProxy(refuse=True) as bad:
        monkeypatch.setenv("HTTPS_PROXY", bad.url)
        monkeypatch.setenv("https_proxy", f"http://{userinfo}127.0.0.1:{good.port}")
        for make in (botocore_client, fastboto_client):
            _tunnelled_call(make, tls_server)
        assert not bad.heads
        connects = good.connects
        assert len(connects) == 2, connects
        for line, headers in connects:
            assert line.split(" ")[1] == f"127.0.0.1:{tls_server.port}"
            assert headers.get("proxy-authorization") == authorization
    requests = tls_server.requests
    assert len(requests) == 2 and all(r.tls for r in requests)
    assert all(r.header("Proxy-Authorization") is None for r in requests)


def test_https_proxy_over_tls(tls_server, monkeypatch, tmp_path):
    """An https:// proxy: TLS to the proxy, verified with the client's CA
    bundle (botocore without proxies_config.proxy_ca_bundle), then TLS to
    the endpoint inside the tunnel."""
    import ssl

    from support.capture_server import _make_self_signed

    ca, chain, key = _make_self_signed(str(tmp_path))
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(chain, key)
    bundle = tmp_path / "both.pem"
    bundle.write_text(open(ca).read() + open(tls_server.ca_file).read())
    with TunnelProxy(tls_context=ctx) as proxy:
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        for make in (botocore_client, fastboto_client):
            client = make(region_name="eu-west-1", endpoint_url=tls_server.url, verify=str(bundle), config=NO_RETRY)
            assert client.delete_bucket_policy(Bucket="bkt")["ResponseMetadata"]["HTTPStatusCode"] == 204
        assert len(proxy.connects) == 2


def test_config_proxies_https_tunnels(tls_server, monkeypatch):
    """Config(proxies={"https": ...}) is used as given, scheme-less URL
    included; the environment's proxies and NO_PROXY are not consulted."""
    with TunnelProxy() as good, TunnelProxy(refuse=True) as bad:
        monkeypatch.setenv("https_proxy", bad.url)
        monkeypatch.setenv("no_proxy", "127.0.0.1")
        cfg = {"proxies": {"https": f"user:@127.0.0.1:{good.port}", "http": bad.url}}
        for make in (botocore_client, fastboto_client):
            _tunnelled_call(make, tls_server, config=cfg)
        assert not bad.heads
        assert len(good.connects) == 2
        assert all("proxy-authorization" not in h for _, h in good.connects)


@pytest.mark.parametrize("userinfo", ["alice:p%40ss@", "alice:@", ":pw@", "alice@"])
def test_http_proxy_credentials_forwarded(capture_server, monkeypatch, userinfo):
    """Plain HTTP through a forwarding proxy: Proxy-Authorization on the
    request itself, only when the URL has a username and a password."""
    srv = capture_server
    srv.respond(204, [("x-amz-request-id", "REQ")])
    monkeypatch.setenv("HTTP_PROXY", f"http://{userinfo}127.0.0.1:{srv.port}")
    for client in reversed(both(region_name="eu-west-1", use_ssl=False, config=NO_RETRY)):
        _, error = outcome(client, "delete_bucket_policy")
        assert error is None, scrub(error)
    theirs, ours = srv.pop_all()
    assert ours.is_absolute_form and theirs.is_absolute_form
    assert ours.header("Proxy-Authorization") == theirs.header("Proxy-Authorization")
    if userinfo == "alice:p%40ss@":
        assert theirs.header("Proxy-Authorization") == "Basic " + base64.b64encode(b"alice:p@ss").decode()


@pytest.mark.parametrize("proxies", [{}, {"http": ""}, {"http": None}, {"ftp": "http://127.0.0.1:9"}], ids=repr)
def test_config_proxies_without_entry_means_direct(monkeypatch, proxies):
    """A Config proxies dict without a usable entry: no proxy, and the
    environment is not read (botocore only reads it when proxies is None)."""
    with FaultServer(default=no_content_204()) as srv, TunnelProxy(refuse=True) as bad:
        monkeypatch.setenv("http_proxy", bad.url)
        for client in both(region_name="us-east-1", endpoint_url=srv.url, config={"proxies": proxies, **NO_RETRY}):
            client.delete_bucket_policy(Bucket="bkt")
        assert srv.count == 2
        assert not bad.heads


@pytest.mark.parametrize("var", ["ALL_PROXY", "all_proxy"])
def test_all_proxy_ignored(monkeypatch, var):
    with FaultServer(default=no_content_204()) as srv, TunnelProxy(refuse=True) as bad:
        monkeypatch.setenv(var, bad.url)
        for client in both(region_name="us-east-1", endpoint_url=srv.url, config=NO_RETRY):
            client.delete_bucket_policy(Bucket="bkt")
        assert srv.count == 2
        assert not bad.heads


# Each case: environment (with {port} the server's port). The server is both
# the endpoint (http://127.0.0.1:port) and the HTTP proxy, so whether a
# request was proxied shows in its request target (absolute form or not).
ENV_CASES = {
    "HTTP_PROXY": {"HTTP_PROXY": "{proxy}"},
    "http_proxy-scheme-less": {"http_proxy": "127.0.0.1:{port}"},
    "NO_PROXY-host": {"HTTP_PROXY": "{proxy}", "NO_PROXY": "127.0.0.1"},
    "NO_PROXY-host-port": {"HTTP_PROXY": "{proxy}", "NO_PROXY": "127.0.0.1:{port}"},
    "NO_PROXY-other-port": {"HTTP_PROXY": "{proxy}", "NO_PROXY": "127.0.0.1:1"},
    "NO_PROXY-suffix": {"HTTP_PROXY": "{proxy}", "NO_PROXY": ".0.0.1"},
    "NO_PROXY-cidr": {"HTTP_PROXY": "{proxy}", "NO_PROXY": "127.0.0.0/8"},
    "NO_PROXY-list-spaces": {"HTTP_PROXY": "{proxy}", "NO_PROXY": " example.com ,  127.0.0.1 "},
    "NO_PROXY-star": {"HTTP_PROXY": "{proxy}", "NO_PROXY": "*"},
    "NO_PROXY-star-in-list": {"HTTP_PROXY": "{proxy}", "NO_PROXY": "example.com,*"},
    "no_proxy-wins": {"HTTP_PROXY": "{proxy}", "NO_PROXY": "127.0.0.1", "no_proxy": "example.com"},
    "http_proxy-wins": {"HTTP_PROXY": "http://127.0.0.1:9", "http_proxy": "{proxy}"},
    "empty-http_proxy-removes": {"HTTP_PROXY": "{proxy}", "http_proxy": ""},
    "REQUEST_METHOD-drops-HTTP_PROXY": {"HTTP_PROXY": "{proxy}", "REQUEST_METHOD": "GET"},
    "REQUEST_METHOD-keeps-http_proxy": {"http_proxy": "{proxy}", "REQUEST_METHOD": "GET"},
    "https_proxy-unused-for-http": {"HTTPS_PROXY": "http://127.0.0.1:9"},
}


@pytest.mark.parametrize("case", sorted(ENV_CASES))
def test_environment_proxies(capture_server, monkeypatch, case):
    srv = capture_server
    srv.respond(204, [("x-amz-request-id", "REQ")])
    for name, value in ENV_CASES[case].items():
        monkeypatch.setenv(name, value.format(proxy=srv.proxy_url, port=srv.port))
    forms = []
    for client in reversed(both(region_name="us-east-1", endpoint_url=srv.url, config=NO_RETRY)):
        result, error = outcome(client, "delete_bucket_policy")
        assert error is None, scrub(error)
        (request,) = srv.pop_all()
        forms.append(request.is_absolute_form)
    theirs, ours = forms
    assert ours == theirs, f"botocore proxied: {theirs}, fastboto proxied: {ours}"


def test_no_proxy_checks_the_client_endpoint(capture_server, monkeypatch):
    """NO_PROXY is matched against the client's endpoint (meta.endpoint_url),
    once, as botocore's endpoint does: the virtual-hosted name a request
    goes to is not looked at."""
    srv = capture_server
    srv.respond(204, [("x-amz-request-id", "REQ")])
    monkeypatch.setenv("HTTP_PROXY", srv.proxy_url)
    monkeypatch.setenv("NO_PROXY", "bkt.s3.eu-west-1.amazonaws.com")
    ours, theirs = both(region_name="eu-west-1", use_ssl=False, config=dict(NO_RETRY, connect_timeout=2))
    assert ours.meta.endpoint_url == theirs.meta.endpoint_url == "http://s3.eu-west-1.amazonaws.com"
    for client in (theirs, ours):
        _, error = outcome(client, "delete_bucket_policy")
        assert error is None, scrub(error)
    reqs = srv.pop_all()
    assert [r.is_absolute_form for r in reqs] == [True, True]
    assert reqs[0].target_authority == reqs[1].target_authority == "bkt.s3.eu-west-1.amazonaws.com"


# ---------------------------------------------------------------------------
# proxy failures
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("mode, attempts", [("legacy", 3), ("standard", 2)])
@pytest.mark.parametrize("credentials", ["", "alice:s3cr3t@"], ids=["plain", "with-credentials"])
def test_refused_connect_is_proxy_connection_error(monkeypatch, mode, attempts, credentials):
    with TunnelProxy(refuse=True) as proxy:
        monkeypatch.setenv("HTTPS_PROXY", f"http://{credentials}127.0.0.1:{proxy.port}")
        config = {"retries": {"mode": mode, "total_max_attempts": attempts}, "connect_timeout": 2}
        ours_c, theirs_c = both(region_name="eu-west-1", config=config)
        _, theirs = outcome(theirs_c)
        their_connects = len(proxy.connects)
        _, ours = outcome(ours_c)
        our_connects = len(proxy.connects) - their_connects
    assert isinstance(theirs, botocore.exceptions.ProxyConnectionError)
    assert_same_error(ours, theirs)
    assert our_connects == their_connects == attempts
    assert "s3cr3t" not in str(ours) and "s3cr3t" not in repr(ours)
    if credentials:
        assert str(ours) == f'Failed to connect to proxy URL: "http://***:***@127.0.0.1:{proxy.port}"'


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_unreachable_proxy_is_proxy_connection_error(monkeypatch, scheme):
    with ClosedPort() as closed:
        monkeypatch.setenv(f"{scheme}_proxy", closed.url)
        config = {"retries": {"mode": "standard", "total_max_attempts": 2}, "connect_timeout": 2}
        ours_c, theirs_c = both(region_name="eu-west-1", use_ssl=scheme == "https", config=config)
        _, theirs = outcome(theirs_c)
        _, ours = outcome(ours_c)
    assert isinstance(theirs, botocore.exceptions.ProxyConnectionError)
    assert_same_error(ours, theirs)


class NotTls:
    """A loopback server that breaks every TLS handshake: it reads the
    ClientHello, then closes (``eof``) or answers in plain HTTP (``http``)."""

    def __init__(self, how: str):
        self.how = how
        self.connections = 0
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.2)
        self.port = self._sock.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self):
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            self.connections += 1
            with conn:
                try:
                    conn.settimeout(5)
                    conn.recv(4096)
                    if self.how == "http":
                        conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
                except OSError:
                    pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(2)
        self._sock.close()


@pytest.mark.parametrize("via", ["direct", "http-proxy"])
@pytest.mark.parametrize("how", ["eof", "http"])
def test_broken_tls_handshake_is_ssl_error(monkeypatch, how, via):
    """A TLS handshake that fails (EOF, not TLS at all) is an SSLError, also
    inside a CONNECT tunnel, retried as botocore retries it."""
    with NotTls(how) as srv, TunnelProxy() as proxy:
        if via == "http-proxy":
            monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        config = {"retries": {"mode": "standard", "total_max_attempts": 2}, "connect_timeout": 5, "read_timeout": 5}
        seen = []
        for make in (botocore_client, fastboto_client):
            before = srv.connections
            _, error = outcome(make(region_name="us-east-1", endpoint_url=f"https://127.0.0.1:{srv.port}",
                                    config=config))
            seen.append((type(error).__name__, srv.connections - before))
    theirs, ours = seen
    assert theirs == ("SSLError", 2)
    assert ours == theirs


# ---------------------------------------------------------------------------
# TCP keep-alive
# ---------------------------------------------------------------------------
def _client_socket_options(server_port: int) -> List[Tuple[int, int, int, int]]:
    """(SO_KEEPALIVE, TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT) of every socket
    of this process connected to 127.0.0.1:server_port."""
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            if not os.readlink(f"/proc/self/fd/{fd}").startswith("socket:"):
                continue
            s = socket.socket(fileno=os.dup(int(fd)))
        except OSError:
            continue
        try:
            if s.family != socket.AF_INET or s.type != socket.SOCK_STREAM:
                continue
            if s.getpeername() != ("127.0.0.1", server_port):
                continue
            found.append((
                s.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE),
                s.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE),
                s.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL),
                s.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT),
            ))
        except OSError:
            continue
        finally:
            s.close()
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/fd")
@pytest.mark.parametrize("how", ["unset", "False", "True", "env-true", "profile-true", "config-false-beats-env"])
def test_tcp_keepalive(monkeypatch, tmp_path, how):
    config = dict(NO_RETRY)
    if how in ("False", "True"):
        config["tcp_keepalive"] = how == "True"
    elif how == "env-true":
        monkeypatch.setenv("BOTOCORE_TCP_KEEPALIVE", "true")
    elif how == "profile-true":
        path = tmp_path / "config"
        path.write_text("[default]\ntcp_keepalive = true\n")
        monkeypatch.setenv("AWS_CONFIG_FILE", str(path))
    else:
        monkeypatch.setenv("BOTOCORE_TCP_KEEPALIVE", "true")
        config["tcp_keepalive"] = False
    seen = {}
    for name, make in (("botocore", botocore_client), ("fastboto", fastboto_client)):
        with FaultServer(default=no_content_204()) as srv:
            client = make(region_name="us-east-1", endpoint_url=srv.url, config=config)
            client.delete_bucket_policy(Bucket="bkt")
            seen[name] = _client_socket_options(srv.port)
            client.close()
    assert len(seen["botocore"]) == 1, seen
    assert seen["fastboto"] == seen["botocore"]
    expected_on = how in ("True", "env-true", "profile-true")
    assert bool(seen["botocore"][0][0]) is expected_on


# ---------------------------------------------------------------------------
# header bytes
# ---------------------------------------------------------------------------
HEADER_VALUES = {
    "latin-1": "café",
    "utf-8-bytes": "café".encode("utf-8").decode("latin-1"),
    "high-bytes": "".join(chr(b) for b in range(0x80, 0x100)),
}


@pytest.mark.parametrize("status", [204, 403])
@pytest.mark.parametrize("value", sorted(HEADER_VALUES))
def test_header_values_are_latin1(status, value):
    text = HEADER_VALUES[value]
    fault = respond(status, headers=[("x-amz-meta-note", text), ("x-note", text)])
    seen = []
    with FaultServer(default=fault) as srv:
        for client in both(region_name="us-east-1", endpoint_url=srv.url, config=NO_RETRY):
            result, error = outcome(client, "delete_bucket_policy")
            response = result if error is None else error.response
            seen.append(response["ResponseMetadata"]["HTTPHeaders"])
    ours, theirs = seen
    assert theirs["x-amz-meta-note"] == text
    assert ours == theirs
