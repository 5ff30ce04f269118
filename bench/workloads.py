"""Child-process workloads for bench/run.py (one measurement per process).

Usage (run.py does this; it is not meant to be run by hand):

    python bench/workloads.py KIND LIB '{"url": "http://127.0.0.1:PORT", ...}'

KIND is one of startup, serial, threads, async, memory; LIB is fastboto, boto3
or aiobotocore. The last line printed on stdout is one JSON object with the
results. Only the standard library is imported at module level, so the same
file runs in the aiobotocore virtualenv (which has no fastboto or boto3).

Every loop is bounded by time *and* by count.
"""

from __future__ import annotations

import json
import sys
import time

perf_counter = time.perf_counter
process_time = time.process_time

REGION = "us-east-1"
ACCESS_KEY = "AKIDBENCHEXAMPLE0000"
SECRET_KEY = "benchSecretKey/bench+bench/benchSecretKey00"
BUCKET = "bench-bucket"
POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AllowRead",
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                "Action": ["s3:GetObject", "s3:ListBucket"],
                "Resource": [
                    "arn:aws:s3:::bench-bucket",
                    "arn:aws:s3:::bench-bucket/*",
                ],
            },
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": "arn:aws:s3:::bench-bucket/*",
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            },
        ],
    },
    separators=(",", ":"),
)

# Hard caps on counts, on top of the time bounds.
MAX_CALLS = 5_000_000
MAX_CLIENTS = 100_000


def client_kwargs(url: str) -> dict:
    return {
        "region_name": REGION,
        "endpoint_url": url,
        "aws_access_key_id": ACCESS_KEY,
        "aws_secret_access_key": SECRET_KEY,
    }


def make_config(lib: str, pool: int | None):
    if pool is None:
        return None
    if lib == "fastboto":
        import fastboto

        return fastboto.Config(max_pool_connections=pool)
    if lib == "boto3":
        from botocore.config import Config

        return Config(max_pool_connections=pool)
    raise ValueError(lib)


def make_sync_client(lib: str, url: str, pool: int | None = None):
    if lib == "fastboto":
        import fastboto as mod
    elif lib == "boto3":
        import boto3 as mod
    else:
        raise ValueError(f"no sync client for {lib}")
    config = make_config(lib, pool)
    kwargs = client_kwargs(url)
    if config is not None:
        kwargs["config"] = config
    return mod.client("s3", **kwargs)


def check_response(resp) -> None:
    status = resp["ResponseMetadata"]["HTTPStatusCode"]
    if status != 204:
        raise RuntimeError(f"unexpected HTTP status {status}: {resp!r}")


def versions(lib: str) -> dict:
    out = {"python": sys.version.split()[0]}
    if lib == "fastboto":
        # fastboto imports botocore only for exceptions; a benchmark that
        # made no failing call should not have loaded it.
        out["botocore_loaded"] = "botocore" in sys.modules
        core = sys.modules.get("fastboto._core")
        if core is not None:
            import os

            st = os.stat(core.__file__)
            # run.py checks every measurement ran the build it started with.
            out["core_file"] = {"path": core.__file__, "size": st.st_size, "mtime": st.st_mtime}
    for name in ("fastboto", "boto3", "botocore", "aiobotocore", "aiohttp"):
        mod = sys.modules.get(name)
        if mod is not None:
            out[name] = getattr(mod, "__version__", "?")
    return out


WINDOW_S = 0.5  # throughput is also sampled in windows, to show the spread


def window_rates(marks: list) -> list:
    """Rates between consecutive (time, calls) marks."""
    return [
        round((n1 - n0) / (t1 - t0), 1)
        for (t0, n0), (t1, n1) in zip(marks, marks[1:])
        if t1 > t0
    ]


# --------------------------------------------------------------------------
# startup: import time and first-client creation, measured in this process


def startup(lib: str, args: dict) -> dict:
    t0 = perf_counter()
    if lib == "fastboto":
        import fastboto as mod
    elif lib == "boto3":
        import boto3 as mod
    else:
        raise ValueError(lib)
    t1 = perf_counter()
    client = mod.client("s3", **client_kwargs(args["url"]))
    t2 = perf_counter()
    # A second client shows the steady-state creation cost (caches warm).
    mod.client("s3", **client_kwargs(args["url"]))
    t3 = perf_counter()
    del client
    return {
        "import_s": t1 - t0,
        "first_client_s": t2 - t1,
        "second_client_s": t3 - t2,
        "versions": versions(lib),
    }


# --------------------------------------------------------------------------
# serial: one client, one thread


def serial(lib: str, args: dict) -> dict:
    s3 = make_sync_client(lib, args["url"])
    check_response(s3.put_bucket_policy(Bucket=BUCKET, Policy=POLICY))
    call = s3.put_bucket_policy

    deadline = perf_counter() + args["warmup_s"]
    n = 0
    while n < MAX_CALLS and perf_counter() < deadline:
        call(Bucket=BUCKET, Policy=POLICY)
        n += 1

    n = 0
    c0 = process_time()
    t0 = perf_counter()
    deadline = t0 + args["duration_s"]
    marks = [(t0, 0)]
    next_mark = t0 + WINDOW_S
    while n < MAX_CALLS:
        call(Bucket=BUCKET, Policy=POLICY)
        n += 1
        now = perf_counter()
        if now >= next_mark:
            marks.append((now, n))
            next_mark += WINDOW_S
        if now >= deadline:
            break
    t1 = perf_counter()
    c1 = process_time()
    out = {
        "calls": n,
        "elapsed_s": t1 - t0,
        "calls_per_s": n / (t1 - t0),
        "window_rates": window_rates(marks),
        "cpu_us_per_call": (c1 - c0) / n * 1e6,
        "versions": versions(lib),
    }
    if args.get("alloc_calls"):
        out.update(python_alloc(call, args["alloc_calls"], args["alloc_s"]))
    return out


def python_alloc(call, max_calls: int, max_s: float) -> dict:
    """Python-heap bytes per call, with tracemalloc: the peak above the
    starting point during one call (median over calls), and what stays
    allocated after all of them (per call; ~0 unless something leaks).
    Allocations made by Rust outside the Python allocator are not seen."""
    import gc
    import tracemalloc

    gc.collect()
    tracemalloc.start()
    try:
        start_current, _ = tracemalloc.get_traced_memory()
        peaks = []
        deadline = perf_counter() + max_s
        while len(peaks) < max_calls and perf_counter() < deadline:
            tracemalloc.reset_peak()
            before, _ = tracemalloc.get_traced_memory()
            call(Bucket=BUCKET, Policy=POLICY)
            _, peak = tracemalloc.get_traced_memory()
            peaks.append(peak - before)
        gc.collect()
        end_current, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    peaks.sort()
    return {
        "alloc_calls": len(peaks),
        "alloc_peak_bytes_per_call": peaks[len(peaks) // 2] if peaks else None,
        "alloc_retained_bytes_per_call": (end_current - start_current) / max(len(peaks), 1),
    }


# --------------------------------------------------------------------------
# threads: N threads sharing one client


def threads(lib: str, args: dict) -> dict:
    import threading

    nthreads = args["threads"]
    s3 = make_sync_client(lib, args["url"], pool=args["pool"])
    check_response(s3.put_bucket_policy(Bucket=BUCKET, Policy=POLICY))
    call = s3.put_bucket_policy

    counts = [0] * nthreads
    errors: list = []
    stop = threading.Event()
    hard_deadline = perf_counter() + args["warmup_s"] + args["duration_s"] + 30
    start = threading.Barrier(nthreads + 1)

    def worker(i: int) -> None:
        try:
            start.wait(timeout=30)
            n = 0
            while not stop.is_set() and n < MAX_CALLS:
                call(Bucket=BUCKET, Policy=POLICY)
                n += 1
                counts[i] = n
                if perf_counter() > hard_deadline:
                    break
        except BaseException as exc:  # noqa: BLE001 - reported to the parent
            errors.append(repr(exc))
            stop.set()

    pool = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(nthreads)]
    for t in pool:
        t.start()
    start.wait(timeout=30)
    time.sleep(args["warmup_s"])
    n0, t0, c0 = sum(counts), perf_counter(), process_time()
    marks = [(t0, n0)]
    end = t0 + args["duration_s"]
    while not stop.is_set() and (left := end - perf_counter()) > 0:
        time.sleep(min(WINDOW_S, left))
        marks.append((perf_counter(), sum(counts)))
    n1, t1, c1 = sum(counts), perf_counter(), process_time()
    stop.set()
    for t in pool:
        t.join(timeout=30)
    if errors:
        raise RuntimeError(f"{len(errors)} worker(s) failed, first: {errors[0]}")
    n = n1 - n0
    return {
        "threads": nthreads,
        "calls": n,
        "elapsed_s": t1 - t0,
        "calls_per_s": n / (t1 - t0),
        "window_rates": window_rates(marks),
        "cpu_us_per_call": (c1 - c0) / max(n, 1) * 1e6,
        "versions": versions(lib),
    }


# --------------------------------------------------------------------------
# async: N worker tasks on one client, so N calls in flight


def run_async(lib: str, args: dict) -> dict:
    import asyncio

    return asyncio.run(_async_main(lib, args))


def _async_client(lib: str, url: str, pool: int):
    if lib == "fastboto":
        import fastboto
        import fastboto.aio

        return fastboto.aio.client(
            "s3", config=fastboto.Config(max_pool_connections=pool), **client_kwargs(url)
        )
    if lib == "aiobotocore":
        from aiobotocore.config import AioConfig
        from aiobotocore.session import get_session

        return get_session().create_client(
            "s3", config=AioConfig(max_pool_connections=pool), **client_kwargs(url)
        )
    raise ValueError(f"no async client for {lib}")


async def _async_main(lib: str, args: dict) -> dict:
    import asyncio

    inflight = args["inflight"]
    counts = [0] * inflight
    stop = False
    hard_deadline = perf_counter() + args["warmup_s"] + args["duration_s"] + 30

    async with _async_client(lib, args["url"], args["pool"]) as s3:
        check_response(await s3.put_bucket_policy(Bucket=BUCKET, Policy=POLICY))

        async def worker(i: int) -> None:
            n = 0
            while not stop and n < MAX_CALLS and perf_counter() < hard_deadline:
                await s3.put_bucket_policy(Bucket=BUCKET, Policy=POLICY)
                n += 1
                counts[i] = n

        tasks = [asyncio.ensure_future(worker(i)) for i in range(inflight)]
        try:
            await asyncio.sleep(args["warmup_s"])
            n0, t0, c0 = sum(counts), perf_counter(), process_time()
            marks = [(t0, n0)]
            end = t0 + args["duration_s"]
            while not any(t.done() for t in tasks) and (left := end - perf_counter()) > 0:
                await asyncio.sleep(min(WINDOW_S, left))
                marks.append((perf_counter(), sum(counts)))
            n1, t1, c1 = sum(counts), perf_counter(), process_time()
        finally:
            stop = True
        # Raises the first worker error, if any.
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=30)
    n = n1 - n0
    return {
        "inflight": inflight,
        "calls": n,
        "elapsed_s": t1 - t0,
        "calls_per_s": n / (t1 - t0),
        "window_rates": window_rates(marks),
        "cpu_us_per_call": (c1 - c0) / max(n, 1) * 1e6,
        "versions": versions(lib),
    }


# --------------------------------------------------------------------------
# memory: peak RSS growth for many clients kept alive


def _current_rss_kib() -> int | None:
    try:
        with open("/proc/self/statm") as f:
            pages = int(f.read().split()[1])
    except OSError:
        return None
    import os

    return pages * os.sysconf("SC_PAGE_SIZE") // 1024


def _reset_peak_rss() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def memory(lib: str, args: dict) -> dict:
    import gc
    import resource

    def ru_maxrss_kib() -> int:
        # Linux reports KiB (macOS bytes; this suite targets Linux).
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    def maxrss_kib() -> int:
        # The peak RSS of this process. ru_maxrss also counts the peak of
        # the parent image this process was forked from before its exec
        # (the kernel keeps it in signal->maxrss), which can hide growth
        # below the parent's size; /proc's VmHWM is the same high-water
        # mark for this process's own memory only.
        try:
            with open("/proc/self/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1])
        except (OSError, ValueError):
            pass
        return ru_maxrss_kib()

    first = make_sync_client(lib, args["url"])
    gc.collect()
    # Start the peak afresh at the current RSS (Linux >= 4.0), so transient
    # peaks of the import and the first client don't hide the clients' growth.
    peak_reset = _reset_peak_rss()
    base_peak, base_rss, base_ru = maxrss_kib(), _current_rss_kib(), ru_maxrss_kib()
    clients = [first]
    target = min(args["clients"], MAX_CLIENTS)
    t0 = perf_counter()
    deadline = t0 + args["max_s"]
    while len(clients) - 1 < target and perf_counter() < deadline:
        clients.append(make_sync_client(lib, args["url"]))
    elapsed = perf_counter() - t0
    made = len(clients) - 1
    gc.collect()
    peak, rss, ru = maxrss_kib(), _current_rss_kib(), ru_maxrss_kib()
    return {
        "clients": made,
        "complete": made == target,
        "create_s": elapsed,
        "peak_reset": peak_reset,
        "baseline_maxrss_kib": base_peak,
        "maxrss_kib": peak,
        "kib_per_client": (peak - base_peak) / max(made, 1),
        "baseline_ru_maxrss_kib": base_ru,
        "ru_maxrss_kib": ru,
        "ru_maxrss_kib_per_client": (ru - base_ru) / max(made, 1),
        "rss_kib_per_client": (
            (rss - base_rss) / max(made, 1) if rss is not None and base_rss is not None else None
        ),
        "versions": versions(lib),
    }


KINDS = {
    "startup": startup,
    "serial": serial,
    "threads": threads,
    "async": run_async,
    "memory": memory,
}


def main() -> None:
    kind, lib, raw = sys.argv[1], sys.argv[2], sys.argv[3]
    result = KINDS[kind](lib, json.loads(raw))
    sys.stdout.write("\n" + json.dumps(result) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
