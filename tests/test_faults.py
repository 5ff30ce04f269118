"""Faults on the wire: fastboto must fail (or recover) exactly as botocore does.

Every scenario is played twice by a :class:`~support.fault_server.FaultServer`
-- once for botocore, once for fastboto, both configured alike (region,
fake credentials, endpoint_url = the fault server, small timeouts, a short
retry budget) -- and the two runs must agree on:

* the outcome: the same result dict, or the same exception class (fastboto's
  subclassing botocore's) with the same str(); for a ClientError the same
  ``.response`` (Error, ResponseMetadata with RetryAttempts,
  MaxAttemptsReached, RetryQuotaReached);
* the number of requests the server received (the retry decisions);
* every attempt's request (compare_requests + a valid SigV4 signature, each
  attempt signed afresh), the ``amz-sdk-request`` header of every attempt
  (``attempt=N``, ``max=M`` once a retry checker has run, ``ttl=`` derived
  from the last response's Date) and one ``amz-sdk-invocation-id`` per call.

botocore's backoff sleep is patched out (fastboto's is not: retry budgets
stay at 2-3 attempts so the module runs in well under a minute).
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import threading
import time
from typing import Any, List, Mapping, Optional, Sequence

import botocore.config
import botocore.endpoint
import botocore.exceptions
import pytest

import fastboto  # noqa: F401  -- a missing fastboto must fail this module, not skip it
from support.capture_server import CapturedRequest
from support.fault_server import (
    DROP,
    RESET,
    ClosedPort,
    FaultServer,
    FullBacklogPort,
    hang,
    html_502,
    internal_error_500,
    no_content_204,
    respond,
    s3_error,
    slow_body,
    slowdown_503,
    too_many_requests_429,
    truncated,
)
from support.ours import fastboto_client
from support.reference import (
    assert_same_error,
    botocore_client,
    compare_requests,
    scrub,
    verify_sigv4,
)

POLICY = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*"}]}'
POLICY_BODY = POLICY.encode()
OPERATIONS = {
    "get_bucket_policy": dict(Bucket="bkt"),
    "put_bucket_policy": dict(Bucket="bkt", Policy=POLICY),
    "delete_bucket_policy": dict(Bucket="bkt"),
}
_UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def cfg(mode: str, attempts: int, connect_timeout: float = 1, read_timeout: float = 1, **extra) -> dict:
    return {
        "retries": {"mode": mode, "total_max_attempts": attempts},
        "connect_timeout": connect_timeout,
        "read_timeout": read_timeout,
        **extra,
    }


# ---------------------------------------------------------------------------
# plumbing
# ---------------------------------------------------------------------------
class _NoSleepTime:
    """botocore.endpoint's view of the time module, without the backoff sleep."""

    def __getattr__(self, name):
        return getattr(time, name)

    @staticmethod
    def sleep(seconds):
        return None


@pytest.fixture(autouse=True)
def no_botocore_backoff(monkeypatch):
    monkeypatch.setattr(botocore.endpoint, "time", _NoSleepTime())


@pytest.fixture
def fault_server():
    with FaultServer() as srv:
        yield srv
    assert not srv.errors, f"fault server saw malformed requests: {srv.errors}"


@dataclasses.dataclass
class Run:
    result: Any
    error: Optional[BaseException]
    requests: List[CapturedRequest]
    elapsed: float

    def describe(self) -> str:
        what = "OK" if self.error is None else f"{type(self.error).__name__}: {scrub(self.error)}"
        return f"{what} after {len(self.requests)} request(s), {self.elapsed:.2f}s"


def play(server: Optional[FaultServer], client, operation: str, params: Mapping[str, Any],
         default=None, faults: Sequence = ()) -> Run:
    if server is not None:
        server.reset(default, *faults)
    start = time.monotonic()
    result = error = None
    try:
        result = getattr(client, operation)(**params)
    except Exception as e:  # noqa: BLE001 - we compare exceptions
        error = e
    elapsed = time.monotonic() - start
    requests = server.pop_all() if server is not None else []
    return Run(result, error, requests, elapsed)


def run_pair(server: Optional[FaultServer], *, config: Mapping[str, Any], operation: str = "get_bucket_policy",
             params: Optional[Mapping[str, Any]] = None, default=None, faults: Sequence = (),
             endpoint_url: Optional[str] = None):
    """The same scenario through botocore, then fastboto: (ours, theirs)."""
    params = OPERATIONS[operation] if params is None else params
    url = endpoint_url or server.url
    theirs_c = botocore_client(region_name="us-east-1", endpoint_url=url, config=config)
    ours_c = fastboto_client(region_name="us-east-1", endpoint_url=url, config=config)
    try:
        theirs = play(server, theirs_c, operation, params, default, faults)
        ours = play(server, ours_c, operation, params, default, faults)
    finally:
        theirs_c.close()
        ours_c.close()
    return ours, theirs


def assert_same_outcome(ours: Run, theirs: Run) -> None:
    __tracebackhide__ = True
    ctx = f"\n ours:   {ours.describe()}\n theirs: {theirs.describe()}"
    if theirs.error is not None:
        assert ours.error is not None, "fastboto succeeded where botocore failed" + ctx
        assert_same_error(ours.error, theirs.error)
        if isinstance(theirs.error, botocore.exceptions.ClientError):
            assert ours.error.response == theirs.error.response, (
                f"ClientError.response differs:\n ours:   {scrub(ours.error.response)}\n"
                f" theirs: {scrub(theirs.error.response)}"
            )
    else:
        assert ours.error is None, "fastboto failed where botocore succeeded" + ctx
        assert ours.result == theirs.result, (
            f"result differs:\n ours:   {scrub(ours.result)}\n theirs: {scrub(theirs.result)}"
        )


def assert_same_attempts(ours: Run, theirs: Run) -> None:
    """Same number of requests; per attempt: the same request, with a valid
    signature made when the attempt was sent."""
    __tracebackhide__ = True
    ctx = f"\n ours:   {ours.describe()}\n theirs: {theirs.describe()}"
    assert len(ours.requests) == len(theirs.requests), (
        f"the server saw {len(ours.requests)} request(s) from fastboto, {len(theirs.requests)} from botocore" + ctx
    )
    for o, t in zip(ours.requests, theirs.requests):
        compare_requests(o, t)
        verify_sigv4(o)
        assert_signed_when_sent(o)


def assert_same_sdk_headers(ours: Run, theirs: Run) -> None:
    """The amz-sdk-request header of every attempt as botocore's; one
    amz-sdk-invocation-id (a UUID4) for all attempts of a call."""
    __tracebackhide__ = True
    ours_sdk = [r.header("amz-sdk-request") for r in ours.requests]
    theirs_sdk = [r.header("amz-sdk-request") for r in theirs.requests]
    assert ours_sdk == theirs_sdk, f"amz-sdk-request per attempt:\n ours:   {ours_sdk}\n theirs: {theirs_sdk}"
    assert_one_invocation_id(ours, "fastboto")


def assert_one_invocation_id(run: Run, side: str) -> None:
    __tracebackhide__ = True
    ids = [r.header("amz-sdk-invocation-id") for r in run.requests]
    assert all(i is not None and _UUID4.match(i) for i in ids), f"{side}: bad amz-sdk-invocation-id {ids}"
    assert len(set(ids)) <= 1, (
        f"{side} sent {len(set(ids))} different amz-sdk-invocation-id values for the {len(ids)} attempts of one "
        f"call (botocore keeps one per call): {ids}"
    )


def assert_signed_when_sent(req: CapturedRequest) -> None:
    """X-Amz-Date is the time of this attempt (not of the first one)."""
    __tracebackhide__ = True
    amz = datetime.datetime.strptime(req.header("X-Amz-Date"), "%Y%m%dT%H%M%SZ").replace(
        tzinfo=datetime.timezone.utc).timestamp()
    received = req.received_at
    assert received - 2.0 <= amz <= received + 1.0, (
        f"X-Amz-Date {req.header('X-Amz-Date')} is {received - amz:.1f}s before the server received the attempt "
        f"{req.header('amz-sdk-request')!r}: not signed afresh"
    )


def metadata(run: Run) -> dict:
    if run.error is not None:
        return dict((getattr(run.error, "response", None) or {}).get("ResponseMetadata") or {})
    return dict(run.result["ResponseMetadata"])


# ---------------------------------------------------------------------------
# the scenarios
# ---------------------------------------------------------------------------
def _ok_policy():
    return respond(200, POLICY_BODY)


@dataclasses.dataclass
class Scenario:
    id: str
    config: dict
    default: Any
    faults: Sequence = ()
    operation: str = "get_bucket_policy"
    attempts: Optional[int] = None  # requests botocore is expected to send (harness check)


SCENARIOS = [
    # throttling / 5xx, then success
    Scenario("503-SlowDown-x2-then-200-legacy", cfg("legacy", 3), _ok_policy(), [slowdown_503(), slowdown_503()], attempts=3),
    Scenario("503-SlowDown-x2-then-200-standard", cfg("standard", 3), _ok_policy(), [slowdown_503(), slowdown_503()], attempts=3),
    Scenario("503-SlowDown-always-legacy", cfg("legacy", 3), slowdown_503(), attempts=3),
    Scenario("503-SlowDown-always-standard-put", cfg("standard", 2), slowdown_503(), operation="put_bucket_policy", attempts=2),
    Scenario("500-once-then-204-legacy", cfg("legacy", 2), no_content_204(), [internal_error_500()], "delete_bucket_policy", 2),
    Scenario("500-once-then-204-standard", cfg("standard", 2), no_content_204(), [internal_error_500()], "delete_bucket_policy", 2),
    Scenario("500-once-then-put-204-standard", cfg("standard", 3), no_content_204(), [internal_error_500()], "put_bucket_policy", 2),
    Scenario("503-then-404-legacy", cfg("legacy", 3), s3_error(404, "NoSuchBucket", "The specified bucket does not exist"),
             [slowdown_503()], attempts=2),
    Scenario("503-then-reset-then-200-legacy", cfg("legacy", 3), _ok_policy(), [slowdown_503(), RESET], attempts=3),
    # 429 / 509: legacy retries them; standard (botocore 1.44) retries a 429
    # whose code the operation does not model as a throttle, and 509 not at all
    Scenario("429-legacy", cfg("legacy", 2), too_many_requests_429(), attempts=2),
    Scenario("429-standard", cfg("standard", 2), too_many_requests_429(), attempts=2),
    Scenario("429-empty-body-standard", cfg("standard", 2), respond(429), attempts=2),
    Scenario("429-then-200-adaptive", cfg("adaptive", 2), _ok_policy(), [too_many_requests_429()], attempts=2),
    Scenario("429-default-mode", {"connect_timeout": 1, "read_timeout": 1}, too_many_requests_429(), attempts=3),
    Scenario("509-legacy", cfg("legacy", 2), s3_error(509, "Bandwidth", "Bandwidth"), attempts=2),
    Scenario("509-standard", cfg("standard", 2), s3_error(509, "Bandwidth", "Bandwidth"), attempts=1),
    # 4xx: out once, except the codes each mode retries
    Scenario("400-MalformedPolicy-legacy", cfg("legacy", 3), s3_error(400, "MalformedPolicy", "Policies must be valid JSON"),
             operation="put_bucket_policy", attempts=1),
    Scenario("400-MalformedPolicy-standard", cfg("standard", 3), s3_error(400, "MalformedPolicy", "Policies must be valid JSON"),
             operation="put_bucket_policy", attempts=1),
    Scenario("403-AccessDenied-legacy", cfg("legacy", 3), s3_error(403, "AccessDenied", "Access Denied"), attempts=1),
    Scenario("404-NoSuchBucketPolicy-standard", cfg("standard", 3),
             s3_error(404, "NoSuchBucketPolicy", "The bucket policy does not exist"), attempts=1),
    Scenario("400-RequestTimeout-legacy", cfg("legacy", 2), s3_error(400, "RequestTimeout", "Idle"), attempts=2),
    Scenario("400-RequestTimeout-standard", cfg("standard", 2), s3_error(400, "RequestTimeout", "Idle"), attempts=2),
    Scenario("400-BadDigest-legacy", cfg("legacy", 2), s3_error(400, "BadDigest", "Digest mismatch"), attempts=2),
    Scenario("400-BadDigest-standard", cfg("standard", 2), s3_error(400, "BadDigest", "Digest mismatch"), attempts=1),
    Scenario("400-SlowDown-legacy", cfg("legacy", 2), s3_error(400, "SlowDown", "Slow down"), attempts=1),
    Scenario("400-SlowDown-standard", cfg("standard", 2), s3_error(400, "SlowDown", "Slow down"), attempts=2),
    Scenario("400-Throttling-legacy", cfg("legacy", 2), s3_error(400, "Throttling", "Rate exceeded"), attempts=2),
    Scenario("409-Throttling-legacy", cfg("legacy", 2), s3_error(409, "Throttling", "Rate exceeded"), attempts=1),
    Scenario("409-Throttling-standard", cfg("standard", 2), s3_error(409, "Throttling", "Rate exceeded"), attempts=2),
    Scenario("403-RequestTimeout-legacy", cfg("legacy", 2), s3_error(403, "RequestTimeout", "Idle"), attempts=1),
    Scenario("400-PriorRequestNotComplete-standard", cfg("standard", 2), s3_error(400, "PriorRequestNotComplete", "Busy"),
             attempts=2),
    # non-XML error bodies
    Scenario("html-502-legacy", cfg("legacy", 2), html_502(), attempts=2),
    Scenario("html-502-then-200-standard", cfg("standard", 2), _ok_policy(), [html_502()], attempts=2),
    Scenario("empty-504-standard", cfg("standard", 2), respond(504), attempts=2),
    # the connection goes away
    Scenario("reset-once-then-200-legacy", cfg("legacy", 2), _ok_policy(), [RESET], attempts=2),
    Scenario("reset-always-standard", cfg("standard", 2), RESET, attempts=2),
    Scenario("reset-always-no-retries", {"retries": {"max_attempts": 0}}, RESET, attempts=1),
    Scenario("fin-without-answer-legacy", cfg("legacy", 2), DROP, attempts=2),
    Scenario("truncated-error-body-then-200-standard", cfg("standard", 2), _ok_policy(),
             [truncated(500, b"<Error><Code>InternalError</Code></Error>", keep=7)], attempts=2),
    # slow but within read_timeout: every read succeeds, the call succeeds
    Scenario("slow-body-within-read-timeout", cfg("legacy", 1, read_timeout=0.5), slow_body(200, POLICY_BODY, 3, 0.3),
             attempts=1),
    Scenario("slow-status-line-within-read-timeout", cfg("legacy", 1, read_timeout=0.8),
             dataclasses.replace(_ok_policy(), head_delay=0.4), attempts=1),
    # silence past read_timeout
    Scenario("body-stalls-past-read-timeout-standard", cfg("standard", 2, read_timeout=0.5),
             slow_body(200, POLICY_BODY, 2, 1.2), attempts=2),
    Scenario("hang-past-read-timeout-legacy", cfg("legacy", 2, read_timeout=0.5), hang(1.5), attempts=2),
    Scenario("hang-once-then-200-standard", cfg("standard", 2, read_timeout=0.5), _ok_policy(), [hang(1.5)], attempts=2),
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.id for s in SCENARIOS])
def test_fault_scenario_like_botocore(fault_server, scenario):
    ours, theirs = run_pair(fault_server, config=scenario.config, operation=scenario.operation,
                            default=scenario.default, faults=scenario.faults)
    if scenario.attempts is not None:  # the harness checks what the scenario means to botocore
        assert len(theirs.requests) == scenario.attempts, f"harness: botocore {theirs.describe()}"
    assert_same_outcome(ours, theirs)
    assert_same_attempts(ours, theirs)
    assert metadata(ours).get("RetryAttempts") == metadata(theirs).get("RetryAttempts")


# ---------------------------------------------------------------------------
# amz-sdk-request / amz-sdk-invocation-id
# ---------------------------------------------------------------------------
# botocore (endpoint._update_retries_context + handlers.add_retry_headers):
# "attempt=1; max=M" on the first attempt in standard/adaptive mode (1.44's
# MaxAttemptsSeeder), "attempt=1" in legacy mode (no retry checker has run
# yet); on a retry "ttl=<response Date + read_timeout>; attempt=N; max=M" --
# ttl only when the previous attempt got a response with a Date, and it is
# kept across a later response-less attempt.
SDK_HEADER_SCENARIOS = [
    Scenario("legacy-503-then-200", cfg("legacy", 3), _ok_policy(), [slowdown_503()]),
    Scenario("standard-500-then-200", cfg("standard", 3), _ok_policy(), [internal_error_500()]),
    Scenario("adaptive-503-then-200", cfg("adaptive", 2), _ok_policy(), [slowdown_503()]),
    Scenario("standard-no-retry-needed", cfg("standard", 3), _ok_policy()),
    Scenario("legacy-no-retry-needed", cfg("legacy", 3), _ok_policy()),
    Scenario("legacy-503-then-reset-then-200", cfg("legacy", 3), _ok_policy(), [slowdown_503(), RESET]),
    Scenario("standard-reset-then-200-no-ttl", cfg("standard", 2), _ok_policy(), [RESET]),
    Scenario("legacy-503-without-date-then-200", cfg("legacy", 2), _ok_policy(),
             [dataclasses.replace(slowdown_503(), date=None)]),
    Scenario("default-read-timeout-ttl", {"retries": {"mode": "standard", "total_max_attempts": 2}}, _ok_policy(),
             [slowdown_503()]),
    Scenario("default-mode-no-retry-needed", None, _ok_policy()),
    Scenario("default-mode-500-then-200", None, _ok_policy(), [internal_error_500()]),
    Scenario("adaptive-no-retry-needed", cfg("adaptive", 4), _ok_policy()),
]


@pytest.mark.parametrize("scenario", SDK_HEADER_SCENARIOS, ids=[s.id for s in SDK_HEADER_SCENARIOS])
def test_amz_sdk_request_header_like_botocore(fault_server, scenario):
    ours, theirs = run_pair(fault_server, config=scenario.config, operation=scenario.operation,
                            default=scenario.default, faults=scenario.faults)
    assert_same_outcome(ours, theirs)
    assert len(ours.requests) == len(theirs.requests)
    assert_one_invocation_id(theirs, "botocore")  # harness
    assert_same_sdk_headers(ours, theirs)


def test_one_invocation_id_for_all_attempts_of_a_call(fault_server):
    ours, theirs = run_pair(fault_server, config=cfg("legacy", 3), default=_ok_policy(),
                            faults=[internal_error_500(), RESET])
    assert len(theirs.requests) == len(ours.requests) == 3
    assert_one_invocation_id(theirs, "botocore")
    assert_one_invocation_id(ours, "fastboto")


def test_each_call_has_its_own_invocation_id(fault_server):
    client = fastboto_client(region_name="us-east-1", endpoint_url=fault_server.url)
    try:
        for _ in range(3):
            client.delete_bucket_policy(Bucket="bkt")
    finally:
        client.close()
    ids = [r.header("amz-sdk-invocation-id") for r in fault_server.requests]
    assert len(set(ids)) == 3 and all(_UUID4.match(i) for i in ids), ids


# ---------------------------------------------------------------------------
# single-fault tests
# ---------------------------------------------------------------------------
def test_every_retry_is_signed_afresh(fault_server):
    """A 503 that takes >1 s to arrive: the retry must carry a later X-Amz-Date
    and therefore another signature (botocore builds and signs a new request)."""
    slow_503 = dataclasses.replace(slowdown_503(), head_delay=1.2)
    ours, theirs = run_pair(fault_server, config=cfg("standard", 2, read_timeout=3), default=_ok_policy(),
                            faults=[slow_503])
    assert_same_outcome(ours, theirs)
    assert_same_attempts(ours, theirs)
    for side, run in (("botocore", theirs), ("fastboto", ours)):
        first, second = run.requests
        assert first.header("X-Amz-Date") < second.header("X-Amz-Date"), f"{side}: retry kept the first X-Amz-Date"
        sig = lambda r: r.header("Authorization").rsplit("Signature=", 1)[1]  # noqa: E731
        assert sig(first) != sig(second), f"{side}: retry reused the first signature"


def test_connection_refused_like_botocore():
    with ClosedPort() as port:
        ours, theirs = run_pair(None, config=cfg("legacy", 2), endpoint_url=port.url)
    assert isinstance(theirs.error, botocore.exceptions.EndpointConnectionError), "harness"
    assert_same_outcome(ours, theirs)
    assert str(ours.error) == f'Could not connect to the endpoint URL: "{port.url}/bkt?policy"'


@pytest.mark.parametrize("bucket", [
    "arn:aws:s3:us-east-1:123456789012:accesspoint/myap",
    "arn:aws:s3:us-east-1:123456789012:accesspoint/my-ap-2",
])
def test_host_the_url_standard_refuses_like_botocore(bucket):
    """An access-point ARN on an IPv4 endpoint URL makes the host
    `myap-123456789012.127.0.0.1`, which the URL standard (and so reqwest)
    refuses; botocore asks DNS for it and raises EndpointConnectionError
    (retried as any connection failure). No socket is opened by either."""
    with ClosedPort() as port:
        ours, theirs = run_pair(None, config=cfg("legacy", 2), endpoint_url=port.url, params={"Bucket": bucket})
    assert isinstance(theirs.error, botocore.exceptions.EndpointConnectionError), f"harness: {theirs.describe()}"
    assert_same_outcome(ours, theirs)
    assert ".127.0.0.1:" in str(ours.error)


@pytest.mark.parametrize("connect_timeout,read_timeout", [(0.5, 2), (0.5, 0.5), (1, 0.5)])
def test_connect_timeout_like_botocore(connect_timeout, read_timeout):
    """A SYN nobody answers: ConnectTimeoutError after connect_timeout, whatever read_timeout is."""
    with FullBacklogPort() as port:
        if not port.connect_times_out():
            pytest.skip("this kernel answers SYNs beyond the accept queue; no connect timeout to provoke")
        ours, theirs = run_pair(None, config=cfg("legacy", 1, connect_timeout, read_timeout), endpoint_url=port.url)
    assert isinstance(theirs.error, botocore.exceptions.ConnectTimeoutError), f"harness: {theirs.describe()}"
    assert_same_outcome(ours, theirs)
    assert ours.elapsed >= connect_timeout - 0.2, f"fastboto gave up connecting after {ours.elapsed:.2f}s"


@pytest.mark.parametrize("retries", [{"max_attempts": 0}, {"mode": "legacy"}, {"mode": "standard"}],
                         ids=["no-retries", "legacy", "standard"])
def test_keep_alive_connection_closed_by_server_while_idle(retries):
    """S3 (and every load balancer) hangs up on idle keep-alive connections.
    The next call must not be lost on the dead pooled connection, nor spend a
    retry on it: botocore checks the pooled socket before reusing it, sends
    once on a fresh connection and reports RetryAttempts 0."""
    runs = {}
    for name, make in (("botocore", botocore_client), ("fastboto", fastboto_client)):
        with FaultServer(default=no_content_204(), read_timeout=0.3) as srv:  # idle connections closed after 0.3 s
            client = make(region_name="us-east-1", endpoint_url=srv.url, config={"retries": dict(retries)})
            try:
                client.delete_bucket_policy(Bucket="bkt")
                assert srv.wait_until(lambda: srv.open_connections == 0, timeout=3), "harness: server kept the connection"
                runs[name] = play(srv, client, "delete_bucket_policy", {"Bucket": "bkt"})
            finally:
                client.close()
    ours, theirs = runs["fastboto"], runs["botocore"]
    assert theirs.error is None and metadata(theirs)["RetryAttempts"] == 0, f"harness: {theirs.describe()}"
    assert ours.error is None, f"fastboto lost the call on a connection the server had closed: {ours.describe()}"
    assert metadata(ours)["RetryAttempts"] == 0, (
        f"fastboto spent a retry on the dead pooled connection: RetryAttempts {metadata(ours)['RetryAttempts']}")


def test_truncated_body_is_a_lost_connection_not_a_truncated_policy(fault_server):
    """Deliberate difference (README, "Known differences"): botocore >= 1.44
    reads urllib3 responses with enforce_content_length=False and returns a
    body shorter than its Content-Length as it is -- a truncated policy.
    fastboto keeps raising ConnectionClosedError, retried like any lost
    connection, so a call returns the whole policy or fails."""
    cut = truncated(200, POLICY_BODY, keep=10)
    ours, theirs = run_pair(fault_server, config=cfg("standard", 2), default=_ok_policy(), faults=[cut])
    assert theirs.error is None and theirs.result["Policy"] == POLICY[:10], f"premise: {theirs.describe()}"
    assert len(theirs.requests) == 1, "premise"
    assert ours.error is None, ours.describe()
    assert ours.result["Policy"] == POLICY
    assert len(ours.requests) == 2 and metadata(ours)["RetryAttempts"] == 1
    assert_signed_when_sent(ours.requests[1])

    ours, theirs = run_pair(fault_server, config=cfg("legacy", 2), default=cut)
    assert theirs.error is None and theirs.result["Policy"] == POLICY[:10], f"premise: {theirs.describe()}"
    assert isinstance(ours.error, botocore.exceptions.ConnectionClosedError), ours.describe()
    assert len(ours.requests) == 2


def test_standard_backoff_after_a_5xx_starts_at_50_ms(fault_server, monkeypatch):
    """botocore 1.44's ExponentialBackoff: rand * min(0.05 s * 2^i, 20 s)
    after a non-throttling error, so five retries wait 1.55 s at most in
    all (botocore 1.43's rand * 2^i waited 15.5 s on average). botocore's
    own computed delays are recorded; fastboto's are measured (an upper
    bound with room for the calls themselves: behaviour, not speed)."""
    slept = []

    class _RecordingTime(_NoSleepTime):
        @staticmethod
        def sleep(seconds):
            slept.append(seconds)

    monkeypatch.setattr(botocore.endpoint, "time", _RecordingTime())
    ours, theirs = run_pair(fault_server, config=cfg("standard", 6), default=internal_error_500(),
                            operation="delete_bucket_policy")
    assert len(theirs.requests) == len(ours.requests) == 6
    assert len(slept) == 5 and all(d <= 0.05 * 2 ** i for i, d in enumerate(slept)), f"premise: {slept}"
    waited = ours.requests[-1].received_at - ours.requests[0].received_at
    assert waited < 1.55 + 1.5, f"fastboto's five backoffs took {waited:.2f}s"


@pytest.mark.parametrize("mode,header,waits", [
    ("standard", "2500", True),
    ("adaptive", " 2_500 ", True),
    ("standard", "-2500", False),
    ("standard", "2.5", False),
    ("legacy", "2500", False),  # legacy's own delay is below 1 s here
])
def test_retry_after_header_raises_the_backoff(fault_server, monkeypatch, mode, header, waits):
    """botocore 1.44's ExponentialBackoff (standard and adaptive modes): an
    `x-amz-retry-after` header (milliseconds, read with Python's int()) raises
    the delay before the retry to that value, at most 5 s past the computed
    one; negative or unparsable values, and legacy mode, ignore it. botocore's
    computed delay is recorded; fastboto's is measured (a lower bound only:
    the wait is the behaviour here, not a speed)."""
    slept = []

    class _RecordingTime(_NoSleepTime):
        @staticmethod
        def sleep(seconds):
            slept.append(seconds)

    monkeypatch.setattr(botocore.endpoint, "time", _RecordingTime())
    fault = dataclasses.replace(internal_error_500(), headers=[*internal_error_500().headers,
                                                               ("x-amz-retry-after", header)])
    ours, theirs = run_pair(fault_server, config=cfg(mode, 2), default=no_content_204(), faults=[fault],
                            operation="delete_bucket_policy")
    assert_same_outcome(ours, theirs)
    assert_same_attempts(ours, theirs)
    assert len(slept) == 1 and (slept[0] >= 2.5) is waits, f"premise: botocore slept {slept}"
    gap = ours.requests[1].received_at - ours.requests[0].received_at
    if waits:
        assert gap >= 2.5, f"fastboto retried {gap:.2f}s after a 2500 ms x-amz-retry-after"
    else:
        assert gap < 2.5, f"fastboto waited {gap:.2f}s: the header should have been ignored"


def test_read_timeout_message_and_class(fault_server):
    ours, theirs = run_pair(fault_server, config={"retries": {"max_attempts": 0}, "read_timeout": 0.5},
                            default=hang(2), operation="put_bucket_policy")
    assert isinstance(theirs.error, botocore.exceptions.ReadTimeoutError), "harness"
    assert_same_outcome(ours, theirs)
    assert str(ours.error) == f'Read timeout on endpoint URL: "{fault_server.url}/bkt?policy"'
    assert len(ours.requests) == 1
    assert 0.4 <= ours.elapsed < 1.8, f"read_timeout=0.5 but fastboto gave up after {ours.elapsed:.2f}s"


def test_retry_attempts_in_success_and_error_metadata(fault_server):
    ours, theirs = run_pair(fault_server, config=cfg("legacy", 3), default=_ok_policy(), faults=[internal_error_500()])
    assert metadata(ours)["RetryAttempts"] == metadata(theirs)["RetryAttempts"] == 1
    assert "MaxAttemptsReached" not in metadata(ours)
    ours, theirs = run_pair(fault_server, config=cfg("legacy", 2), default=internal_error_500())
    assert metadata(theirs)["MaxAttemptsReached"] is True
    assert metadata(ours).get("MaxAttemptsReached") is True
    assert metadata(ours)["RetryAttempts"] == 1
    assert "(reached max retries: 1)" in str(ours.error)


# ---------------------------------------------------------------------------
# where the retry settings come from
# ---------------------------------------------------------------------------
def test_retry_settings_from_environment(fault_server, monkeypatch):
    monkeypatch.setenv("AWS_RETRY_MODE", "standard")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "2")
    # 409 with a non-throttling code: retried by neither mode; a 503 shows
    # the attempt count.
    ours, theirs = run_pair(fault_server, config=None, default=s3_error(409, "Conflict", "c"))
    assert len(theirs.requests) == 1, "harness"
    assert_same_outcome(ours, theirs)
    assert_same_attempts(ours, theirs)
    ours, theirs = run_pair(fault_server, config=None, default=slowdown_503())
    assert len(theirs.requests) == 2, "harness"
    assert_same_outcome(ours, theirs)
    assert_same_attempts(ours, theirs)


def test_retry_settings_from_config_file(fault_server, monkeypatch, tmp_path):
    config_file = tmp_path / "retry-config"
    config_file.write_text("[default]\nretry_mode = standard\nmax_attempts = 2\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config_file))
    ours, theirs = run_pair(fault_server, config=None, default=slowdown_503())
    assert len(theirs.requests) == 2, "harness"
    assert_same_outcome(ours, theirs)
    assert_same_attempts(ours, theirs)


def test_config_beats_environment(fault_server, monkeypatch):
    monkeypatch.setenv("AWS_RETRY_MODE", "standard")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "3")
    ours, theirs = run_pair(fault_server, config={"retries": {"mode": "legacy", "max_attempts": 1}},
                            default=too_many_requests_429())
    assert len(theirs.requests) == 2, "harness"
    assert_same_outcome(ours, theirs)
    assert_same_attempts(ours, theirs)


@pytest.mark.parametrize("env,value", [
    ("AWS_RETRY_MODE", "bogus"),
    ("AWS_RETRY_MODE", "Standard"),
    ("AWS_MAX_ATTEMPTS", "0"),
])
def test_invalid_retry_environment_rejected_like_botocore(fault_server, monkeypatch, env, value):
    """botocore refuses to create the client; fastboto must not quietly pick a default."""
    monkeypatch.setenv(env, value)
    with pytest.raises(botocore.exceptions.BotoCoreError) as theirs:
        botocore_client(region_name="us-east-1", endpoint_url=fault_server.url)
    try:
        client = fastboto_client(region_name="us-east-1", endpoint_url=fault_server.url)
    except Exception as e:  # noqa: BLE001
        assert_same_error(e, theirs.value)
    else:
        client.close()
        pytest.fail(f"{env}={value}: fastboto created a client; botocore raised "
                    f"{type(theirs.value).__name__}: {theirs.value}")


@pytest.mark.parametrize("retries", [
    {"mode": "bogus"},
    {"max_attempts": -1},
    {"total_max_attempts": 0},
    {"attempts": 3},
])
def test_invalid_retry_config_rejected_like_botocore(retries):
    with pytest.raises(Exception) as theirs:
        botocore.config.Config(retries=dict(retries))
    with pytest.raises(Exception) as ours:
        fastboto.Config(retries=dict(retries))
    assert_same_error(ours.value, theirs.value)


# ---------------------------------------------------------------------------
# the standard-mode retry quota
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("fault,retries_allowed", [
    (internal_error_500, 500 // 14),
    (slowdown_503, 500 // 5),
], ids=["500-costs-14", "throttle-costs-5"])
def test_standard_retry_quota_is_shared_and_runs_out(fault_server, fault, retries_allowed):
    """500 tokens per client, a retry costs 14 (5 after a throttling error,
    botocore 1.44), none come back on failure: with 60 always-failing calls
    wanting 2 retries each, a client retries exactly 35 (or 100) times in
    all, whatever the interleaving."""
    calls = 60

    def hammer(client) -> List[Run]:
        runs: List[Run] = []
        lock = threading.Lock()

        def one():
            r = play(None, client, "get_bucket_policy", OPERATIONS["get_bucket_policy"])
            with lock:
                runs.append(r)

        threads = [threading.Thread(target=one) for _ in range(calls)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        assert not any(t.is_alive() for t in threads), "calls still running after 30 s"
        return runs

    config = cfg("standard", 3, max_pool_connections=64)
    totals = {}
    for name, make in (("botocore", botocore_client), ("fastboto", fastboto_client)):
        fault_server.reset(fault())
        client = make(region_name="us-east-1", endpoint_url=fault_server.url, config=config)
        try:
            runs = hammer(client)
        finally:
            client.close()
        assert len(runs) == calls
        assert all(isinstance(r.error, botocore.exceptions.ClientError) for r in runs), name
        retries = sum(metadata(r)["RetryAttempts"] for r in runs)
        totals[name] = (fault_server.count, retries)
        # a call stopped short of its 2 retries was refused by the quota, and says so
        short = [r for r in runs if metadata(r)["RetryAttempts"] < 2]
        flagged = [r for r in runs if metadata(r).get("RetryQuotaReached")]
        assert len(flagged) == len(short), f"{name}: {len(short)} calls cut short, {len(flagged)} flagged RetryQuotaReached"
    assert totals["botocore"] == (calls + retries_allowed, retries_allowed), f"harness: {totals}"
    assert totals["fastboto"] == totals["botocore"], f"(requests, retries): {totals}"
