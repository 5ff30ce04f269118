"""The adaptive retry mode's client-side rate limiter against botocore's.

* The limiter itself: the same timeline of sends, successes and throttles
  replayed through botocore's ClientRateLimiter (fake clock) and through
  fastboto's (``_core._rate_limiter_trace``) gives the same waits, rates,
  bucket capacities and measured rates (hypothesis-generated timelines).
* End to end: after S3 throttles a client, later calls are spaced out by
  the token bucket, as botocore spaces them; legacy and standard modes do
  not limit.
"""

from __future__ import annotations

import math
import time

import botocore.exceptions
import pytest
from botocore.retries import adaptive, bucket, throttling
from hypothesis import given, settings
from hypothesis import strategies as st

from fastboto import _core
from support.fault_server import FaultServer, no_content_204, slowdown_503, too_many_requests_429
from support.ours import fastboto_client
from support.reference import botocore_client

START = 1_764_000_000.25


class FakeClock:
    def __init__(self, now: float) -> None:
        self.now = now

    def sleep(self, amount: float) -> None:  # pragma: no cover - never blocks here
        self.now += amount

    def current_time(self) -> float:
        return self.now


def botocore_trace(start: float, events):
    clock = FakeClock(start)
    limiter = adaptive.ClientRateLimiter(
        rate_adjustor=throttling.CubicCalculator(starting_max_rate=0, start_time=start),
        rate_clocker=adaptive.RateClocker(clock),
        token_bucket=bucket.TokenBucket(max_rate=1, clock=clock),
        throttling_detector=None,
        clock=clock,
    )
    out = []
    for kind, now in events:
        clock.now = now
        wait = None
        if kind == "send":
            if limiter._enabled:
                try:
                    limiter._token_bucket.acquire(block=False)
                except botocore.exceptions.CapacityNotAvailableError:
                    wait = limiter._token_bucket._sleep_amount(1)
        else:
            throttled = kind == "throttle"
            limiter._throttling_detector = type(
                "Detector", (), {"is_throttling_error": staticmethod(lambda **kw: throttled)})()
            limiter.on_receiving_response()
        tb = limiter._token_bucket
        out.append((wait, limiter._enabled, tb.max_rate, tb.available_capacity,
                    limiter._rate_clocker.measured_rate))
    return out


def assert_same_trace(ours, theirs, events):
    assert len(ours) == len(theirs)
    for i, (o, t) in enumerate(zip(ours, theirs)):
        context = f"after event {i} {events[i]}: ours {o}, botocore {t}"
        assert (o[0] is None) == (t[0] is None), context
        assert o[1] == t[1], context
        for a, b in zip(o[2:] + ((o[0],) if o[0] is not None else ()),
                        t[2:] + ((t[0],) if t[0] is not None else ())):
            assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9), context


def _timeline(draw_steps):
    now = START
    events = []
    for kind, gap in draw_steps:
        now += gap
        events.append((kind, now))
    return events


steps = st.lists(
    st.tuples(st.sampled_from(["send", "send", "ok", "ok", "throttle"]),
              st.one_of(st.just(0.0), st.floats(0.0, 0.2), st.floats(0.0, 3.0))),
    max_size=120,
)


@settings(max_examples=300, deadline=None)
@given(steps=steps)
def test_rate_limiter_matches_botocore(steps):
    events = _timeline(steps)
    assert_same_trace(_core._rate_limiter_trace(START, events), botocore_trace(START, events), events)


@pytest.mark.parametrize("events", [
    [("throttle", START)],
    [("send", START), ("ok", START + 0.1), ("throttle", START + 0.2), ("send", START + 0.2),
     ("send", START + 2.3), ("send", START + 2.4)],
    [("ok", START + i * 0.05) for i in range(100)] + [("throttle", START + 5.0)]
    + [("send", START + 5.0 + i * 0.01) for i in range(20)] + [("ok", START + 9.0 + i) for i in range(10)],
], ids=["first-response-throttled", "throttle-then-sends", "steady-then-throttle-then-recovery"])
def test_rate_limiter_cases_match_botocore(events):
    assert_same_trace(_core._rate_limiter_trace(START, events), botocore_trace(START, events), events)


def _timeline_of_calls(make, mode, throttle=slowdown_503):
    with FaultServer(default=no_content_204()) as srv:
        client = make(region_name="us-east-1", endpoint_url=srv.url,
                      config={"retries": {"mode": mode, "max_attempts": 3}})
        srv.reset(no_content_204(), throttle())
        start = time.monotonic()
        marks = []
        try:
            for _ in range(4):
                response = client.delete_bucket_policy(Bucket="bkt")
                marks.append((time.monotonic() - start, response["ResponseMetadata"]["RetryAttempts"]))
        finally:
            client.close()
        return marks, len(srv.pop_all())


@pytest.mark.parametrize("throttle", [slowdown_503, too_many_requests_429], ids=["503-SlowDown", "429-unmodeled"])
def test_throttled_client_is_slowed_down_as_botocore(throttle):
    """One throttle (a SlowDown, or since botocore 1.44 a 429 whose code the
    operation does not model), then four calls: botocore's token bucket (min
    rate 0.5/s) spaces them ~0.5 s apart; fastboto's must too."""
    theirs, theirs_sent = _timeline_of_calls(botocore_client, "adaptive", throttle)
    ours, ours_sent = _timeline_of_calls(fastboto_client, "adaptive", throttle)
    assert ours_sent == theirs_sent == 5
    assert [a for _, a in ours] == [a for _, a in theirs] == [1, 0, 0, 0]
    assert theirs[-1][0] > 1.5, f"harness: botocore did not rate-limit: {theirs}"
    # the same order of magnitude, not a timing target: limited, not instant
    assert ours[-1][0] > 0.5 * theirs[-1][0], f"fastboto did not rate-limit: {ours} vs botocore {theirs}"
    assert ours[-1][0] < 2.0 * theirs[-1][0] + 1.0, f"fastboto waited far longer: {ours} vs {theirs}"


def test_standard_mode_does_not_rate_limit():
    ours, _ = _timeline_of_calls(fastboto_client, "standard")
    theirs, _ = _timeline_of_calls(botocore_client, "standard")
    # after the first call's backoff, the other three go straight out
    assert ours[-1][0] - ours[0][0] < 0.5, ours
    assert theirs[-1][0] - theirs[0][0] < 0.5, theirs
