"""Add a deny-insecure-transport statement to every bucket's policy."""
import json

import boto3

s3 = boto3.client("s3")
paginator = s3.get_paginator("list_buckets")
for page in paginator.paginate():
    for entry in page["Buckets"]:
        bucket = entry["Name"]
        try:
            policy = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])
        except s3.exceptions.ClientError as e:
            if e.response["Error"]["Code"] != "NoSuchBucketPolicy":
                raise
            policy = {"Version": "2012-10-17", "Statement": []}
        if any(st.get("Sid") == "DenyInsecureTransport" for st in policy["Statement"]):
            print(f"{bucket}: unchanged")
            continue
        policy["Statement"].append({
            "Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
            "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        })
        s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))
        after = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])
        print(f"{bucket}: {len(after['Statement'])} statement(s)")
