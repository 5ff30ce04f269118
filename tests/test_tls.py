"""Certificate verification and client certificates as botocore does them
(OpenSSL through urllib3), against local TLS servers whose certificates the
tests make: each case's outcome -- success, or the exception class -- is
botocore's. (The text of an SSLError is OpenSSL's in botocore and rustls'
in fastboto: README, "Known differences".)"""

from __future__ import annotations

import ssl
from pathlib import Path
from typing import Any, Dict, Optional

import botocore.config
import pytest

import fastboto
from support.capture_server import CaptureServer
from support.certs import DAY, NOW, Issued, issue, store_self_signed, write
from support.reference import FAKE_ACCESS_KEY, FAKE_SECRET_KEY, botocore_client

OK = [("x-amz-request-id", "REQ"), ("x-amz-id-2", "HOST")]


def server_context(directory: Path, leaf: Issued, *chain: Issued,
                   client_ca: Optional[Issued] = None) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    cert = write(directory, f"server-{id(leaf)}.pem", leaf.cert_pem(), *(c.cert_pem() for c in chain))
    key = write(directory, f"server-{id(leaf)}-key.pem", leaf.key_pem())
    ctx.load_cert_chain(cert, key)
    if client_ca is not None:
        ctx.verify_mode = ssl.CERT_REQUIRED
        ctx.load_verify_locations(cadata=client_ca.cert_pem().decode())
    return ctx


def outcome(make, server: CaptureServer, verify: Any, config: Optional[Dict[str, Any]] = None) -> str:
    """"ok", or the class name of what the call raised."""
    cfg = {"retries": {"max_attempts": 0}, "connect_timeout": 5, "read_timeout": 5, **(config or {})}
    try:
        client = make(region_name="us-east-1", endpoint_url=server.url, verify=verify, config=cfg)
        client.delete_bucket_policy(Bucket="bkt")
    except Exception as e:  # noqa: BLE001 - compared
        return type(e).__name__
    return "ok"


def _fastboto(**kw):
    config = kw.pop("config")
    return fastboto.client("s3", aws_access_key_id=FAKE_ACCESS_KEY, aws_secret_access_key=FAKE_SECRET_KEY,
                           config=fastboto.Config(**config), **kw)


def _botocore(**kw):
    return botocore_client(**kw)


def both(server: CaptureServer, verify: Any, config: Optional[Dict[str, Any]] = None):
    return outcome(_fastboto, server, verify, config), outcome(_botocore, server, verify, config)


@pytest.fixture
def certs(tmp_path):
    return tmp_path


def _case(directory: Path, name: str):
    """(server SSL context, CA bundle path, botocore's expected outcome)."""
    root = issue("test-root", ca=True, names=None)
    if name == "self-signed-ca-true":
        leaf = store_self_signed()
        return server_context(directory, leaf), write(directory, "b.pem", leaf.cert_pem()), "ok"
    if name == "self-signed-no-constraints":
        leaf = issue("store.local", ca=None)
        return server_context(directory, leaf), write(directory, "b.pem", leaf.cert_pem()), "ok"
    if name == "self-signed-among-other-certs":
        leaf = store_self_signed()
        other = issue("other-root", ca=True, names=None)
        bundle = write(directory, "b.pem", other.cert_pem(), leaf.cert_pem())
        return server_context(directory, leaf), bundle, "ok"
    if name == "self-signed-wrong-host":
        leaf = store_self_signed(names=["other.example"])
        return server_context(directory, leaf), write(directory, "b.pem", leaf.cert_pem()), "SSLError"
    if name == "self-signed-expired":
        leaf = store_self_signed(not_before=NOW - 10 * DAY, not_after=NOW - DAY)
        return server_context(directory, leaf), write(directory, "b.pem", leaf.cert_pem()), "SSLError"
    if name == "self-signed-not-in-bundle":
        leaf = store_self_signed()
        return server_context(directory, leaf), write(directory, "b.pem", root.cert_pem()), "SSLError"
    if name == "ca-and-leaf":
        leaf = issue("server", issuer=root)
        return server_context(directory, leaf, root), write(directory, "b.pem", root.cert_pem()), "ok"
    if name == "intermediate-sent":
        mid = issue("mid", issuer=root, ca=True, names=None)
        leaf = issue("server", issuer=mid)
        return server_context(directory, leaf, mid), write(directory, "b.pem", root.cert_pem()), "ok"
    if name == "intermediate-not-sent":
        mid = issue("mid", issuer=root, ca=True, names=None)
        leaf = issue("server", issuer=mid)
        return server_context(directory, leaf), write(directory, "b.pem", root.cert_pem()), "SSLError"
    if name == "intermediate-in-bundle":
        mid = issue("mid", issuer=root, ca=True, names=None)
        leaf = issue("server", issuer=mid)
        bundle = write(directory, "b.pem", root.cert_pem(), mid.cert_pem())
        return server_context(directory, leaf), bundle, "ok"
    if name == "leaf-expired":
        leaf = issue("server", issuer=root, not_before=NOW - 10 * DAY, not_after=NOW - DAY)
        return server_context(directory, leaf, root), write(directory, "b.pem", root.cert_pem()), "SSLError"
    if name == "leaf-not-yet-valid":
        leaf = issue("server", issuer=root, not_before=NOW + DAY, not_after=NOW + 10 * DAY)
        return server_context(directory, leaf, root), write(directory, "b.pem", root.cert_pem()), "SSLError"
    if name == "leaf-wrong-host":
        leaf = issue("server", issuer=root, names=["s3.example.com"])
        return server_context(directory, leaf, root), write(directory, "b.pem", root.cert_pem()), "SSLError"
    if name == "leaf-common-name-only":
        leaf = issue("127.0.0.1", issuer=root, names=None)
        return server_context(directory, leaf, root), write(directory, "b.pem", root.cert_pem()), "SSLError"
    if name == "leaf-of-another-ca":
        other = issue("other-root", ca=True, names=None)
        leaf = issue("server", issuer=other)
        return server_context(directory, leaf, other), write(directory, "b.pem", root.cert_pem()), "SSLError"
    raise AssertionError(name)


CASES = [
    "self-signed-ca-true", "self-signed-no-constraints", "self-signed-among-other-certs",
    "self-signed-wrong-host", "self-signed-expired", "self-signed-not-in-bundle",
    "ca-and-leaf", "intermediate-sent", "intermediate-not-sent", "intermediate-in-bundle",
    "leaf-expired", "leaf-not-yet-valid", "leaf-wrong-host", "leaf-common-name-only", "leaf-of-another-ca",
]


@pytest.mark.parametrize("name", CASES)
def test_server_certificate_verified_as_botocore(certs, name):
    context, bundle, expected = _case(certs, name)
    with CaptureServer(ssl_context=context) as server:
        server.respond(204, OK)
        ours, theirs = both(server, bundle)
    assert theirs == expected, f"premise: botocore {theirs}"
    assert ours == theirs


@pytest.mark.parametrize("source", ["AWS_CA_BUNDLE", "REQUESTS_CA_BUNDLE", "config-file"])
def test_self_signed_store_certificate_from_every_bundle_source(certs, monkeypatch, source):
    context, bundle, _ = _case(certs, "self-signed-ca-true")
    if source == "config-file":
        config = certs / "config"
        config.write_text(f"[default]\nca_bundle = {bundle}\n")
        monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    else:
        monkeypatch.setenv(source, bundle)
    with CaptureServer(ssl_context=context) as server:
        server.respond(204, OK)
        assert both(server, None) == ("ok", "ok")


@pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
def test_verify_false_accepts_anything(certs):
    context, _, _ = _case(certs, "self-signed-wrong-host")
    with CaptureServer(ssl_context=context) as server:
        server.respond(204, OK)
        assert both(server, False) == ("ok", "ok")


# -- client certificates (mutual TLS) ------------------------------------------
@pytest.fixture
def mtls(certs):
    root = issue("server-root", ca=True, names=None)
    client_root = issue("client-root", ca=True, names=None)
    client = issue("client", issuer=client_root, names=None, client=True)
    context = server_context(certs, issue("server", issuer=root), root, client_ca=client_root)
    bundle = write(certs, "bundle.pem", root.cert_pem())
    with CaptureServer(ssl_context=context) as server:
        server.respond(204, OK)
        yield server, bundle, client, certs


@pytest.mark.parametrize("form", ["pair", "single-file", "none", "missing-file", "wrong-key"])
def test_client_certificate_as_botocore(mtls, form):
    server, bundle, client, directory = mtls
    cert = write(directory, "client.pem", client.cert_pem())
    key = write(directory, "client-key.pem", client.key_pem())
    if form == "pair":
        config = {"client_cert": (cert, key)}
    elif form == "single-file":
        config = {"client_cert": write(directory, "client-both.pem", client.cert_pem(), client.key_pem())}
    elif form == "none":
        config = {}
    elif form == "missing-file":
        config = {"client_cert": (str(directory / "nope.pem"), key)}
    else:
        other = issue("x", names=None)
        config = {"client_cert": (cert, write(directory, "other-key.pem", other.key_pem()))}
    ours, theirs = both(server, bundle, config)
    assert (theirs == "ok") is (form in ("pair", "single-file")), f"premise: botocore {theirs}"
    assert ours == theirs
    assert len(server.requests) == (2 if theirs == "ok" else 0)


def test_botocore_config_client_cert_is_read(mtls):
    server, bundle, client, directory = mtls
    cert = write(directory, "client.pem", client.cert_pem())
    key = write(directory, "client-key.pem", client.key_pem())
    ours = fastboto.client("s3", region_name="us-east-1", endpoint_url=server.url, verify=bundle,
                           aws_access_key_id=FAKE_ACCESS_KEY, aws_secret_access_key=FAKE_SECRET_KEY,
                           config=botocore.config.Config(client_cert=(cert, key)))
    assert ours.delete_bucket_policy(Bucket="bkt")["ResponseMetadata"]["HTTPStatusCode"] == 204
