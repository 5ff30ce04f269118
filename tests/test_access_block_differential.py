"""The public access block, ownership controls, policy status, head_bucket
and delete_bucket operations (native since issue 15) against botocore: the same request (URL, headers,
body, checksum, SigV4) for hand-picked and generated inputs, the same
ParamValidationError with nothing sent for bad ones, the same parsed
results and errors for canned S3 responses, and a round trip on moto."""

from __future__ import annotations

import botocore.exceptions
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fastboto
from support.ours import assert_differential, run_both
from support.s3_responses import ok, xml_error

KW = dict(region_name="us-east-1")
XML = [("Content-Type", "application/xml")]
NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"'
FLAGS = ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"]


def check(server, operation, params, client_kwargs=None):
    __tracebackhide__ = True
    kw = dict(client_kwargs or {**KW, "endpoint_url": server.url})
    ours, theirs = run_both(server, operation, kw, params)
    assert_differential(ours, theirs, operation, params, kw)
    return ours, theirs


WRITES = [
    ("put_public_access_block", {"Bucket": "bkt", "PublicAccessBlockConfiguration": dict.fromkeys(FLAGS, True)}),
    ("put_public_access_block", {"Bucket": "bkt", "PublicAccessBlockConfiguration": {}}),
    ("put_public_access_block", {"Bucket": "bkt", "PublicAccessBlockConfiguration": {"IgnorePublicAcls": False},
                                 "ChecksumAlgorithm": "SHA256", "ExpectedBucketOwner": "123456789012"}),
    ("put_public_access_block", {"Bucket": "bkt", "PublicAccessBlockConfiguration": {"BlockPublicAcls": True},
                                 "ContentMD5": "1B2M2Y8AsgTpgAmY7PhCfg=="}),
    ("put_bucket_ownership_controls", {"Bucket": "bkt", "OwnershipControls": {
        "Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}}),
    ("put_bucket_ownership_controls", {"Bucket": "my.dotted.bucket", "OwnershipControls": {
        "Rules": [{"ObjectOwnership": "ObjectWriter"}, {"ObjectOwnership": "<&>é"}]}, "ChecksumAlgorithm": "CRC32C"}),
    ("put_bucket_ownership_controls", {"Bucket": "bkt", "OwnershipControls": {"Rules": []}}),
    ("delete_public_access_block", {"Bucket": "bkt"}),
    ("delete_bucket_ownership_controls", {"Bucket": "bkt", "ExpectedBucketOwner": "123456789012"}),
    ("delete_bucket", {"Bucket": "bkt"}),
    ("delete_bucket", {"Bucket": "my.dotted.bucket", "ExpectedBucketOwner": "123456789012"}),
    ("head_bucket", {"Bucket": "bkt"}),
    ("head_bucket", {"Bucket": "arn:aws:s3:us-east-1:123456789012:accesspoint/myap"}),
]
BAD = [
    ("put_public_access_block", {"Bucket": "bkt"}),
    ("put_public_access_block", {"Bucket": "bkt", "PublicAccessBlockConfiguration": {"BlockPublicAcls": "true"}}),
    ("put_public_access_block", {"Bucket": "bkt", "PublicAccessBlockConfiguration": {"Bogus": True, "BlockPublicAcls": 1}}),
    ("put_public_access_block", {"Bucket": "bkt", "PublicAccessBlockConfiguration": [True]}),
    ("put_bucket_ownership_controls", {"Bucket": "bkt", "OwnershipControls": {}}),
    ("put_bucket_ownership_controls", {"Bucket": "bkt", "OwnershipControls": {"Rules": [{}]}}),
    ("put_bucket_ownership_controls", {"Bucket": "bkt", "OwnershipControls": {"Rules": "BucketOwnerEnforced"}}),
    ("put_bucket_ownership_controls", {"Bucket": "bkt", "OwnershipControls": {"Rules": [{"ObjectOwnership": 3}]}}),
    ("get_public_access_block", {"Bucket": "bkt", "Extra": 1}),
    ("delete_bucket_ownership_controls", {}),
    ("get_bucket_policy_status", {"Bucket": 5}),
    ("head_bucket", {"Bucket": "bkt", "ExpectedBucketOwner": ["x"]}),
    ("delete_bucket", {"Bucket": ""}),
]


@pytest.mark.parametrize("operation,params", WRITES + BAD, ids=lambda v: v if isinstance(v, str) else None)
def test_requests_and_validation_like_botocore(capture_server, operation, params):
    capture_server.set_response(ok(204 if operation.startswith("delete") else 200))
    check(capture_server, operation, params)


READS = {
    "pab-all": ("get_public_access_block",
                f"<PublicAccessBlockConfiguration {NS}><BlockPublicAcls>true</BlockPublicAcls>"
                "<IgnorePublicAcls>false</IgnorePublicAcls><BlockPublicPolicy>true</BlockPublicPolicy>"
                "<RestrictPublicBuckets>TRUE</RestrictPublicBuckets></PublicAccessBlockConfiguration>"),
    "pab-partial": ("get_public_access_block",
                    "<PublicAccessBlockConfiguration><IgnorePublicAcls>true</IgnorePublicAcls>"
                    "</PublicAccessBlockConfiguration>"),
    "pab-empty-element": ("get_public_access_block", "<PublicAccessBlockConfiguration/>"),
    "ownership-one": ("get_bucket_ownership_controls",
                      f"<OwnershipControls {NS}><Rule><ObjectOwnership>BucketOwnerEnforced</ObjectOwnership>"
                      "</Rule></OwnershipControls>"),
    "ownership-two": ("get_bucket_ownership_controls",
                      "<OwnershipControls><Rule><ObjectOwnership>ObjectWriter</ObjectOwnership></Rule>"
                      "<Rule><ObjectOwnership>a&amp;b</ObjectOwnership></Rule></OwnershipControls>"),
    "ownership-none": ("get_bucket_ownership_controls", "<OwnershipControls></OwnershipControls>"),
    "status-public": ("get_bucket_policy_status", f"<PolicyStatus {NS}><IsPublic>true</IsPublic></PolicyStatus>"),
    "status-private": ("get_bucket_policy_status", "<PolicyStatus><IsPublic>false</IsPublic></PolicyStatus>"),
    "status-empty": ("get_bucket_policy_status", "<PolicyStatus/>"),
    "pab-no-body": ("get_public_access_block", ""),
    "ownership-no-body": ("get_bucket_ownership_controls", ""),
}


@pytest.mark.parametrize("name", list(READS))
def test_parsed_results_like_botocore(capture_server, name):
    operation, body = READS[name]
    capture_server.set_response(ok(200, body.encode(), XML))
    check(capture_server, operation, {"Bucket": "bkt"})


@pytest.mark.parametrize("headers", [
    [("x-amz-bucket-region", "eu-west-1"), ("x-amz-access-point-alias", "false")],
    [("x-amz-bucket-region", "us-east-1"), ("x-amz-access-point-alias", "true"),
     ("x-amz-bucket-location-type", "AvailabilityZone"), ("x-amz-bucket-location-name", "usw2-az1"),
     ("x-amz-bucket-arn", "arn:aws:s3express:us-west-2:123456789012:bucket/b--usw2-az1--x-s3")],
    [("x-amz-access-point-alias", "TRUE")],
    [],
], ids=["regional", "directory", "upper-case-bool", "bare"])
def test_head_bucket_results_like_botocore(capture_server, headers):
    capture_server.set_response(ok(200, b"", headers))
    check(capture_server, "head_bucket", {"Bucket": "bkt"})


@pytest.mark.parametrize("status", [403, 404, 400])
def test_head_bucket_errors_like_botocore(capture_server, status):
    capture_server.set_response(ok(status, b"", [("x-amz-bucket-region", "eu-west-1")] if status == 400 else []))
    kw = {**KW, "endpoint_url": capture_server.url, "config": {"retries": {"max_attempts": 0}}}
    ours, theirs = run_both(capture_server, "head_bucket", kw, {"Bucket": "bkt"})
    assert str(ours.error) == str(theirs.error)
    assert ours.error.response == theirs.error.response
    assert len(ours.requests) == len(theirs.requests)


def test_unparsable_200_is_an_error_like_botocores(capture_server):
    """S3's 200-with-an-error case: botocore takes a body that is not XML as
    a 500 (retried) and finally raises its parser's error."""
    capture_server.set_response(ok(200, b"not xml", XML))
    kw = {**KW, "endpoint_url": capture_server.url, "config": {"retries": {"total_max_attempts": 2}}}
    ours, theirs = run_both(capture_server, "get_bucket_policy_status", kw, {"Bucket": "bkt"})
    assert theirs.error is not None and len(theirs.requests) == 2, "premise"
    assert type(ours.error).__name__ == type(theirs.error).__name__
    assert str(ours.error) == str(theirs.error)
    assert len(ours.requests) == 2


@pytest.mark.parametrize("operation,code", [
    ("get_public_access_block", "NoSuchPublicAccessBlockConfiguration"),
    ("get_bucket_ownership_controls", "OwnershipControlsNotFoundError"),
    ("get_bucket_policy_status", "NoSuchBucketPolicy"),
    ("put_public_access_block", "AccessDenied"),
    ("delete_public_access_block", "NoSuchBucket"),
])
def test_errors_like_botocore(capture_server, operation, code):
    capture_server.set_response(xml_error(404 if code != "AccessDenied" else 403, code, "m"))
    params = {"Bucket": "bkt"}
    if operation == "put_public_access_block":
        params["PublicAccessBlockConfiguration"] = {"BlockPublicPolicy": True}
    kw = {**KW, "endpoint_url": capture_server.url, "config": {"retries": {"max_attempts": 0}}}
    ours, theirs = run_both(capture_server, operation, kw, params)
    assert type(ours.error).__name__ == type(theirs.error).__name__
    assert str(ours.error) == str(theirs.error)
    assert ours.error.response == theirs.error.response


FLAG_VALUES = st.one_of(st.booleans(), st.sampled_from([0, 1, "true", None]))
CONFIGS = st.dictionaries(st.sampled_from(FLAGS + ["Other"]), FLAG_VALUES, max_size=5)
RULES = st.lists(st.fixed_dictionaries({}, optional={
    "ObjectOwnership": st.one_of(st.sampled_from(["BucketOwnerPreferred", "ObjectWriter", "BucketOwnerEnforced"]),
                                 st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=8))}),
    max_size=3)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(config=CONFIGS, checksum=st.sampled_from([None, "CRC32", "SHA1", "bogus"]))
def test_generated_public_access_blocks(capture_server, config, checksum):
    params = {"Bucket": "bkt", "PublicAccessBlockConfiguration": config}
    if checksum:
        params["ChecksumAlgorithm"] = checksum
    capture_server.set_response(ok(200))
    check(capture_server, "put_public_access_block", params)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rules=RULES)
def test_generated_ownership_controls(capture_server, rules):
    capture_server.set_response(ok(200))
    check(capture_server, "put_bucket_ownership_controls", {"Bucket": "bkt", "OwnershipControls": {"Rules": rules}})


def test_round_trip_on_moto(moto_server):
    import boto3

    kw = dict(region_name="us-east-1", endpoint_url=str(moto_server),
              aws_access_key_id=moto_server.access_key, aws_secret_access_key=moto_server.secret_key)
    theirs = boto3.client("s3", **kw)
    ours = fastboto.client("s3", **kw)
    theirs.create_bucket(Bucket="blocked")
    ours.put_public_access_block(Bucket="blocked", PublicAccessBlockConfiguration=dict.fromkeys(FLAGS, True))
    ours.put_bucket_ownership_controls(Bucket="blocked", OwnershipControls={
        "Rules": [{"ObjectOwnership": "BucketOwnerPreferred"}]})
    for method in ("get_public_access_block", "get_bucket_ownership_controls"):
        mine, boto = getattr(ours, method)(Bucket="blocked"), getattr(theirs, method)(Bucket="blocked")
        mine.pop("ResponseMetadata"), boto.pop("ResponseMetadata")
        assert mine == boto
    assert ours.head_bucket(Bucket="blocked")["BucketRegion"] == theirs.head_bucket(Bucket="blocked")["BucketRegion"]
    ours.delete_public_access_block(Bucket="blocked")
    ours.delete_bucket_ownership_controls(Bucket="blocked")
    for method in ("get_public_access_block", "get_bucket_ownership_controls"):
        with pytest.raises(fastboto.exceptions.ClientError) as mine:
            getattr(ours, method)(Bucket="blocked")
        with pytest.raises(botocore.exceptions.ClientError) as boto:
            getattr(theirs, method)(Bucket="blocked")
        assert str(mine.value) == str(boto.value)
    ours.delete_bucket(Bucket="blocked")
    with pytest.raises(ours.exceptions.ClientError) as gone:
        ours.head_bucket(Bucket="blocked")
    assert gone.value.response["Error"]["Code"] == "404"
