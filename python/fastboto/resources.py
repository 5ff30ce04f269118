"""The S3 resource layer, shaped as boto3's S3 resource model for the
access-control resources: ``Bucket``, ``BucketAcl`` and ``BucketPolicy``."""

from __future__ import annotations

import copy
from typing import Any, Optional

from . import _delegate


def _delegate_resource(client: Any) -> Any:
    """The boto3 S3 resource made with the client's arguments (ImportError
    without boto3)."""
    return _delegate.delegation_of(client).resource()


class ResourceMeta:
    """``resource.meta``, as boto3's ResourceMeta."""

    def __init__(
        self,
        service_name: str,
        identifiers: Optional[list] = None,
        client: Any = None,
        data: Optional[dict] = None,
    ) -> None:
        self.service_name = service_name
        self.identifiers = list(identifiers or [])
        self.client = client
        self.data = data

    def __repr__(self) -> str:
        return f"ResourceMeta('{self.service_name}', identifiers={self.identifiers})"

    def __eq__(self, other: object) -> bool:
        if other.__class__.__name__ != self.__class__.__name__:
            return False
        return self.__dict__ == other.__dict__

    def copy(self) -> ResourceMeta:
        return copy.copy(self)


class _Resource:
    """boto3's ServiceResource base: identifiers, equality, hashing, repr."""

    meta: ResourceMeta
    _identifiers: list = []
    # boto3's sub-resource names that fastboto implements for this resource.
    _subresources: list = []

    def __init__(self, *args: Any, client: Any = None, **kwargs: Any) -> None:
        self.meta = ResourceMeta("s3", list(self._identifiers), client=client)
        for name in self._identifiers:
            setattr(self, f"_{name}", None)
        for i, value in enumerate(args):
            setattr(self, f"_{self._identifiers[i]}", value)
        for name, value in kwargs.items():
            if name not in self._identifiers:
                raise ValueError(f"Unknown keyword argument: {name}")
            setattr(self, f"_{name}", value)
        for name in self._identifiers:
            if getattr(self, f"_{name}") is None:
                raise ValueError(f"Required parameter {name} not set")

    def __repr__(self) -> str:
        identifiers = [f"{name}={getattr(self, name)!r}" for name in self.meta.identifiers]
        return f"{type(self).__name__}({', '.join(identifiers)})"

    def __eq__(self, other: object) -> bool:
        if other.__class__.__name__ != self.__class__.__name__:
            return False
        return all(getattr(self, n) == getattr(other, n) for n in self.meta.identifiers)

    def __hash__(self) -> int:
        identifiers = tuple(getattr(self, n) for n in self.meta.identifiers)
        return hash((type(self).__name__, identifiers))

    def get_available_subresources(self) -> list:
        return list(self._subresources)

    def __getattr__(self, name: str) -> Any:
        # What boto3's resource has and fastboto's lacks (Bucket.objects,
        # creation_date, load, ...): the boto3 resource with the same
        # identifiers, made once per fastboto resource.
        if name == "meta" or not _delegate.delegated_name(name):
            raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")
        counterpart = self.__dict__.get("_counterpart")
        if counterpart is None:
            try:
                service = _delegate_resource(self.meta.client)
            except ImportError:
                raise _delegate.missing(type(self).__name__, name) from None
            kind = type(self).__name__.split(".", 1)[-1]
            counterpart = getattr(service, kind)(*(getattr(self, n) for n in self.meta.identifiers))
            self._counterpart = counterpart
        return getattr(counterpart, name)

    def _loaded(self, name: str) -> Any:
        if self.meta.data is None:
            self.load()
        return self.meta.data.get(name)

    def _action(self, method: str, params: dict, kwargs: dict) -> dict:
        params.update(kwargs)
        response = getattr(self.meta.client, method)(**params)
        if hasattr(self, "load"):
            # As boto3: cached attributes are reloaded on next access.
            self.meta.data = None
        return response


def _named(cls):
    # boto3's resource classes are named "s3.<Resource>".
    cls.__name__ = cls.__qualname__ = f"s3.{cls.__name__}"
    return cls


@_named
class BucketAcl(_Resource):
    _identifiers = ["bucket_name"]
    _subresources = ["Bucket"]

    @property
    def bucket_name(self) -> str:
        return self._bucket_name

    @property
    def grants(self) -> Optional[list]:
        return self._loaded("Grants")

    @property
    def owner(self) -> Optional[dict]:
        return self._loaded("Owner")

    def load(self, *args: Any, **kwargs: Any) -> None:
        """Calls ``get_bucket_acl`` and caches the result."""
        params = {"Bucket": self.bucket_name}
        params.update(kwargs)
        self.meta.data = self.meta.client.get_bucket_acl(*args, **params)

    reload = load

    def put(self, *args: Any, **kwargs: Any) -> dict:
        """``put_bucket_acl`` on this bucket."""
        if args:
            raise TypeError("put_bucket_acl() only accepts keyword arguments.")
        return self._action("put_bucket_acl", {"Bucket": self.bucket_name}, kwargs)

    def Bucket(self) -> Bucket:  # noqa: N802 - boto3's name
        return Bucket(self.bucket_name, client=self.meta.client)


@_named
class BucketPolicy(_Resource):
    _identifiers = ["bucket_name"]
    _subresources = ["Bucket"]

    @property
    def bucket_name(self) -> str:
        return self._bucket_name

    @property
    def policy(self) -> Optional[str]:
        return self._loaded("Policy")

    def load(self, *args: Any, **kwargs: Any) -> None:
        """Calls ``get_bucket_policy`` and caches the result."""
        params = {"Bucket": self.bucket_name}
        params.update(kwargs)
        self.meta.data = self.meta.client.get_bucket_policy(*args, **params)

    reload = load

    def put(self, *args: Any, **kwargs: Any) -> dict:
        """``put_bucket_policy`` on this bucket."""
        if args:
            raise TypeError("put_bucket_policy() only accepts keyword arguments.")
        return self._action("put_bucket_policy", {"Bucket": self.bucket_name}, kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> dict:
        """``delete_bucket_policy`` on this bucket."""
        if args:
            raise TypeError("delete_bucket_policy() only accepts keyword arguments.")
        return self._action("delete_bucket_policy", {"Bucket": self.bucket_name}, kwargs)

    def Bucket(self) -> Bucket:  # noqa: N802
        return Bucket(self.bucket_name, client=self.meta.client)


@_named
class Bucket(_Resource):
    _identifiers = ["name"]
    _subresources = ["Acl", "Policy"]

    @property
    def name(self) -> str:
        return self._name

    def Acl(self) -> BucketAcl:  # noqa: N802
        return BucketAcl(self.name, client=self.meta.client)

    def Policy(self) -> BucketPolicy:  # noqa: N802
        return BucketPolicy(self.name, client=self.meta.client)


class S3ServiceResource:
    """What ``fastboto.resource("s3")`` returns (boto3's ``s3.ServiceResource``)."""

    def __init__(self, client: Any) -> None:
        self.meta = ResourceMeta("s3", client=client)

    def __repr__(self) -> str:
        return "s3.ServiceResource()"

    def __eq__(self, other: object) -> bool:
        return other.__class__.__name__ == self.__class__.__name__

    def __hash__(self) -> int:
        return hash((self.__class__.__name__, ()))

    def get_available_subresources(self) -> list:
        return ["Bucket", "BucketAcl", "BucketPolicy"]

    def __getattr__(self, name: str) -> Any:
        # ServiceResource.buckets, create_bucket, Object, ...: boto3's.
        if name == "meta" or not _delegate.delegated_name(name):
            raise AttributeError(f"'s3.ServiceResource' object has no attribute '{name}'")
        try:
            service = _delegate_resource(self.meta.client)
        except ImportError:
            raise _delegate.missing("s3.ServiceResource", name) from None
        return getattr(service, name)

    # As boto3, a `client=` keyword overrides the resource's own client.
    def Bucket(self, *args: Any, **kwargs: Any) -> Bucket:  # noqa: N802
        kwargs.setdefault("client", self.meta.client)
        return Bucket(*args, **kwargs)

    def BucketAcl(self, *args: Any, **kwargs: Any) -> BucketAcl:  # noqa: N802
        kwargs.setdefault("client", self.meta.client)
        return BucketAcl(*args, **kwargs)

    def BucketPolicy(self, *args: Any, **kwargs: Any) -> BucketPolicy:  # noqa: N802
        kwargs.setdefault("client", self.meta.client)
        return BucketPolicy(*args, **kwargs)


S3ServiceResource.__name__ = S3ServiceResource.__qualname__ = "s3.ServiceResource"
