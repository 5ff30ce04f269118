"""One client, many threads; fork; Ctrl-C; close().

* 16 threads x 100 calls on one client: every call lands exactly once and
  returns its 204 (the server saw each of the 1600 distinct paths once).
* Calls release the GIL: Python code keeps running while a call waits.
* A client used before os.fork() works in the child (and still in the
  parent), also when other threads of the parent are in the middle of calls
  at the moment of the fork.
* Ctrl-C (SIGINT) interrupts a call waiting on the network (an unanswered
  request, a connect that hangs, a retry backoff) within ~2 s: the process
  gets KeyboardInterrupt, has no extra threads left, can keep using the
  client and exits cleanly.
* close() and ``with`` release the client's connections (the server sees
  them closed), as botocore's close() does; the client still works after.
"""

from __future__ import annotations

import collections
import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from support.fault_server import FaultServer, FullBacklogPort, hang, no_content_204, slowdown_503
from support.ours import fastboto_client
from support.reference import botocore_client


@pytest.fixture
def server():
    with FaultServer(default=no_content_204(), max_connections=256) as srv:
        yield srv
    assert not srv.errors, srv.errors


def _client(url, **config):
    config.setdefault("retries", {"max_attempts": 0})
    config.setdefault("connect_timeout", 2)
    config.setdefault("read_timeout", 5)
    return fastboto_client(region_name="us-east-1", endpoint_url=url, config=config)


# ---------------------------------------------------------------------------
# threads
# ---------------------------------------------------------------------------
def test_16_threads_x_100_calls_on_one_client_each_lands_once(server):
    threads_n, calls_n = 16, 100
    client = _client(server.url, max_pool_connections=32)
    statuses = collections.Counter()
    errors = []
    lock = threading.Lock()
    start = threading.Barrier(threads_n)

    def worker(t: int) -> None:
        try:
            start.wait(timeout=10)
            for i in range(calls_n):
                r = client.delete_bucket_policy(Bucket=f"b-{t}-{i}")
                with lock:
                    statuses[(r["ResponseMetadata"]["HTTPStatusCode"], r["ResponseMetadata"]["RetryAttempts"])] += 1
        except BaseException as e:  # noqa: BLE001
            with lock:
                errors.append(repr(e))

    workers = [threading.Thread(target=worker, args=(t,), daemon=True) for t in range(threads_n)]
    t0 = time.monotonic()
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=60 - (time.monotonic() - t0))
    client.close()
    assert not any(w.is_alive() for w in workers), "calls still running after 60 s"
    assert not errors, errors[:5]
    assert statuses == {(204, 0): threads_n * calls_n}, statuses
    paths = collections.Counter(r.path for r in server.requests)
    expected = {f"/b-{t}-{i}" for t in range(threads_n) for i in range(calls_n)}
    assert server.count == threads_n * calls_n, f"server saw {server.count} requests"
    assert set(paths) == expected and set(paths.values()) == {1}, (
        f"not every call landed exactly once: {[p for p, n in paths.items() if n != 1][:5]} "
        f"missing {sorted(expected - set(paths))[:5]}"
    )


def test_calls_release_the_gil(server):
    """While one thread waits 1 s for an answer, another keeps executing
    Python: no gap between its steps comes near the wait (holding the GIL
    through the wait would leave one of about a second)."""
    server.set_default(no_content_204(head_delay=1.0))
    client = _client(server.url)
    done = threading.Event()
    started = []

    def call():
        try:
            started.append(time.monotonic())
            client.delete_bucket_policy(Bucket="slow")
        finally:
            done.set()

    t = threading.Thread(target=call, daemon=True)
    t.start()
    deadline = time.monotonic() + 10
    last = time.monotonic()
    longest_gap = 0.0
    while not done.is_set() and time.monotonic() < deadline:
        sum(range(200))
        now = time.monotonic()
        longest_gap = max(longest_gap, now - last)
        last = now
    finished = time.monotonic()
    t.join(timeout=5)
    client.close()
    assert done.is_set()
    assert finished - started[0] >= 0.9, "the call did not wait for the slow answer"
    assert longest_gap < 0.5, f"the main thread stood still for {longest_gap:.2f} s while a call waited"


# ---------------------------------------------------------------------------
# fork
# ---------------------------------------------------------------------------
def _wait_child(pid: int, timeout: float):
    """Exit code of a forked child, or None (killed) if it ran past timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got, status = os.waitpid(pid, os.WNOHANG)
        if got:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.02)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    return None


def _fork_and_call(client, bucket: str, timeout: float = 8.0):
    pid = os.fork()
    if pid == 0:  # child: no pytest machinery, just the call
        code = 1
        try:
            signal.alarm(int(timeout) - 2)  # a hung child dies instead of lingering
            r = client.delete_bucket_policy(Bucket=bucket)
            code = 0 if r["ResponseMetadata"]["HTTPStatusCode"] == 204 else 2
        except BaseException:  # noqa: BLE001
            code = 3
        finally:
            os._exit(code)
    return _wait_child(pid, timeout)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_client_used_before_fork_works_in_child_and_parent(server):
    client = _client(server.url)
    try:
        client.delete_bucket_policy(Bucket="parent-before")
        code = _fork_and_call(client, "child")
        assert code == 0, f"child exited with {code} (-14/None: hung and killed; 3: raised)"
        client.delete_bucket_policy(Bucket="parent-after")
    finally:
        client.close()
    assert [r.path for r in server.requests] == ["/parent-before", "/child", "/parent-after"]


FORKS = 40


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
@pytest.mark.parametrize("impl", ["botocore", "fastboto"])
def test_fork_while_other_threads_are_calling(server, impl):
    """os.fork() while worker threads (new ones keep starting, as in a thread
    pool that grows) are in the middle of calls on the same client: every
    child must be able to call -- no lock the parent's threads held at the
    moment of the fork may leave the child waiting forever. (botocore: the
    control.)"""
    config = {"retries": {"max_attempts": 0}, "connect_timeout": 2, "read_timeout": 5}
    make = botocore_client if impl == "botocore" else fastboto_client
    client = make(region_name="us-east-1", endpoint_url=server.url, config=config)
    client.delete_bucket_policy(Bucket="warm-up")
    stop = threading.Event()

    def churn():
        while not stop.is_set():
            t = threading.Thread(target=lambda: client.delete_bucket_policy(Bucket="bg"))
            t.start()
            t.join(timeout=10)

    workers = [threading.Thread(target=churn, daemon=True) for _ in range(6)]
    for w in workers:
        w.start()
    results = []
    try:
        time.sleep(0.05)
        for i in range(FORKS):
            code = _fork_and_call(client, f"child-{i}", timeout=5)
            results.append(code)
            if code != 0:
                break  # one hung child is enough evidence; don't spend 5 s on each
            time.sleep(0.02)
    finally:
        stop.set()
        for w in workers:
            w.join(timeout=10)
        client.close()
    assert results == [0] * FORKS, (
        f"child exit codes {results} (-14: hung -- deadlocked -- and killed by its alarm; None: killed by "
        f"the parent; 3: raised)"
    )


# ---------------------------------------------------------------------------
# Ctrl-C
# ---------------------------------------------------------------------------
_CTRL_C_CHILD = textwrap.dedent(
    """
    import signal, sys, threading, time
    import fastboto
    # As in an interactive interpreter, even when the test run itself was
    # started in the background (where SIGINT is inherited as ignored).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    url, mode = sys.argv[1], sys.argv[2]
    retries = {"mode": "legacy", "total_max_attempts": 10} if mode == "backoff" else {"max_attempts": 0}
    client = fastboto.client(
        "s3", region_name="us-east-1", endpoint_url=url,
        aws_access_key_id="AKIAFASTBOTOTESTFAKE", aws_secret_access_key="fake/Secret+Key=NotReal",
        config=fastboto.Config(connect_timeout=30, read_timeout=30, retries=retries),
    )
    baseline = threading.active_count()
    print("CALLING", flush=True)
    t0 = time.monotonic()
    try:
        client.get_bucket_policy(Bucket="bkt")
        print("RETURNED", flush=True)
        sys.exit(3)
    except KeyboardInterrupt:
        print("INTERRUPTED", round(time.monotonic() - t0, 2), flush=True)
    print("THREADS", baseline, threading.active_count(), flush=True)
    sys.stdout.flush()
    if mode != "connect":
        try:
            r = client.delete_bucket_policy(Bucket="after")
            print("AGAIN", r["ResponseMetadata"]["HTTPStatusCode"], flush=True)
        except Exception as e:
            print("AGAIN-FAILED", type(e).__name__, flush=True)
    client.close()
    sys.exit(0)
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("mode", ["read", "connect", "backoff"])
def test_ctrl_c_interrupts_a_waiting_call(server, mode):
    backlog = FullBacklogPort() if mode == "connect" else None
    try:
        if mode == "connect":
            if not backlog.connect_times_out():
                pytest.skip("cannot provoke a hanging connect on this kernel")
            url = backlog.url
        else:
            url = server.url
            server.set_default(hang(8) if mode == "read" else slowdown_503())
        proc = subprocess.Popen(
            [sys.executable, "-c", _CTRL_C_CHILD, url, mode],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        try:
            assert proc.stdout.readline().strip() == "CALLING"
            if mode == "read":
                assert server.wait_for(1, timeout=10) == 1
            elif mode == "backoff":
                assert server.wait_for(2, timeout=10) >= 2  # in a retry cycle now
            time.sleep(0.3)
            if mode == "read":
                server.set_default(no_content_204())  # for the call after the interrupt
            elif mode == "backoff":
                server.set_default(no_content_204())
            sent = time.monotonic()
            proc.send_signal(signal.SIGINT)
            out, err = proc.communicate(timeout=10)
            took = time.monotonic() - sent
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    finally:
        if backlog is not None:
            backlog.close()
    lines = out.split("\n")
    assert proc.returncode == 0, f"exit code {proc.returncode}; stdout {out!r}; stderr {err[-2000:]!r}"
    assert any(line.startswith("INTERRUPTED") for line in lines), out
    assert took < 2.5, f"the process needed {took:.2f}s to react to SIGINT and exit"
    threads = next(line for line in lines if line.startswith("THREADS")).split()
    assert threads[1] == threads[2], f"Python threads before/after the interrupted call: {threads[1:]}"
    if mode != "connect":
        assert "AGAIN 204" in out, f"the client does not work after the interrupt: {out!r} {err[-1000:]!r}"
    assert "Traceback" not in err, err[-2000:]


# ---------------------------------------------------------------------------
# close() / with
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("how", ["close", "with"])
@pytest.mark.parametrize("impl", ["botocore", "fastboto"])
def test_close_releases_connections(server, impl, how):
    make = botocore_client if impl == "botocore" else fastboto_client
    client = make(region_name="us-east-1", endpoint_url=server.url)
    if how == "with":
        if impl == "botocore":  # botocore's client is no context manager: closing() is what users write
            with contextlib.closing(client):
                for _ in range(3):
                    client.delete_bucket_policy(Bucket="b")
        else:
            with client as c:
                assert c is client
                for _ in range(3):
                    c.delete_bucket_policy(Bucket="b")
    else:
        for _ in range(3):
            client.delete_bucket_policy(Bucket="b")
        client.close()
    assert server.connections == 1, f"{impl} used {server.connections} connections for 3 sequential calls"
    closed = server.wait_until(lambda: server.open_connections == 0, timeout=2)
    assert closed, f"{impl}: {server.open_connections} connection(s) still open 2 s after {how}"
    # the client keeps working after close(), as botocore's does
    r = client.delete_bucket_policy(Bucket="after-close")
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 204
    client.close()


def test_threads_that_exit_leave_no_open_connections(server):
    """Each short-lived thread's connections go away with it (no growing pile of sockets)."""
    client = _client(server.url)
    for i in range(30):
        t = threading.Thread(target=lambda: client.delete_bucket_policy(Bucket="t"))
        t.start()
        t.join(timeout=10)
    assert server.count == 30
    settled = server.wait_until(lambda: server.open_connections <= 1, timeout=3)
    client.close()
    assert settled, f"{server.open_connections} connections still open after 30 finished threads"


@pytest.mark.parametrize("impl", ["botocore", "fastboto"])
def test_close_from_another_thread_releases_a_live_workers_connections(server, impl):
    """A worker thread (alive and idle, as in a thread pool) made the calls;
    the main thread closes the client: the worker's connection is released
    too, as botocore's close() does."""
    make = botocore_client if impl == "botocore" else fastboto_client
    client = make(region_name="us-east-1", endpoint_url=server.url)
    called = threading.Event()
    release = threading.Event()

    def worker():
        try:
            for _ in range(3):
                client.delete_bucket_policy(Bucket="b")
        finally:
            called.set()
        release.wait(timeout=10)  # stay alive (idle) while the main thread closes

    t = threading.Thread(target=worker, daemon=True)
    t.start()
    try:
        assert called.wait(timeout=10)
        assert server.open_connections == 1, "harness"
        client.close()
        closed = server.wait_until(lambda: server.open_connections == 0, timeout=2)
    finally:
        release.set()
        t.join(timeout=10)
    assert closed, f"{impl}: the worker's connection is still open 2 s after close() (the worker is alive and idle)"
