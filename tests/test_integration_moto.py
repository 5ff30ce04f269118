"""fastboto against a real S3 implementation (moto's server, on 127.0.0.1).

boto3 creates the buckets and is the independent reader; fastboto writes,
reads and deletes the policies. Results and errors are compared with what
boto3 gets from the same server for the same calls.
"""

from __future__ import annotations

import json

import boto3
import botocore.exceptions
import pytest

import fastboto
from support.reference import scrub

POLICY = json.dumps({
    "Version": "2012-10-17",
    "Statement": [{
        "Sid": "PublicReadé✓",
        "Effect": "Allow",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::fb-bucket/*",
    }],
})


def _kw(moto_server, region="us-east-1"):
    return dict(region_name=region, endpoint_url=str(moto_server),
                aws_access_key_id=moto_server.access_key, aws_secret_access_key=moto_server.secret_key)


@pytest.fixture
def boto3_client(moto_server):
    return boto3.client("s3", **_kw(moto_server))


@pytest.fixture
def fb_client(moto_server):
    with fastboto.client("s3", **_kw(moto_server)) as c:
        yield c


def _strip_volatile(result):
    """ResponseMetadata ids and dates differ per call on a live server; the rest must not."""
    out = dict(result)
    md = dict(out.pop("ResponseMetadata"))
    headers = {k: v for k, v in md.pop("HTTPHeaders").items()
               if k not in ("date", "x-amz-request-id", "x-amz-id-2", "x-amzn-requestid", "server")}
    md.pop("RequestId", None)
    md.pop("HostId", None)
    return out, md, headers


def test_put_get_delete_roundtrip(boto3_client, fb_client):
    boto3_client.create_bucket(Bucket="fb-bucket")
    put = fb_client.put_bucket_policy(Bucket="fb-bucket", Policy=POLICY)
    assert put["ResponseMetadata"]["HTTPStatusCode"] in (200, 204)
    assert put["ResponseMetadata"]["RetryAttempts"] == 0

    theirs = boto3_client.get_bucket_policy(Bucket="fb-bucket")
    ours = fb_client.get_bucket_policy(Bucket="fb-bucket")
    assert json.loads(theirs["Policy"]) == json.loads(POLICY)  # boto3 reads what fastboto wrote
    assert ours["Policy"] == theirs["Policy"]
    assert _strip_volatile(ours) == _strip_volatile(theirs)

    deleted = fb_client.delete_bucket_policy(Bucket="fb-bucket")
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(botocore.exceptions.ClientError) as ei:
        boto3_client.get_bucket_policy(Bucket="fb-bucket")
    assert ei.value.response["Error"]["Code"] == "NoSuchBucketPolicy"


def test_fastboto_reads_what_boto3_wrote(boto3_client, fb_client):
    boto3_client.create_bucket(Bucket="fb-bucket")
    boto3_client.put_bucket_policy(Bucket="fb-bucket", Policy=POLICY)
    assert fb_client.get_bucket_policy(Bucket="fb-bucket")["Policy"] == \
        boto3_client.get_bucket_policy(Bucket="fb-bucket")["Policy"]


@pytest.mark.parametrize("algorithm", ["CRC32", "SHA256", "SHA1"])
def test_put_with_checksum_algorithm_accepted(boto3_client, fb_client, algorithm):
    boto3_client.create_bucket(Bucket="fb-bucket")
    fb_client.put_bucket_policy(Bucket="fb-bucket", Policy=POLICY, ChecksumAlgorithm=algorithm,
                                ExpectedBucketOwner="123456789012")
    assert json.loads(boto3_client.get_bucket_policy(Bucket="fb-bucket")["Policy"]) == json.loads(POLICY)


def test_bucket_in_other_region(moto_server, fb_client):
    b3 = boto3.client("s3", **_kw(moto_server, "eu-west-1"))
    b3.create_bucket(Bucket="fb-eu-bucket", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    with fastboto.client("s3", **_kw(moto_server, "eu-west-1")) as c:
        c.put_bucket_policy(Bucket="fb-eu-bucket", Policy=POLICY)
        assert c.get_bucket_policy(Bucket="fb-eu-bucket")["Policy"] == b3.get_bucket_policy(Bucket="fb-eu-bucket")["Policy"]


@pytest.mark.parametrize("operation,params", [
    ("put_bucket_policy", {"Bucket": "no-such-bucket", "Policy": POLICY}),
    ("get_bucket_policy", {"Bucket": "no-such-bucket"}),
    ("delete_bucket_policy", {"Bucket": "no-such-bucket"}),
])
def test_no_such_bucket_matches_boto3(boto3_client, fb_client, operation, params):
    with pytest.raises(botocore.exceptions.ClientError) as theirs:
        getattr(boto3_client, operation)(**params)
    with pytest.raises(botocore.exceptions.ClientError) as ours:  # fastboto's error is a botocore ClientError
        getattr(fb_client, operation)(**params)
    assert type(ours.value).__name__ == type(theirs.value).__name__
    assert str(ours.value) == str(theirs.value)
    assert isinstance(ours.value, fastboto.exceptions.ClientError)
    o_err, t_err = ours.value.response, theirs.value.response
    assert o_err["Error"] == t_err["Error"]
    assert _strip_volatile(o_err) == _strip_volatile(t_err)
    if type(theirs.value).__name__ == "NoSuchBucket":
        assert isinstance(ours.value, fb_client.exceptions.NoSuchBucket)


def test_no_such_bucket_policy_matches_boto3(boto3_client, fb_client):
    boto3_client.create_bucket(Bucket="fb-bucket")
    with pytest.raises(botocore.exceptions.ClientError) as theirs:
        boto3_client.get_bucket_policy(Bucket="fb-bucket")
    with pytest.raises(botocore.exceptions.ClientError) as ours:
        fb_client.get_bucket_policy(Bucket="fb-bucket")
    assert str(ours.value) == str(theirs.value)
    assert ours.value.response["Error"] == theirs.value.response["Error"]


def test_except_botocore_client_error_catches_fastboto(fb_client):
    try:
        fb_client.get_bucket_policy(Bucket="definitely-missing")
    except botocore.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == "NoSuchBucket"
        assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    else:
        pytest.fail("no error raised")


def test_malformed_policy_error_matches_boto3(boto3_client, fb_client):
    boto3_client.create_bucket(Bucket="fb-bucket")
    for bad in ["not json", ""]:
        theirs = ours = None
        try:
            boto3_client.put_bucket_policy(Bucket="fb-bucket", Policy=bad)
        except botocore.exceptions.ClientError as e:
            theirs = e
        try:
            fb_client.put_bucket_policy(Bucket="fb-bucket", Policy=bad)
        except botocore.exceptions.ClientError as e:
            ours = e
        assert (ours is None) == (theirs is None), scrub(f"ours {ours!r} theirs {theirs!r}")
        if theirs is not None:
            assert str(ours) == str(theirs)
            assert ours.response["Error"] == theirs.response["Error"]


def test_import_fastboto_as_boto3_script(moto_server):
    """The one-line migration: a boto3 script keeps working with `import fastboto as boto3`."""
    import fastboto as boto3_alias

    boto3.client("s3", **_kw(moto_server)).create_bucket(Bucket="script-bucket")
    s3 = boto3_alias.client("s3", **_kw(moto_server))
    s3.put_bucket_policy(Bucket="script-bucket", Policy=POLICY)
    assert json.loads(s3.get_bucket_policy(Bucket="script-bucket")["Policy"]) == json.loads(POLICY)
    s3.delete_bucket_policy(Bucket="script-bucket")
    try:
        s3.get_bucket_policy(Bucket="script-bucket")
    except s3.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == "NoSuchBucketPolicy"
    else:
        pytest.fail("policy still there after delete")
    s3.close()
