"""A real Ceph RADOS Gateway for the tests, on loopback.

    python3 tools/rgw.py install        # once per machine (root; ~1-3 min, ~700 MB)
    python3 tools/rgw.py run            # start one in the foreground (Ctrl-C stops it)

Debian 13's radosgw (18.2, Reef) has the SQLite `dbstore` backend and needs
no RADOS cluster; it needs a newer libc than the Debian 12 host, so it
lives in a `debootstrap --variant=minbase trixie` tree under
FASTBOTO_RGW_CACHE (default /var/cache/fastboto-rgw), installed once and
reused. `start()` (used by the tests' fixture) makes a fresh store and user
and runs radosgw in that tree with chroot.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple, Optional

CACHE = Path(os.environ.get("FASTBOTO_RGW_CACHE", "/var/cache/fastboto-rgw"))
ROOT = CACHE / "root"
MIRROR = os.environ.get("FASTBOTO_RGW_MIRROR", "http://deb.debian.org/debian")
ACCESS_KEY = "FASTBOTORGWACCESSKEY"
SECRET_KEY = "fastboto-rgw-secret-key-for-tests-only"


def installed() -> bool:
    return (ROOT / "usr" / "bin" / "radosgw").exists()


def install() -> None:
    """The trixie tree with radosgw (idempotent)."""
    if installed():
        return
    if os.geteuid() != 0:
        raise SystemExit("tools/rgw.py install needs root (debootstrap, chroot)")
    if shutil.which("debootstrap") is None:
        apt = ["apt-get", "install", "-y", "-q", "debootstrap"]
        if subprocess.run(apt, stdout=subprocess.DEVNULL).returncode != 0:
            subprocess.run(["apt-get", "update", "-q"], check=True, stdout=subprocess.DEVNULL)
            subprocess.run(apt, check=True, stdout=subprocess.DEVNULL)
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = CACHE / "root.partial"
    shutil.rmtree(partial, ignore_errors=True)
    subprocess.run(["debootstrap", "--variant=minbase", "--include=radosgw,ceph-common", "trixie",
                    str(partial), MIRROR], check=True, stdout=subprocess.DEVNULL)
    partial.rename(ROOT)


def _mount(source: str, target: Path, *options: str) -> None:
    mounts = Path("/proc/mounts").read_text()
    if f" {target} " not in mounts:
        subprocess.run(["mount", *options, source, str(target)], check=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gateway(NamedTuple):
    endpoint: str
    access_key: str
    secret_key: str
    process: subprocess.Popen
    workdir: Path

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.workdir, ignore_errors=True)


def start(log: Optional[Path] = None) -> Gateway:
    """A fresh gateway (new store, one user) on a free loopback port."""
    if not installed():
        raise RuntimeError("Ceph RGW is not installed: run `python3 tools/rgw.py install` as root")
    _mount("proc", ROOT / "proc", "-t", "proc")
    _mount("/dev", ROOT / "dev", "--bind")
    workdir = Path(tempfile.mkdtemp(prefix="rgw-", dir=ROOT / "tmp"))
    inside = "/" + str(workdir.relative_to(ROOT))
    port = _free_port()
    conf = workdir / "ceph.conf"
    conf.write_text(
        "[global]\n"
        "auth_cluster_required = none\nauth_service_required = none\nauth_client_required = none\n"
        f"run dir = {inside}\n"
        "[client.rgw]\n"
        "rgw backend store = dbstore\nrgw config store = dbstore\n"
        f"dbstore db dir = {inside}\n"
        f"rgw frontends = beast endpoint=127.0.0.1:{port}\n"
        "rgw thread pool size = 32\n"
        f"log file = {inside}/rgw.log\n"
    )
    common = ["-c", f"{inside}/ceph.conf", "-n", "client.rgw", "--no-mon-config"]
    user = ["user", "create", "--uid=fastboto", "--display-name=fastboto",
            f"--access-key={ACCESS_KEY}", f"--secret={SECRET_KEY}"]
    subprocess.run(["chroot", str(ROOT), "radosgw-admin", *common, *user],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    output = open(log, "ab") if log else subprocess.DEVNULL
    process = subprocess.Popen(["chroot", str(ROOT), "radosgw", "-f", *common],
                               stdout=output, stderr=output)
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            shutil.rmtree(workdir, ignore_errors=True)
            raise RuntimeError(f"radosgw exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("radosgw did not listen within 60 s") from None
            time.sleep(0.1)
    return Gateway(f"http://127.0.0.1:{port}", ACCESS_KEY, SECRET_KEY, process, workdir)


def main() -> int:
    command = sys.argv[1] if len(sys.argv) > 1 else "run"
    if command == "install":
        install()
        print(f"radosgw installed under {ROOT}")
        return 0
    if command == "run":
        gateway = start()
        print(f"endpoint {gateway.endpoint}, access key {gateway.access_key} "
              "(secret: tools/rgw.py SECRET_KEY)")
        try:
            gateway.process.wait()
        except KeyboardInterrupt:
            pass
        finally:
            gateway.stop()
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
