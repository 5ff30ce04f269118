"""Secrets never show: the secret key, the session token and request
signatures appear in no repr/str (client, Session, Credentials,
ReadOnlyCredentials, PreparedRequest and its to_curl(), Config, resources),
no exception (str, repr, args, attributes, formatted traceback), no
ResponseMetadata and no log record at any level -- with every logger at
DEBUG, over successes, service errors, connection faults, timeouts,
validation errors and credential-file / environment / credential_process
sources.

The secrets are distinctive strings (and their halves are searched too, so a
truncated or split leak is caught); the signatures searched for are the ones
the server actually received.
"""

from __future__ import annotations

import logging
import stat
import sys
import traceback
from typing import Iterable, List

import pytest

import fastboto
from support.fault_server import (
    RESET,
    ClosedPort,
    FaultServer,
    hang,
    no_content_204,
    respond,
    s3_error,
)

ACCESS_KEY = "AKIASECRETSTESTONLY1"
SECRET_KEY = "zzSECRETkeyQ7/ZqW+xVb=9sKpLmNoPqRsTuVwXyZ01"
SESSION_TOKEN = "zzTOKENsessionR4/tYu+IoP=aSdFgHjKlZxCvBnM9876543210"
ACL_BODY = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
    b"<Owner><ID>owner-id</ID><DisplayName>me</DisplayName></Owner><AccessControlList><Grant>"
    b'<Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>owner-id</ID>'
    b"</Grantee><Permission>FULL_CONTROL</Permission></Grant></AccessControlList></AccessControlPolicy>"
)
POLICY = '{"Version":"2012-10-17","Statement":[]}'


def _fragments(secret: str) -> List[str]:
    """The secret, and pieces of it long enough to be unmistakable."""
    half = len(secret) // 2
    return [secret, secret[:half], secret[half:], secret[8:24]]


class Haystack:
    """Everything a user (or a log file) could see, to search for secrets."""

    def __init__(self) -> None:
        self.texts: List[tuple] = []
        self.signatures: set = set()

    def add(self, where: str, obj) -> None:
        for how, fn in (("repr", repr), ("str", str)):
            try:
                self.texts.append((f"{how}({where})", fn(obj)))
            except Exception as e:  # noqa: BLE001 - a failing repr is a finding of its own
                self.texts.append((f"{how}({where}) raised", f"{type(e).__name__}: {e}"))

    def add_exception(self, where: str, exc: BaseException) -> None:
        self.add(where, exc)
        self.add(f"{where}.args", exc.args)
        for attr in ("kwargs", "response", "operation_name", "report"):
            if hasattr(exc, attr):
                self.add(f"{where}.{attr}", getattr(exc, attr))
        self.texts.append((f"traceback({where})", "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))))

    def add_signatures_from(self, server: FaultServer) -> None:
        for req in server.requests:
            auth = req.header("Authorization") or ""
            if "Signature=" in auth:
                self.signatures.add(auth.rsplit("Signature=", 1)[1])
            elif auth.startswith("AWS "):
                self.signatures.add(auth.rsplit(":", 1)[1])

    def leaks(self, extra: Iterable[str] = ()) -> List[str]:
        needles = {}
        for name, secret in (("secret key", SECRET_KEY), ("session token", SESSION_TOKEN)):
            for frag in _fragments(secret):
                needles[frag] = name
        for sig in self.signatures:
            needles[sig] = "signature"
            needles[sig[:32]] = "signature"
        for e in extra:
            needles[e] = "secret"
        found = []
        for where, text in self.texts:
            for needle, name in needles.items():
                if needle and needle in text:
                    found.append(f"{name} in {where}")
        return sorted(set(found))


class _ListHandler(logging.Handler):
    def __init__(self, hay: Haystack) -> None:
        super().__init__(level=logging.DEBUG)
        self.hay = hay
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = self.format(record)  # includes exc_info / stack_info text
        except Exception as e:  # noqa: BLE001
            text = f"unformattable record {record.name}: {record.msg!r} {record.args!r} ({e})"
        self.hay.texts.append((f"log record {record.name}:{record.levelname}", text))


@pytest.fixture
def hay():
    """A Haystack with every logger (existing and future) at DEBUG feeding it."""
    h = Haystack()
    handler = _ListHandler(h)
    root = logging.getLogger()
    saved = {name: lg.level for name, lg in logging.Logger.manager.loggerDict.items()
             if isinstance(lg, logging.Logger)}
    saved_root = root.level
    saved_disable = logging.root.manager.disable
    logging.disable(logging.NOTSET)
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    for name in saved:
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        yield h
    finally:
        root.removeHandler(handler)
        root.setLevel(saved_root)
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)
        logging.disable(saved_disable)


@pytest.fixture
def server():
    with FaultServer(default=no_content_204()) as srv:
        yield srv


def _assert_no_leaks(hay: Haystack) -> None:
    __tracebackhide__ = True
    assert hay.texts, "nothing was collected"
    leaks = hay.leaks()
    assert not leaks, f"secrets visible in: {leaks}"


def _explicit_client(url: str, **config):
    config.setdefault("retries", {"max_attempts": 0})
    return fastboto.client(
        "s3", region_name="us-east-1", endpoint_url=url,
        aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY, aws_session_token=SESSION_TOKEN,
        config=fastboto.Config(**config),
    )


def _exercise(client, server: FaultServer, hay: Haystack, tag: str) -> None:
    """Successes, service errors and transport faults through ``client``."""
    server.reset(no_content_204())
    hay.add(f"{tag} client", client)
    hay.add(f"{tag} client.meta", client.meta)
    hay.add(f"{tag} client.meta.config", client.meta.config)
    hay.add(f"{tag} result", client.put_bucket_policy(Bucket="bkt", Policy=POLICY))
    server.reset(respond(200, POLICY.encode()))
    hay.add(f"{tag} get_bucket_policy", client.get_bucket_policy(Bucket="bkt"))
    server.reset(respond(200, ACL_BODY, [("Content-Type", "application/xml")]))
    hay.add(f"{tag} get_bucket_acl", client.get_bucket_acl(Bucket="bkt"))
    for name, fault in (
        ("403", s3_error(403, "SignatureDoesNotMatch", "The request signature we calculated does not match")),
        ("503", s3_error(503, "SlowDown", "Reduce your request rate")),
        ("reset", RESET),
    ):
        server.reset(fault)
        try:
            client.delete_bucket_policy(Bucket="bkt")
        except Exception as e:  # noqa: BLE001
            hay.add_exception(f"{tag} {name} error", e)
        else:
            pytest.fail(f"{name}: no error")
    for params in ({"Bucket": 12}, {"Bucket": "bkt", "Policy": None}, {"Bucket": "bad bucket/name", "Policy": "x"},
                   {"Bucket": "bkt", "Policy": POLICY, "ExpectedBucketOwner": "1234\r\n"}):
        try:
            client.put_bucket_policy(**params)
        except Exception as e:  # noqa: BLE001
            hay.add_exception(f"{tag} validation error", e)
    prepared = client.prepare_request("put_bucket_policy", Bucket="bkt", Policy=POLICY)
    auth = prepared.headers.get("Authorization") or prepared.headers.get("authorization")
    if auth and "Signature=" in auth:
        hay.signatures.add(auth.rsplit("Signature=", 1)[1])
    hay.add(f"{tag} PreparedRequest", prepared)
    hay.texts.append((f"{tag} to_curl()", prepared.to_curl()))
    hay.add_signatures_from(server)


def test_explicit_credentials_never_shown(server, hay):
    client = _explicit_client(server.url)
    try:
        _exercise(client, server, hay, "explicit")
    finally:
        client.close()
    assert hay.signatures, "harness: no signature captured"
    _assert_no_leaks(hay)
    # The secrets did reach the wire (the search above would be vacuous otherwise).
    assert any(r.header("X-Amz-Security-Token") == SESSION_TOKEN for r in server.requests)


def test_session_and_credentials_objects(hay):
    session = fastboto.Session(aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
                               aws_session_token=SESSION_TOKEN, region_name="us-east-1")
    hay.add("Session", session)
    creds = session.get_credentials()
    assert creds.secret_key == SECRET_KEY and creds.token == SESSION_TOKEN  # the values are there ...
    hay.add("Credentials", creds)  # ... but never printed
    frozen = creds.get_frozen_credentials()
    hay.add("ReadOnlyCredentials", frozen)
    hay.add("Session.client", session.client("s3"))
    resource = session.resource("s3")
    hay.add("resource", resource)
    hay.add("BucketAcl", resource.BucketAcl("bkt"))
    hay.add("BucketPolicy", resource.BucketPolicy("bkt"))
    hay.add("resource.meta.client", resource.meta.client)
    hay.add("Config", fastboto.Config(region_name="us-east-1", retries={"mode": "standard"}))
    _assert_no_leaks(hay)


@pytest.mark.parametrize("source", ["environment", "credentials-file", "config-file", "credential_process"])
def test_credentials_from_files_and_environment(server, hay, monkeypatch, tmp_path, source):
    if source == "environment":
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
        monkeypatch.setenv("AWS_SESSION_TOKEN", SESSION_TOKEN)
    elif source == "credentials-file":
        path = tmp_path / "credentials"
        path.write_text(f"[default]\naws_access_key_id = {ACCESS_KEY}\naws_secret_access_key = {SECRET_KEY}\n"
                        f"aws_session_token = {SESSION_TOKEN}\n")
        monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(path))
    elif source == "config-file":
        path = tmp_path / "config"
        path.write_text(f"[profile secrets]\naws_access_key_id = {ACCESS_KEY}\naws_secret_access_key = {SECRET_KEY}\n"
                        f"aws_session_token = {SESSION_TOKEN}\n")
        monkeypatch.setenv("AWS_CONFIG_FILE", str(path))
        monkeypatch.setenv("AWS_PROFILE", "secrets")
    else:
        script = tmp_path / "creds.py"
        script.write_text(
            "import json\nprint(json.dumps({'Version': 1, 'AccessKeyId': %r, 'SecretAccessKey': %r, "
            "'SessionToken': %r}))\n" % (ACCESS_KEY, SECRET_KEY, SESSION_TOKEN)
        )
        script.chmod(script.stat().st_mode | stat.S_IEXEC)
        path = tmp_path / "config"
        path.write_text(f"[default]\ncredential_process = {sys.executable} {script}\n")
        monkeypatch.setenv("AWS_CONFIG_FILE", str(path))
    session = fastboto.Session(region_name="us-east-1")
    hay.add("Session", session)
    creds = session.get_credentials()
    assert creds is not None and creds.secret_key == SECRET_KEY, "harness: credentials not found"
    hay.add("Credentials", creds)
    client = session.client("s3", endpoint_url=server.url, config=fastboto.Config(retries={"max_attempts": 0}))
    try:
        _exercise(client, server, hay, source)
    finally:
        client.close()
    _assert_no_leaks(hay)


def test_failing_credential_process_does_not_echo_its_output(hay, monkeypatch, tmp_path):
    """A credential_process that prints its secret and then fails (or prints
    something fastboto cannot use) must not have that output repeated in the
    exception."""
    outcomes = []
    for i, body in enumerate([
        # valid JSON, wrong version: the secret is in the document
        "import json\nprint(json.dumps({'Version': 2, 'AccessKeyId': 'A', 'SecretAccessKey': %r}))" % SECRET_KEY,
        # not JSON at all, the secret in the middle
        "print('oops %s not json')" % SECRET_KEY,
        # missing key
        "import json\nprint(json.dumps({'Version': 1, 'SecretAccessKey': %r}))" % SECRET_KEY,
    ]):
        script = tmp_path / f"bad{i}.py"
        script.write_text(body + "\n")
        path = tmp_path / f"config{i}"
        path.write_text(f"[default]\ncredential_process = {sys.executable} {script}\n")
        monkeypatch.setenv("AWS_CONFIG_FILE", str(path))
        try:
            fastboto.Session(region_name="us-east-1").client("s3")
        except Exception as e:  # noqa: BLE001
            hay.add_exception(f"credential_process #{i}", e)
            outcomes.append(type(e).__name__)
        else:
            outcomes.append("no error")
    assert "no error" not in outcomes, outcomes
    _assert_no_leaks(hay)


def test_hmac_v1_and_transport_errors(hay):
    """signature_version="s3" (AWS AK:signature) and connection-level failures."""
    with FaultServer(default=no_content_204()) as srv:
        client = _explicit_client(srv.url, signature_version="s3")
        try:
            _exercise(client, srv, hay, "hmac-v1")
        finally:
            client.close()
        client = _explicit_client(srv.url, read_timeout=0.3)
        srv.reset(hang(2))
        try:
            client.delete_bucket_policy(Bucket="bkt")
        except Exception as e:  # noqa: BLE001
            hay.add_exception("read timeout", e)
        finally:
            client.close()
        hay.add_signatures_from(srv)
    with ClosedPort() as port:
        client = _explicit_client(port.url)
        try:
            client.delete_bucket_policy(Bucket="bkt")
        except Exception as e:  # noqa: BLE001
            hay.add_exception("connection refused", e)
        finally:
            client.close()
    assert hay.signatures, "harness: no signature captured"
    _assert_no_leaks(hay)


@pytest.mark.parametrize("bad_token", [SESSION_TOKEN + "\n", SESSION_TOKEN + "\r\nX-Injected: 1", SESSION_TOKEN + "\x00"])
def test_unsendable_session_token_is_not_quoted_in_the_error(server, hay, bad_token):
    """A token that cannot go into a header is refused without repeating it."""
    client = fastboto.client(
        "s3", region_name="us-east-1", endpoint_url=server.url, aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY, aws_session_token=bad_token,
        config=fastboto.Config(retries={"max_attempts": 0}),
    )
    try:
        with pytest.raises(Exception) as exc:
            client.delete_bucket_policy(Bucket="bkt")
        hay.add_exception("bad token", exc.value)
        try:
            prepared = client.prepare_request("delete_bucket_policy", Bucket="bkt")
        except Exception as e:  # noqa: BLE001
            hay.add_exception("bad token prepare_request", e)
        else:
            hay.add("bad token PreparedRequest", prepared)
            hay.texts.append(("bad token to_curl()", prepared.to_curl()))
    finally:
        client.close()
    assert server.count == 0, "a request with a broken token header was sent"
    _assert_no_leaks(hay)


def test_aio_client_never_shows_secrets(server, hay):
    import asyncio

    aio = pytest.importorskip("fastboto.aio")

    async def go():
        async with aio.client("s3", region_name="us-east-1", endpoint_url=server.url,
                              aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
                              aws_session_token=SESSION_TOKEN,
                              config=fastboto.Config(retries={"max_attempts": 0})) as s3:
            hay.add("aio client", s3)
            hay.add("aio result", await s3.put_bucket_policy(Bucket="bkt", Policy=POLICY))
            server.reset(s3_error(403, "AccessDenied", "Access Denied"))
            try:
                await s3.delete_bucket_policy(Bucket="bkt")
            except Exception as e:  # noqa: BLE001
                hay.add_exception("aio error", e)

    asyncio.run(go())
    hay.add_signatures_from(server)
    _assert_no_leaks(hay)


def test_harness_sees_what_botocore_logs(server, hay):
    """Control: botocore logs the signature at DEBUG, and the haystack catches it
    (so the searches above are not vacuous)."""
    from support.reference import botocore_client

    client = botocore_client(region_name="us-east-1", endpoint_url=server.url, aws_access_key_id=ACCESS_KEY,
                             aws_secret_access_key=SECRET_KEY, aws_session_token=SESSION_TOKEN)
    try:
        client.delete_bucket_policy(Bucket="bkt")
    finally:
        client.close()
    hay.add_signatures_from(server)
    leaks = hay.leaks()
    assert any(leak.startswith("signature in log record botocore") for leak in leaks), leaks
