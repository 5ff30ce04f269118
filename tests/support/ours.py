"""fastboto's side of a differential test (imports fastboto: a missing or
broken package makes every test that uses this fail, never skip)."""

from __future__ import annotations

import copy
from typing import Any, Mapping, Optional, Tuple

import fastboto

from .capture_server import CaptureServer
from .reference import (
    FAKE_ACCESS_KEY,
    FAKE_SECRET_KEY,
    Outcome,
    assert_same_error,
    botocore_client,
    call_and_capture,
    compare_requests,
    expected_error_for,
    scrub,
    verify_sigv4,
)


def fastboto_client(
    *,
    region_name: Optional[str] = None,
    endpoint_url: Optional[str] = None,
    aws_access_key_id: Optional[str] = FAKE_ACCESS_KEY,
    aws_secret_access_key: Optional[str] = FAKE_SECRET_KEY,
    aws_session_token: Optional[str] = None,
    config: Optional[Mapping[str, Any]] = None,
    verify: Any = None,
    use_ssl: bool = True,
):
    """fastboto.client("s3", ...) with the same keywords as reference.botocore_client."""
    __tracebackhide__ = True  # keep secrets in arguments out of reports
    cfg = fastboto.Config(**copy.deepcopy(dict(config))) if config is not None else None
    return fastboto.client(
        "s3",
        region_name=region_name,
        endpoint_url=endpoint_url,
        aws_access_key_id=aws_access_key_id,
        aws_secret_access_key=aws_secret_access_key,
        aws_session_token=aws_session_token,
        config=cfg,
        verify=verify,
        use_ssl=use_ssl,
    )


def client_pair(**client_kwargs: Any) -> Tuple[Any, Any]:
    """(fastboto client, botocore client) built from identical inputs."""
    __tracebackhide__ = True  # keep secrets in arguments out of reports
    return fastboto_client(**client_kwargs), botocore_client(**client_kwargs)


def run_both(server: CaptureServer, operation: str, client_kwargs: Mapping[str, Any],
             params: Mapping[str, Any]) -> Tuple[Outcome, Outcome]:
    """Send the same call through fastboto and botocore; return (ours, theirs)."""
    __tracebackhide__ = True  # keep secrets in arguments out of reports
    ours_c, theirs_c = client_pair(**client_kwargs)
    try:
        theirs = call_and_capture(server, theirs_c, operation, **params)
        ours = call_and_capture(server, ours_c, operation, **params)
    finally:
        ours_c.close()
        theirs_c.close()
    return ours, theirs


# Method name -> API name of every native operation: the core's table.
OPERATION_NAMES = dict(fastboto._core.OPERATIONS)


def assert_differential(ours: Outcome, theirs: Outcome, operation: str, params: Mapping[str, Any],
                        client_kwargs: Mapping[str, Any]) -> None:
    """The full differential verdict for one call.

    botocore failed: fastboto fails the same way (class name, str(), botocore
    base class) and sent nothing. botocore succeeded: fastboto succeeded,
    sent one request equal to botocore's (compare_requests), correctly signed
    (verify_sigv4), and returned the same result dict.
    """
    __tracebackhide__ = True  # keep secrets in arguments out of reports
    expected = expected_error_for(theirs, OPERATION_NAMES[operation], params)
    if expected is not None:
        assert not theirs.requests, "harness: botocore raised after sending"
        assert_same_error(ours.error, expected)
        assert not ours.requests, (
            f"fastboto raised {type(ours.error).__name__} but sent {len(ours.requests)} request(s) first"
        )
        return
    assert ours.error is None, f"fastboto raised {type(ours.error).__name__}: {scrub(ours.error)}"
    assert len(theirs.requests) == 1
    assert len(ours.requests) == 1, f"fastboto sent {len(ours.requests)} requests"
    compare_requests(ours.request, theirs.request)
    verify_sigv4(
        ours.request,
        client_kwargs.get("aws_secret_access_key", FAKE_SECRET_KEY),
        access_key=client_kwargs.get("aws_access_key_id", FAKE_ACCESS_KEY),
        session_token=client_kwargs.get("aws_session_token"),
    )
    assert ours.result == theirs.result, (
        f"result differs:\n ours:   {scrub(ours.result)}\n theirs: {scrub(theirs.result)}"
    )
