"""Audit every bucket's policy, ACL, public access block and ownership."""
import json

import boto3
from botocore.exceptions import ClientError

s3 = boto3.client("s3")
for bucket in sorted(b["Name"] for b in s3.list_buckets()["Buckets"]):
    try:
        statements = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])["Statement"]
        policy = f"{len(statements)} statement(s)"
    except ClientError as e:
        policy = e.response["Error"]["Code"]
    acl = s3.get_bucket_acl(Bucket=bucket)
    grants = sorted(g["Permission"] for g in acl["Grants"])
    try:
        block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
        block = ",".join(k for k, v in sorted(block.items()) if v) or "none"
    except ClientError as e:
        block = e.response["Error"]["Code"]
    try:
        rules = s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]["Rules"]
        ownership = rules[0]["ObjectOwnership"]
    except ClientError as e:
        ownership = e.response["Error"]["Code"]
    print(f"{bucket}: policy={policy} grants={grants} block={block} ownership={ownership}")
