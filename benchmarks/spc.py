"""How long SPC takes for a catalogue ten times the sample's: 550 indicators x 120 months.

Run it from the repository root: ``python -m benchmarks.spc``. It makes 550 monthly series
of 120 months (a fixed random seed; some with a step change, a drift, a missing month, an
outlier; a third of them with a target), runs :func:`xlscorecard.spc.xmr` on every one,
and prints the best of five timings. The target: under one second.
"""

from __future__ import annotations

import random
import time

from xlscorecard.spc import xmr

INDICATORS = 550
MONTHS = 120
TARGET_SECONDS = 1.0
REPEATS = 5


def catalogue(seed: int = 20) -> list[tuple[list[float | None], str, float | None]]:
    """Series shaped like a council's indicators: noise, steps, drifts, gaps and outliers."""
    rng = random.Random(seed)
    series = []
    for k in range(INDICATORS):
        level, noise = rng.uniform(10, 500), rng.uniform(1, 25)
        step = rng.choice([0.0, 0.0, rng.uniform(-3, 3) * noise])
        drift = rng.choice([0.0, 0.0, 0.0, rng.uniform(-0.2, 0.2) * noise])
        values: list[float | None] = []
        for m in range(MONTHS):
            x = level + rng.gauss(0, noise) + drift * m + (step if m >= 80 else 0.0)
            values.append(round(x, 1))
        if k % 7 == 0:
            values[rng.randrange(MONTHS)] = None
        if k % 11 == 0:
            values[rng.randrange(MONTHS)] = level + 6 * noise
        improvement = ("up", "down", "none")[k % 3]
        target = round(level + rng.uniform(-2, 2) * noise, 1) if k % 3 != 2 else None
        series.append((values, improvement, target))
    return series


def main() -> int:
    series = catalogue()
    timings = []
    for _ in range(REPEATS):
        began = time.perf_counter()
        charts = [xmr(v, imp, target=t) for v, imp, t in series]
        timings.append(time.perf_counter() - began)
    best = min(timings)
    special = sum(p.variation not in ("common", None) for c in charts for p in c.points)
    points = INDICATORS * MONTHS
    print(f"SPC for {INDICATORS} indicators x {MONTHS} months ({points} points)")
    print(f"  best of {REPEATS}: {best:.3f} s ({best / INDICATORS * 1000:.2f} ms an indicator)")
    print(f"  all runs: {', '.join(f'{t:.3f}' for t in timings)} s")
    print(f"  special-cause points found: {special}")
    verdict = "within" if best < TARGET_SECONDS else "OVER"
    print(f"  target < {TARGET_SECONDS:.0f} s: {verdict}")
    return 0 if best < TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
