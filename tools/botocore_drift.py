"""Measure how far fastboto is from the newest botocore (run by hand, not in CI).

    python3 tools/botocore_drift.py              # build fastboto into a throwaway venv
    python3 tools/botocore_drift.py --wheel W    # use an already built wheel
    python3 tools/botocore_drift.py -- -k retry  # extra pytest arguments after --

Makes a throwaway virtualenv, installs the test requirements with the newest
boto3 / botocore[crt] / moto[server] from the package index in place of the
pinned ones, installs fastboto, runs the test suite (the differential tests
compare fastboto with the botocore installed beside it), and prints the
failures grouped by test module. Exit status 0 means no drift: the newest
botocore is the one fastboto follows and every test passes against it.
"""

from __future__ import annotations

import argparse
import collections
import re
import shutil
import subprocess
import sys
import tempfile
import venv
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLLOWED = ("boto3", "botocore", "moto")


def run(*cmd: str, **kwargs) -> subprocess.CompletedProcess:
    print("+", " ".join(cmd), flush=True)
    return subprocess.run(cmd, check=True, **kwargs)


def requirements_without_followed(target: Path) -> None:
    """requirements-test.txt less the packages that follow the index."""
    kept = []
    for line in (ROOT / "requirements-test.txt").read_text().splitlines():
        name = re.split(r"[\[=<>~!; ]", line.strip(), maxsplit=1)[0].lower()
        if name not in FOLLOWED:
            kept.append(line)
    target.write_text("\n".join(kept) + "\n")


def failures_by_module(junit: Path) -> dict:
    grouped = collections.defaultdict(list)
    for case in ET.parse(junit).getroot().iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            parts = case.get("classname", "").split(".")
            module = next((p for p in parts if p.startswith("test_")), ".".join(parts) or "?")
            grouped[module].append(case.get("name", "?"))
    return grouped


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wheel", type=Path, help="a built fastboto wheel to install")
    parser.add_argument("--keep", action="store_true", help="keep the virtualenv")
    parser.add_argument("pytest_args", nargs="*", help="extra pytest arguments (after --)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="fastboto-drift-"))
    try:
        env_dir = work / "venv"
        venv.EnvBuilder(with_pip=True).create(env_dir)
        python = str(env_dir / "bin" / "python")
        pip = (python, "-m", "pip", "install", "-q", "--disable-pip-version-check")
        requirements = work / "requirements.txt"
        requirements_without_followed(requirements)
        run(*pip, "-r", str(requirements))
        run(*pip, "--upgrade", "boto3", "botocore[crt]", "moto[server]")
        run(*pip, "--no-deps", str(args.wheel) if args.wheel else str(ROOT))
        versions = subprocess.run(
            [python, "-c", "import boto3, botocore, moto, fastboto; print(boto3.__version__, "
             "botocore.__version__, moto.__version__, fastboto.BOTOCORE_VERSION)"],
            check=True, capture_output=True, text=True).stdout.split()
        boto3_version, botocore_version, moto_version, followed = versions
        junit = work / "junit.xml"
        status = subprocess.run(
            [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={junit}", "tests",
             *args.pytest_args],
            cwd=ROOT).returncode

        print()
        print(f"newest on the index: boto3 {boto3_version}, botocore {botocore_version}, "
              f"moto {moto_version}")
        print(f"fastboto follows:    botocore {followed}")
        grouped = failures_by_module(junit) if junit.exists() else {}
        if status == 0 and not grouped:
            print("no drift: every test passes against the newest botocore")
            return 0
        total = sum(len(v) for v in grouped.values())
        print(f"drift: {total} failing test(s) in {len(grouped)} module(s) "
              f"(pytest exit {status})")
        for module, names in sorted(grouped.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            print(f"  {module}: {len(names)}")
            for name in names[:10]:
                print(f"      {name}")
            if len(names) > 10:
                print(f"      ... and {len(names) - 10} more")
        return 1
    finally:
        if args.keep:
            print(f"virtualenv kept at {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
