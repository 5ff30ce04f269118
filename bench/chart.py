"""Draws docs/bench.png from bench/results.json (run by bench/run.py).

Usage: python bench/chart.py RESULTS.json OUT.png

Needs matplotlib; run.py runs it with the benchmark virtualenv's python,
where it installs matplotlib next to aiobotocore.
"""

from __future__ import annotations

import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

FAST = "#d9480f"
BASE = "#5c7cfa"
WIRE = "#495057"


def _fmt(value: float, unit: str) -> str:
    if unit == "calls/s":
        return f"{value:,.0f}"
    if value >= 100:
        return f"{value:,.0f} {unit}"
    if value >= 10:
        return f"{value:.1f} {unit}"
    return f"{value:.2f} {unit}"


PASS_COLOR = "#2b8a3e"
FAIL_COLOR = "#c92a2a"


def _target_notes(targets: dict, keys: tuple) -> list:
    """(text, color) for each target key: its limit and PASS/FAIL."""
    notes = []
    for key in keys:
        t = targets.get(key)
        if not t:
            continue
        lower = t["target"].find("≤") >= 0
        limit = f"≤ 1/{t['limit']:g}" if lower else f"≥ {t['limit']:g}×"
        what = " wire" if key == "serial_x_wire" else ""
        text = f"{t['measured']}{what} (target {limit}: {t['result']})"
        color = {"PASS": PASS_COLOR, "FAIL": FAIL_COLOR}.get(t["result"], WIRE)
        notes.append((text, color))
    return notes


def _panel(ax, title: str, unit: str, rows: list, better: str, wire: float | None = None,
           targets: dict | None = None):
    """rows: (label, fastboto value or None, baseline name, baseline value or None,
    target keys)."""
    labels, ys = [], []
    y = 0.0
    values = []
    for label, fast, base_name, base, keys in rows:
        for name, value, color in (("fastboto", fast, FAST), (base_name, base, BASE)):
            if value is None:
                continue
            shown = max(value, 1e-3)
            values.append(shown)
            ax.barh(y, shown, color=color, height=0.8)
            ax.text(shown * 1.08, y, _fmt(value, unit), va="center", fontsize=8)
            labels.append(f"{label}\n{name}" if name == "fastboto" else name)
            ys.append(y)
            y += 1
        notes = _target_notes(targets or {}, keys)
        for i, (text, color) in enumerate(notes):
            ax.text(
                0.99, y - 1.5 + (i - (len(notes) - 1) / 2) * 0.45, text,
                transform=ax.get_yaxis_transform(), ha="right", va="center", fontsize=8,
                fontweight="bold", color=color,
            )
        y += 0.6
    if wire:
        ax.axvline(wire, color=WIRE, linestyle="--", linewidth=1)
        ax.text(wire, 0.01, f" wire limit (wrk, 1 conn.)\n {wire:,.0f}/s", fontsize=7,
                color=WIRE, va="bottom", transform=ax.get_xaxis_transform())
        values.append(wire)
    ax.set_xscale("log")
    if values:
        ax.set_xlim(min(values) / 3, max(values) * 300)
    ax.set_yticks(ys)
    ax.set_yticklabels(labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_title(title + ("  (higher is better)" if better == "higher" else "  (lower is better)"),
                 fontsize=10)
    ax.set_xlabel(unit + " (log scale)", fontsize=8)
    ax.grid(axis="x", which="major", alpha=0.3)


def main() -> None:
    results_path, out_path = sys.argv[1], sys.argv[2]
    with open(results_path) as f:
        r = json.load(f)
    m = r["metrics"]

    def get(key: str):
        return m.get(key)

    targets = {t["key"]: t for t in r.get("targets", []) if "key" in t}

    fig, axes = plt.subplots(
        3, 1, figsize=(9, 11), gridspec_kw={"height_ratios": [3.2, 1.6, 1.0]}
    )
    _panel(
        axes[0], "put_bucket_policy throughput", "calls/s",
        [
            ("serial, 1 client", get("serial_fastboto"), "boto3", get("serial_boto3"),
             ("serial_x_boto3", "serial_x_wire")),
            (f"{r.get('threads', 8)} threads, 1 client", get("threads_fastboto"), "boto3",
             get("threads_boto3"), ("threads_x_boto3",)),
            (f"async, {r.get('inflight', 64)} in flight", get("async_fastboto"), "aiobotocore",
             get("async_aiobotocore"), ("async_x_aiobotocore",)),
        ],
        "higher", wire=get("wire_limit"), targets=targets,
    )
    def ms(v):
        return None if v is None else v * 1e3
    _panel(
        axes[1], "start-up (median of fresh processes)", "ms",
        [
            ("import", ms(get("import_fastboto")), "boto3", ms(get("import_boto3")),
             ("import_x_boto3",)),
            ("first client", ms(get("first_client_fastboto")), "boto3",
             ms(get("first_client_boto3")), ("first_client_x_boto3",)),
        ],
        "lower", targets=targets,
    )
    _panel(
        axes[2], f"peak RSS per client ({r.get('clients', 1000):,} clients kept alive)", "KiB",
        [("per client", get("mem_fastboto"), "boto3", get("mem_boto3"), ("mem_x_boto3",))],
        "lower", targets=targets,
    )
    fig.suptitle(
        f"fastboto {r['versions'].get('fastboto', '?')} vs boto3 "
        f"{r['versions'].get('boto3', '?')} / aiobotocore "
        f"{r['versions'].get('aiobotocore', '?')}\n"
        f"{r['date']} — {r['machine']['nproc']} cores, Linux {r['machine']['kernel']}, "
        f"Python {r['versions'].get('python', '?')}; nginx 204 on loopback"
        + ("\nDEBUG BUILD OF FASTBOTO: figures not meaningful"
           if r.get("fastboto_build", {}).get("looks_like_debug_build") else ""),
        fontsize=10,
    )
    fig.tight_layout(rect=(0, 0, 1, 0.96))
    fig.savefig(out_path, dpi=110)


if __name__ == "__main__":
    main()
