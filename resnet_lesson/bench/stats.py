"""Alternating measurements and the arithmetic on them: medians, ratios, spreads.

Every comparison in ``resnet-lesson bench`` runs its sides in turn, round after round
(A, B, A, B, ...), so that a change in the machine's load slows both sides alike. Each
round then gives its own ratio (A against the B run right after it); the spread of
those ratios says how far the load moved the answer, and a distribution-free interval
for their median says how stable the reported figure is.
"""

import math
import statistics


def median(values):
    return statistics.median(values) if values else float("nan")


def ratio(ours, peer):
    return ours / peer if peer else float("nan")


def alternate(sides, rounds, measure):
    """Run ``measure(side)`` for each side in turn, ``rounds`` times; return lists.

    The order is A, B, A, B, ...: both sides see the same drift in machine load.
    """
    return alternate_until(sides, measure, rounds, rounds)


def alternate_until(sides, measure, min_rounds, max_rounds, stop=None):
    """Like :func:`alternate`, but after ``min_rounds`` keep going, one round at a time,
    until ``stop(results)`` is true or ``max_rounds`` rounds are done."""
    results = {side: [] for side in sides}
    for done in range(1, max(min_rounds, max_rounds) + 1):
        for side in sides:
            results[side].append(measure(side))
        if done >= min_rounds and (stop is None or stop(results)):
            break
    return results


def round_ratios(ours, peer):
    """Each round's ratio ``ours / peer`` (both lists in round order)."""
    return [ratio(o, p) for o, p in zip(ours, peer)]


def median_interval(values, confidence=0.95):
    """A distribution-free interval for the median of ``values``, or None if too few.

    Order statistics: with n values, the k-th smallest and the k-th largest bracket the
    true median with probability 1 - 2 P(Binomial(n, 1/2) < k); k is the largest that
    keeps that at least ``confidence``. Needs at least 6 values for 95 %.
    """
    n = len(values)
    tail = (1.0 - confidence) / 2.0
    below, k = 0.0, 0
    while k < n:
        below += math.comb(n, k) / 2.0**n
        if below > tail:
            break
        k += 1
    if k == 0:
        return None
    ordered = sorted(values)
    return ordered[k - 1], ordered[n - k]


def spread(values, confidence=0.95):
    """Median, quartiles, extremes and the median's interval of ``values``.

    ``stable_within`` is the interval's larger distance from the median, as a fraction
    of the median: the "stable to a few percent" figure (None with too few values).
    """
    if not values:
        return {"n": 0}
    mid = median(values)
    if len(values) >= 2:
        q1, _, q3 = statistics.quantiles(values, n=4, method="inclusive")
    else:
        q1 = q3 = values[0]
    interval = median_interval(values, confidence)
    stable = None
    if interval is not None and mid:
        stable = max(mid - interval[0], interval[1] - mid) / abs(mid)
    return {
        "n": len(values),
        "median": mid,
        "quartiles": [q1, q3],
        "range": [min(values), max(values)],
        "median_interval": list(interval) if interval else None,
        "confidence": confidence,
        "stable_within": stable,
    }


def format_spread(summary, digits=2):
    """One line: ``median 1.02 (middle half 0.98-1.05, all 0.90-1.12, 15 rounds; 95 %
    interval of the median 0.99-1.04, within 2.5 %)``."""
    f = f"{{:.{digits}f}}"
    text = (
        f"median {f.format(summary['median'])} (middle half "
        f"{f.format(summary['quartiles'][0])}-{f.format(summary['quartiles'][1])}, all "
        f"{f.format(summary['range'][0])}-{f.format(summary['range'][1])}, "
        f"{summary['n']} rounds"
    )
    interval = summary.get("median_interval")
    if interval:
        text += (
            f"; {summary['confidence']:.0%} interval of the median "
            f"{f.format(interval[0])}-{f.format(interval[1])}, within "
            f"{summary['stable_within']:.1%}"
        )
    return text + ")"
