"""Measure: how often generated demo stories break each rule of the review (docs/DEMO.md).

Usage: .venv/bin/python bench/demo_stories.py [--stories 1000] [--seeds 1,2,3]
       [--examples N] [--rule NAME]

Generates ``--stories`` narratives per seed exactly as ``demo-data --seed`` would
(300 facilities, no database), runs every rule of ``portal.demo.checks`` on them
and prints, per rule, the stories it concerns, how many break it, and the rate;
also how long generating the narratives took (best of ``--rounds``), apart from checking.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal.demo.checks import RULES, measure, stories


def main() -> None:
    """Print the per-rule rates."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=1000, help="stories per seed")
    parser.add_argument("--seeds", default="2026", help="comma-separated seeds")
    parser.add_argument("--examples", type=int, default=0, help="print N narratives per rule")
    parser.add_argument("--rule", choices=[r.name for r in RULES], help="only this rule's examples")
    parser.add_argument("--rounds", type=int, default=3, help="generation timed this many times")
    args = parser.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]

    timings = []
    for _ in range(max(args.rounds, 1)):
        started = time.perf_counter()
        pairs = [pair for seed in seeds for pair in stories(seed, args.stories)]
        timings.append(time.perf_counter() - started)
    started = time.perf_counter()
    rates = measure(iter(pairs), keep=args.examples)
    checking = time.perf_counter() - started
    per_thousand = 1000 * min(timings) / len(pairs)
    print(
        f"{len(pairs)} stories, seeds {args.seeds}: generated in {min(timings):.2f} s "
        f"(best of {len(timings)}; {per_thousand:.2f} s per 1,000), checked in {checking:.1f} s"
    )
    print(f"{'rule':<18} {'stories':>7} {'broken':>6} {'rate':>7}  what")
    for rate in rates:
        print(
            f"{rate.rule.name:<18} {rate.stories:>7} {rate.hits:>6} {rate.percent:>6.2f} %"
            f"  {rate.rule.description}"
        )
    worst = max(rate.percent for rate in rates)
    print(f"worst rule: {worst:.2f} % ({'under' if worst < 1 else 'NOT under'} 1 %)")
    for rate in rates:
        if args.rule and rate.rule.name != args.rule:
            continue
        for text in rate.examples or []:
            print(f"\n--- {rate.rule.name} ---\n{text}")


if __name__ == "__main__":
    main()
