"""A Session from environment credentials."""
import os

import boto3

session = boto3.Session()
print(session.region_name, session.get_credentials().access_key == os.environ["AWS_ACCESS_KEY_ID"])
s3 = session.client("s3")
print(sorted(b["Name"] for b in s3.list_buckets()["Buckets"]))
print(sorted(session.get_available_regions("s3"))[:2])
