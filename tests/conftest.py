"""Shared fixtures. Nothing here imports fastboto (the harness self-tests
must run without it); the test modules that judge fastboto import it at the
top, so a missing or broken fastboto fails them instead of skipping."""

from __future__ import annotations

import faulthandler
import os
import re
import socket
import sys
import threading
import urllib.request

import pytest
from hypothesis import settings

from support.capture_server import CaptureServer
from support.reference import FAKE_ACCESS_KEY, FAKE_SECRET_KEY, scrub

# Long hex runs in a failure report are signatures (or pieces of one, when
# pytest truncates a value); they are hidden along with the fake secrets.
_HEX_RUN = re.compile(r"(?<![0-9a-fA-F])[0-9a-f]{16,}(?![0-9a-fA-F])")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Belt and braces: no secret key, session token or signature in any report."""
    outcome = yield
    rep = outcome.get_result()
    if rep.longrepr is not None:
        text = str(rep.longrepr)
        clean = _HEX_RUN.sub("<hex>", scrub(text))
        if clean != text:
            rep.longrepr = clean
    rep.sections = [(title, _HEX_RUN.sub("<hex>", scrub(content))) for title, content in rep.sections]

# Variables that could leak the developer's setup into a test.
_LEAKY_PREFIXES = ("AWS_", "BOTO_", "FASTBOTO_")
_LEAKY_NAMES = (
    "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY",
    "http_proxy", "https_proxy", "no_proxy", "all_proxy",
    "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR",
)


# Hypothesis: random exploration on developer machines, a fixed sequence in
# CI (CI=true), so a CI run never fails on an example a re-run would not see.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
    settings.load_profile("ci")

# A hung call must not stall CI for its whole time budget: past this many
# seconds one test aborts the run, with every thread's stack on stderr.
PER_TEST_TIMEOUT = float(os.environ.get("TESTS_PER_TEST_TIMEOUT", "120"))


def _watchdog_fire(item) -> None:
    capman = item.config.pluginmanager.getplugin("capturemanager")
    if capman is not None:
        try:
            capman.suspend_global_capture(in_=True)  # give the real stderr back
        except Exception:  # noqa: BLE001 - best effort on the way out
            pass
    sys.stderr.write(f"\n*** {item.nodeid} ran longer than {PER_TEST_TIMEOUT:.0f}s: aborting the test run ***\n")
    sys.stderr.flush()
    faulthandler.dump_traceback(file=sys.stderr, all_threads=True)
    sys.stderr.flush()
    os._exit(3)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    timer = threading.Timer(PER_TEST_TIMEOUT, _watchdog_fire, args=(item,))
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch, tmp_path):
    """No AWS_* variable, proxy or config file of the machine reaches a test.

    AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE point at empty files and
    HOME at a temporary directory; AWS_EC2_METADATA_DISABLED keeps any
    credential lookup from trying the instance metadata service.
    """
    for name in list(os.environ):
        if name.startswith(_LEAKY_PREFIXES) or name in _LEAKY_NAMES:
            monkeypatch.delenv(name, raising=False)
    aws_dir = tmp_path / "aws-home"
    aws_dir.mkdir()
    config = aws_dir / "config"
    creds = aws_dir / "credentials"
    config.write_text("")
    creds.write_text("")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(creds))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("HOME", str(aws_dir))
    # boto3.client()/resource() and fastboto's keep a module-level session
    # (and its credentials) from whichever test made it first.
    import boto3

    import fastboto

    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
    monkeypatch.setattr(fastboto, "DEFAULT_SESSION", None)
    yield


@pytest.fixture
def capture_server():
    """A fresh recording server on 127.0.0.1 (plain HTTP; also usable as an HTTP proxy)."""
    with CaptureServer() as srv:
        yield srv
    # a protocol error means a client sent something that is not HTTP/1.1
    assert not srv.errors, f"capture server saw malformed requests: {srv.errors}"


@pytest.fixture
def tls_capture_server():
    """Like capture_server, over TLS with a throw-away CA at ``.ca_file``."""
    with CaptureServer(tls=True) as srv:
        yield srv
    assert not srv.errors, f"capture server saw malformed requests: {srv.errors}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MotoEndpoint(str):
    """The moto server's endpoint URL (a str), with the fake credentials to use."""

    access_key = FAKE_ACCESS_KEY
    secret_key = FAKE_SECRET_KEY

    def reset(self) -> None:
        req = urllib.request.Request(self + "/moto-api/reset", method="POST", data=b"")
        with urllib.request.urlopen(req, timeout=10) as resp:
            assert resp.status == 200


@pytest.fixture(scope="session")
def _moto_server_session():
    from moto.server import ThreadedMotoServer

    mp = pytest.MonkeyPatch()
    mp.setenv("AWS_ACCESS_KEY_ID", FAKE_ACCESS_KEY)
    mp.setenv("AWS_SECRET_ACCESS_KEY", FAKE_SECRET_KEY)
    mp.setenv("AWS_DEFAULT_REGION", "us-east-1")
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=_free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield MotoEndpoint(f"http://{host}:{port}")
    finally:
        server.stop()
        mp.undo()


@pytest.fixture
def moto_server(_moto_server_session):
    """Endpoint URL of a session-wide moto server, reset before each test."""
    _moto_server_session.reset()
    yield _moto_server_session


@pytest.fixture(scope="session")
def rgw():
    """A real Ceph RGW (tools/rgw.py) for the session: it verifies SigV4 and
    enforces policies. CI installs it (`.ci/run`); elsewhere the tests that
    need it are skipped when it is not installed."""
    tools = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tools")
    sys.path.insert(0, tools)
    try:
        import rgw as rgw_tool
    finally:
        sys.path.remove(tools)
    if not rgw_tool.installed():
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("Ceph RGW is not installed: .ci/run must run `tools/rgw.py install` first")
        pytest.skip("Ceph RGW is not installed (sudo python3 tools/rgw.py install)")
    gateway = rgw_tool.start()
    try:
        yield gateway
    finally:
        gateway.stop()
