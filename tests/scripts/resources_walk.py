"""Walk the buckets through the resource API."""
import boto3

s3 = boto3.resource("s3")
for bucket in s3.buckets.all():
    acl = bucket.Acl()
    try:
        policy = "set" if bucket.Policy().policy else "empty"
    except s3.meta.client.exceptions.ClientError as e:
        policy = e.response["Error"]["Code"]
    print(bucket.name, bucket.creation_date is not None, len(acl.grants), acl.owner["ID"][:8], policy)
