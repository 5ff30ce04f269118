"""What fastboto's `src/endpoint/legacy-s3-variants.json` holds: the part of
botocore's legacy endpoint data (`botocore/data/endpoints.json`) that decides
whether its EndpointResolver raises EndpointVariantError for S3 at client
creation — per partition, in botocore's order: the region list and regex,
and the tag sets of the FIPS/dualstack variants modeled for S3's endpoints,
S3's defaults and the partition's defaults.

Regenerate after moving to a newer botocore:
    python3 tests/support/legacy_variants.py > src/endpoint/legacy-s3-variants.json
(tests/test_endpoints.py checks the file against the installed botocore).
"""

from __future__ import annotations

import json
import os
import sys


def _tag_sets(data):
    # botocore compares set(variant['tags']) == set(tags); sorted lists keep that.
    return [sorted(v["tags"]) for v in (data or {}).get("variants", [])]


def extract(endpoints: dict) -> dict:
    from botocore.regions import EndpointResolver

    partitions = []
    for p in endpoints["partitions"]:
        s3 = p["services"].get("s3")
        entry = {
            "partition": p["partition"],
            "regionRegex": p.get("regionRegex"),
            "regions": sorted(p["regions"]),
            "defaults": _tag_sets(p.get("defaults")),
            "s3": None,
        }
        if s3 is not None:
            entry["s3"] = {
                "partitionEndpoint": s3.get("partitionEndpoint"),
                "isRegionalized": s3.get("isRegionalized", True),
                "defaults": _tag_sets(s3.get("defaults")),
                "endpoints": {name: _tag_sets(e) for name, e in sorted(s3.get("endpoints", {}).items())},
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
