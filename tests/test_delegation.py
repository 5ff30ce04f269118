"""What fastboto does not implement natively is served by a boto3 client
made on first use with the fastboto client's arguments (fastboto/_delegate.py):
client methods, paginators, waiters, resources and Session methods, with
fastboto's exception classes and the fastboto session's one credential
source. Against moto's server, compared with boto3."""

from __future__ import annotations

import json
import sys
import textwrap
import threading

import boto3
import botocore.exceptions
import pytest

import fastboto
import fastboto.aio


def _kw(endpoint, **extra):
    return dict(region_name="us-east-1", endpoint_url=str(endpoint),
                aws_access_key_id=endpoint.access_key, aws_secret_access_key=endpoint.secret_key, **extra)


def test_delegated_methods_paginators_and_waiters_answer_as_boto3s(moto_server):
    ours, theirs = fastboto.client("s3", **_kw(moto_server)), boto3.client("s3", **_kw(moto_server))
    for name in ("delegated-one", "delegated-two"):
        ours.create_bucket(Bucket=name)
    ours.get_waiter("bucket_exists").wait(Bucket="delegated-two")
    ours.put_object(Bucket="delegated-one", Key="k", Body=b"body")
    assert [b["Name"] for b in ours.list_buckets()["Buckets"]] == [b["Name"] for b in theirs.list_buckets()["Buckets"]]
    full = ours.get_paginator("list_objects_v2").paginate(Bucket="delegated-one").build_full_result()
    assert [o["Key"] for o in full["Contents"]] == ["k"]
    assert ours.can_paginate("list_objects_v2") is theirs.can_paginate("list_objects_v2") is True
    assert ours.can_paginate("get_bucket_acl") is theirs.can_paginate("get_bucket_acl") is False
    location = ours.get_bucket_location(Bucket="delegated-one")
    assert location["LocationConstraint"] is theirs.get_bucket_location(Bucket="delegated-one")["LocationConstraint"]


def test_delegated_errors_are_fastboto_classes(moto_server):
    ours = fastboto.client("s3", **_kw(moto_server, config=fastboto.Config(retries={"max_attempts": 0})))
    theirs = boto3.client("s3", **_kw(moto_server, config=botocore.config.Config(retries={"max_attempts": 0})))
    with pytest.raises(ours.exceptions.NoSuchBucket) as mine:
        ours.list_objects_v2(Bucket="missing-bucket")
    with pytest.raises(theirs.exceptions.NoSuchBucket) as boto:
        theirs.list_objects_v2(Bucket="missing-bucket")
    assert isinstance(mine.value, fastboto.exceptions.ClientError)
    assert isinstance(mine.value, botocore.exceptions.ClientError)
    assert str(mine.value) == str(boto.value)
    assert mine.value.response["Error"] == boto.value.response["Error"]
    with pytest.raises(fastboto.exceptions.ParamValidationError) as invalid:
        ours.list_objects_v2(Bucket="b", Bogus=1)
    with pytest.raises(botocore.exceptions.ParamValidationError) as theirs_invalid:
        theirs.list_objects_v2(Bucket="b", Bogus=1)
    assert str(invalid.value) == str(theirs_invalid.value)
    # the resources' calls too
    with pytest.raises(fastboto.exceptions.ClientError):
        list(fastboto.resource("s3", **_kw(moto_server)).Bucket("missing-bucket").objects.all())


def test_the_delegate_has_the_clients_arguments(capture_server):
    config = fastboto.Config(s3={"addressing_style": "path"}, retries={"mode": "legacy", "max_attempts": 1},
                             signature_version="s3v4", user_agent_extra="script/1")
    ours = fastboto.client("s3", region_name="eu-west-3", endpoint_url=capture_server.url,
                           aws_access_key_id="AKIDDELEGATE", aws_secret_access_key="secret", config=config)
    capture_server.respond(200, [("Content-Type", "application/xml")],
                           b'<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">eu-west-3'
                           b"</LocationConstraint>")
    assert ours.get_bucket_location(Bucket="my.bucket")["LocationConstraint"] == "eu-west-3"
    (request,) = capture_server.requests
    assert request.path_and_query == "/my.bucket?location"
    assert "Credential=AKIDDELEGATE/" in request.header("Authorization")
    assert "/eu-west-3/s3/aws4_request" in request.header("Authorization")
    assert request.header("User-Agent").endswith("script/1")
    delegate = ours._delegate_client()
    assert delegate.meta.region_name == "eu-west-3"
    assert delegate.meta.config.retries == {"mode": "legacy", "total_max_attempts": 2}
    assert ours._delegate_client() is delegate  # made once


def test_unsigned_config_is_botocores_unsigned(capture_server):
    capture_server.respond(200, [("Content-Type", "application/xml")], b"<LocationConstraint/>")
    ours = fastboto.client("s3", region_name="us-east-1", endpoint_url=capture_server.url,
                           config=fastboto.Config(signature_version=fastboto.UNSIGNED))
    ours.get_bucket_location(Bucket="bucket")
    assert capture_server.requests[0].header("Authorization") is None


def test_one_credential_source_for_native_and_delegated_calls(moto_server, tmp_path, monkeypatch):
    """A credential_process runs once for the session, whether the call is
    native or delegated."""
    runs = tmp_path / "runs"
    script = tmp_path / "creds.py"
    script.write_text(textwrap.dedent(f"""
        import json
        with open({str(runs)!r}, "a") as f:
            f.write("run\\n")
        print(json.dumps({{"Version": 1, "AccessKeyId": {moto_server.access_key!r},
                           "SecretAccessKey": {moto_server.secret_key!r}}}))
    """))
    config = tmp_path / "config"
    config.write_text(f"[profile proc]\ncredential_process = {sys.executable} {script}\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    session = fastboto.Session(profile_name="proc", region_name="us-east-1")
    s3 = session.client("s3", endpoint_url=str(moto_server))
    s3.create_bucket(Bucket="creds-bucket")  # delegated
    s3.put_bucket_policy(Bucket="creds-bucket", Policy=json.dumps({"Version": "2012-10-17", "Statement": []}))
    s3.list_buckets()  # delegated
    other = session.client("s3", endpoint_url=str(moto_server))
    other.get_bucket_acl(Bucket="creds-bucket")
    other.head_object  # noqa: B018 - a delegate made, no call
    assert runs.read_text().splitlines() == ["run"]


def test_delegate_is_made_once_whatever_the_threads(moto_server):
    ours = fastboto.client("s3", **_kw(moto_server))
    seen = []
    barrier = threading.Barrier(8)

    def grab():
        barrier.wait()
        seen.append(ours._delegate_client())

    threads = [threading.Thread(target=grab) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(c) for c in seen}) == 1


def test_session_methods_are_boto3s():
    ours, theirs = fastboto.Session(region_name="eu-west-1"), boto3.Session(region_name="eu-west-1")
    assert ours.get_available_regions("s3") == theirs.get_available_regions("s3")
    assert ours.get_available_partitions() == theirs.get_available_partitions()
    assert ours.get_partition_for_region("cn-north-1") == theirs.get_partition_for_region("cn-north-1")
    with pytest.raises(AttributeError):
        ours.no_such_method  # noqa: B018


def test_resources_delegate_what_they_lack(moto_server):
    boto3.client("s3", **_kw(moto_server)).create_bucket(Bucket="walk-bucket")
    ours = fastboto.resource("s3", **_kw(moto_server))
    theirs = boto3.resource("s3", **_kw(moto_server))
    assert [b.name for b in ours.buckets.all()] == [b.name for b in theirs.buckets.all()]
    bucket = ours.Bucket("walk-bucket")
    bucket.put_object(Key="a", Body=b"1")
    assert [o.key for o in bucket.objects.all()] == ["a"]
    assert bucket.creation_date == theirs.Bucket("walk-bucket").creation_date
    assert type(bucket).__name__ == "s3.Bucket" and bucket.Policy().bucket_name == "walk-bucket"


def test_asyncio_client_says_it_serves_native_calls_only():
    client = fastboto.aio.client("s3", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")
    with pytest.raises(AttributeError, match="fastboto.aio serves the native calls only"):
        client.list_buckets  # noqa: B018
