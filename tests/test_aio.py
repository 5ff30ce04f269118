"""fastboto.aio: the same requests, results and errors as the blocking
client (issue "Speed"), many calls in flight, and use from a running loop."""

from __future__ import annotations

import asyncio

import pytest

import fastboto
import fastboto.aio
from support.capture_server import CannedResponse
from support.reference import FAKE_ACCESS_KEY, FAKE_SECRET_KEY, request_view, scrub

CASES = {
    "put-policy": ("put_bucket_policy", {"Bucket": "my-bucket", "Policy": '{"a": "é"}', "ExpectedBucketOwner": "1"}),
    "put-acl": ("put_bucket_acl", {"Bucket": "my-bucket", "AccessControlPolicy": {
        "Grants": [{"Grantee": {"Type": "Group", "URI": "http://acs.amazonaws.com/groups/global/AllUsers"},
                    "Permission": "READ"}], "Owner": {"ID": "o"}}}),
    "get-policy": ("get_bucket_policy", {"Bucket": "my.bucket"}),
    "get-acl": ("get_bucket_acl", {"Bucket": "my-bucket"}),
    "delete-policy": ("delete_bucket_policy", {"Bucket": "my-bucket"}),
    "bad-type": ("put_bucket_policy", {"Bucket": 1, "Policy": 2, "Extra": 3}),
    "bad-bucket": ("get_bucket_acl", {"Bucket": "a/b"}),
    "bad-checksum": ("put_bucket_policy", {"Bucket": "b", "Policy": "p", "ChecksumAlgorithm": "FOO"}),
}
ERROR_XML = (b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchBucket</Code>'
             b'<Message>The specified bucket does not exist</Message><BucketName>my-bucket</BucketName>'
             b'<RequestId>R</RequestId><HostId>H</HostId></Error>')


def kwargs(server):
    return dict(region_name="eu-west-1", endpoint_url=server.url, aws_access_key_id=FAKE_ACCESS_KEY,
                aws_secret_access_key=FAKE_SECRET_KEY,
                config=fastboto.Config(retries={"total_max_attempts": 1}))


def run_sync(server, operation, params):
    server.pop_all()
    try:
        result, error = getattr(fastboto.client("s3", **kwargs(server)), operation)(**params), None
    except Exception as e:  # noqa: BLE001
        result, error = None, e
    return result, error, server.pop_all()


def run_aio(server, operation, params):
    async def go():
        async with fastboto.aio.client("s3", **kwargs(server)) as s3:
            return await getattr(s3, operation)(**params)

    server.pop_all()
    try:
        result, error = asyncio.run(go()), None
    except Exception as e:  # noqa: BLE001
        result, error = None, e
    return result, error, server.pop_all()


def comparable(result):
    if result is None:
        return None
    meta = dict(result["ResponseMetadata"])
    meta["HTTPHeaders"] = {k: v for k, v in meta["HTTPHeaders"].items() if k != "date"}
    return {**result, "ResponseMetadata": meta}


@pytest.mark.parametrize("status", [200, 404])
@pytest.mark.parametrize("case", list(CASES))
def test_aio_matches_sync(capture_server, case, status):
    operation, params = CASES[case]
    if status == 404:
        capture_server.set_response(CannedResponse(404, [("x-amz-request-id", "R"), ("x-amz-id-2", "H")], ERROR_XML))
    else:
        body = b"{}" if operation == "get_bucket_policy" else b""
        capture_server.set_response(CannedResponse(200, [("x-amz-request-id", "R")], body))
    s_result, s_error, s_requests = run_sync(capture_server, operation, params)
    a_result, a_error, a_requests = run_aio(capture_server, operation, params)
    assert type(a_error) is type(s_error), scrub(f"{a_error!r} vs {s_error!r}")
    assert str(a_error) == str(s_error)
    if s_error is not None and hasattr(s_error, "response"):
        assert comparable(a_error.response) == comparable(s_error.response)
    assert comparable(a_result) == comparable(s_result)
    assert len(a_requests) == len(s_requests)
    for a, s in zip(a_requests, s_requests):
        av, sv = request_view(a), request_view(s)
        assert (av.method, av.host, av.path_and_query, av.body, av.headers, av.signed_headers) == \
               (sv.method, sv.host, sv.path_and_query, sv.body, sv.headers, sv.signed_headers)


def test_aio_prepare_request_matches_sync(capture_server):
    sync = fastboto.client("s3", **kwargs(capture_server)).prepare_request("get_bucket_acl", Bucket="b")

    async def go():
        async with fastboto.aio.client("s3", **kwargs(capture_server)) as s3:
            return await s3.prepare_request("get_bucket_acl", Bucket="b")

    aio = asyncio.run(go())
    volatile = {"x-amz-date", "authorization", "amz-sdk-invocation-id"}
    assert (aio.method, aio.url, aio.body) == (sync.method, sync.url, sync.body)
    assert {k: v for k, v in aio.headers.items() if k.lower() not in volatile} == \
           {k: v for k, v in sync.headers.items() if k.lower() not in volatile}
    assert not capture_server.pop_all()


def test_gather_of_thousands_of_calls(capture_server):
    capture_server.set_response(CannedResponse(204, [], b""))
    n = 2000

    async def go():
        async with fastboto.aio.client("s3", **kwargs(capture_server)) as s3:
            results = await asyncio.gather(*[s3.delete_bucket_policy(Bucket=f"b{i}") for i in range(n)])
            return [r["ResponseMetadata"]["HTTPStatusCode"] for r in results]

    assert asyncio.run(go()) == [204] * n
    assert sorted(r.path_and_query for r in capture_server.pop_all()) == sorted(f"/b{i}?policy" for i in range(n))


def test_inside_an_already_running_loop_with_other_tasks(capture_server):
    """As in Jupyter: the loop is already running other work; calls are plain awaits."""
    capture_server.set_response(CannedResponse(204, [], b""))

    async def go():
        ticks = 0

        async def ticker():
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0)

        t = asyncio.ensure_future(ticker())
        s3 = fastboto.aio.client("s3", **kwargs(capture_server))
        out = [await s3.delete_bucket_policy(Bucket="b") for _ in range(20)]
        t.cancel()
        return out, ticks

    out, ticks = asyncio.run(go())
    assert all(r["ResponseMetadata"]["HTTPStatusCode"] == 204 for r in out)
    assert ticks > 20, "the event loop was blocked while calls were in flight"


def test_validation_errors_are_raised_at_await(capture_server):
    async def go():
        s3 = fastboto.aio.client("s3", **kwargs(capture_server))
        coro = s3.put_bucket_policy(Bucket=1)
        assert asyncio.iscoroutine(coro)
        with pytest.raises(fastboto.exceptions.ParamValidationError):
            await coro

    asyncio.run(go())
    assert not capture_server.pop_all()


@pytest.mark.parametrize("pool", [10, 3])
def test_gathered_calls_use_at_most_max_pool_connections(pool):
    """As aiohttp's connector limit bounds aiobotocore: thousands of gathered
    calls wait for one of `max_pool_connections` connections instead of
    opening a socket each (which exhausts file descriptors)."""
    from support.fault_server import FaultServer, no_content_204

    n = 1500
    with FaultServer(default=no_content_204()) as server:
        async def go():
            async with fastboto.aio.client(
                    "s3", region_name="eu-west-1", endpoint_url=server.url, aws_access_key_id=FAKE_ACCESS_KEY,
                    aws_secret_access_key=FAKE_SECRET_KEY,
                    config=fastboto.Config(max_pool_connections=pool)) as s3:
                results = await asyncio.gather(*[s3.delete_bucket_policy(Bucket="bkt") for _ in range(n)])
                return [r["ResponseMetadata"]["HTTPStatusCode"] for r in results]

        assert asyncio.run(go()) == [204] * n
        assert server.count == n
        assert server.peak_connections <= pool, f"{server.peak_connections} connections open at once"
