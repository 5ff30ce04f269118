"""Bad input never crashes, and invalid input is never sent.

Hypothesis puts arbitrary Python values into every parameter position of
every operation (top level and inside AccessControlPolicy), adds unknown
keys, and calls botocore and fastboto with the same objects against a
counting loopback server. The contract, per example:

* fastboto returns, or raises a fastboto/botocore exception
  (BotoCoreError family) -- never a PanicException, SystemError, a bare
  TypeError/ValueError/RuntimeError, a FastbotoInternalError ("a bug in
  fastboto"), a crash or a hang;
* when fastboto raises, it sent nothing;
* botocore raised ParamValidationError (or another BotoCoreError such as
  FlexibleChecksumError) before sending -> fastboto raises the same class;
* botocore raised a bare exception (TypeError, ValueError, RuntimeError from
  a failing __str__, UnicodeEncodeError, RecursionError...) or
  HTTPClientError (an unsendable header) before sending -> fastboto raises
  ParamValidationError (SPEC section 7);
* botocore sent the request -> fastboto sends it too and succeeds, unless
  the input holds a lone surrogate or a control character (which fastboto
  may refuse up front with ParamValidationError -- S3 would reject them);
* both raise ParamValidationError -> the same message (a separate test, so
  a wording difference does not hide a crash).

Both clients use the server as their HTTP proxy as well as their endpoint,
so whatever host a fuzzed bucket name turns into, nothing is ever looked up
in DNS or sent anywhere but 127.0.0.1.
"""

from __future__ import annotations

import copy
import re
import time
from typing import Any, Dict, List, Tuple

import botocore.exceptions
import pytest
from hypothesis import HealthCheck, Phase, assume, given, note, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from fastboto import _core

from support.fault_server import FaultServer, respond
from support.ours import fastboto_client
from support.reference import botocore_client, scrub

# ---------------------------------------------------------------------------
# odd objects
# ---------------------------------------------------------------------------


class _PrettyName:
    """Hypothesis prints failing examples with its pretty printer; these odd
    objects tell it their name instead of letting it call the failing
    __repr__ / __iter__ (botocore and fastboto still get the failing ones)."""

    def _repr_pretty_(self, p, cycle):
        p.text(f"{type(self).__name__}(...)")


class FailingStr(_PrettyName):
    def __str__(self):
        raise RuntimeError("__str__ failed")

    def __repr__(self):
        raise RuntimeError("__repr__ failed")


class FailingRepr(_PrettyName):
    def __repr__(self):
        raise ValueError("__repr__ failed")


class FailingGetattr(_PrettyName):
    """hasattr(obj, "read") raises instead of answering."""

    def __getattr__(self, name):
        raise RuntimeError(f"no attribute access ({name})")


class FileLike:
    def read(self, *_):
        return b"{}"


class StrSub(str):
    def __str__(self):
        return "StrSub.__str__ was called"


class IntSub(int):
    pass


class DictSub(dict):
    pass


class ListSub(list):
    pass


class FailingIterList(_PrettyName, list):
    """A list whose iteration fails: botocore's validator raises; nothing may be sent."""

    def __iter__(self):
        raise RuntimeError("__iter__ failed")


class HalfIterList(_PrettyName, list):
    """A list whose iteration fails after the first item."""

    def __iter__(self):
        for i, item in enumerate(list.__iter__(self)):
            if i == 1:
                raise RuntimeError("__iter__ failed halfway")
            yield item


def _deep_list(depth: int) -> list:
    top: list = []
    cur = top
    for _ in range(depth):
        nxt: list = []
        cur.append(nxt)
        cur = nxt
    return top


def _deep_dict(depth: int, key: str = "k") -> dict:
    top: dict = {}
    cur = top
    for _ in range(depth):
        nxt: dict = {}
        cur[key] = nxt
        cur = nxt
    return top


ODD_FACTORIES = [
    FailingStr, FailingRepr, FailingGetattr, FileLike, object,
    lambda: StrSub("bkt"), lambda: StrSub(""), lambda: IntSub(3),
    lambda: DictSub(Grants=[]), lambda: ListSub([1]), lambda: FailingIterList([1, 2]),
    lambda: HalfIterList(["a", "b"]), lambda: _deep_list(5000), lambda: _deep_dict(5000),
    lambda: 10 ** 5000, lambda: -(2 ** 63) - 1, lambda: 2 ** 64, lambda: float("nan"), lambda: float("inf"),
    lambda: 1j, lambda: Ellipsis, lambda: int, lambda: b"\xff\xfe", lambda: bytearray(b"\x00"),
    lambda: memoryview(b"abc"), lambda: range(3), lambda: iter([1]), lambda: {1, 2}, lambda: frozenset(["a"]),
]

SPECIAL_STRINGS = [
    "", " ", "\ud800", "a\udfffb", "\x00", "a\x00b", "\r\n", "x\ny", "a\rb", "\t", "\x7f", "\x01", "é", "€", "😀",
    "\u2028", "\ufeff", "x" * 100_000, ".", "..", "a" * 256, "%2F", "a/b", "../x", "<x>&amp;</x>", "]]>",
    "CRC32", "crc32", "SHA256", "MD5", "private", "public-read", "true", "0", "None",
]

SURROGATES = st.characters(categories=["Cs"])
strings = st.one_of(
    st.text(max_size=12),
    st.text(st.one_of(st.characters(), SURROGATES), max_size=6),
    st.text(st.characters(max_codepoint=0x7F), max_size=12),
    st.sampled_from(SPECIAL_STRINGS),
    st.text(max_size=8).map(StrSub),
)
leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.binary(max_size=12),
    st.binary(max_size=12).map(bytearray),
    strings,
    st.sampled_from(ODD_FACTORIES).map(lambda make: make()),
    st.sets(st.integers(), max_size=3),
)
values = st.recursive(
    leaves,
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.lists(children, max_size=3).map(tuple),
        st.dictionaries(st.one_of(strings, st.integers(), st.none()), children, max_size=3),
        st.lists(children, max_size=3).map(FailingIterList),
        st.lists(children, min_size=2, max_size=3).map(HalfIterList),
    ),
    max_leaves=6,
)
keys = st.one_of(strings, st.sampled_from(["Bucket", "Policy", "Grants", "Owner", "Grantee", "ID", "Type", "URI"]))

# ---------------------------------------------------------------------------
# operations, valid bases and parameter positions
# ---------------------------------------------------------------------------
GRANT = {"Grantee": {"Type": "CanonicalUser", "ID": "abc123", "DisplayName": "me"}, "Permission": "READ"}
GRANT_GROUP = {"Grantee": {"Type": "Group", "URI": "http://acs.amazonaws.com/groups/global/AllUsers"},
               "Permission": "READ_ACP"}
GRANT_EMAIL = {"Grantee": {"Type": "AmazonCustomerByEmail", "EmailAddress": "a@example.com"}, "Permission": "WRITE"}
BASES: Dict[str, dict] = {
    "put_bucket_policy": {
        "Bucket": "bkt", "Policy": '{"Version":"2012-10-17"}', "ChecksumAlgorithm": "SHA256",
        "ConfirmRemoveSelfBucketAccess": False, "ExpectedBucketOwner": "111122223333", "ContentMD5": "x",
    },
    "put_bucket_acl": {
        "Bucket": "bkt", "ACL": "private",
        "AccessControlPolicy": {"Grants": [GRANT, GRANT_GROUP, GRANT_EMAIL], "Owner": {"ID": "abc123", "DisplayName": "me"}},
        "ChecksumAlgorithm": "CRC32", "GrantFullControl": "id=abc", "GrantRead": "uri=http://acs.amazonaws.com/groups/global/AllUsers",
        "GrantReadACP": "id=abc", "GrantWrite": "emailAddress=a@example.com", "GrantWriteACP": "id=abc",
        "ExpectedBucketOwner": "111122223333", "ContentMD5": "x",
    },
    "get_bucket_policy": {"Bucket": "bkt", "ExpectedBucketOwner": "111122223333"},
    "delete_bucket_policy": {"Bucket": "bkt", "ExpectedBucketOwner": "111122223333"},
    "get_bucket_acl": {"Bucket": "bkt", "ExpectedBucketOwner": "111122223333"},
}
# Valid values for string members by name; any other string member gets "x".
_SAMPLE_STRINGS = {"Bucket": "bkt", "ChecksumAlgorithm": "CRC32", "ExpectedBucketOwner": "111122223333",
                   "ObjectOwnership": "BucketOwnerEnforced", "ACL": "private"}


def _sample(name: str, shape: dict) -> Any:
    """A valid value for a member, from the core's description of its shape."""
    kind = shape["type"]
    if kind == "structure":
        return {m["name"]: _sample(m["name"], m["shape"]) for m in shape["members"]}
    if kind == "list":
        return [_sample(name, shape["member"])]
    if kind == "boolean":
        return True
    if kind in ("integer", "long"):
        return 1
    return _SAMPLE_STRINGS.get(name, "x")


# Every other native operation, from the core's table: a valid call with
# every member set (hand-picked bases above for the first five).
for _op in _core.describe_operations():
    BASES.setdefault(_op["method"], _sample("", _op["input"]))
OPERATION_NAMES = dict(_core.OPERATIONS)


def _paths(value: Any, prefix: Tuple = ()) -> List[Tuple]:
    out = []
    if isinstance(value, dict):
        for k, v in value.items():
            out.append(prefix + (k,))
            out.extend(_paths(v, prefix + (k,)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out.append(prefix + (i,))
            out.extend(_paths(v, prefix + (i,)))
    return out


POSITIONS = {op: _paths(base) for op, base in BASES.items()}


def _get(root, path):
    for p in path:
        root = root[p]
    return root


DICT_POSITIONS = {op: [()] + [p for p in POSITIONS[op] if isinstance(_get(base, p), dict)] for op, base in BASES.items()}


@st.composite
def fuzzed_call(draw):
    op = draw(st.sampled_from(sorted(BASES)))
    params = copy.deepcopy(BASES[op])
    # which optional top-level members to keep
    for key in list(params):
        if key != "Bucket" and draw(st.booleans()):
            del params[key]
    mutations = draw(st.integers(min_value=1, max_value=3))
    for _ in range(mutations):
        kind = draw(st.sampled_from(["replace", "replace", "replace", "add-key", "delete"]))
        positions = [p for p in POSITIONS[op] if _exists(params, p)]
        if kind == "replace" and positions:
            path = draw(st.sampled_from(positions))
            _get(params, path[:-1])[path[-1]] = draw(values)
        elif kind == "delete" and positions:
            path = draw(st.sampled_from(positions))
            container = _get(params, path[:-1])
            if isinstance(container, dict):
                del container[path[-1]]
        else:
            where = draw(st.sampled_from([p for p in DICT_POSITIONS[op] if _exists(params, p)] or [()]))
            target = _get(params, where)
            if isinstance(target, dict):
                key = draw(keys) if where else draw(strings)  # keyword names are strings
                target[key] = draw(values)
    return op, params


def _exists(root, path) -> bool:
    try:
        for p in path:
            if isinstance(root, dict):
                if p not in root:
                    return False
                root = root[p]
            elif isinstance(root, list) and type(root) is list:
                if not isinstance(p, int) or p >= len(root):
                    return False
                root = root[p]
            else:
                return False
        return True
    except Exception:  # noqa: BLE001
        return False


# ---------------------------------------------------------------------------
# running both
# ---------------------------------------------------------------------------
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def _has_unsendable_text(value: Any, depth: int = 0) -> bool:
    """A lone surrogate or a control character anywhere in the strings of ``value``."""
    if depth > 50:
        return False
    if isinstance(value, str):
        s = str.__str__(value)
        return bool(_CONTROL.search(s)) or any(0xD800 <= ord(c) <= 0xDFFF for c in s)
    if isinstance(value, dict):
        try:
            items = list(dict.items(value))
        except Exception:  # noqa: BLE001
            return False
        return any(_has_unsendable_text(k, depth + 1) or _has_unsendable_text(v, depth + 1) for k, v in items)
    if isinstance(value, (list, tuple)):
        return any(_has_unsendable_text(v, depth + 1) for v in list.__iter__(value) if isinstance(value, list)) \
            if isinstance(value, list) else any(_has_unsendable_text(v, depth + 1) for v in value)
    return False


def _is_deliberate_refusal(params: dict) -> bool:
    """Inputs botocore sends and fastboto refuses on purpose (README, "Known
    differences"): a lone surrogate or control character in a string, or a
    bucket named "." / ".." that would go path-style (this client's custom
    endpoint sends every bucket path-style)."""
    bucket = params.get("Bucket")
    dot_segment = isinstance(bucket, str) and str.__str__(bucket) in (".", "..")
    return dot_segment or _has_unsendable_text(params)


def _bucket_is_safe(params: dict) -> bool:
    b = params.get("Bucket")
    return not (isinstance(b, str) and str.__str__(b).lower().startswith("arn"))


class Env:
    def __init__(self) -> None:
        # a long idle timeout: this module is about input handling, and a server
        # hanging up on an idle keep-alive connection is test_faults' business
        self.server = FaultServer(default=respond(200, b""), read_timeout=600)
        self.server.start()
        config = {"retries": {"max_attempts": 0}, "connect_timeout": 2, "read_timeout": 3,
                  "proxies": {"http": self.server.url}}
        self.botocore = botocore_client(region_name="us-east-1", endpoint_url=self.server.url, config=config)
        self.fastboto = fastboto_client(region_name="us-east-1", endpoint_url=self.server.url, config=config)

    def call(self, client, op: str, params: dict):
        self.last_errors = list(self.server.errors)
        self.server.reset()
        err = None
        start = time.monotonic()
        try:
            getattr(client, op)(**dict(params))
        except BaseException as e:  # noqa: BLE001 - everything counts, even a PanicException
            if isinstance(e, KeyboardInterrupt):
                raise
            err = e
        return err, self.server.count, time.monotonic() - start

    def close(self) -> None:
        self.botocore.close()
        self.fastboto.close()
        self.server.stop()


@pytest.fixture(scope="module")
def env():
    e = Env()
    yield e
    e.close()


def _describe(err) -> str:
    if err is None:
        return "success"
    try:
        text = str(err)
    except BaseException as e:  # noqa: BLE001
        text = f"<str() failed: {type(e).__name__}>"
    return f"{type(err).__module__}.{type(err).__name__}: {scrub(text[:600])[:300]!r}"


def _note(text: str) -> None:
    try:
        note(text)
    except InvalidArgument:  # outside a hypothesis test (the spelled-out cases)
        pass


def check_contract(env: Env, op: str, params: dict):
    b_err, b_sent, _ = env.call(env.botocore, op, params)
    f_err, f_sent, f_time = env.call(env.fastboto, op, params)
    _note(f"operation {op}")
    _note(f"botocore: {_describe(b_err)}; sent {b_sent}")
    _note(f"fastboto: {_describe(f_err)}; sent {f_sent}; {f_time:.2f}s")
    _note(f"server: {env.server.errors} (before: {env.last_errors}); connections {env.server.connections}; "
          f"accept errors {env.server.accept_errors}")
    assert f_time < 5, f"fastboto took {f_time:.1f}s"
    if f_err is not None:
        name = type(f_err).__name__
        assert isinstance(f_err, botocore.exceptions.BotoCoreError) and name not in (
            "FastbotoInternalError", "PanicException"), (
            f"fastboto raised {_describe(f_err)} -- not a proper validation error (botocore: {_describe(b_err)})")
        assert f_sent == 0, f"fastboto raised {name} after sending {f_sent} request(s)"
    if b_sent == 0 and b_err is not None:
        if isinstance(b_err, botocore.exceptions.BotoCoreError) and not isinstance(
                b_err, (botocore.exceptions.ParamValidationError, botocore.exceptions.HTTPClientError)):
            expected = type(b_err).__name__
        else:
            expected = "ParamValidationError"
        assert f_err is not None and type(f_err).__name__ == expected, (
            f"botocore raised {_describe(b_err)} before sending; fastboto must raise {expected}, "
            f"got {_describe(f_err)} (sent {f_sent})")
    elif b_sent:
        if f_err is not None:
            assert isinstance(f_err, botocore.exceptions.ParamValidationError) and _is_deliberate_refusal(params), (
                f"botocore sent this call; fastboto refused it: {_describe(f_err)}")
        else:
            assert f_sent == 1, f"fastboto sent {f_sent} requests"
    return b_err, f_err


# No shrink phase: shrinking through these odd values takes minutes; the
# notes printed with a failure (operation, both outcomes) and the spelled-out
# cases below make the failure readable without it.
NO_SHRINK = [Phase.explicit, Phase.reuse, Phase.generate]
FUZZ_SETTINGS = settings(
    max_examples=1000,
    phases=NO_SHRINK,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


@FUZZ_SETTINGS
@given(call=fuzzed_call())
def test_bad_input_never_crashes_and_is_never_sent(env, call):
    op, params = call
    assume(_bucket_is_safe(params))
    check_contract(env, op, params)


@settings(max_examples=500, deadline=None, phases=NO_SHRINK,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large, HealthCheck.filter_too_much])
@given(call=fuzzed_call())
def test_validation_messages_equal_botocores(env, call):
    op, params = call
    assume(_bucket_is_safe(params))
    b_err, _, _ = env.call(env.botocore, op, params)
    assume(isinstance(b_err, botocore.exceptions.ParamValidationError))
    f_err, f_sent, _ = env.call(env.fastboto, op, params)
    assert isinstance(f_err, botocore.exceptions.ParamValidationError), _describe(f_err)
    assert f_sent == 0
    assert str(f_err) == str(b_err), f"\n ours:   {str(f_err)!r}\n theirs: {str(b_err)!r}"


# ---------------------------------------------------------------------------
# the cases above, spelled out (each a one-line reproduction)
# ---------------------------------------------------------------------------
def _acl(grants):
    return {"Bucket": "bkt", "AccessControlPolicy": {"Grants": grants, "Owner": {"ID": "abc123"}}}


REGRESSIONS = [
    ("failing-iter-grants", "put_bucket_acl", lambda: _acl(FailingIterList([GRANT, GRANT_GROUP]))),
    ("half-iter-grants", "put_bucket_acl", lambda: _acl(HalfIterList([GRANT, GRANT_GROUP]))),
    ("nul-in-header", "get_bucket_policy", lambda: {"Bucket": "bkt", "ExpectedBucketOwner": "a\x00b"}),
    ("ctl-in-header", "put_bucket_acl", lambda: {"Bucket": "bkt", "GrantRead": "id=\x01"}),
    ("del-in-header", "put_bucket_policy", lambda: {"Bucket": "bkt", "Policy": "{}", "ContentMD5": "x\x7f"}),
    ("crlf-in-header", "put_bucket_acl", lambda: {"Bucket": "bkt", "ACL": "private\r\n"}),
    ("surrogate-bucket", "get_bucket_policy", lambda: {"Bucket": "\ud800"}),
    ("surrogate-policy", "put_bucket_policy", lambda: {"Bucket": "bkt", "Policy": "\ud800"}),
    ("surrogate-header", "put_bucket_policy", lambda: {"Bucket": "bkt", "Policy": "{}", "ExpectedBucketOwner": "\udfff"}),
    ("failing-str-bucket", "put_bucket_policy", lambda: {"Bucket": FailingStr(), "Policy": "{}"}),
    ("failing-str-policy", "put_bucket_policy", lambda: {"Bucket": "bkt", "Policy": FailingStr()}),
    ("huge-int-policy", "put_bucket_policy", lambda: {"Bucket": "bkt", "Policy": 10 ** 5000}),
    ("deep-list-policy", "put_bucket_policy", lambda: {"Bucket": "bkt", "Policy": _deep_list(100_000)}),
    ("deep-list-grants", "put_bucket_acl", lambda: _acl(_deep_list(100_000))),
    ("deep-dict-acp", "put_bucket_acl", lambda: {"Bucket": "bkt", "AccessControlPolicy": _deep_dict(100_000, "Grants")}),
    ("dict-subclass-acp", "put_bucket_acl", lambda: {"Bucket": "bkt", "AccessControlPolicy": DictSub(Grants=[GRANT])}),
    ("failing-getattr", "put_bucket_policy", lambda: {"Bucket": "bkt", "Policy": FailingGetattr()}),
    ("str-subclass", "put_bucket_policy", lambda: {"Bucket": StrSub("bkt"), "Policy": StrSub("{}")}),
    ("bytes-bucket", "get_bucket_acl", lambda: {"Bucket": b"bkt"}),
    ("none-bucket", "get_bucket_acl", lambda: {"Bucket": None}),
    ("set-grants", "put_bucket_acl", lambda: _acl({1, 2})),
    ("long-policy", "put_bucket_policy", lambda: {"Bucket": "bkt", "Policy": "x" * 2_000_000}),
    ("nul-policy", "put_bucket_policy", lambda: {"Bucket": "bkt", "Policy": "a\x00b"}),
    ("unknown-surrogate-key", "get_bucket_policy", lambda: {"Bucket": "bkt", "\ud800": 1}),
    # a deliberate refusal: botocore sends `/..?policy`, which URL
    # normalisation turns into a call on the service root
    ("dot-dot-bucket", "delete_bucket_policy", lambda: {"Bucket": ".."}),
    ("dot-bucket", "get_bucket_acl", lambda: {"Bucket": "."}),
    ("checksum-surrogate", "put_bucket_policy", lambda: {"Bucket": "bkt", "Policy": "{}", "ChecksumAlgorithm": "\ud800"}),
    # which failure speaks first: botocore's serializer (body), then its
    # checksum step, then signing and sending (headers)
    ("surrogate-policy-bad-checksum", "put_bucket_policy",
     lambda: {"Bucket": "bkt", "Policy": "\ud800", "ChecksumAlgorithm": "BOGUS"}),
    ("crlf-header-bad-checksum", "put_bucket_policy",
     lambda: {"Bucket": "bkt", "Policy": "{}", "ExpectedBucketOwner": "a\r\nb", "ChecksumAlgorithm": "BOGUS"}),
    ("surrogate-header-bad-checksum", "put_bucket_acl",
     lambda: {"Bucket": "bkt", "GrantRead": "\udc80", "ChecksumAlgorithm": "bogus"}),
    ("surrogate-grantee-bad-checksum", "put_bucket_acl",
     lambda: {**_acl([{"Grantee": {"Type": "CanonicalUser", "ID": "\ud800"}, "Permission": "READ"}]),
              "ChecksumAlgorithm": "bogus"}),
]


@pytest.mark.parametrize("op,make", [(op, make) for _, op, make in REGRESSIONS], ids=[i for i, _, _ in REGRESSIONS])
def test_known_bad_inputs(env, op, make):
    check_contract(env, op, make())


@pytest.mark.parametrize("make", [
    lambda: {"Bucket": "\ud800"},
    lambda: {"Bucket": "bkt", "\ud800": 1},
    lambda: {"Bucket": StrSub("not a bucket!")},
    lambda: {"Bucket": "bkt", "ExpectedBucketOwner": 1.5j},
    lambda: {"Bucket": "bkt", "ExpectedBucketOwner": ["\ud800", 1]},
    lambda: {"Bucket": "a\ud800\U0010ffff\ufdd0\udfff"},
], ids=["surrogate-bucket", "surrogate-unknown-key", "str-subclass-bad-bucket", "complex-value",
        "surrogate-in-list-value", "surrogates-among-noncharacters"])
def test_validation_message_text_like_botocore(env, make):
    """botocore words these messages with the value's own str() (a str
    subclass's __str__) and keeps lone surrogates as they are."""
    params = make()
    b_err, _, _ = env.call(env.botocore, "get_bucket_policy", params)
    f_err, f_sent, _ = env.call(env.fastboto, "get_bucket_policy", params)
    assert isinstance(b_err, botocore.exceptions.ParamValidationError), "harness"
    assert f_sent == 0
    assert type(f_err).__name__ == "ParamValidationError"
    assert str(f_err) == str(b_err), f"\n ours:   {str(f_err)!r}\n theirs: {str(b_err)!r}"


def test_failing_list_iteration_does_not_send_a_truncated_acl(env):
    """The worst case of a swallowed iteration error: put_bucket_acl with the
    grants silently dropped would revoke every grant on the bucket."""
    params = _acl(FailingIterList([GRANT, GRANT_GROUP]))
    f_err, f_sent, _ = env.call(env.fastboto, "put_bucket_acl", params)
    sent = env.server.requests
    assert f_sent == 0, (
        f"fastboto sent {f_sent} request(s) for a Grants list that cannot be iterated; body: "
        f"{sent[0].body[:300] if sent else b''!r}")
    assert isinstance(f_err, botocore.exceptions.ParamValidationError), _describe(f_err)


def test_every_native_operation_is_fuzzed():
    assert set(BASES) == {method for method, _ in _core.OPERATIONS}
