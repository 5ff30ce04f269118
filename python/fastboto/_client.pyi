from typing import Any, Dict, Literal, Sequence, TypedDict, Union

from .config import Config

ChecksumAlgorithm = Literal[
    "CRC32",
    "CRC32C",
    "CRC64NVME",
    "SHA1",
    "SHA256",
    "SHA512",
    "MD5",
    "XXHASH64",
    "XXHASH3",
    "XXHASH128",
]
CannedACL = Literal["private", "public-read", "public-read-write", "authenticated-read"]

class ResponseMetadata(TypedDict, total=False):
    RequestId: str
    HostId: str
    HTTPStatusCode: int
    HTTPHeaders: Dict[str, str]
    RetryAttempts: int

class GranteeTypeDef(TypedDict, total=False):
    DisplayName: str
    EmailAddress: str
    ID: str
    Type: str
    URI: str

class GrantTypeDef(TypedDict, total=False):
    Grantee: GranteeTypeDef
    Permission: str

class OwnerTypeDef(TypedDict, total=False):
    DisplayName: str
    ID: str

class AccessControlPolicyTypeDef(TypedDict, total=False):
    Grants: Sequence[GrantTypeDef]
    Owner: OwnerTypeDef

class PublicAccessBlockConfigurationTypeDef(TypedDict, total=False):
    BlockPublicAcls: bool
    IgnorePublicAcls: bool
    BlockPublicPolicy: bool
    RestrictPublicBuckets: bool

ObjectOwnership = Literal["BucketOwnerPreferred", "ObjectWriter", "BucketOwnerEnforced"]

class OwnershipControlsRuleTypeDef(TypedDict):
    ObjectOwnership: Union[ObjectOwnership, str]

class OwnershipControlsTypeDef(TypedDict):
    Rules: Sequence[OwnershipControlsRuleTypeDef]

class PreparedRequest:
    method: str
    url: str
    headers: Dict[str, str]
    body: bytes
    def to_curl(self, include_secrets: bool = ...) -> str: ...

class ClientMeta:
    region_name: str
    endpoint_url: str
    config: Config
    partition: str
    method_to_api_mapping: Dict[str, str]

class ClientExceptions:
    ClientError: type
    NoSuchBucket: type
    AccessDenied: type
    def from_code(self, error_code: str) -> type: ...
    def __getattr__(self, name: str) -> type: ...

class S3:
    meta: ClientMeta
    exceptions: ClientExceptions
    def put_bucket_policy(
        self,
        *,
        Bucket: str,
        Policy: str,
        ChecksumAlgorithm: Union[ChecksumAlgorithm, str] = ...,
        ConfirmRemoveSelfBucketAccess: bool = ...,
        ExpectedBucketOwner: str = ...,
        ContentMD5: str = ...,
    ) -> Dict[str, Any]: ...
    def get_bucket_policy(
        self, *, Bucket: str, ExpectedBucketOwner: str = ...
    ) -> Dict[str, Any]: ...
    def delete_bucket_policy(
        self, *, Bucket: str, ExpectedBucketOwner: str = ...
    ) -> Dict[str, Any]: ...
    def put_bucket_acl(
        self,
        *,
        Bucket: str,
        ACL: Union[CannedACL, str] = ...,
        AccessControlPolicy: AccessControlPolicyTypeDef = ...,
        ChecksumAlgorithm: Union[ChecksumAlgorithm, str] = ...,
        ContentMD5: str = ...,
        GrantFullControl: str = ...,
        GrantRead: str = ...,
        GrantReadACP: str = ...,
        GrantWrite: str = ...,
        GrantWriteACP: str = ...,
        ExpectedBucketOwner: str = ...,
    ) -> Dict[str, Any]: ...
    def get_bucket_acl(self, *, Bucket: str, ExpectedBucketOwner: str = ...) -> Dict[str, Any]: ...
    def put_public_access_block(
        self,
        *,
        Bucket: str,
        PublicAccessBlockConfiguration: PublicAccessBlockConfigurationTypeDef,
        ContentMD5: str = ...,
        ChecksumAlgorithm: Union[ChecksumAlgorithm, str] = ...,
        ExpectedBucketOwner: str = ...,
    ) -> Dict[str, Any]: ...
    def get_public_access_block(
        self, *, Bucket: str, ExpectedBucketOwner: str = ...
    ) -> Dict[str, Any]: ...
    def delete_public_access_block(
        self, *, Bucket: str, ExpectedBucketOwner: str = ...
    ) -> Dict[str, Any]: ...
    def put_bucket_ownership_controls(
        self,
        *,
        Bucket: str,
        OwnershipControls: OwnershipControlsTypeDef,
        ContentMD5: str = ...,
        ExpectedBucketOwner: str = ...,
        ChecksumAlgorithm: Union[ChecksumAlgorithm, str] = ...,
    ) -> Dict[str, Any]: ...
    def get_bucket_ownership_controls(
        self, *, Bucket: str, ExpectedBucketOwner: str = ...
    ) -> Dict[str, Any]: ...
    def delete_bucket_ownership_controls(
        self, *, Bucket: str, ExpectedBucketOwner: str = ...
    ) -> Dict[str, Any]: ...
    def get_bucket_policy_status(
        self, *, Bucket: str, ExpectedBucketOwner: str = ...
    ) -> Dict[str, Any]: ...
    def head_bucket(self, *, Bucket: str, ExpectedBucketOwner: str = ...) -> Dict[str, Any]: ...
    def delete_bucket(self, *, Bucket: str, ExpectedBucketOwner: str = ...) -> Dict[str, Any]: ...
    def prepare_request(self, operation_name: str, **kwargs: Any) -> PreparedRequest: ...
    def can_paginate(self, operation_name: str) -> bool: ...
    def close(self) -> None: ...
    # Any other boto3 S3 client attribute, served by a delegate boto3 client.
    def __getattr__(self, name: str) -> Any: ...
    def __enter__(self) -> "S3": ...
    def __exit__(self, *exc_info: Any) -> None: ...

def _no_positional(name: str, args: tuple) -> None: ...
