"""fastboto: boto3's S3 bucket access-control calls, with a Rust core.

Switch with one line: ``import fastboto as boto3``.
"""

from __future__ import annotations

from typing import Any

from . import _client  # noqa: F401  (loaded now so the first client() is cheap)
from ._core import __version__
from .config import Config
from .session import UNSIGNED, Session

# The botocore release whose behaviour fastboto matches (README, "Which
# botocore"); requirements-test.txt pins exactly this version.
BOTOCORE_VERSION = "1.44.18"

__all__ = [
    "BOTOCORE_VERSION",
    "Config",
    "Session",
    "UNSIGNED",
    "__version__",
    "client",
    "resource",
    "setup_default_session",
]

DEFAULT_SESSION: Session | None = None


def setup_default_session(**kwargs: Any) -> None:
    """Sets up the module-level session used by ``client()`` and ``resource()``."""
    global DEFAULT_SESSION
    DEFAULT_SESSION = Session(**kwargs)


def _get_default_session() -> Session:
    if DEFAULT_SESSION is None:
        setup_default_session()
    assert DEFAULT_SESSION is not None
    return DEFAULT_SESSION


def client(*args: Any, **kwargs: Any):
    """A low-level client on the default session (as ``boto3.client``)."""
    return _get_default_session().client(*args, **kwargs)


def resource(*args: Any, **kwargs: Any):
    """A resource on the default session (as ``boto3.resource``)."""
    return _get_default_session().resource(*args, **kwargs)
