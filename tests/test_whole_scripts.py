"""Whole boto3 scripts, unchanged but for `import fastboto as boto3`, print
what they print under boto3 (tests/scripts/, run against moto's server).
Native calls are fastboto's; the rest (list_buckets, create_bucket, the
public access block, waiters, paginators, ServiceResource.buckets,
Session.get_available_regions) go through the delegate boto3 client."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import boto3
import pytest

import fastboto

SCRIPTS = Path(__file__).parent / "scripts"
POLICY = '{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::audit-one/*"}]}'


def _seed(endpoint) -> None:
    endpoint.reset()
    s3 = boto3.client("s3", region_name="us-east-1", endpoint_url=str(endpoint),
                      aws_access_key_id=endpoint.access_key, aws_secret_access_key=endpoint.secret_key)
    for name in ("audit-one", "audit-two", "audit-three"):
        s3.create_bucket(Bucket=name)
    s3.put_bucket_policy(Bucket="audit-one", Policy=POLICY)
    s3.put_bucket_acl(Bucket="audit-two", ACL="public-read")
    s3.put_public_access_block(Bucket="audit-three", PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
        "RestrictPublicBuckets": True})
    s3.put_bucket_ownership_controls(Bucket="audit-three", OwnershipControls={
        "Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]})


def _run(script: Path, endpoint, library: str) -> str:
    source = script.read_text()
    if library == "fastboto":
        assert "import boto3\n" in source
        source = source.replace("import boto3\n", "import fastboto as boto3\n", 1)
    env = {k: v for k, v in os.environ.items()}
    env.update(AWS_ENDPOINT_URL_S3=str(endpoint), AWS_ACCESS_KEY_ID=endpoint.access_key,
               AWS_SECRET_ACCESS_KEY=endpoint.secret_key, AWS_DEFAULT_REGION="us-east-1")
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in [str(Path(fastboto.__file__).parent.parent), env.get("PYTHONPATH")] if p)
    proc = subprocess.run([sys.executable, "-c", source], env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, f"{library} run of {script.name} failed:\n{proc.stderr[-3000:]}"
    return proc.stdout


@pytest.mark.parametrize("script", sorted(SCRIPTS.glob("*.py")), ids=lambda p: p.stem)
def test_script_prints_what_it_prints_under_boto3(moto_server, script):
    _seed(moto_server)
    theirs = _run(script, moto_server, "boto3")
    _seed(moto_server)
    ours = _run(script, moto_server, "fastboto")
    assert theirs.strip(), f"premise: {script.name} printed nothing under boto3"
    assert ours == theirs
