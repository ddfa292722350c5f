"""Benchmarks of ecrpublic-mock, each against a baseline measured in the same run.

    python benchmarks/bench.py            # everything (a few minutes)
    python benchmarks/bench.py --quick    # smaller sizes, for a smoke run
    python benchmarks/bench.py --server   # only server mode (needs the 'bench' extra)
    python benchmarks/bench.py --registry # only skopeo push/pull vs docker-registry
    python benchmarks/bench.py --load     # only 50 concurrent skopeo pulls vs docker-registry
    python benchmarks/bench.py --sandbox  # only the sandbox's start, stop and command line

Prints one table of ratios; timings are medians of repeated runs in this one process, so
machines and load cancel out of the ratios (the sandbox's rows are figures over absolute
targets, with their spread). Not part of the test suite: unit tests never assert timings.
"""

from __future__ import annotations

import argparse
import sys
import threading

from _common import MIB, Row
from calls import bench_calls, bench_import, bench_listings, bench_scale, bench_start_stop
from layers import bench_layer
from registry import bench_registry, bench_registry_load
from sandbox import bench_sandbox
from server import bench_server


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--server", action="store_true", help="only the server-mode rows")
    parser.add_argument(
        "--registry", action="store_true", help="only skopeo push and pull vs docker-registry"
    )
    parser.add_argument(
        "--load",
        action="store_true",
        help="only 50 concurrent skopeo pulls vs docker-registry (in no other run)",
    )
    parser.add_argument(
        "--sandbox",
        action="store_true",
        help="only the sandbox's start, stop and command line (in no other run; root for docker)",
    )
    args = parser.parse_args()
    everything = not (args.server or args.registry or args.load or args.sandbox)
    rows: list[Row] = []
    if args.server or everything:
        bench_server(rows, repeat=200 if args.quick else 1000)
    if args.registry or everything:
        bench_registry(rows, layers=4, layer_size=(16 if args.quick else 256) * MIB)
    if args.load:
        bench_registry_load(rows, layers=4, layer_size=(4 if args.quick else 25) * MIB)
    if args.sandbox:
        bench_sandbox(rows, rounds=5 if args.quick else 15)
    if everything:
        bench_calls(rows, repeat=200 if args.quick else 1000)
        bench_listings(rows, repeat=200 if args.quick else 1000)
        bench_start_stop(rows)
        bench_scale(rows, big=10_000 if args.quick else 100_000)
        bench_layer(rows, size=(100 if args.quick else 1024) * MIB)
        bench_import(rows)
    width = max(len(row.what) for row in rows)
    ours = max(14, *(len(row.ours) for row in rows))
    header = f"{'benchmark':<{width}}  {'ours':>{ours}}  {'baseline':>14}  {'ratio':>7}"
    print(f"{header}  target    met")
    for row in rows:
        print(
            f"{row.what:<{width}}  {row.ours:>{ours}}  {row.baseline:>14}  {row.ratio:>7.3f}  "
            f"{row.target:<8}  {'yes' if row.met else 'NO'}"
        )
    return 0


if __name__ == "__main__":
    threading.stack_size(0)
    sys.exit(main())
