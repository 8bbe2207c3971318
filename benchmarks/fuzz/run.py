"""Time-boxed fuzz sessions over the properties of tests/test_fuzz.py (hypothesis).

    .venv/bin/python benchmarks/fuzz/run.py reader --seconds 600
    .venv/bin/python benchmarks/fuzz/run.py all --seconds 600      # one target after another

Each target's property runs in rounds of ``--batch`` examples with fresh random
seeds until the time is up. A failure is shrunk by hypothesis, printed, and
ends that target (exit 1). The last line per target gives examples tried and
seconds, the figures docs/reliability.md records. Not part of CI.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from pathlib import Path

from hypothesis import HealthCheck, given, settings

TESTS = Path(__file__).resolve().parents[2] / "tests"
sys.path.insert(0, str(TESTS))
sys.path.insert(0, str(TESTS.parent))

import test_fuzz as tf  # noqa: E402

TARGETS = {
    "reader": (
        dict(
            data=tf.article_bytes(),
            suffix=tf.st.sampled_from([".txt", ".md", ".html", ".htm"]),
            sidecar=tf.st.none() | tf.article_bytes(),
        ),
        tf.check_reader,
    ),
    "dates": (dict(text=tf.date_text(), ref=tf.reference()), tf.check_dates),
    "store": (dict(d=tf.event_dict()), tf.check_store),
    "pages": (dict(files=tf.site_files()), lambda files: tf.check_pages(*files)),
}


def run(target: str, seconds: float, batch: int) -> bool:
    strategies, check = TARGETS[target]
    prop = settings(
        max_examples=batch, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )(given(**strategies)(check))
    start, rounds, ok = time.monotonic(), 0, True
    tf.COUNTS[target] = 0
    while time.monotonic() - start < seconds:
        try:
            prop()
        except Exception:  # a shrunk counter-example: report it and stop this target
            traceback.print_exc()
            ok = False
            break
        rounds += 1
    took = time.monotonic() - start
    print(
        f"{target}: {tf.COUNTS[target]} examples in {took:.0f} s ({rounds} rounds of {batch}), "
        f"{'no failure' if ok else 'FAILURE above'}",
        flush=True,
    )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("target", choices=[*TARGETS, "all"])
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--batch", type=int, default=2000)
    args = parser.parse_args()
    targets = list(TARGETS) if args.target == "all" else [args.target]
    results = [run(t, args.seconds, args.batch) for t in targets]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
