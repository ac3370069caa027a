"""The statistical core of NHS England's "Making Data Count" (MDC) XmR charts.

Pure: this module imports nothing but the Python standard library, and nothing of the
project. :func:`xmr` takes one indicator's monthly history and returns its mean and process
limits, the kind of variation of every month, and the Variation and Assurance icons. What
each rule means, and why each choice was made, is in ``docs/spc.md``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "IMPROVEMENTS",
    "LIMIT_FACTOR",
    "RULES",
    "SCREEN_FACTOR",
    "SIGMA_FACTOR",
    "Point",
    "Segment",
    "XmR",
    "assurance_icon",
    "xmr",
]

IMPROVEMENTS = ("up", "down", "none")
"""The directions of improvement: higher is better, lower is better, neither."""

LIMIT_FACTOR = 2.66
"""Process limits are the mean plus and minus this many mean moving ranges (3 / 1.128)."""

SIGMA_FACTOR = LIMIT_FACTOR / 3
"""One sigma, in mean moving ranges (about 1 / 1.128): a third of the way to a limit."""

SCREEN_FACTOR = 3.267
"""With ``screen_outliers``, moving ranges of this many mean moving ranges or more are dropped."""

REL_TOL = 1e-9
"""Figures within one part in a billion of a line (or of each other) count as on it (equal)."""

LIMIT, TREND, TWO_OF_THREE, SHIFT = "limit", "trend", "two_of_three", "shift"
RULES = (LIMIT, TREND, TWO_OF_THREE, SHIFT)
"""The special-cause rules, in the order that settles the side of a "neither" point."""


@dataclass(frozen=True, slots=True)
class Point:
    """One month: its figure, what kind of variation it shows, and its segment's lines.

    ``variation`` is ``"improvement"``, ``"concern"``, ``"neither"``, ``"common"``, or
    ``None`` for a missing month or a segment with too few points for limits. ``icon`` is
    the Variation icon this month would give if it were the latest. ``high`` and ``low``
    name the rules (see :data:`RULES`) that flag it upwards and downwards.
    """

    value: float | None
    variation: str | None
    mean: float | None
    lower: float | None
    upper: float | None
    icon: str | None
    high: tuple[str, ...]
    low: tuple[str, ...]
    segment: int


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of months sharing one mean and one pair of limits, ``values[start:stop]``.

    ``points`` counts its months with a figure; ``baseline`` how many of them (the first
    ones) the mean and limits come from. Without limits (fewer than ``minimum_points``
    points) the lines are ``None``.
    """

    start: int
    stop: int
    points: int
    baseline: int
    mean: float | None
    lower: float | None
    upper: float | None
    sigma: float | None
    mean_moving_range: float | None


@dataclass(frozen=True, slots=True)
class XmR:
    """An indicator's XmR chart: every month, every segment, the latest lines and the icons."""

    points: tuple[Point, ...]
    segments: tuple[Segment, ...]
    improvement: str
    target: float | None
    mean: float | None
    lower: float | None
    upper: float | None
    variation_icon: str | None
    assurance_icon: str | None


def xmr(
    values: Sequence[float | None],
    improvement: str,
    *,
    run_length: int = 6,
    minimum_points: int = 13,
    recalculate_at: Iterable[int] = (),
    baseline: int | Sequence[int | None] | None = None,
    target: float | None = None,
    trend_length: int | None = None,
    screen_outliers: bool = False,
    two_of_three_counts_beyond_limits: bool = False,
) -> XmR:
    """The MDC XmR chart of one indicator's monthly figures, oldest first.

    ``values``: the full history; ``None`` (or NaN) is a missing month, which is no point:
    it is left out of the mean and breaks moving ranges, shifts, trends and two-of-three.
    ``improvement``: ``"up"``, ``"down"`` or ``"none"``.
    ``run_length``: points in a shift (6; MDC offers 7). ``trend_length``: points in a
    trend, ``None`` for the same as ``run_length``.
    ``minimum_points``: a segment with fewer points has no limits and no icons.
    ``recalculate_at``: 0-based indexes where a new segment, with its own limits, starts.
    ``baseline``: how many points at the start of each segment fix its mean and limits
    (later points are judged against them); an int for every segment, a sequence with one
    entry (int or ``None`` for all points) per segment, or ``None`` for all points.
    ``target``: gives the Assurance icon, judged against the latest segment's limits.
    ``screen_outliers``: drop moving ranges of 3.267 mean moving ranges or more before
    computing limits (NHSRplotthedots' default; MDC does not).
    ``two_of_three_counts_beyond_limits``: let points beyond a process limit count towards
    two-of-three (MDC's announced 2023 change; off, as the spec and NHSRplotthedots have it).
    """
    direction = _check_improvement(improvement)
    xs = _check_values(values)
    run_length = _check_count("run_length", run_length, 2)
    trend_length = (
        run_length if trend_length is None else _check_count("trend_length", trend_length, 2)
    )
    minimum_points = _check_count("minimum_points", minimum_points, 1)
    starts = _check_starts(recalculate_at, len(xs))
    bounds = list(zip(starts, [*starts[1:], len(xs)], strict=True))
    baselines = _check_baseline(baseline, len(bounds))
    if target is not None:
        target = _check_target(target)

    points: list[Point] = []
    segments: list[Segment] = []
    for number, ((start, stop), base) in enumerate(zip(bounds, baselines, strict=True)):
        segment = _limits(xs, start, stop, base, minimum_points, screen_outliers)
        segments.append(segment)
        points.extend(
            _judge(
                xs,
                segment,
                number,
                direction,
                run_length,
                trend_length,
                two_of_three_counts_beyond_limits,
            )
        )

    latest = segments[-1]
    last = next((p for p in reversed(points) if p.value is not None), None)
    return XmR(
        points=tuple(points),
        segments=tuple(segments),
        improvement=direction,
        target=target,
        mean=latest.mean,
        lower=latest.lower,
        upper=latest.upper,
        variation_icon=None if last is None else last.icon,
        assurance_icon=(
            None
            if target is None or latest.lower is None or latest.upper is None
            else assurance_icon(target, latest.lower, latest.upper, direction)
        ),
    )


def assurance_icon(target: float, lower: float, upper: float, improvement: str) -> str | None:
    """MDC's Assurance icon for a target against a pair of process limits.

    ``"pass"`` when the target lies beyond the limit on the worse side (every common-cause
    month meets it), ``"fail"`` beyond the limit on the better side (none will),
    ``"hit-or-miss"`` between the limits or exactly on one; ``None`` for ``"none"``.
    """
    direction = _check_improvement(improvement)
    if direction == "none":
        return None
    tol = REL_TOL * max(abs(target), abs(lower), abs(upper))
    if target > upper + tol:
        return "fail" if direction == "up" else "pass"
    if target < lower - tol:
        return "pass" if direction == "up" else "fail"
    return "hit-or-miss"


# Limits ---------------------------------------------------------------------------------


def _limits(
    xs: list[float | None],
    start: int,
    stop: int,
    base: int | None,
    minimum_points: int,
    screen_outliers: bool,
) -> Segment:
    """The mean and limits of ``xs[start:stop]``, from its first ``base`` points."""
    present = [i for i in range(start, stop) if xs[i] is not None]
    used = present if base is None else present[:base]
    blank = Segment(start, stop, len(present), len(used), None, None, None, None, None)
    if len(present) < minimum_points or len(used) < 2:
        return blank
    # A moving range needs this month and the one before; a missing month breaks it.
    ranges = [
        abs(xs[i] - xs[i - 1])  # type: ignore[operator]
        for i in used
        if i > start and xs[i - 1] is not None
    ]
    if not ranges:
        return blank
    mean = math.fsum(xs[i] for i in used) / len(used)  # type: ignore[misc]
    mean_range = math.fsum(ranges) / len(ranges)
    if screen_outliers:
        kept = [r for r in ranges if r < SCREEN_FACTOR * mean_range]
        if kept:
            mean_range = math.fsum(kept) / len(kept)
    spread = LIMIT_FACTOR * mean_range
    return Segment(
        start,
        stop,
        len(present),
        len(used),
        mean,
        mean - spread,
        mean + spread,
        SIGMA_FACTOR * mean_range,
        mean_range,
    )


# Rules ----------------------------------------------------------------------------------


_BIT = {LIMIT: 1, TREND: 2, TWO_OF_THREE: 4, SHIFT: 8}
_NAMES = tuple(tuple(r for r in RULES if mask & _BIT[r]) for mask in range(16))


def _judge(
    xs: list[float | None],
    segment: Segment,
    number: int,
    direction: str,
    run_length: int,
    trend_length: int,
    beyond_counts: bool,
) -> list[Point]:
    """Every month of one segment, flagged by the four rules against its own lines."""
    seg = xs[segment.start : segment.stop]
    mean, lower, upper, sigma = segment.mean, segment.lower, segment.upper, segment.sigma
    if mean is None or lower is None or upper is None or sigma is None:
        return [Point(x, None, None, None, None, None, (), (), number) for x in seg]

    n = len(seg)
    scale = max((abs(x) for x in seg if x is not None), default=0.0)
    tol = REL_TOL * max(scale, abs(mean), abs(upper), abs(lower))
    above, below = mean + tol, mean - tol
    beyond_upper, beyond_lower = upper + tol, lower - tol
    # Bit masks (see _BIT) of the rules flagging each month upwards and downwards.
    high, low = [0] * n, [0] * n

    # Which side of the mean each month is (+1 above, -1 below, 0 on it or missing), and a
    # point beyond a process limit.
    side = [0] * n
    for k, x in enumerate(seg):
        if x is None:
            continue
        if x > above:
            side[k] = 1
            if x > beyond_upper:
                high[k] |= _BIT[LIMIT]
        elif x < below:
            side[k] = -1
            if x < beyond_lower:
                low[k] |= _BIT[LIMIT]

    # A shift: run_length or more months in a row on one side of the mean.
    k = 0
    while k < n:
        s = side[k]
        j = k
        while s and j + 1 < n and side[j + 1] == s:
            j += 1
        if s and j - k + 1 >= run_length:
            flags = high if s > 0 else low
            for m in range(k, j + 1):
                flags[m] |= _BIT[SHIFT]
        k = j + 1

    # A trend: trend_length or more months in a row, each above (below) the one before;
    # step[k] is +1 (-1) when month k is above (below) month k - 1, 0 for equal or missing.
    step = [0] * n
    for k in range(1, n):
        a, b = seg[k - 1], seg[k]
        if a is not None and b is not None:
            step[k] = 1 if b > a + tol else (-1 if b < a - tol else 0)
    k = 1
    while k < n:
        d = step[k]
        j = k
        while d and j + 1 < n and step[j + 1] == d:
            j += 1
        if d and j - k + 2 >= trend_length:  # months k - 1 to j
            flags = high if d > 0 else low
            for m in range(k - 1, j + 1):
                flags[m] |= _BIT[TREND]
        k = j + 1

    # Two of three months in a row beyond two sigma, all three on the same side of the mean.
    two_up, two_down = mean + 2 * sigma + tol, mean - 2 * sigma - tol
    near = [False] * n
    for k, x in enumerate(seg):
        if side[k] > 0:
            near[k] = x > two_up and (beyond_counts or not x > beyond_upper)
        elif side[k] < 0:
            near[k] = x < two_down and (beyond_counts or not x < beyond_lower)
    for k in range(n - 2):
        s = side[k]
        if not s or side[k + 1] != s or side[k + 2] != s:
            continue
        close = [m for m in (k, k + 1, k + 2) if near[m]]
        if len(close) >= 2:
            flags = high if s > 0 else low
            for m in close:
                flags[m] |= _BIT[TWO_OF_THREE]

    points = []
    seen: dict[tuple[int, int, int], tuple[str, str, tuple[str, ...], tuple[str, ...]]] = {}
    for k, x in enumerate(seg):
        if x is None:
            points.append(Point(None, None, mean, lower, upper, None, (), (), number))
            continue
        key = (high[k], low[k], side[k])
        if key not in seen:
            h, lo = _NAMES[high[k]], _NAMES[low[k]]
            seen[key] = (*_classify(direction, h, lo, side[k]), h, lo)
        variation, icon, h, lo = seen[key]
        points.append(Point(x, variation, mean, lower, upper, icon, h, lo, number))
    return points


def _classify(
    direction: str, high: tuple[str, ...], low: tuple[str, ...], side: int
) -> tuple[str, str]:
    """A month's variation and icon from the rules flagging it up and down."""
    if not high and not low:
        return "common", "common"
    if direction == "up":
        # Both improvement and concern: MDC shows improvement.
        return ("improvement", "improvement-high") if high else ("concern", "concern-low")
    if direction == "down":
        return ("improvement", "improvement-low") if low else ("concern", "concern-high")
    # Neither direction is better: the side is the first rule (in RULES order) that flags
    # the month one way only; failing that, the side of the mean.
    for rule in RULES:
        up, down = rule in high, rule in low
        if up != down:
            return "neither", "neither-high" if up else "neither-low"
    return "neither", "neither-low" if side < 0 else "neither-high"


# Checks ---------------------------------------------------------------------------------


def _check_improvement(improvement: object) -> str:
    if not isinstance(improvement, str) or improvement not in IMPROVEMENTS:
        raise ValueError(
            f"improvement must be 'up' (higher is better), 'down' (lower is better) or "
            f"'none' (neither), not {improvement!r}"
        )
    return improvement


def _check_values(values: Sequence[float | None]) -> list[float | None]:
    if isinstance(values, (str, bytes)):
        raise TypeError("values must be a sequence of numbers or None, not a string")
    xs: list[float | None] = []
    for i, v in enumerate(values):
        if v is None:
            xs.append(None)
            continue
        if isinstance(v, (bool, str, bytes)):
            raise TypeError(f"values[{i}] must be a number or None, not {v!r}")
        try:
            x = float(v)
        except (TypeError, ValueError):
            raise TypeError(f"values[{i}] must be a number or None, not {v!r}") from None
        if math.isnan(x):
            xs.append(None)
        elif math.isinf(x):
            raise ValueError(f"values[{i}] is infinite")
        else:
            xs.append(x)
    return xs


def _check_count(name: str, value: object, least: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise ValueError(f"{name} must be a whole number of at least {least}, not {value!r}")
    return value


def _check_starts(recalculate_at: Iterable[int], n: int) -> list[int]:
    starts = {0}
    for i in recalculate_at:
        if isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < max(n, 1):
            raise ValueError(
                f"recalculate_at holds 0-based indexes of months (0 to {n - 1}), not {i!r}"
            )
        starts.add(i)
    return sorted(starts)


def _check_baseline(baseline: int | Sequence[int | None] | None, segments: int) -> list[int | None]:
    if baseline is None:
        return [None] * segments
    if isinstance(baseline, int) and not isinstance(baseline, bool):
        return [_check_count("baseline", baseline, 2)] * segments
    if isinstance(baseline, (str, bytes)) or not isinstance(baseline, Sequence):
        raise ValueError("baseline must be a number of points, a sequence of them, or None")
    if len(baseline) != segments:
        raise ValueError(f"baseline has {len(baseline)} entries but there are {segments} segments")
    return [None if b is None else _check_count("baseline", b, 2) for b in baseline]


def _check_target(target: object) -> float:
    if isinstance(target, (bool, str, bytes)):
        raise TypeError(f"target must be a number or None, not {target!r}")
    try:
        value = float(target)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise TypeError(f"target must be a number or None, not {target!r}") from None
    if not math.isfinite(value):
        raise ValueError(f"target must be a finite number, not {target!r}")
    return value
