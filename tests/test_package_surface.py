"""The package as a user meets it: a clean namespace, `fastboto.aio`
reachable after a plain import, DEBUG logging of calls (without secrets)
that costs nothing to import, `set_stream_logger` as boto3's."""

from __future__ import annotations

import logging
import subprocess
import sys

import fastboto
from support.capture_server import CannedResponse
from support.reference import FAKE_ACCESS_KEY, FAKE_SECRET_KEY

PUBLIC = {"BOTOCORE_VERSION", "Config", "DEFAULT_SESSION", "Session", "UNSIGNED", "client", "config",
          "exceptions", "resource", "session", "set_stream_logger", "setup_default_session"}


def _child(code: str) -> str:
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def test_namespace_has_no_implementation_leftovers():
    """In a fresh interpreter: other tests import submodules (which then
    show up as package attributes, as in boto3)."""
    out = _child("import fastboto; print(sorted(n for n in dir(fastboto) if not n.startswith('_')))")
    public = set(eval(out))
    assert public <= PUBLIC, public - PUBLIC
    assert "Any" not in public and "annotations" not in public


def test_aio_is_reachable_lazily_and_logging_is_not_imported():
    out = _child(
        "import sys, fastboto\n"
        "before = ('fastboto.aio' in sys.modules, 'logging' in sys.modules)\n"
        "client = fastboto.aio.client\n"
        "print(before, 'fastboto.aio' in sys.modules, callable(client))\n")
    assert out == "(False, False) True True"


def test_calls_are_logged_at_debug_without_secrets(capture_server, caplog):
    capture_server.set_response(CannedResponse(204, [("x-amz-request-id", "REQ1")]))
    client = fastboto.client("s3", region_name="us-east-1", endpoint_url=capture_server.url,
                             aws_access_key_id=FAKE_ACCESS_KEY, aws_secret_access_key=FAKE_SECRET_KEY,
                             aws_session_token="THE-SESSION-TOKEN")
    with caplog.at_level(logging.DEBUG, logger="fastboto"):
        client.delete_bucket_policy(Bucket="bkt")
        capture_server.set_response(CannedResponse(404, [], b""))
        try:
            client.get_bucket_policy(Bucket="bkt")
        except fastboto.exceptions.ClientError:
            pass
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "Calling delete_bucket_policy with parameters ['Bucket']" in text
    assert "delete_bucket_policy: HTTP 204" in text and "REQ1" in text
    assert "get_bucket_policy raised ClientError" in text
    signature = capture_server.requests[0].header("Authorization").rsplit("Signature=", 1)[1]
    for secret in (FAKE_SECRET_KEY, "THE-SESSION-TOKEN", signature):
        assert secret not in text


def test_asyncio_calls_are_logged_too(capture_server, caplog):
    import asyncio

    import fastboto.aio

    capture_server.set_response(CannedResponse(204, [("x-amz-request-id", "REQ2")]))

    async def go():
        async with fastboto.aio.client("s3", region_name="us-east-1", endpoint_url=capture_server.url,
                                       aws_access_key_id=FAKE_ACCESS_KEY,
                                       aws_secret_access_key=FAKE_SECRET_KEY) as s3:
            await s3.delete_bucket_policy(Bucket="bkt")

    with caplog.at_level(logging.DEBUG, logger="fastboto"):
        asyncio.run(go())
    text = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("fastboto"))
    assert "Calling delete_bucket_policy with parameters ['Bucket']" in text
    assert "delete_bucket_policy: HTTP 204" in text and "REQ2" in text
    assert FAKE_SECRET_KEY not in text


def test_nothing_is_logged_when_debug_is_off(capture_server, caplog):
    capture_server.set_response(CannedResponse(204, []))
    client = fastboto.client("s3", region_name="us-east-1", endpoint_url=capture_server.url,
                             aws_access_key_id=FAKE_ACCESS_KEY, aws_secret_access_key=FAKE_SECRET_KEY)
    with caplog.at_level(logging.INFO, logger="fastboto"):
        client.delete_bucket_policy(Bucket="bkt")
    assert not [r for r in caplog.records if r.name.startswith("fastboto")]


def test_set_stream_logger_as_boto3():
    out = _child(
        "import logging, fastboto\n"
        "fastboto.set_stream_logger('fastboto.x', logging.INFO, '%(message)s')\n"
        "logger = logging.getLogger('fastboto.x')\n"
        "print(logger.level, [type(h).__name__ for h in logger.handlers], logger.handlers[0].formatter._fmt)\n")
    assert out == "20 ['StreamHandler'] %(message)s"
