"""End-to-end demo: ``python -m fastboto.demo [--endpoint-url URL]``.

The endpoint defaults to ``AWS_ENDPOINT_URL_S3``, then ``AWS_ENDPOINT_URL``
(the bucket must exist there). Without an endpoint it starts moto's S3
server on a free loopback port (``pip install 'moto[server]'``), creates a
bucket, applies a bucket policy (and a canned ACL where supported) with
fastboto, reads them back and prints them.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
import urllib.request

import fastboto


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_moto():
    try:
        from moto.server import ThreadedMotoServer
    except ImportError:
        sys.exit(
            "The demo needs moto's server: pip install 'moto[server]' (or pass --endpoint-url)"
        )
    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no per-request log lines
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    return server, f"http://127.0.0.1:{port}"


def _create_bucket(endpoint_url: str, bucket: str) -> None:
    # fastboto covers access control, not bucket creation; moto accepts a bare PUT.
    request = urllib.request.Request(f"{endpoint_url}/{bucket}", method="PUT")
    urllib.request.urlopen(request).close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # The environment's endpoint, as a client would take it (the S3 one first).
    configured = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
    parser.add_argument("--endpoint-url", default=configured)
    parser.add_argument("--bucket", default="fastboto-demo-bucket")
    args = parser.parse_args(argv)

    server = None
    endpoint_url = args.endpoint_url
    if endpoint_url is None:
        server, endpoint_url = _start_moto()
        os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
        os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
        _create_bucket(endpoint_url, args.bucket)
        print(f"started moto's S3 server at {endpoint_url} and created bucket {args.bucket}")
    try:
        s3 = fastboto.client("s3", region_name="us-east-1", endpoint_url=endpoint_url)
        policy = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "PublicRead",
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "s3:GetObject",
                    "Resource": f"arn:aws:s3:::{args.bucket}/*",
                }
            ],
        }
        put = s3.put_bucket_policy(Bucket=args.bucket, Policy=json.dumps(policy))
        print(f"put_bucket_policy -> HTTP {put['ResponseMetadata']['HTTPStatusCode']}")
        got = s3.get_bucket_policy(Bucket=args.bucket)
        print("get_bucket_policy ->")
        print(json.dumps(json.loads(got["Policy"]), indent=2))
        if hasattr(s3, "put_bucket_acl"):
            put = s3.put_bucket_acl(Bucket=args.bucket, ACL="public-read")
            status = put["ResponseMetadata"]["HTTPStatusCode"]
            print(f"put_bucket_acl(ACL='public-read') -> HTTP {status}")
            resource = fastboto.resource("s3", region_name="us-east-1", endpoint_url=endpoint_url)
            acl = resource.BucketAcl(args.bucket)
            print("BucketAcl.grants ->")
            for grant in acl.grants:
                grantee = grant["Grantee"]
                who = grantee.get("URI") or grantee.get("DisplayName") or grantee.get("ID")
                print(f"  {grant['Permission']:<13} {grantee['Type']:<22} {who}")
        s3.close()
    finally:
        if server is not None:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
