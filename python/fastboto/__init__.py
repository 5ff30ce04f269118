"""fastboto: boto3's S3 bucket access-control calls, with a Rust core.

Switch with one line: ``import fastboto as boto3``.
"""

import typing as _typing

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
    "set_stream_logger",
    "setup_default_session",
]

DEFAULT_SESSION: _typing.Optional[Session] = None


def setup_default_session(**kwargs: _typing.Any) -> None:
    """Sets up the module-level session used by ``client()`` and ``resource()``."""
    global DEFAULT_SESSION
    DEFAULT_SESSION = Session(**kwargs)


def set_stream_logger(
    name: str = "fastboto",
    level: int = 10,  # logging.DEBUG; logging is imported only when asked for
    format_string: _typing.Optional[str] = None,
) -> None:
    """Adds a stream handler for ``name`` at ``level`` (as boto3's)."""
    import logging

    if format_string is None:
        format_string = "%(asctime)s %(name)s [%(levelname)s] %(message)s"
    logger = logging.getLogger(name)
    logger.setLevel(level)
    handler = logging.StreamHandler()
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter(format_string))
    logger.addHandler(handler)


def _get_default_session() -> Session:
    if DEFAULT_SESSION is None:
        setup_default_session()
    assert DEFAULT_SESSION is not None
    return DEFAULT_SESSION


def client(*args: _typing.Any, **kwargs: _typing.Any) -> _typing.Any:
    """A low-level client on the default session (as ``boto3.client``)."""
    return _get_default_session().client(*args, **kwargs)


def resource(*args: _typing.Any, **kwargs: _typing.Any) -> _typing.Any:
    """A resource on the default session (as ``boto3.resource``)."""
    return _get_default_session().resource(*args, **kwargs)


_LAZY_SUBMODULES = ("aio", "stub")


def __getattr__(name: str) -> _typing.Any:
    # `fastboto.aio.client(...)` after a plain `import fastboto`, without
    # importing asyncio support up front.
    if name in _LAZY_SUBMODULES:
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
