"""fastboto.stub.Stubber against botocore.stub.Stubber: the same script of
queued responses and calls gives the same results and the same exceptions
(class name and message), and a stubbed call sends nothing."""

from __future__ import annotations

import asyncio
from typing import Any, Callable, List, Tuple

import boto3
import botocore.exceptions
import botocore.stub
import pytest

import fastboto
import fastboto.aio
import fastboto.stub
from support.fault_server import FaultServer, no_content_204
from support.ours import fastboto_client
from support.reference import botocore_client

POLICY = '{"Version":"2012-10-17","Statement":[]}'
ACL_RESPONSE = {
    "Owner": {"DisplayName": "me", "ID": "abc123"},
    "Grants": [
        {"Grantee": {"Type": "CanonicalUser", "ID": "abc123", "DisplayName": "me"},
         "Permission": "FULL_CONTROL"},
        {"Grantee": {"Type": "Group", "URI": "http://acs.amazonaws.com/groups/global/AllUsers"},
         "Permission": "READ"},
    ],
}


def _outcome(fn: Callable[[], Any]) -> Tuple[str, Any]:
    try:
        return ("ok", fn())
    except Exception as e:  # noqa: BLE001 - the outcome is what is compared
        return (type(e).__name__, str(e))


# Each script gets (client, stub module's ANY, stubber) and returns the list
# of outcomes of its steps.
Script = Callable[[Any, Any, Any], List[Tuple[str, Any]]]


def _steps(*steps: Callable[[Any, Any, Any], Any]) -> Script:
    def run(client, any_, stubber):
        return [_outcome(lambda step=step: step(client, any_, stubber)) for step in steps]
    return run


SCRIPTS = {
    "response": _steps(
        lambda c, a, s: s.add_response("get_bucket_policy", {"Policy": POLICY}),
        lambda c, a, s: c.get_bucket_policy(Bucket="bkt"),
        lambda c, a, s: s.assert_no_pending_responses(),
    ),
    "response-with-metadata": _steps(
        lambda c, a, s: s.add_response("get_bucket_acl", {**ACL_RESPONSE, "ResponseMetadata": {"RequestId": "r1"}}),
        lambda c, a, s: c.get_bucket_acl(Bucket="bkt"),
    ),
    "empty-responses": _steps(
        lambda c, a, s: s.add_response("put_bucket_policy", {}),
        lambda c, a, s: s.add_response("delete_bucket_policy", {"ResponseMetadata": {"HTTPStatusCode": 204}}),
        lambda c, a, s: s.add_response("put_bucket_acl", {}),
        lambda c, a, s: c.put_bucket_policy(Bucket="bkt", Policy=POLICY),
        lambda c, a, s: c.delete_bucket_policy(Bucket="bkt"),
        lambda c, a, s: c.put_bucket_acl(Bucket="bkt", ACL="private"),
    ),
    "expected-params": _steps(
        lambda c, a, s: s.add_response("put_bucket_policy", {}, {"Bucket": "bkt", "Policy": POLICY}),
        lambda c, a, s: c.put_bucket_policy(Bucket="bkt", Policy=POLICY),
        lambda c, a, s: s.add_response("put_bucket_policy", {}, {"Bucket": "bkt", "Policy": a}),
        lambda c, a, s: c.put_bucket_policy(Bucket="bkt", Policy="anything"),
    ),
    "expected-params-differ": _steps(
        lambda c, a, s: s.add_response("put_bucket_policy", {}, {"Bucket": "bkt", "Policy": POLICY}),
        lambda c, a, s: c.put_bucket_policy(Bucket="other", Policy=POLICY),
        lambda c, a, s: c.put_bucket_policy(Bucket="bkt", Policy=POLICY, ExpectedBucketOwner="111122223333"),
        lambda c, a, s: c.put_bucket_policy(Bucket="bkt", Policy=POLICY),
        lambda c, a, s: s.add_response("get_bucket_policy", {"Policy": POLICY}, {"Bucket": "bkt", "ExpectedBucketOwner": "1"}),
        lambda c, a, s: c.get_bucket_policy(Bucket="bkt"),
    ),
    "expected-params-before-validation": _steps(
        lambda c, a, s: s.add_response("put_bucket_policy", {}, {"Bucket": "bkt", "Policy": POLICY}),
        lambda c, a, s: c.put_bucket_policy(Bucket="not a bucket!", Policy=POLICY),
        lambda c, a, s: c.put_bucket_policy(Bucket="bkt"),
    ),
    "validation-while-stubbed": _steps(
        lambda c, a, s: s.add_response("put_bucket_policy", {}),
        lambda c, a, s: c.put_bucket_policy(Bucket="not a bucket!", Policy=POLICY),
        lambda c, a, s: c.put_bucket_policy(Bucket="bkt"),
        lambda c, a, s: c.put_bucket_policy(Bucket="bkt", Policy=POLICY, Bogus=1),
        lambda c, a, s: c.put_bucket_policy(Bucket="bkt", Policy=POLICY, ChecksumAlgorithm="BOGUS"),
        lambda c, a, s: s.assert_no_pending_responses(),
        lambda c, a, s: c.put_bucket_policy(Bucket="bkt", Policy=POLICY),
        lambda c, a, s: s.assert_no_pending_responses(),
    ),
    # botocore never signs nor sends a stubbed call, so what only fails
    # there passes
    "unsendable-header-is-answered": _steps(
        lambda c, a, s: s.add_response("get_bucket_policy", {"Policy": POLICY}),
        lambda c, a, s: c.get_bucket_policy(Bucket="bkt", ExpectedBucketOwner="a\r\nb"),
    ),
    "unstubbed-and-mismatch": _steps(
        lambda c, a, s: c.get_bucket_policy(Bucket="bkt"),
        lambda c, a, s: s.add_response("get_bucket_policy", {"Policy": POLICY}),
        lambda c, a, s: c.get_bucket_acl(Bucket="bkt"),
        lambda c, a, s: c.get_bucket_policy(Bucket="bkt"),
        lambda c, a, s: c.get_bucket_policy(Bucket="bkt"),
    ),
    "client-errors": _steps(
        lambda c, a, s: s.add_client_error("get_bucket_policy", "NoSuchBucket", "The specified bucket does not exist"),
        lambda c, a, s: c.get_bucket_policy(Bucket="bkt"),
        lambda c, a, s: s.add_client_error("get_bucket_policy", "NoSuchBucketPolicy", "none", 404,
                                           service_error_meta={"BucketName": "bkt"},
                                           response_meta={"RequestId": "r2"}),
        lambda c, a, s: c.get_bucket_policy(Bucket="bkt"),
        lambda c, a, s: s.add_client_error("put_bucket_acl"),
        lambda c, a, s: c.put_bucket_acl(Bucket="bkt", ACL="private"),
        lambda c, a, s: s.add_client_error("put_bucket_acl", "AccessDenied", http_status_code=200),
        lambda c, a, s: c.put_bucket_acl(Bucket="bkt", ACL="private"),
        lambda c, a, s: s.add_client_error("get_bucket_acl", "InvalidObjectState", modeled_fields={"StorageClass": 1}),
        lambda c, a, s: s.add_client_error("get_bucket_acl", "InvalidObjectState", modeled_fields={"Tier": "x"}),
        lambda c, a, s: s.add_client_error("get_bucket_acl", "NoSuchBucket", modeled_fields={"X": "y"}),
        lambda c, a, s: s.add_client_error("get_bucket_acl", "Custom", modeled_fields={"X": "y"}),
        lambda c, a, s: s.add_client_error("get_bucket_acl", "Custom", modeled_fields={}),
        lambda c, a, s: s.add_client_error("get_bucket_acl", "InvalidObjectState", modeled_fields={"StorageClass": "GLACIER"}),
        lambda c, a, s: c.get_bucket_acl(Bucket="bkt"),
    ),
    "invalid-service-responses": _steps(
        lambda c, a, s: s.add_response("get_bucket_policy", {"Policy": 1}),
        lambda c, a, s: s.add_response("get_bucket_policy", {"Bogus": 1, "Policy": None}),
        lambda c, a, s: s.add_response("put_bucket_policy", {"Policy": POLICY}),
        lambda c, a, s: s.add_response("get_bucket_acl", {"Grants": [{"Grantee": {"ID": 5}}], "Owner": "me"}),
        lambda c, a, s: s.add_response("no_such_method", {}),
        lambda c, a, s: s.assert_no_pending_responses(),
    ),
    "pending": _steps(
        lambda c, a, s: s.add_response("get_bucket_policy", {"Policy": POLICY}),
        lambda c, a, s: s.add_client_error("get_bucket_policy", "NoSuchBucket"),
        lambda c, a, s: s.assert_no_pending_responses(),
    ),
}


def _result(outcomes):
    """ResponseMetadata aside, results are compared as they are."""
    return outcomes


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_stubber_script_matches_botocore(name):
    script = SCRIPTS[name]
    theirs_client = botocore_client(region_name="us-east-1")
    ours_client = fastboto_client(region_name="us-east-1")
    with botocore.stub.Stubber(theirs_client) as theirs_stubber:
        theirs = script(theirs_client, botocore.stub.ANY, theirs_stubber)
    with fastboto.stub.Stubber(ours_client) as ours_stubber:
        ours = script(ours_client, fastboto.stub.ANY, ours_stubber)
    assert ours == theirs


def test_stubbed_result_is_the_queued_object_and_error_classes_are_botocores():
    client = fastboto_client(region_name="us-east-1")
    stubber = fastboto.stub.Stubber(client)
    response = {"Policy": POLICY}
    stubber.add_response("get_bucket_policy", response)
    stubber.add_client_error("get_bucket_policy", "NoSuchBucket", "gone", 404)
    stubber.add_response("get_bucket_policy", response, {"Bucket": "x"})
    with stubber:
        assert client.get_bucket_policy(Bucket="bkt") is response
        with pytest.raises(client.exceptions.NoSuchBucket) as err:
            client.get_bucket_policy(Bucket="bkt")
        assert isinstance(err.value, botocore.exceptions.ClientError)
        assert err.value.response["Error"] == {"Message": "gone", "Code": "NoSuchBucket"}
        with pytest.raises(botocore.exceptions.StubAssertionError) as mismatch:
            client.get_bucket_policy(Bucket="y")
        assert isinstance(mismatch.value, AssertionError)
        assert isinstance(mismatch.value, fastboto.exceptions.StubResponseError)
    with pytest.raises(botocore.exceptions.UnStubbedResponseError):
        with fastboto.stub.Stubber(client):
            client.get_bucket_policy(Bucket="bkt")


def test_stubbed_calls_send_nothing_and_need_no_credentials():
    with FaultServer(default=no_content_204()) as srv:
        client = fastboto_client(region_name="us-east-1", endpoint_url=srv.url,
                                 aws_access_key_id=None, aws_secret_access_key=None)
        stubber = fastboto.stub.Stubber(client)
        stubber.add_response("delete_bucket_policy", {})
        with stubber:
            assert client.delete_bucket_policy(Bucket="bkt") == {}
        assert srv.wait_for(1, timeout=0.2) == 0, "a stubbed call was sent"
        # deactivated: the real path again, which needs credentials
        with pytest.raises(botocore.exceptions.NoCredentialsError):
            client.delete_bucket_policy(Bucket="bkt")
        signed = fastboto_client(region_name="us-east-1", endpoint_url=srv.url)
        with fastboto.stub.Stubber(signed) as s:
            s.add_response("delete_bucket_policy", {})
            signed.delete_bucket_policy(Bucket="bkt")
        assert signed.delete_bucket_policy(Bucket="bkt")["ResponseMetadata"]["HTTPStatusCode"] == 204
        assert srv.wait_for(1, timeout=5) == 1


def test_resource_actions_go_through_the_stubbed_client():
    theirs_res = boto3.session.Session(
        aws_access_key_id="AKIAFASTBOTOTESTFAKE", aws_secret_access_key="fake/Secret+Key=NotReal",
        region_name="us-east-1").resource("s3")
    ours_res = fastboto.Session(
        aws_access_key_id="AKIAFASTBOTOTESTFAKE", aws_secret_access_key="fake/Secret+Key=NotReal",
        region_name="us-east-1").resource("s3")
    results = []
    for res, stub_module in ((theirs_res, botocore.stub), (ours_res, fastboto.stub)):
        with stub_module.Stubber(res.meta.client) as stubber:
            stubber.add_response("get_bucket_acl", ACL_RESPONSE, {"Bucket": "bkt"})
            stubber.add_response("put_bucket_acl", {}, {"Bucket": "bkt", "ACL": "public-read"})
            stubber.add_response("get_bucket_policy", {"Policy": POLICY}, {"Bucket": "bkt"})
            acl = res.BucketAcl("bkt")
            grants, owner = acl.grants, acl.owner
            acl.put(ACL="public-read")
            policy = res.Bucket("bkt").Policy().policy
            stubber.assert_no_pending_responses()
        results.append((grants, owner, policy))
    assert results[1] == results[0]


def test_aio_client_can_be_stubbed():
    async def main():
        async with fastboto.aio.client("s3", region_name="us-east-1",
                                       aws_access_key_id="AKIAFASTBOTOTESTFAKE",
                                       aws_secret_access_key="fake/Secret+Key=NotReal") as client:
            with fastboto.stub.Stubber(client) as stubber:
                stubber.add_response("get_bucket_policy", {"Policy": POLICY}, {"Bucket": "bkt"})
                stubber.add_client_error("put_bucket_policy", "MalformedPolicy", "bad")
                got = await client.get_bucket_policy(Bucket="bkt")
                with pytest.raises(fastboto.exceptions.ClientError) as err:
                    await client.put_bucket_policy(Bucket="bkt", Policy="x")
                with pytest.raises(botocore.exceptions.UnStubbedResponseError):
                    await client.put_bucket_policy(Bucket="bkt", Policy="x")
                stubber.add_response("delete_bucket_policy", {})
                with pytest.raises(fastboto.exceptions.ParamValidationError):
                    await client.delete_bucket_policy(Bucket="no such bucket")
                await client.delete_bucket_policy(Bucket="bkt")
                stubber.assert_no_pending_responses()
            return got, err.value.response["Error"]["Code"]

    assert asyncio.run(main()) == ({"Policy": POLICY}, "MalformedPolicy")


def test_delegated_operations_are_stubbed_too():
    """Calls fastboto serves through botocore are answered by botocore's
    Stubber on the delegate client, queued through the same fastboto
    Stubber; nothing is sent for either kind."""
    client = fastboto.client("s3", region_name="us-east-1", endpoint_url="http://127.0.0.1:9",
                             aws_access_key_id="a", aws_secret_access_key="b")
    stubber = fastboto.stub.Stubber(client)
    stubber.add_response("list_buckets", {"Buckets": [{"Name": "one"}]})
    stubber.add_response("get_bucket_policy", {"Policy": "{}"}, {"Bucket": "one"})
    stubber.add_client_error("head_object", "404", "Not Found", 404)
    with stubber:
        assert client.list_buckets()["Buckets"] == [{"Name": "one"}]
        assert client.get_bucket_policy(Bucket="one")["Policy"] == "{}"
        with pytest.raises(client.exceptions.ClientError) as missing:
            client.head_object(Bucket="one", Key="k")
        assert missing.value.response["Error"]["Code"] == "404"
        stubber.assert_no_pending_responses()
    stubber.add_response("list_buckets", {"Buckets": []})
    with pytest.raises(AssertionError, match="1 responses remaining"):
        stubber.assert_no_pending_responses()
