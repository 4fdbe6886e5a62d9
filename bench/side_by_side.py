#!/usr/bin/env python3
"""Put the results of two bench/run.sh reports side by side.

    bench/side_by_side.py bench/cache/BENCHMARKS-sqlite.md bench/cache/BENCHMARKS-postgres.md

Prints a Markdown table: each scenario's req/s and p50 in both reports, and
the second's throughput as a share of the first's. Only the standard library.
"""
import re
import sys


def results(path):
    """{scenario: (req/s, p50)} from the report's Results table."""
    rows, in_results = {}, False
    for line in open(path, encoding="utf-8"):
        if line.startswith("## "):
            in_results = line.strip() == "## Results"
            continue
        if not in_results or not line.startswith("| ") or line.startswith("| scenario") or line.startswith("|---"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 6:
            continue
        try:
            rps = float(cells[3].replace(",", ""))
        except ValueError:
            continue
        rows[cells[0]] = (rps, cells[4])
    return rows


def main():
    if len(sys.argv) != 5:
        sys.exit("usage: side_by_side.py FIRST.md SECOND.md FIRST_NAME SECOND_NAME")
    first, second = results(sys.argv[1]), results(sys.argv[2])
    a, b = sys.argv[3], sys.argv[4]
    print(f"| scenario | {a} req/s | {a} p50 | {b} req/s | {b} p50 | {b} / {a} |")
    print("|---|--:|--:|--:|--:|--:|")
    for name, (rps, p50) in first.items():
        if name not in second:
            continue
        rps2, p502 = second[name]
        print(f"| {name} | {rps:,.0f} | {p50} | {rps2:,.0f} | {p502} | {rps2 / rps:.2f}× |")


if __name__ == "__main__":
    main()
