"""Canned S3 responses (as S3 and the proxies in front of it send them)."""

from __future__ import annotations

from .capture_server import CannedResponse

REQUEST_ID = "4442587FB7D0A2F9"
HOST_ID = "Uuag1LuByRx9e6j5Onimru9pO4ZVKnJ2Qz7/C1NPcfTWAtRPfTaOFg=="

AMZ_IDS = [("x-amz-request-id", REQUEST_ID), ("x-amz-id-2", HOST_ID)]
COMMON = [("Date", "Wed, 01 Mar 2023 12:00:00 GMT"), ("Server", "AmazonS3")]


def s3_error_xml(code: str, message: str = None, **extra: str) -> bytes:
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<Error>', f"<Code>{code}</Code>"]
    if message is not None:
        parts.append(f"<Message>{message}</Message>")
    for k, v in extra.items():
        parts.append(f"<{k}>{v}</{k}>")
    parts.append(f"<RequestId>{REQUEST_ID}</RequestId><HostId>{HOST_ID}</HostId></Error>")
    return "".join(parts).encode("utf-8")


def xml_error(status: int, code: str, message: str = None, headers=(), **extra: str) -> CannedResponse:
    return CannedResponse(
        status,
        COMMON + AMZ_IDS + [("Content-Type", "application/xml")] + list(headers),
        s3_error_xml(code, message, **extra),
    )


# name -> (response, operation used, expected botocore error Code) -- the Code is
# only used by the harness self-test to check the fixture means what it says.
ERROR_RESPONSES = {
    "NoSuchBucket-404": (
        xml_error(404, "NoSuchBucket", "The specified bucket does not exist", BucketName="missing-bucket"),
        "NoSuchBucket",
    ),
    "AccessDenied-403": (xml_error(403, "AccessDenied", "Access Denied"), "AccessDenied"),
    "MalformedPolicy-400": (
        xml_error(
            400,
            "MalformedPolicy",
            "Policies must be valid JSON and the first byte must be &apos;{&apos;",
            BucketName="my-bucket",
            Detail="line 1 &amp; col 2 &lt;x&gt;",
        ),
        "MalformedPolicy",
    ),
    "NoSuchBucketPolicy-404": (
        xml_error(404, "NoSuchBucketPolicy", "The bucket policy does not exist", BucketName="my-bucket"),
        "NoSuchBucketPolicy",
    ),
    "unicode-message-409": (
        xml_error(409, "OperationAborted", "Conflit : opération en cours — réessayez ✓"),
        "OperationAborted",
    ),
    "no-message-400": (xml_error(400, "InvalidRequest"), "InvalidRequest"),
    "html-502": (
        CannedResponse(
            502,
            [("Content-Type", "text/html"), ("Server", "nginx")],
            b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
            b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
        ),
        "502",
    ),
    "empty-403": (CannedResponse(403, AMZ_IDS, b""), "403"),
    "empty-404-no-ids": (CannedResponse(404, [], b""), "404"),
    "plain-text-400": (CannedResponse(400, [("Content-Type", "text/plain")], b"Bad Request\n"), "400"),
    "json-body-403": (
        CannedResponse(403, [("Content-Type", "application/json")], b'{"message": "Forbidden"}'),
        "403",
    ),
    "error-with-extra-headers-400": (
        xml_error(
            400,
            "InvalidArgument",
            "Invalid Argument",
            headers=[("X-Custom", "one"), ("X-Custom", "two"), ("Connection", "keep-alive")],
            ArgumentName="x-amz-expected-bucket-owner",
            ArgumentValue="abc",
        ),
        "InvalidArgument",
    ),
}


def ok(status: int = 200, body: bytes = b"", headers=()) -> CannedResponse:
    return CannedResponse(status, COMMON + AMZ_IDS + list(headers), body)
