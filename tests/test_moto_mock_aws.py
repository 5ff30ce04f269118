"""moto's in-process ``mock_aws`` answers fastboto's calls as it answers
boto3's: the decorator, the context manager and the class decorator; sync,
asyncio and resources; clients made before the mock started. fastboto
still validates, serializes and signs; moto gets the prepared request the
way botocore hands it over (its ``before-send`` handler). Results and
errors are compared with boto3's under the same mock, and a listener that
every outgoing connection would reach (as the proxy) proves nothing leaves
the process -- the Rust transport does not use Python's socket module, so
a Python-level socket guard would prove nothing."""

from __future__ import annotations

import asyncio
import json
import socket
import threading

import boto3
import botocore.exceptions
import pytest
from moto import mock_aws

import fastboto
import fastboto.aio
from support.capture_server import CaptureServer
from support.reference import FAKE_ACCESS_KEY, FAKE_SECRET_KEY

POLICY = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Sid": "Read", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
    "Resource": "arn:aws:s3:::mocked-bucket/*"}]})
BUCKET = "mocked-bucket"


class ConnectionCounter:
    """A listener that accepts and counts connections, then hangs up."""

    def __init__(self) -> None:
        self._sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        self.count = 0
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            self.count += 1
            conn.close()

    def close(self) -> None:
        self._sock.close()


@pytest.fixture
def outgoing(monkeypatch):
    """Every connection fastboto would open goes to this counter (as proxy)."""
    counter = ConnectionCounter()
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy"):
        monkeypatch.setenv(name, counter.url)
    yield counter
    counter.close()


def _clients(**kw):
    return boto3.client("s3", region_name="us-east-1", **kw), fastboto.client("s3", region_name="us-east-1", **kw)


def _without_ids(response: dict) -> dict:
    """moto makes a fresh request id (and date) per response."""
    meta = dict(response["ResponseMetadata"])
    meta.pop("RequestId", None)
    meta.pop("HostId", None)
    headers = {k: v for k, v in meta.pop("HTTPHeaders").items()
               if k not in ("x-amz-request-id", "x-amz-id-2", "x-amzn-requestid", "date")}
    return {**response, "ResponseMetadata": {**meta, "HTTPHeaders": headers}}


def _error(call):
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        call()
    return raised.value


def test_premise_the_counter_sees_fastboto_without_the_mock(outgoing):
    ours = fastboto.client("s3", region_name="us-east-1", aws_access_key_id=FAKE_ACCESS_KEY,
                           aws_secret_access_key=FAKE_SECRET_KEY, config=fastboto.Config(retries={"max_attempts": 0}))
    with pytest.raises(botocore.exceptions.BotoCoreError):
        ours.get_bucket_policy(Bucket=BUCKET)
    assert outgoing.count >= 1


@mock_aws
def test_decorated_test_round_trips_like_boto3(outgoing):
    theirs, ours = _clients()
    theirs.create_bucket(Bucket=BUCKET)
    put_ours = ours.put_bucket_policy(Bucket=BUCKET, Policy=POLICY)
    put_theirs = theirs.put_bucket_policy(Bucket=BUCKET, Policy=POLICY)
    assert _without_ids(put_ours) == _without_ids(put_theirs)
    assert _without_ids(ours.get_bucket_policy(Bucket=BUCKET)) == _without_ids(theirs.get_bucket_policy(Bucket=BUCKET))
    ours.put_bucket_acl(Bucket=BUCKET, ACL="public-read")
    assert _without_ids(ours.get_bucket_acl(Bucket=BUCKET)) == _without_ids(theirs.get_bucket_acl(Bucket=BUCKET))
    assert len(theirs.get_bucket_acl(Bucket=BUCKET)["Grants"]) == 2
    ours.delete_bucket_policy(Bucket=BUCKET)
    mine, boto = _error(lambda: ours.get_bucket_policy(Bucket=BUCKET)), _error(lambda: theirs.get_bucket_policy(Bucket=BUCKET))
    assert type(mine).__name__ == type(boto).__name__ and str(mine) == str(boto)
    assert mine.response["Error"] == boto.response["Error"]
    assert outgoing.count == 0


def test_context_manager_and_errors_like_boto3(outgoing):
    with mock_aws():
        theirs, ours = _clients()
        for call in ("get_bucket_policy", "get_bucket_acl", "delete_bucket_policy"):
            mine = _error(lambda: getattr(ours, call)(Bucket="no-such-bucket"))
            boto = _error(lambda: getattr(theirs, call)(Bucket="no-such-bucket"))
            assert isinstance(mine, ours.exceptions.NoSuchBucket) is isinstance(boto, theirs.exceptions.NoSuchBucket)
            assert str(mine) == str(boto)
    assert outgoing.count == 0


def test_client_made_before_the_mock_is_answered_by_it(outgoing):
    ours = fastboto.client("s3", region_name="us-east-1", aws_access_key_id=FAKE_ACCESS_KEY,
                           aws_secret_access_key=FAKE_SECRET_KEY)
    with mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=BUCKET)
        ours.put_bucket_policy(Bucket=BUCKET, Policy=POLICY)
        assert json.loads(ours.get_bucket_policy(Bucket=BUCKET)["Policy"]) == json.loads(POLICY)
    assert outgoing.count == 0


def test_bad_input_is_refused_before_moto_sees_it(outgoing):
    with mock_aws():
        ours = fastboto.client("s3", region_name="us-east-1")
        with pytest.raises(botocore.exceptions.ParamValidationError):
            ours.put_bucket_policy(Bucket=BUCKET)
    assert outgoing.count == 0


@mock_aws
class TestClassDecorator:
    def test_resources_round_trip(self, outgoing):
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=BUCKET)
        ours = fastboto.resource("s3", region_name="us-east-1")
        theirs = boto3.resource("s3", region_name="us-east-1")
        ours.BucketPolicy(BUCKET).put(Policy=POLICY)
        assert ours.BucketPolicy(BUCKET).policy == theirs.BucketPolicy(BUCKET).policy
        ours.BucketAcl(BUCKET).put(ACL="private")
        assert ours.BucketAcl(BUCKET).grants == theirs.BucketAcl(BUCKET).grants
        assert outgoing.count == 0

    def test_asyncio_client(self, outgoing):
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=BUCKET)

        async def main():
            async with fastboto.aio.client("s3", region_name="us-east-1") as s3:
                await s3.put_bucket_policy(Bucket=BUCKET, Policy=POLICY)
                return await s3.get_bucket_policy(Bucket=BUCKET)

        assert json.loads(asyncio.run(main())["Policy"]) == json.loads(POLICY)
        assert outgoing.count == 0


def test_custom_endpoint_goes_to_the_network_as_boto3s_does(monkeypatch):
    """moto declines URLs no mocked service matches: boto3 then sends the
    request for real, and so does fastboto."""
    with CaptureServer() as server, mock_aws():
        server.respond(204, [("x-amz-request-id", "REQ")])
        kw = dict(endpoint_url=server.url, aws_access_key_id=FAKE_ACCESS_KEY,
                  aws_secret_access_key=FAKE_SECRET_KEY)
        theirs, ours = _clients(**kw)
        theirs.delete_bucket_policy(Bucket=BUCKET)
        ours.delete_bucket_policy(Bucket=BUCKET)
        assert len(server.requests) == 2
