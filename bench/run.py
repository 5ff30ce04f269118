#!/usr/bin/env python3
"""fastboto benchmark suite: fastboto vs boto3 and aiobotocore against a local nginx.

    python bench/run.py            # measure the fastboto installed in this python
    python bench/run.py --build    # first build and install a release wheel (maturin)

Requires nginx and wrk (installed with apt-get when missing and running as
root: `apt-get install -y nginx-light wrk`). aiobotocore (and matplotlib, for
the chart) live in their own virtualenv, bench/.venv-aiobotocore, made on the
first run, because aiobotocore pins botocore.

In one run (about 1.5 minutes, plus the virtualenv the first time) it:
  * starts nginx (1 worker, keep-alive, `return 204;`, access_log off) on a
    free loopback port, and stops it at the end, also on Ctrl-C and errors;
  * measures wrk's single-connection rate (the wire limit for serial calls);
  * measures import time, first-client creation, serial calls/s, calls/s with
    8 threads on one client, async calls/s with 64 in flight, peak RSS per
    client for 1,000 clients and Python-heap bytes per call, each in fresh
    processes (bench/workloads.py);
  * prints a table with the ratios and the targets, writes bench/results.md
    and bench/results.json, and draws docs/bench.png.

To measure a build without touching site-packages, install it elsewhere and
point PYTHONPATH at it (the children inherit it). CI does not run this. Every
loop is bounded by time and by count. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WORKLOADS = BENCH / "workloads.py"
DEFAULT_VENV = BENCH / ".venv-aiobotocore"
RESULTS_MD = BENCH / "results.md"
RESULTS_JSON = BENCH / "results.json"
CHART = ROOT / "docs" / "bench.png"
VENV_PACKAGES = ["aiobotocore", "matplotlib"]

# (key, description, limit): the targets from the issue (ratios, higher is better).
TARGETS = [
    ("serial_x_boto3", "serial ≥ 8× boto3", 8.0),
    ("serial_x_wire", "serial ≥ 0.7× wire limit", 0.7),
    ("threads_x_boto3", "8 threads ≥ 25× boto3 with 8 threads", 25.0),
    ("async_x_aiobotocore", "async, 64 in flight ≥ 30× aiobotocore", 30.0),
    ("import_x_boto3", "import ≤ 1/20 of boto3's", 20.0),
    ("first_client_x_boto3", "first client ≤ 1/100 of boto3's", 100.0),
    ("mem_x_boto3", "memory per client ≤ 1/10 of boto3's", 10.0),
]


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


class BenchError(RuntimeError):
    pass


# --------------------------------------------------------------------------
# tools


def ensure_tools(install: bool) -> None:
    missing = [t for t in ("nginx", "wrk") if not (shutil.which(t) or _sbin(t))]
    if not missing:
        return
    hint = "apt-get install -y nginx-light wrk"
    if not install:
        raise BenchError(f"missing {', '.join(missing)}: run `{hint}` (or drop --no-install)")
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise BenchError(f"missing {', '.join(missing)}: run `sudo {hint}`")
    log(f"== installing {', '.join(missing)} with apt-get")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    pkgs = ["nginx-light" if t == "nginx" else t for t in missing]
    if subprocess.run(["apt-get", "install", "-y", "-q", *pkgs], env=env).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], env=env, check=True)
        subprocess.run(["apt-get", "install", "-y", "-q", *pkgs], env=env, check=True)
    still = [t for t in missing if not (shutil.which(t) or _sbin(t))]
    if still:
        raise BenchError(f"still missing after apt-get: {', '.join(still)}")


def _sbin(name: str) -> str | None:
    for d in ("/usr/sbin", "/sbin", "/usr/local/sbin"):
        p = os.path.join(d, name)
        if os.access(p, os.X_OK):
            return p
    return None


def tool(name: str) -> str:
    path = shutil.which(name) or _sbin(name)
    if not path:
        raise BenchError(f"{name} not found")
    return path


def build_release() -> None:
    """Builds a release wheel with maturin and installs it in this python."""
    log("== building a release wheel (maturin build --release)")
    out = Path(tempfile.mkdtemp(prefix="fastboto-wheels-"))
    try:
        maturin = shutil.which("maturin")
        if maturin is None:
            subprocess.run([sys.executable, "-m", "pip", "install", "-q", "maturin>=1.5,<2"],
                           check=True)
            cmd = [sys.executable, "-m", "maturin"]
        else:
            cmd = [maturin]
        subprocess.run([*cmd, "build", "--release", "-q", "-o", str(out)], cwd=ROOT, check=True)
        wheels = sorted(out.glob("fastboto-*.whl"))
        if not wheels:
            raise BenchError("maturin produced no wheel")
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--force-reinstall",
                        "--no-deps", str(wheels[-1])], check=True)
    finally:
        shutil.rmtree(out, ignore_errors=True)


def ensure_venv(venv: Path, recreate: bool, python: str | None) -> Path | None:
    """The virtualenv with aiobotocore (and its own botocore) and matplotlib.
    Returns its python, or None when it cannot be made (reported, not fatal)."""
    py = venv / "bin" / "python"
    marker = venv / ".bench-ready"
    if recreate and venv.exists():
        shutil.rmtree(venv)
    if py.exists() and marker.exists():
        return py
    log(f"== creating {venv.relative_to(ROOT) if venv.is_relative_to(ROOT) else venv} "
        f"({' '.join(VENV_PACKAGES)})")
    try:
        if venv.exists():
            shutil.rmtree(venv)
        subprocess.run([python or sys.executable, "-m", "venv", str(venv)], check=True,
                       timeout=120)
        subprocess.run([str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                        *VENV_PACKAGES], check=True, timeout=600)
        marker.write_text(" ".join(VENV_PACKAGES) + "\n")
        return py
    except (subprocess.SubprocessError, OSError) as exc:
        log(f"!! could not set up {venv}: {exc}; aiobotocore and the chart are skipped")
        return None


# --------------------------------------------------------------------------
# nginx


NGINX_CONF = """\
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{
    worker_connections 4096;
}}
http {{
    access_log off;
    {temp_paths}
    keepalive_timeout 300s;
    keepalive_requests 100000000;
    client_max_body_size 1m;
    server {{
        listen 127.0.0.1:{port} backlog=4096;
        location / {{
            return 204;
        }}
    }}
}}
"""

TEMP_PATH_DIRECTIVES = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]


def _die_with_parent() -> None:
    """In the nginx child before exec: SIGTERM it when this script dies, even
    by SIGKILL (Linux prctl PR_SET_PDEATHSIG; elsewhere a no-op)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Nginx:
    def __init__(self, workdir: Path) -> None:
        self.dir = workdir / "nginx"
        self.dir.mkdir()
        os.chmod(workdir, 0o755)
        os.chmod(self.dir, 0o755)
        self.proc: subprocess.Popen | None = None
        self.port = 0
        self.binary = tool("nginx")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _write_conf(self, modules: list) -> Path:
        temp_paths = "\n    ".join(f"{m}_temp_path {self.dir}/{m}_temp;" for m in modules)
        conf = self.dir / "nginx.conf"
        conf.write_text(NGINX_CONF.format(tmp=self.dir, port=self.port, temp_paths=temp_paths))
        return conf

    def _cmd(self, conf: Path, *extra: str) -> list:
        return [self.binary, "-p", str(self.dir), "-e", str(self.dir / "error.log"),
                "-c", str(conf), *extra]

    def start(self) -> None:
        for attempt in range(5):
            self.port = free_port()
            conf = None
            # nginx-light may lack some modules: drop their temp_path lines.
            for modules in (TEMP_PATH_DIRECTIVES, ["client_body"]):
                conf = self._write_conf(modules)
                test = subprocess.run(self._cmd(conf, "-t", "-q"), capture_output=True,
                                      text=True, timeout=30)
                if test.returncode == 0:
                    break
            else:
                raise BenchError(f"nginx -t failed:\n{test.stderr}")
            # Its own session, so a terminal Ctrl-C doesn't reach it before we
            # stop it in order (and so its worker can be killed with it).
            self.proc = subprocess.Popen(self._cmd(conf), stdin=subprocess.DEVNULL,
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                         start_new_session=True, preexec_fn=_die_with_parent)
            if self._wait_ready(10.0):
                return
            err = self._errors()
            self.stop()
            log(f"   nginx did not come up on port {self.port} (attempt {attempt + 1}): {err}")
        raise BenchError("nginx did not start")

    def _errors(self) -> str:
        try:
            return (self.dir / "error.log").read_text()[-2000:]
        except OSError:
            return ""

    def _wait_ready(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is None or self.proc.poll() is not None:
                return False
            try:
                req = urllib.request.Request(self.url + "/bench-bucket?policy", method="PUT",
                                             data=b"{}")
                opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
                with opener.open(req, timeout=1) as resp:
                    if resp.status == 204:
                        return True
            except OSError:
                pass
            time.sleep(0.05)
        return False

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        try:
            proc.terminate()  # SIGTERM: nginx's fast shutdown, master and worker
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
        except ProcessLookupError:
            pass


# --------------------------------------------------------------------------
# child processes


def child_env(workdir: Path) -> dict:
    """Fake credentials, no config files, no proxies, no metadata service."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AWS_", "BOTO_"))
        and k.lower() not in ("http_proxy", "https_proxy", "all_proxy", "no_proxy")
    }
    env.update(
        AWS_ACCESS_KEY_ID="AKIDBENCHEXAMPLE0000",
        AWS_SECRET_ACCESS_KEY="benchSecretKey/bench+bench/benchSecretKey00",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_CONFIG_FILE=str(workdir / "no-aws-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(workdir / "no-aws-credentials"),
        AWS_EC2_METADATA_DISABLED="true",
        NO_PROXY="127.0.0.1,localhost",
        no_proxy="127.0.0.1,localhost",
        PYTHONHASHSEED="0",
        PYTHONUNBUFFERED="1",
    )
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


class Runner:
    def __init__(self, workdir: Path, url: str, warnings: list) -> None:
        self.workdir = workdir
        self.url = url
        self.env = child_env(workdir)
        self.warnings = warnings

    def run(self, kind: str, lib: str, python: str | os.PathLike = sys.executable,
            timeout: float = 120.0, **args) -> dict:
        args = {"url": self.url, **args}
        cmd = [str(python), str(WORKLOADS), kind, lib, json.dumps(args)]
        # subprocess.run kills the child on timeout and on Ctrl-C.
        proc = subprocess.run(cmd, cwd=self.workdir, env=self.env, capture_output=True,
                              text=True, timeout=timeout)
        lines = [line for line in proc.stdout.splitlines() if line.strip()]
        result = None
        if lines:
            try:
                result = json.loads(lines[-1])
            except ValueError:
                result = None
        if proc.returncode != 0:
            how = (f"killed by signal {-proc.returncode}" if proc.returncode < 0
                   else f"exit {proc.returncode}")
            if isinstance(result, dict):
                # The measurement finished and was printed; the process died
                # afterwards (seen: fastboto.aio aborting at interpreter exit).
                # Keep the figures, report the crash.
                self.warnings.append(f"{kind}/{lib}: the child process was {how} after "
                                     f"printing its results (on exit) {proc.stderr.strip()[-300:]}")
                return result
            raise BenchError(f"{kind}/{lib} failed ({how}):\n{proc.stderr.strip()[-3000:]}")
        if not isinstance(result, dict):
            raise BenchError(f"{kind}/{lib} printed no result:\n{proc.stderr[-3000:]}")
        return result


# --------------------------------------------------------------------------
# measurements


def measure_wire(url: str, seconds: int, warnings: list) -> float:
    cmd = [tool("wrk"), "-t1", "-c1", f"-d{seconds}s", url + "/"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60)
    if proc.returncode != 0:
        raise BenchError(f"wrk failed: {proc.stderr or proc.stdout}")
    match = re.search(r"Requests/sec:\s*([\d.]+)", proc.stdout)
    if not match:
        raise BenchError(f"could not read wrk's output:\n{proc.stdout}")
    if "Non-2xx" in proc.stdout or "Socket errors" in proc.stdout:
        warnings.append("wrk reported errors: " + " ".join(proc.stdout.split()))
    return float(match.group(1))


def _merged_versions(results: list) -> dict:
    """The versions of several runs of one lib; core_file is "mixed" when the
    runs loaded different builds of fastboto."""
    merged = dict(results[-1]["versions"])
    cores = {json.dumps(r["versions"].get("core_file"), sort_keys=True) for r in results}
    if len(cores) > 1:
        merged["core_file"] = "mixed"
    return merged


def measure_startup(runner: Runner, runs: int) -> dict:
    libs = ("fastboto", "boto3")
    # One discarded run each: bytecode caches and the page cache are warm after it.
    for lib in libs:
        runner.run("startup", lib, timeout=60)
    samples: dict = {lib: [] for lib in libs}
    for _ in range(runs):
        for lib in libs:  # interleaved, so background load hits both alike
            samples[lib].append(runner.run("startup", lib, timeout=60))
    out = {}
    for lib in libs:
        out[lib] = {
            key: statistics.median(s[key] for s in samples[lib])
            for key in ("import_s", "first_client_s", "second_client_s")
        }
        out[lib]["runs"] = runs
        out[lib]["import_samples_ms"] = [round(s["import_s"] * 1e3, 2) for s in samples[lib]]
        out[lib]["first_client_samples_ms"] = [
            round(s["first_client_s"] * 1e3, 2) for s in samples[lib]
        ]
        out[lib]["versions"] = _merged_versions(samples[lib])
    return out


# --------------------------------------------------------------------------
# report


def machine_facts() -> dict:
    def cmd(*argv: str) -> str:
        try:
            return subprocess.run(argv, capture_output=True, text=True,
                                  timeout=20).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return "?"

    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {
        "nproc": cmd("nproc"),
        "kernel": cmd("uname", "-r"),
        "cpu": cpu,
        "loadavg_at_end": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "rustc": cmd("rustc", "--version") or "?",
        "nginx": cmd(tool("nginx"), "-v") or _stderr_of(tool("nginx"), "-v"),
        "wrk": " ".join((_stderr_of(tool("wrk"), "--version") or "?").split()[:2]),
    }


def _stderr_of(*argv: str) -> str:
    try:
        p = subprocess.run(argv, capture_output=True, text=True, timeout=20)
        return (p.stderr or p.stdout).strip()
    except (OSError, subprocess.SubprocessError):
        return "?"


def fastboto_build_info() -> dict:
    """Where the benchmarked fastboto is, and whether its extension looks like
    a debug build (a dev-profile build carries DWARF .debug_info sections)."""
    code = "import fastboto._core as c, fastboto; print(c.__file__); print(fastboto.__version__)"
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                       cwd=tempfile.gettempdir())
    if p.returncode != 0:
        raise BenchError(f"fastboto is not importable in {sys.executable}:\n{p.stderr}")
    path, version = p.stdout.split()
    debug = _elf_debug_info_size(path)
    return {
        "path": path,
        "version": version,
        "size_bytes": os.path.getsize(path),
        "mtime": os.path.getmtime(path),
        "debug_info_bytes": debug,
        "looks_like_debug_build": bool(debug and debug > 1_000_000),
    }


def _elf_debug_info_size(path: str) -> int | None:
    import struct

    try:
        with open(path, "rb") as f:
            ident = f.read(16)
            if ident[:4] != b"\x7fELF" or ident[4] != 2:
                return None
            end = "<" if ident[5] == 1 else ">"
            f.seek(0x28)
            (shoff,) = struct.unpack(end + "Q", f.read(8))
            f.seek(0x3A)
            shentsize, shnum, shstrndx = struct.unpack(end + "HHH", f.read(6))
            sections = []
            for i in range(shnum):
                f.seek(shoff + i * shentsize)
                name, _, _, _, off, size = struct.unpack(end + "IIQQQQ", f.read(40))
                sections.append((name, off, size))
            _, stroff, strsize = sections[shstrndx]
            f.seek(stroff)
            names = f.read(strsize)
            total = 0
            for name, _, size in sections:
                label = names[name:names.index(b"\0", name)]
                if label == b".debug_info":
                    total += size
            return total
    except (OSError, struct.error, ValueError, IndexError):
        return None


def _fastboto_results(detail: dict):
    """(name, result) for every fastboto measurement in detail."""
    for name, d in detail.items():
        if name == "startup":
            if "fastboto" in d:
                yield "startup", d["fastboto"]
        elif name.endswith("_fastboto") and isinstance(d, dict):
            yield name, d


def ratio_higher(fast, base):
    if fast is None or base is None or base <= 0:
        return None
    return fast / base


def ratio_lower(fast, base):
    """How many times smaller fastboto's figure is (base / fast)."""
    if fast is None or base is None:
        return None
    if fast <= 0:
        return float("inf")
    return base / fast


def fmt_ratio(r, lower: bool) -> str:
    if r is None:
        return "n/a"
    if r == float("inf"):
        return "1/∞"
    if lower:
        return f"1/{r:.0f}" if r >= 10 else f"1/{r:.1f}"
    return f"{r:.2f}×" if r < 10 else f"{r:.1f}×"


def fmt_num(v, unit: str) -> str:
    if v is None:
        return "n/a"
    if unit == "calls/s":
        return f"{v:,.0f} calls/s"
    if unit == "ms":
        return f"{v * 1e3:.2f} ms" if v * 1e3 < 10 else f"{v * 1e3:.1f} ms"
    if unit == "KiB":
        return f"{v:,.1f} KiB"
    if unit == "B":
        return f"{v:,.0f} B"
    if unit == "µs":
        return f"{v:,.1f} µs"
    return str(v)


def build_report(r: dict) -> tuple:
    m = r["metrics"]
    rows = []  # (measure, fastboto, baseline name, baseline, ratio text)

    def row(name, fkey, bname, bkey, unit, lower=False):
        f, b = m.get(fkey), m.get(bkey)
        ratio = ratio_lower(f, b) if lower else ratio_higher(f, b)
        rows.append((name, fmt_num(f, unit), bname, fmt_num(b, unit), fmt_ratio(ratio, lower)))

    rows.append(("wire limit (wrk -t1 -c1, 1 connection)", "", "nginx",
                 fmt_num(m.get("wire_limit"), "calls/s"), ""))
    row("import", "import_fastboto", "boto3", "import_boto3", "ms", lower=True)
    row("first client", "first_client_fastboto", "boto3", "first_client_boto3", "ms", lower=True)
    row("second client", "second_client_fastboto", "boto3", "second_client_boto3", "ms",
        lower=True)
    row("serial put_bucket_policy, 1 client", "serial_fastboto", "boto3", "serial_boto3",
        "calls/s")
    rows.append(("serial vs the wire limit", fmt_num(m.get("serial_fastboto"), "calls/s"),
                 "wrk", fmt_num(m.get("wire_limit"), "calls/s"),
                 fmt_ratio(ratio_higher(m.get("serial_fastboto"), m.get("wire_limit")), False)))
    row(f"{r['threads']} threads, 1 shared client", "threads_fastboto", "boto3", "threads_boto3",
        "calls/s")
    row(f"async, {r['inflight']} in flight", "async_fastboto", "aiobotocore",
        "async_aiobotocore", "calls/s")
    rows.append(("async vs boto3 serial", fmt_num(m.get("async_fastboto"), "calls/s"), "boto3",
                 fmt_num(m.get("serial_boto3"), "calls/s"),
                 fmt_ratio(ratio_higher(m.get("async_fastboto"), m.get("serial_boto3")), False)))
    row(f"peak RSS per client ({r['clients']:,} clients)", "mem_fastboto", "boto3", "mem_boto3",
        "KiB", lower=True)
    row("Python heap peak per serial call (tracemalloc)", "alloc_fastboto", "boto3",
        "alloc_boto3", "B", lower=True)
    row("client CPU per call, serial", "cpu_serial_fastboto", "boto3", "cpu_serial_boto3", "µs",
        lower=True)
    row(f"client CPU per call, {r['threads']} threads", "cpu_threads_fastboto", "boto3",
        "cpu_threads_boto3", "µs", lower=True)
    row("client CPU per call, async", "cpu_async_fastboto", "aiobotocore",
        "cpu_async_aiobotocore", "µs", lower=True)

    ratios = {
        "serial_x_boto3": ratio_higher(m.get("serial_fastboto"), m.get("serial_boto3")),
        "serial_x_wire": ratio_higher(m.get("serial_fastboto"), m.get("wire_limit")),
        "threads_x_boto3": ratio_higher(m.get("threads_fastboto"), m.get("threads_boto3")),
        "async_x_aiobotocore": ratio_higher(m.get("async_fastboto"), m.get("async_aiobotocore")),
        "import_x_boto3": ratio_lower(m.get("import_fastboto"), m.get("import_boto3")),
        "first_client_x_boto3": ratio_lower(m.get("first_client_fastboto"),
                                            m.get("first_client_boto3")),
        "mem_x_boto3": ratio_lower(m.get("mem_fastboto"), m.get("mem_boto3")),
    }
    targets = []
    for key, text, limit in TARGETS:
        value = ratios[key]
        lower = key in ("import_x_boto3", "first_client_x_boto3", "mem_x_boto3")
        status = "n/a" if value is None else ("PASS" if value >= limit else "FAIL")
        targets.append((text, fmt_ratio(value, lower), status))
    return rows, targets


def md_table(header: list, rows: list) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(out)


def text_table(header: list, rows: list) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    def line(cells):
        return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths))
    return "\n".join([line(header), line("-" * w for w in widths), *(line(r) for r in rows)])


def throughput_detail(r: dict) -> list:
    rows = []
    wire = r["detail"].get("wire_limit")
    if wire:
        rows.append(("wire limit, wrk -t1 -c1", ", ".join(f"{x:,.0f}" for x in wire["runs"]), ""))
    for kind, libs in (("serial", ("fastboto", "boto3")), ("threads", ("fastboto", "boto3")),
                       ("async", ("fastboto", "aiobotocore"))):
        for lib in libs:
            d = r["detail"].get(f"{kind}_{lib}")
            if not d:
                continue
            w = sorted(d.get("window_rates") or [])
            spread = (f"{w[0]:,.0f} / {statistics.median(w):,.0f} / {w[-1]:,.0f}" if w else "")
            rates = ", ".join(f"{x:,.0f}" for x in d.get("round_rates", []))
            rows.append((f"{kind}, {lib}", rates, spread))
    return rows


def write_results_md(r: dict, rows: list, targets: list) -> None:
    v, mach, fb = r["versions"], r["machine"], r["fastboto_build"]
    lines = [
        "# fastboto benchmark results",
        "",
        f"Written by `python bench/run.py{r['argv']}` on {r['date']}. fastboto calls",
        "`put_bucket_policy` against nginx answering `204` on loopback (1 worker,",
        "keep-alive), client and server sharing the machine's cores. Every figure comes",
        f"from fresh processes: start-up figures are medians of {r['startup_runs']} runs;",
        f"each throughput figure is the best of {r['rounds']} interleaved runs of "
        f"{r['duration_s']:g} s after a",
        f"{r['warmup_s']:g} s warm-up (and the wire limit the best of its runs).",
        "",
        "## Machine",
        "",
        f"- `nproc`: {mach['nproc']}; CPU: {mach['cpu']}",
        f"- `uname -r`: {mach['kernel']}",
        f"- load average (1, 5, 15 min) at start: {r['loadavg_at_start']}; at end: "
        f"{mach['loadavg_at_end']} (other work on the machine skews every figure)",
        f"- Python {v.get('python', '?')}; {mach['rustc']}",
        f"- fastboto {v.get('fastboto', '?')} (`{fb['path']}`, "
        f"{fb['size_bytes'] / 1e6:.1f} MB"
        + (", **looks like a debug build**" if fb["looks_like_debug_build"] else "")
        + (", release wheel built by `--build`" if r["built"] else "")
        + f"); boto3 {v.get('boto3', '?')} / botocore {v.get('botocore', '?')}; "
        f"aiobotocore {v.get('aiobotocore', 'n/a')} / botocore "
        f"{v.get('aiobotocore_botocore', 'n/a')} / aiohttp {v.get('aiohttp', 'n/a')}",
        f"- {mach['nginx']}; {mach['wrk']}",
        "",
        "## Results",
        "",
        md_table(["measure", "fastboto", "baseline", "baseline figure", "ratio"], rows),
        "",
        "Rates (higher is better): the ratio is fastboto ÷ baseline. Times and sizes",
        "(lower is better): 1/N, where N = baseline ÷ fastboto. \"Client CPU per call\" is the",
        "benchmark process's user+system CPU time divided by the calls it made (it",
        "includes the tokio threads; nginx is not counted). The Python heap figure is",
        "tracemalloc's peak during one call; memory the Rust core takes from the system",
        "allocator is not in it.",
        "",
        "## Targets",
        "",
        md_table(["target", "measured", "result"], targets),
        "",
        "## Throughput runs",
        "",
        md_table(["run", "calls/s per run", "0.5 s windows of the best run: min / median / max"],
                 throughput_detail(r)),
        "",
        "![benchmark chart](../docs/bench.png)",
        "",
    ]
    if r["warnings"]:
        lines += ["## Warnings", ""] + [f"- {e}" for e in r["warnings"]] + [""]
    if r["errors"]:
        lines += ["## Errors", ""] + [f"- {e}" for e in r["errors"]] + [""]
    RESULTS_MD.write_text("\n".join(lines))


# --------------------------------------------------------------------------
# main


def parse_args(argv: list) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--build", action="store_true",
                   help="build a release wheel with maturin and install it first")
    p.add_argument("--duration", type=float, default=2.5,
                   help="seconds measured per throughput run (default 2.5, at least 2)")
    p.add_argument("--warmup", type=float, default=0.5, help="warm-up seconds (default 0.5)")
    p.add_argument("--rounds", type=int, default=2,
                   help="interleaved rounds per throughput figure; the best counts (default 2)")
    p.add_argument("--wrk-seconds", type=int, default=5, help="wrk duration (default 5)")
    p.add_argument("--startup-runs", type=int, default=7,
                   help="fresh processes per start-up figure (default 7, at least 5)")
    p.add_argument("--clients", type=int, default=1000, help="clients for the RSS figure")
    p.add_argument("--threads", type=int, default=8)
    p.add_argument("--inflight", type=int, default=64)
    p.add_argument("--venv", type=Path, default=DEFAULT_VENV,
                   help="virtualenv for aiobotocore and matplotlib")
    p.add_argument("--recreate-venv", action="store_true")
    p.add_argument("--no-install", action="store_true",
                   help="never apt-get install nginx/wrk; fail if missing")
    p.add_argument("--quick", action="store_true",
                   help="smoke test: short runs, fewer processes (figures not meaningful)")
    a = p.parse_args(argv)
    if a.quick:
        a.duration, a.warmup, a.wrk_seconds, a.startup_runs, a.clients = 0.5, 0.2, 1, 2, 100
        a.rounds = 1
    else:
        a.duration = max(a.duration, 2.0)
        a.startup_runs = max(a.startup_runs, 5)
        a.rounds = max(a.rounds, 1)
    return a


def _on_signal(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGHUP, _on_signal)
    started = time.monotonic()
    loadavg_start = " ".join(f"{x:.2f}" for x in os.getloadavg())

    ensure_tools(install=not args.no_install)
    if args.build:
        build_release()
    fb_build = fastboto_build_info()
    if fb_build["looks_like_debug_build"]:
        log("!! the installed fastboto looks like a debug build: figures will be meaningless."
            " Use --build for a release build.")
    venv_py = ensure_venv(args.venv, args.recreate_venv, None)

    errors: list = []
    warnings: list = []
    metrics: dict = {}
    detail: dict = {}
    versions: dict = {}
    workdir = Path(tempfile.mkdtemp(prefix="fastboto-bench-"))
    nginx = Nginx(workdir)

    def step(name: str, fn):
        log(f"== {name}")
        t = time.monotonic()
        try:
            value = fn()
        except BenchError as exc:
            errors.append(f"{name}: {exc}")
            log(f"!! {name} failed: {exc}")
            return None
        except subprocess.TimeoutExpired as exc:
            errors.append(f"{name}: timed out after {exc.timeout:.0f} s")
            log(f"!! {name} timed out")
            return None
        log(f"   ({time.monotonic() - t:.1f} s)")
        return value

    try:
        nginx.start()
        log(f"== nginx on {nginx.url}")
        runner = Runner(workdir, nginx.url, warnings)
        tp = {"warmup_s": args.warmup, "duration_s": args.duration}
        tmo = args.warmup + args.duration + 90

        wire_runs: list = []

        def wire_limit(rnd: int) -> None:
            # Before and after the serial runs, best counts (as for the calls):
            # wrk's rate is bimodal on 2 cores (client and server each on an
            # idle core, or sharing one with other work).
            w = step(f"wire limit: wrk -t1 -c1 -d{args.wrk_seconds}s "
                     f"(run {rnd}/{1 if args.quick else 2})",
                     lambda: measure_wire(nginx.url, args.wrk_seconds, warnings))
            if w is not None:
                wire_runs.append(round(w, 1))
                metrics["wire_limit"] = max(wire_runs)
                detail["wire_limit"] = {"runs": wire_runs}

        wire_limit(1)

        st = step("import and first client (fresh processes)",
                  lambda: measure_startup(runner, args.startup_runs))
        if st:
            detail["startup"] = st
            for lib in ("fastboto", "boto3"):
                metrics[f"import_{lib}"] = st[lib]["import_s"]
                metrics[f"first_client_{lib}"] = st[lib]["first_client_s"]
                metrics[f"second_client_{lib}"] = st[lib]["second_client_s"]
                versions.update(st[lib]["versions"])

        def throughput(kind: str, title: str, libs: list, **kw) -> None:
            """Rounds of each lib in turn (interleaved, so a burst of other work
            on the machine is less likely to hit one side only); the best round
            counts, as interference only ever slows a run down."""
            runs: dict = {lib: [] for lib, _ in libs}
            for rnd in range(args.rounds):
                for lib, py in libs:
                    extra = dict(kw)
                    if kind == "serial" and rnd == 0:
                        extra.update(alloc_calls=1000, alloc_s=1.5)
                    res = step(f"{title}, {lib} (round {rnd + 1}/{args.rounds})",
                               lambda lib=lib, py=py, extra=extra: runner.run(
                                   kind, lib, python=py, timeout=tmo + 30, **extra, **tp))
                    if res:
                        runs[lib].append(res)
            for lib, results_ in runs.items():
                if not results_:
                    continue
                best = max(results_, key=lambda x: x["calls_per_s"])
                detail[f"{kind}_{lib}"] = {
                    **best,
                    "versions": _merged_versions(results_),
                    "round_rates": [round(x["calls_per_s"], 1) for x in results_],
                }
                metrics[f"{kind}_{lib}"] = best["calls_per_s"]
                metrics[f"cpu_{kind}_{lib}"] = best["cpu_us_per_call"]
                for x in results_:
                    if x.get("alloc_peak_bytes_per_call") is not None:
                        metrics[f"alloc_{lib}"] = x["alloc_peak_bytes_per_call"]
                        detail[f"{kind}_{lib}"].update(
                            {k: v for k, v in x.items() if k.startswith("alloc_")})
                if lib == "aiobotocore":
                    versions["aiobotocore"] = best["versions"].get("aiobotocore")
                    versions["aiobotocore_botocore"] = best["versions"].get("botocore")
                    versions["aiohttp"] = best["versions"].get("aiohttp")

        sync_libs = [("fastboto", sys.executable), ("boto3", sys.executable)]
        throughput("serial", "serial", sync_libs)
        if not args.quick:
            wire_limit(2)
        throughput("threads", f"{args.threads} threads on one client", sync_libs,
                   threads=args.threads, pool=max(args.threads * 2, 10))
        async_libs = [("fastboto", sys.executable)]
        if venv_py is not None:
            async_libs.append(("aiobotocore", str(venv_py)))
        else:
            errors.append("aiobotocore: no virtualenv, not measured")
        throughput("async", f"async, {args.inflight} in flight", async_libs,
                   inflight=args.inflight, pool=args.inflight)

        for lib in ("fastboto", "boto3"):
            res = step(f"peak RSS, {args.clients:,} {lib} clients", lambda lib=lib: runner.run(
                "memory", lib, timeout=150, clients=args.clients, max_s=60.0))
            if res:
                detail[f"memory_{lib}"] = res
                metrics[f"mem_{lib}"] = res["kib_per_client"]
                if not res["complete"]:
                    errors.append(f"memory/{lib}: only {res['clients']} clients in 60 s")
    except KeyboardInterrupt:
        log("!! interrupted: stopping nginx")
        nginx.stop()
        shutil.rmtree(workdir, ignore_errors=True)
        return 130
    finally:
        nginx.stop()
    shutil.rmtree(workdir, ignore_errors=True)

    try:
        fb_after = fastboto_build_info()
    except BenchError as exc:
        fb_after = {"error": str(exc)}
    start_core = {"path": fb_build["path"], "size": fb_build["size_bytes"],
                  "mtime": fb_build["mtime"]}
    mixed = sorted(
        name for name, d in _fastboto_results(detail)
        if d.get("versions", {}).get("core_file") not in (None, start_core)
    )
    if mixed or {k: fb_after.get(k) for k in ("path", "size_bytes", "mtime")} != {
            k: fb_build.get(k) for k in ("path", "size_bytes", "mtime")}:
        errors.append(
            "fastboto was reinstalled while the benchmark ran (by something else?): "
            + (f"these figures came from another build: {', '.join(mixed)}; " if mixed else "")
            + f"after the run the extension is {fb_after.get('size_bytes', '?')} bytes"
            + (" (a debug build)" if fb_after.get("looks_like_debug_build") else ""))
    if fb_build["looks_like_debug_build"]:
        errors.append("the fastboto measured looks like a debug build (rerun with --build)")
    versions.setdefault("fastboto", fb_build["version"])
    versions.setdefault("python", platform.python_version())
    results = {
        "date": _dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "argv": "".join(f" {a}" for a in argv),
        "machine": machine_facts(),
        "loadavg_at_start": loadavg_start,
        "versions": versions,
        "fastboto_build": fb_build,
        "built": args.build,
        "duration_s": args.duration,
        "rounds": args.rounds,
        "warmup_s": args.warmup,
        "startup_runs": args.startup_runs,
        "threads": args.threads,
        "inflight": args.inflight,
        "clients": args.clients,
        "metrics": metrics,
        "detail": detail,
        "errors": errors,
        "warnings": warnings,
    }
    rows, targets = build_report(results)
    results["targets"] = [
        {"key": key, "target": t, "measured": m, "result": st, "limit": limit}
        for (key, _, limit), (t, m, st) in zip(TARGETS, targets)
    ]
    RESULTS_JSON.write_text(json.dumps(results, indent=2) + "\n")
    write_results_md(results, rows, targets)

    print()
    print(text_table(["measure", "fastboto", "baseline", "baseline figure", "ratio"], rows))
    print()
    print(text_table(["target", "measured", "result"], targets))
    if warnings:
        print("\nwarnings:\n  " + "\n  ".join(warnings))
    if errors:
        print("\nerrors:\n  " + "\n  ".join(errors))

    if venv_py is not None:
        CHART.parent.mkdir(exist_ok=True)
        p = subprocess.run([str(venv_py), str(BENCH / "chart.py"), str(RESULTS_JSON),
                            str(CHART)], capture_output=True, text=True, timeout=120,
                           env={**os.environ, "MPLBACKEND": "Agg"})
        if p.returncode != 0:
            log(f"!! chart failed:\n{p.stderr[-2000:]}")
        else:
            print(f"\nchart: {CHART.relative_to(ROOT)}")
    print(f"results: {RESULTS_MD.relative_to(ROOT)}, {RESULTS_JSON.relative_to(ROOT)} "
          f"({time.monotonic() - started:.0f} s)")
    return 1 if errors else 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except BenchError as exc:
        log(f"error: {exc}")
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
