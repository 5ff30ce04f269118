"""Helpers for the ACL / resource differential tests (imports fastboto).

- :func:`assert_same_outcome`: the verdict for calls that reach the server
  (successes and ClientErrors alike): same error (class name, str(),
  .response, operation_name) or the same result dict, the same number of
  requests, each equal to botocore's and correctly signed.
- :func:`assert_same_key_order`: dict key order, recursively (what a user
  sees when printing the result), since ``==`` ignores it.
- :class:`Pair`: one fastboto client and one botocore client for the same
  inputs, reused across many calls (hypothesis examples).
- :func:`resource_pair`: fastboto's and boto3's S3 resources for the same
  inputs (boto3 through a fresh botocore session: nothing global is shared).
- GetBucketAcl response bodies as S3 (and S3-compatible stores) send them.
"""

from __future__ import annotations

from typing import Any, Mapping, Optional, Tuple

import boto3.session
import botocore.config
import botocore.exceptions

import fastboto

from .capture_server import CannedResponse, CaptureServer
from .ours import assert_differential, fastboto_client
from .reference import (
    FAKE_ACCESS_KEY,
    FAKE_SECRET_KEY,
    Outcome,
    assert_same_error,
    botocore_client,
    call_and_capture,
    compare_requests,
    new_botocore_session,
    scrub,
    verify_sigv4,
)
from .s3_responses import AMZ_IDS, COMMON

NO_RETRY = {"retries": {"max_attempts": 0}}

S3_NS = "http://s3.amazonaws.com/doc/2006-03-01/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
AUTH_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
LOG_DELIVERY = "http://acs.amazonaws.com/groups/s3/LogDelivery"
OWNER_ID = "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a"


# ---------------------------------------------------------------------------
# verdicts
# ---------------------------------------------------------------------------
def assert_same_key_order(ours: Any, theirs: Any, path: str = "result") -> None:
    """Dicts have their keys in the same order, at every depth."""
    __tracebackhide__ = True
    if isinstance(theirs, dict):
        assert isinstance(ours, dict), f"{path}: ours is {type(ours).__name__}, theirs a dict"
        assert list(ours) == list(theirs), f"{path}: key order differs: ours {list(ours)}, theirs {list(theirs)}"
        for k in theirs:
            if k == "HTTPHeaders":  # header order is the server's, compared as a dict
                continue
            assert_same_key_order(ours[k], theirs[k], f"{path}[{k!r}]")
    elif isinstance(theirs, list):
        assert isinstance(ours, list) and len(ours) == len(theirs), f"{path}: list differs"
        for i, (o, t) in enumerate(zip(ours, theirs)):
            assert_same_key_order(o, t, f"{path}[{i}]")


def assert_same_outcome(ours: Outcome, theirs: Outcome, ours_client: Any = None, *,
                        key_order: bool = True) -> None:
    """Same error (class, str, .response, operation_name) or the same result
    (whole dict, ResponseMetadata included, same key order); same requests."""
    __tracebackhide__ = True
    if theirs.error is not None:
        assert_same_error(ours.error, theirs.error)
        if isinstance(theirs.error, botocore.exceptions.ClientError):
            assert ours.error.response == theirs.error.response, (
                f"ClientError.response differs:\n ours:   {ours.error.response}\n theirs: {theirs.error.response}")
            assert ours.error.operation_name == theirs.error.operation_name
            if ours_client is not None:
                code = theirs.error.response["Error"]["Code"]
                assert isinstance(ours.error, ours_client.exceptions.from_code(code))
                assert isinstance(ours.error, ours_client.exceptions.ClientError)
    else:
        assert ours.error is None, f"fastboto raised {type(ours.error).__name__}: {scrub(ours.error)}"
        assert ours.result == theirs.result, (
            f"result differs:\n ours:   {scrub(ours.result)}\n theirs: {scrub(theirs.result)}")
        if key_order:
            assert_same_key_order(ours.result, theirs.result)
    assert len(ours.requests) == len(theirs.requests), (
        f"fastboto sent {len(ours.requests)} request(s), botocore {len(theirs.requests)}")
    for o, t in zip(ours.requests, theirs.requests):
        compare_requests(o, t)
        verify_sigv4(o)


class Pair:
    """A fastboto client and a botocore client built from the same keywords."""

    def __init__(self, **client_kwargs: Any) -> None:
        self.kwargs = dict(client_kwargs)
        self.ours = fastboto_client(**client_kwargs)
        self.theirs = botocore_client(**client_kwargs)

    def run(self, server: CaptureServer, operation: str, params: Mapping[str, Any]) -> Tuple[Outcome, Outcome]:
        __tracebackhide__ = True
        theirs = call_and_capture(server, self.theirs, operation, **params)
        ours = call_and_capture(server, self.ours, operation, **params)
        return ours, theirs

    def check(self, server: CaptureServer, operation: str, params: Mapping[str, Any]) -> Tuple[Outcome, Outcome]:
        """Local validation errors or one request each: assert_differential's verdict."""
        __tracebackhide__ = True
        ours, theirs = self.run(server, operation, params)
        assert_differential(ours, theirs, operation, params, self.kwargs)
        return ours, theirs

    def check_outcome(self, server: CaptureServer, operation: str, params: Mapping[str, Any]) -> Tuple[Outcome, Outcome]:
        """Calls that reach the server (successes or ClientErrors): assert_same_outcome."""
        __tracebackhide__ = True
        ours, theirs = self.run(server, operation, params)
        assert_same_outcome(ours, theirs, self.ours)
        return ours, theirs

    def close(self) -> None:
        self.ours.close()
        self.theirs.close()

    def __enter__(self) -> "Pair":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def custom_kwargs(server: CaptureServer, config: Optional[Mapping[str, Any]] = None, **kw: Any) -> dict:
    out = dict(region_name="us-east-1", endpoint_url=server.url, config=dict(config) if config else None)
    out.update(kw)
    return out


def resource_pair(**kw: Any) -> Tuple[Any, Any]:
    """(fastboto resource, boto3 resource) for the same keywords."""
    __tracebackhide__ = True
    kw.setdefault("aws_access_key_id", FAKE_ACCESS_KEY)
    kw.setdefault("aws_secret_access_key", FAKE_SECRET_KEY)
    config = kw.pop("config", None)
    ours = fastboto.Session().resource(
        "s3", config=fastboto.Config(**config) if config else None, **kw)
    theirs = boto3.session.Session(botocore_session=new_botocore_session()).resource(
        "s3", config=botocore.config.Config(**config) if config else None, **kw)
    return ours, theirs


# ---------------------------------------------------------------------------
# GetBucketAcl responses
# ---------------------------------------------------------------------------
def acl_ok(body: bytes, headers=()) -> CannedResponse:
    return CannedResponse(200, COMMON + AMZ_IDS + [("Content-Type", "application/xml")] + list(headers), body)


_DECL = b'<?xml version="1.0" encoding="UTF-8"?>\n'
_XSI = b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'


def _policy(inner: bytes) -> bytes:
    return _DECL + b'<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' + inner + b"</AccessControlPolicy>"


_OWNER = b"<Owner><ID>" + OWNER_ID.encode() + b"</ID><DisplayName>webfile</DisplayName></Owner>"
_ME_FULL = (b"<Grant><Grantee " + _XSI + b' xsi:type="CanonicalUser"><ID>' + OWNER_ID.encode()
            + b"</ID><DisplayName>webfile</DisplayName></Grantee><Permission>FULL_CONTROL</Permission></Grant>")


def _group(uri: str, perm: str) -> bytes:
    return (b"<Grant><Grantee " + _XSI + b' xsi:type="Group"><URI>' + uri.encode()
            + b"</URI></Grantee><Permission>" + perm.encode() + b"</Permission></Grant>")


GET_ACL_BODIES = {
    "private": _policy(_OWNER + b"<AccessControlList>" + _ME_FULL + b"</AccessControlList>"),
    "groups": _policy(_OWNER + b"<AccessControlList>" + _ME_FULL + _group(ALL_USERS, "READ")
                      + _group(AUTH_USERS, "READ_ACP") + _group(LOG_DELIVERY, "WRITE")
                      + _group(LOG_DELIVERY, "READ_ACP") + b"</AccessControlList>"),
    "by-email": _policy(_OWNER + b"<AccessControlList><Grant><Grantee " + _XSI
                        + b' xsi:type="AmazonCustomerByEmail"><EmailAddress>someone@example.com</EmailAddress>'
                        + b"</Grantee><Permission>WRITE_ACP</Permission></Grant></AccessControlList>"),
    "no-display-name": _policy(b"<Owner><ID>abc</ID></Owner><AccessControlList><Grant><Grantee " + _XSI
                               + b' xsi:type="CanonicalUser"><ID>abc</ID></Grantee><Permission>READ</Permission>'
                               + b"</Grant></AccessControlList>"),
    "empty-acl-selfclosing": _policy(_OWNER + b"<AccessControlList/>"),
    "empty-acl-open-close": _policy(_OWNER + b"<AccessControlList></AccessControlList>"),
    "owner-only": _policy(_OWNER),
    "acl-only": _policy(b"<AccessControlList>" + _ME_FULL + b"</AccessControlList>"),
    "empty-owner": _policy(b"<Owner/><AccessControlList>" + _ME_FULL + b"</AccessControlList>"),
    "empty-root": _policy(b""),
    "empty-root-selfclosing": _DECL + b'<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>',
    "grants-before-owner": _policy(b"<AccessControlList>" + _ME_FULL + b"</AccessControlList>" + _OWNER),
    "no-declaration-no-namespace": (b"<AccessControlPolicy><Owner><ID>o</ID></Owner><AccessControlList><Grant>"
                                    b"<Grantee " + _XSI + b' xsi:type="Group"><URI>u</URI></Grantee>'
                                    b"<Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>"),
    "prefixed-s3-namespace": (
        _DECL + b'<s3:AccessControlPolicy xmlns:s3="http://s3.amazonaws.com/doc/2006-03-01/" ' + _XSI + b">"
        b"<s3:Owner><s3:ID>o</s3:ID><s3:DisplayName>d</s3:DisplayName></s3:Owner><s3:AccessControlList>"
        b'<s3:Grant><s3:Grantee xsi:type="CanonicalUser"><s3:ID>o</s3:ID></s3:Grantee>'
        b"<s3:Permission>FULL_CONTROL</s3:Permission></s3:Grant></s3:AccessControlList></s3:AccessControlPolicy>"),
    "xsi-declared-on-root": (
        _DECL + b'<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/" ' + _XSI + b">"
        b'<AccessControlList><Grant><Grantee xsi:type="Group"><URI>' + ALL_USERS.encode() + b"</URI></Grantee>"
        b"<Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>"),
    "xsi-other-prefix": _policy(
        b'<AccessControlList><Grant><Grantee xmlns:i="http://www.w3.org/2001/XMLSchema-instance" i:type="Group">'
        b"<URI>u</URI></Grantee><Permission>READ</Permission></Grant></AccessControlList>"),
    "grantee-without-type": _policy(
        b"<AccessControlList><Grant><Grantee><ID>x</ID></Grantee><Permission>READ</Permission></Grant>"
        b"</AccessControlList>"),
    "type-as-child-element": _policy(
        b"<AccessControlList><Grant><Grantee><Type>Group</Type><URI>u</URI></Grantee>"
        b"<Permission>READ</Permission></Grant></AccessControlList>"),
    "pretty-printed": (
        _DECL + b'<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/">\n'
        b"  <Owner>\n    <ID>o</ID>\n    <DisplayName>d</DisplayName>\n  </Owner>\n"
        b"  <AccessControlList>\n    <Grant>\n      <Grantee " + _XSI + b' xsi:type="CanonicalUser">\n'
        b"        <ID>o</ID>\n      </Grantee>\n      <Permission>FULL_CONTROL</Permission>\n    </Grant>\n"
        b"  </AccessControlList>\n</AccessControlPolicy>\n"),
    "crlf-pretty-printed": (
        b'<?xml version="1.0" encoding="UTF-8"?>\r\n<AccessControlPolicy>\r\n\t<Owner>\r\n\t\t<ID>o</ID>\r\n'
        b"\t</Owner>\r\n\t<AccessControlList>\r\n\t\t<Grant>\r\n\t\t\t<Grantee " + _XSI
        + b' xsi:type="Group">\r\n\t\t\t\t<URI>u</URI>\r\n\t\t\t</Grantee>\r\n\t\t\t<Permission>READ</Permission>'
        b"\r\n\t\t</Grant>\r\n\t</AccessControlList>\r\n</AccessControlPolicy>\r\n"),
    "whitespace-in-leaves": _policy(
        b"<Owner><ID>\n  o \t</ID><DisplayName>  </DisplayName></Owner><AccessControlList><Grant><Grantee "
        + _XSI + b' xsi:type="CanonicalUser"><ID> a\r\nb </ID></Grantee><Permission> READ\n</Permission>'
        b"</Grant></AccessControlList>"),
    "entities": _policy(
        b"<Owner><ID>a&amp;b&lt;c&gt;d&quot;e&apos;f</ID><DisplayName>&#233;&#xE9;&#x1F600;&#26085;</DisplayName>"
        b"</Owner><AccessControlList><Grant><Grantee " + _XSI + b' xsi:type="AmazonCustomerByEmail">'
        b"<EmailAddress>x&amp;y@example.com</EmailAddress></Grantee><Permission>READ</Permission></Grant>"
        b"</AccessControlList>"),
    "entities-in-type-attribute": _policy(
        b"<AccessControlList><Grant><Grantee " + _XSI + b' xsi:type="a&amp;b&lt;&quot;&#233;&#10;c">'
        b"<ID>x</ID></Grantee><Permission>READ</Permission></Grant></AccessControlList>"),
    "whitespace-in-type-attribute": _policy(
        b"<AccessControlList><Grant><Grantee " + _XSI + b' xsi:type=" Group\n\tx ">'
        b"<URI>u</URI></Grantee><Permission>READ</Permission></Grant></AccessControlList>"),
    "single-quoted-attributes": _policy(
        b"<AccessControlList><Grant><Grantee xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance' "
        b"xsi:type='Group'><URI>u</URI></Grantee><Permission>READ</Permission></Grant></AccessControlList>"),
    "cdata-and-comments": _policy(
        b"<!-- owner --><Owner><ID><![CDATA[a<b>&c]]></ID><DisplayName>x<!-- c -->y</DisplayName></Owner>"
        b"<AccessControlList><!-- none --></AccessControlList>"),
    "unicode-raw-utf8": _policy(
        "<Owner><ID>日本語</ID><DisplayName>Zoë 🚀 Ω ß \u00a0 \u2028</DisplayName></Owner>"
        "<AccessControlList><Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
        "xsi:type=\"CanonicalUser\"><ID>日本語</ID><DisplayName>名前</DisplayName></Grantee>"
        "<Permission>READ</Permission></Grant></AccessControlList>".encode("utf-8")),
    "empty-leaves": _policy(
        b"<Owner><ID/><DisplayName></DisplayName></Owner><AccessControlList><Grant><Grantee " + _XSI
        + b' xsi:type=""><ID/></Grantee><Permission/></Grant></AccessControlList>'),
    "leaf-with-child-element": _policy(b"<Owner><ID>a<b>x</b>c</ID></Owner>"),
    "unknown-elements-ignored": _policy(
        b"<Extra>1</Extra><Owner><ID>o</ID><Foo>bar</Foo></Owner><AccessControlList><Grant><Grantee "
        + _XSI + b' xsi:type="Group" other="1"><URI>u</URI><Bar/></Grantee><Permission>READ</Permission>'
        b"<Baz>z</Baz></Grant></AccessControlList>"),
    "grant-without-grantee": _policy(b"<AccessControlList><Grant><Permission>READ</Permission></Grant>"
                                     b"<Grant/></AccessControlList>"),
    "many-grants": _policy(_OWNER + b"<AccessControlList>"
                           + b"".join(_group(f"http://example.com/g/{i}", "READ") for i in range(200))
                           + b"</AccessControlList>"),
    "standalone-declaration": (b'<?xml version="1.0" encoding="utf-8" standalone="yes"?>'
                               b"<AccessControlPolicy><Owner><ID>o</ID></Owner></AccessControlPolicy>"),
    "utf8-bom": b"\xef\xbb\xbf" + _DECL + b"<AccessControlPolicy><Owner><ID>\xc3\xa9</ID></Owner></AccessControlPolicy>",
    # botocore's parser is told the body is UTF-8, whatever the declaration says
    "latin1-declared-utf8-content": (b'<?xml version="1.0" encoding="ISO-8859-1"?><AccessControlPolicy><Owner>'
                                     b"<ID>\xc3\xa9</ID></Owner></AccessControlPolicy>"),
    "xml-1.1-declaration": b'<?xml version="1.1"?><AccessControlPolicy><Owner><ID>x</ID></Owner></AccessControlPolicy>',
    "doctype": b"<!DOCTYPE AccessControlPolicy><AccessControlPolicy><Owner><ID>x</ID></Owner></AccessControlPolicy>",
    "processing-instructions": (b'<?xml version="1.0"?><?foo bar?><AccessControlPolicy><?p q?><Owner><ID>x<?p?>y'
                                b"</ID></Owner></AccessControlPolicy>"),
    "cr-and-crlf-in-text": b"<AccessControlPolicy><Owner><ID>a\rb\r\nc</ID></Owner></AccessControlPolicy>",
    "charref-cr-in-text": b"<AccessControlPolicy><Owner><ID>a&#13;b&#x9;c</ID></Owner></AccessControlPolicy>",
    "redeclared-default-namespace": (b'<AccessControlPolicy xmlns="urn:a"><Owner xmlns="urn:b"><ID>x</ID></Owner>'
                                     b"</AccessControlPolicy>"),
    "duplicate-owner-first-wins": (b"<AccessControlPolicy><Owner><ID>1</ID></Owner><Owner><ID>2</ID></Owner>"
                                   b"</AccessControlPolicy>"),
    "comment-after-root": b"<AccessControlPolicy><Owner><ID>1</ID></Owner></AccessControlPolicy><!-- c -->\n",
    "whitespace-before-root": b"\n  <AccessControlPolicy><Owner><ID>1</ID></Owner></AccessControlPolicy>",
    "empty-body": b"",
    # well-formed XML with another root: parsed, nothing found
    "html-well-formed": b"<html><body>Service Unavailable</body></html>",
}

# Bodies on which botocore's parsing (or its S3 200-error check) and a naive
# parser are most likely to disagree. Each is compared like the others.
GET_ACL_QUIRK_BODIES = {
    # botocore parses every child of a (non-flattened) list as an item,
    # whatever its tag.
    "unknown-element-inside-access-control-list": _policy(
        b"<AccessControlList>" + _group(ALL_USERS, "READ") + b"<Foo><Permission>X</Permission></Foo>"
        b"</AccessControlList>"),
    # Only a namespaced attribute named type is xsi:type to botocore.
    "unprefixed-type-attribute": _policy(
        b'<AccessControlList><Grant><Grantee type="Group"><URI>u</URI></Grantee>'
        b"<Permission>READ</Permission></Grant></AccessControlList>"),
    # a conforming XML parser expands internal entities (expat does)
    "doctype-internal-entity": (b'<?xml version="1.0"?><!DOCTYPE AccessControlPolicy [<!ENTITY e "v&#233;">]>'
                                b"<AccessControlPolicy><Owner><ID>&e;</ID></Owner></AccessControlPolicy>"),
    "utf16-document": ('<?xml version="1.0" encoding="UTF-16"?><AccessControlPolicy><Owner><ID>x</ID></Owner>'
                       "</AccessControlPolicy>").encode("utf-16"),
    "unprefixed-type-before-xsi-type": _policy(
        b'<AccessControlList><Grant><Grantee type="Wrong" ' + _XSI + b' xsi:type="Group"><URI>u</URI></Grantee>'
        b"<Permission>READ</Permission></Grant></AccessControlList>"),
}

# 200 responses botocore does not accept as a GetBucketAcl result: S3's
# "200 with an error inside" and bodies that are not well-formed XML become a
# 500 to botocore (handlers._handle_200_error), which is retried and raised.
GET_ACL_200_ERRORS = {
    "error-document": (b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InternalError</Code>'
                       b"<Message>We encountered an internal error. Please try again.</Message>"
                       b"<RequestId>4442587FB7D0A2F9</RequestId><HostId>abc</HostId></Error>"),
    "error-document-slowdown": b"<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>",
    "truncated": _policy(_OWNER)[:-30],
    "undefined-entity": _policy(b"<Owner><ID>a&nbsp;b</ID></Owner>"),
    "unbound-prefix": _policy(b"<x:Owner><ID>a</ID></x:Owner>"),
    "mismatched-tags": _policy(b"<Owner><ID>a</DisplayName></Owner>"),
    "two-roots": _policy(_OWNER) + b"<Other/>",
    "plain-text": b"OK",
    "latin1-bytes": (b'<?xml version="1.0" encoding="ISO-8859-1"?><AccessControlPolicy><Owner><ID>\xe9</ID>'
                     b"</Owner></AccessControlPolicy>"),
    "invalid-utf8": b"<AccessControlPolicy><Owner><ID>\xff</ID></Owner></AccessControlPolicy>",
    "raw-control-character": b"<AccessControlPolicy><Owner><ID>a\x01b</ID></Owner></AccessControlPolicy>",
    "charref-nul": b"<AccessControlPolicy><Owner><ID>a&#0;b</ID></Owner></AccessControlPolicy>",
    "bare-ampersand": b"<AccessControlPolicy><Owner><ID>a & b</ID></Owner></AccessControlPolicy>",
    "duplicate-attribute": (b'<AccessControlPolicy><AccessControlList><Grant><Grantee ' + _XSI
                            + b' xsi:type="a" xsi:type="b"/></Grant></AccessControlList></AccessControlPolicy>'),
    "lt-in-attribute": (b'<AccessControlPolicy><AccessControlList><Grant><Grantee ' + _XSI
                        + b' xsi:type="a<b"/></Grant></AccessControlList></AccessControlPolicy>'),
    "whitespace-before-declaration": b'\n<?xml version="1.0"?><AccessControlPolicy/>',
    "whitespace-only": b"  \n",
}
