"""fastboto follows one botocore release (SPEC section 9): the package names it,
the test requirements pin exactly it, the README states it, and the suite
refuses to judge fastboto against any other botocore -- a pin moved without
following botocore's changes cannot pass unnoticed.

`python3 tools/botocore_drift.py` (by hand, not in CI) runs the differential
tests against the newest botocore on the package index."""

from __future__ import annotations

import re
from pathlib import Path

import boto3
import botocore
import botocore.auth

import fastboto
from fastboto import _core

ROOT = Path(__file__).resolve().parents[1]


def _pins() -> dict:
    pins = {}
    for line in (ROOT / "requirements-test.txt").read_text().splitlines():
        found = re.match(r"^([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==([^\s#]+)", line)
        if found:
            pins[found.group(1).lower()] = found.group(2)
    return pins


def test_installed_botocore_is_the_one_fastboto_matches():
    assert botocore.__version__ == fastboto.BOTOCORE_VERSION, (
        f"botocore {botocore.__version__} is installed; fastboto matches {fastboto.BOTOCORE_VERSION}. "
        "Follow the new release's changes (tools/botocore_drift.py lists them), then move "
        "fastboto.BOTOCORE_VERSION, requirements-test.txt and the README together.")


def test_requirements_pin_exactly_that_botocore_and_its_boto3():
    pins = _pins()
    assert pins["botocore"] == fastboto.BOTOCORE_VERSION
    # boto3 and botocore are released in lockstep with the same number.
    assert pins["boto3"] == fastboto.BOTOCORE_VERSION == boto3.__version__


def test_readme_states_the_botocore_it_matches():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"botocore {fastboto.BOTOCORE_VERSION}" in readme


def test_sigv4_leaves_botocores_unsigned_headers_unsigned():
    """botocore 1.44 added the W3C trace-context headers (baggage,
    traceparent, tracestate) to the headers SigV4 leaves unsigned."""
    assert sorted(_core.UNSIGNED_HEADERS) == sorted(botocore.auth.SIGNED_HEADERS_BLACKLIST)
