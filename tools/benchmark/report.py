#!/usr/bin/env python3
"""Turn tools/bench's raw records into results.json, report.md, latency.png and
throughput.png. Run by tools/bench; not meant to be run alone."""
import argparse
import json
import os
import statistics
import subprocess
import tempfile
from collections import defaultdict

ROUNDTRIP = ("raw_roundtrip", "libbinder_roundtrip")


def load_records(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def aggregate_scaling(records, runs):
    """Scaling points arrive one run per record (drivers interleaved): keep the median run."""
    groups = defaultdict(list)
    others = []
    for r in records:
        (groups[(r["transport"], r["pairs"])] if r["scenario"] == "scaling" else others).append(r)
    for (transport, pairs), rs in sorted(groups.items()):
        rs.sort(key=lambda r: r["ops_per_s"])
        median = dict(rs[len(rs) // 2])
        median["runs"] = len(rs)
        others.append(median)
    return others


def parcel_records(path, runs):
    with open(path) as f:
        data = json.load(f)
    out = []
    for b in data.get("benchmarks", []):
        if b.get("aggregate_name") != "median":
            continue
        ns = b["real_time"] if b.get("time_unit", "ns") == "ns" else b["real_time"] * 1000
        out.append({"scenario": "parcel_" + b["run_name"].removeprefix("BM_"), "transport": "host",
                    "payload_bytes": 0, "pairs": 1, "p50_us": ns / 1000.0, "p99_us": None,
                    "ops_per_s": 1e9 / ns if ns else 0, "runs": runs, "ns_per_op": ns})
    return out


def index(records):
    return {(r["scenario"], r["transport"], r["payload_bytes"], r["pairs"]): r for r in records}


def ratio(a, b):
    return f"{a / b:.2f}" if a is not None and b else "n/a"


def fmt(v, digits=1):
    return "n/a" if v is None else f"{v:,.{digits}f}"


def payload_name(n):
    return f"{n // 1048576} MiB" if n >= 1048576 else f"{n // 1024} KiB" if n >= 1024 else f"{n} B"


def report(records, args):
    idx = index(records)
    drivers = sorted({r["transport"] for r in records if r["scenario"] in ROUNDTRIP},
                     key=lambda d: (d != "lite", d))
    lines = [f"# binder-lite benchmark report", "",
             f"Kernel series {args.kernel}; {'quick' if args.quick else 'full'} run. Latency and "
             "single-pair throughput: 1-vCPU guest under -icount shift=4 (guest time counts "
             "guest instructions; repeat runs agree within about 1%). Scaling: 2-vCPU guest, "
             "wall clock, both drivers loaded, runs interleaved. Each point is the median of "
             f"{args.runs} runs after a warm-up. Ratios below 1.00 mean lite is faster "
             "(latency) or, for throughput, slower.", ""]

    def roundtrip_table(scenario, title):
        payloads = sorted({r["payload_bytes"] for r in records if r["scenario"] == scenario})
        if not payloads:
            return
        lines.extend([f"## {title}", "",
                      "| payload | lite p50 µs | lite p99 µs | ref p50 µs | ref p99 µs | pipe p50 µs | unix p50 µs "
                      "| lite/ref p50 | lite/ref p99 | lite/ref ops | lite/pipe p50 | lite/unix p50 |",
                      "|---|---|---|---|---|---|---|---|---|---|---|---|"])
        for p in payloads:
            lite = idx.get((scenario, "lite", p, 1))
            ref = idx.get((scenario, "reference", p, 1))
            pipe = idx.get(("raw_roundtrip", "pipe", p, 1))
            unix = idx.get(("raw_roundtrip", "unix", p, 1))
            g = lambda r, k: r[k] if r else None
            lines.append(f"| {payload_name(p)} | {fmt(g(lite, 'p50_us'))} | {fmt(g(lite, 'p99_us'))} | "
                         f"{fmt(g(ref, 'p50_us'))} | {fmt(g(ref, 'p99_us'))} | {fmt(g(pipe, 'p50_us'))} | "
                         f"{fmt(g(unix, 'p50_us'))} | {ratio(g(lite, 'p50_us'), g(ref, 'p50_us'))} | "
                         f"{ratio(g(lite, 'p99_us'), g(ref, 'p99_us'))} | "
                         f"{ratio(g(lite, 'ops_per_s'), g(ref, 'ops_per_s'))} | "
                         f"{ratio(g(lite, 'p50_us'), g(pipe, 'p50_us'))} | "
                         f"{ratio(g(lite, 'p50_us'), g(unix, 'p50_us'))} |")
        lines.append("")

    roundtrip_table("raw_roundtrip", "Raw round trip (BINDER_WRITE_READ)")
    roundtrip_table("libbinder_roundtrip", "libbinder round trip (BpBinder::transact)")

    lines.extend(["## One-way flood, servicemanager lookups and scaling", "",
                  "| scenario | pairs | lite ops/s | reference ops/s | lite/ref |", "|---|---|---|---|---|"])
    for scenario in ("oneway_flood", "sm_lookup", "scaling"):
        for pairs in sorted({r["pairs"] for r in records if r["scenario"] == scenario}):
            keyed = {r["transport"]: r for r in records if r["scenario"] == scenario and r["pairs"] == pairs}
            lite, ref = keyed.get("lite"), keyed.get("reference")
            lines.append(f"| {scenario} | {pairs} | {fmt(lite and lite['ops_per_s'])} | "
                         f"{fmt(ref and ref['ops_per_s'])} | "
                         f"{ratio(lite and lite['ops_per_s'], ref and ref['ops_per_s'])} |")
    lines.append("")

    parcel = [r for r in records if r["scenario"].startswith("parcel_")]
    if parcel:
        lines.extend(["## Parcel encode/decode (host)", "", "| benchmark | ns/op |", "|---|---|"])
        lines.extend(f"| {r['scenario'].removeprefix('parcel_')} | {r['ns_per_op']:.0f} |" for r in parcel)
        lines.append("")

    lines.extend(["## Targets (measured, not asserted)", ""])
    if "lite" not in drivers:
        lines.append("Our driver is not built yet: the targets compare lite against the others and "
                     "cannot be evaluated.")
    else:
        checks = []
        for scenario in ROUNDTRIP:
            for p in (0, 64, 4096):
                lite, ref = idx.get((scenario, "lite", p, 1)), idx.get((scenario, "reference", p, 1))
                if lite and ref:
                    for k in ("p50_us", "p99_us"):
                        checks.append((f"{scenario} {payload_name(p)} {k[:3]} lite/ref ≤ 1.00",
                                       lite[k] / ref[k] <= 1.0, lite[k] / ref[k]))
        for pairs in (1, 2, 4):
            lite = idx.get(("scaling", "lite", 0, pairs))
            ref = idx.get(("scaling", "reference", 0, pairs))
            if lite and ref:
                checks.append((f"throughput {pairs} pair(s) lite/ref ≥ 1.00",
                               lite["ops_per_s"] / ref["ops_per_s"] >= 1.0, lite["ops_per_s"] / ref["ops_per_s"]))
        for p in (65536, 1048576):
            lite, unix = idx.get(("raw_roundtrip", "lite", p, 1)), idx.get(("raw_roundtrip", "unix", p, 1))
            if lite and unix:
                checks.append((f"raw {payload_name(p)} lite/unix < 1", lite["p50_us"] / unix["p50_us"] < 1.0,
                               lite["p50_us"] / unix["p50_us"]))
        for p in (0, 64, 4096):
            lib, raw = idx.get(("libbinder_roundtrip", "lite", p, 1)), idx.get(("raw_roundtrip", "lite", p, 1))
            if lib and raw:
                checks.append((f"libbinder/raw {payload_name(p)} ≤ 1.25", lib["p50_us"] / raw["p50_us"] <= 1.25,
                               lib["p50_us"] / raw["p50_us"]))
        lines.extend(["| target | ratio | met |", "|---|---|---|"])
        lines.extend(f"| {name} | {value:.2f} | {'yes' if ok else '**no**'} |" for name, ok, value in checks)
    lines.append("")
    lines.append("![latency](latency.png) ![throughput](throughput.png)")
    return "\n".join(lines) + "\n"


def plot(records, out):
    with tempfile.TemporaryDirectory() as tmp:
        series = defaultdict(list)
        for r in records:
            if r["scenario"] in ROUNDTRIP or (r["scenario"] == "raw_roundtrip"):
                name = r["transport"] if r["scenario"] == "raw_roundtrip" else r["transport"] + " libbinder"
                series[name].append((max(r["payload_bytes"], 1), r["p50_us"]))
        latency_plots = []
        for name, points in sorted(series.items()):
            path = os.path.join(tmp, name.replace(" ", "_") + ".dat")
            with open(path, "w") as f:
                f.writelines(f"{x} {y}\n" for x, y in sorted(points))
            latency_plots.append(f"'{path}' using 1:2 with linespoints title '{name}'")
        scaling = defaultdict(list)
        for r in records:
            if r["scenario"] == "scaling":
                scaling[r["transport"]].append((r["pairs"], r["ops_per_s"]))
        throughput_plots = []
        for name, points in sorted(scaling.items()):
            path = os.path.join(tmp, "scaling_" + name + ".dat")
            with open(path, "w") as f:
                f.writelines(f"{x} {y}\n" for x, y in sorted(points))
            throughput_plots.append(f"'{path}' using 1:2 with linespoints title '{name}'")
        script = ["set terminal png size 900,540",
                  f"set output '{os.path.join(out, 'latency.png')}'",
                  "set title 'Round-trip latency (p50, 1 vCPU, icount)'", "set logscale xy",
                  "set xlabel 'request payload (bytes; 0 plotted at 1)'", "set ylabel 'microseconds'",
                  "set key top left", "set grid",
                  "plot " + ", ".join(latency_plots) if latency_plots else "plot 0 title 'no data'",
                  "unset logscale",
                  f"set output '{os.path.join(out, 'throughput.png')}'",
                  "set title 'Raw round trips per second (2 vCPUs, wall clock)'",
                  "set xlabel 'client/server pairs'", "set ylabel 'round trips per second'", "set xtics 1",
                  "plot " + ", ".join(throughput_plots) if throughput_plots else "plot 0 title 'no data'"]
        subprocess.run(["gnuplot"], input="\n".join(script), text=True, check=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", required=True)
    parser.add_argument("--parcel", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--runs", type=int, required=True)
    parser.add_argument("--kernel", required=True)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    records = aggregate_scaling(load_records(args.records), args.runs)
    records += parcel_records(args.parcel, args.runs)
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump(records, f, indent=1)
    with open(os.path.join(args.out, "report.md"), "w") as f:
        f.write(report(records, args))
    plot(records, args.out)


if __name__ == "__main__":
    main()
