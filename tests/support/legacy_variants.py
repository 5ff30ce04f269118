"""What fastboto's `src/endpoint/legacy-s3-variants.json` holds: the part of
botocore's legacy endpoint data (`botocore/data/endpoints.json`) that its
`EndpointResolver` and `ClientEndpointBridge` read for S3 at client
creation — per partition, in botocore's order: the DNS suffix, the region
list and regex, and for the partition's defaults, S3's defaults and each of
S3's endpoints the keys that shape the result (hostname, dnsSuffix,
credentialScope, protocols) with the FIPS/dualstack variants. From it come
EndpointVariantError, `client.meta.endpoint_url` and the signing region
botocore signs with when the endpoint rules' auth scheme is not used.

Regenerate after moving to a newer botocore:
    python3 tests/support/legacy_variants.py > src/endpoint/legacy-s3-variants.json
(tests/test_endpoints.py checks the file against the installed botocore).
"""

from __future__ import annotations

import json
import os
import sys

_KEYS = ("hostname", "dnsSuffix", "credentialScope", "protocols")


def _endpoint_data(data):
    data = data or {}
    out = {k: data[k] for k in _KEYS if k in data}
    # botocore compares set(variant['tags']) == set(tags); sorted lists keep that.
    out["variants"] = [
        {"tags": sorted(v["tags"]), **{k: v[k] for k in _KEYS if k in v}}
        for v in data.get("variants", [])
    ]
    return out


def extract(endpoints: dict) -> dict:
    from botocore.regions import EndpointResolver

    partitions = []
    for p in endpoints["partitions"]:
        s3 = p["services"].get("s3")
        entry = {
            "partition": p["partition"],
            "dnsSuffix": p["dnsSuffix"],
            "regionRegex": p.get("regionRegex"),
            "regions": sorted(p["regions"]),
            "defaults": _endpoint_data(p.get("defaults")),
            "s3": None,
        }
        if s3 is not None:
            entry["s3"] = {
                "partitionEndpoint": s3.get("partitionEndpoint"),
                "isRegionalized": s3.get("isRegionalized", True),
                "defaults": _endpoint_data(s3.get("defaults")),
                "endpoints": {name: _endpoint_data(e) for name, e in sorted(s3.get("endpoints", {}).items())},
            }
        partitions.append(entry)
    return {
        "unsupportedDualstackPartitions": list(EndpointResolver._UNSUPPORTED_DUALSTACK_PARTITIONS),
        "partitions": partitions,
    }


def from_installed_botocore() -> dict:
    import botocore

    path = os.path.join(os.path.dirname(botocore.__file__), "data", "endpoints.json")
    with open(path, encoding="utf-8") as f:
        return extract(json.load(f))


def dumps(data: dict) -> str:
    return json.dumps(data, separators=(",", ":"), sort_keys=False) + "\n"


if __name__ == "__main__":
    sys.stdout.write(dumps(from_installed_botocore()))
