"""Set up a bucket that accepts ACLs and make it publicly readable."""
import boto3

s3 = boto3.client("s3", region_name="us-east-1")
s3.create_bucket(Bucket="acl-ready-bucket")
s3.get_waiter("bucket_exists").wait(Bucket="acl-ready-bucket")
s3.put_bucket_ownership_controls(
    Bucket="acl-ready-bucket",
    OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerPreferred"}]})
s3.put_public_access_block(Bucket="acl-ready-bucket", PublicAccessBlockConfiguration={
    "BlockPublicAcls": False, "IgnorePublicAcls": False,
    "BlockPublicPolicy": False, "RestrictPublicBuckets": False})
s3.put_bucket_acl(Bucket="acl-ready-bucket", ACL="public-read")
acl = s3.get_bucket_acl(Bucket="acl-ready-bucket")
print(sorted((g["Grantee"]["Type"], g["Permission"]) for g in acl["Grants"]))
print(s3.get_bucket_location(Bucket="acl-ready-bucket")["LocationConstraint"])
