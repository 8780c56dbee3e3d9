"""Hypothesis strategies over theorems' parameter domains, for property-based suites.

>>> import theorems
>>> from verify.strategies import points
>>> strategy = points(theorems.get("markov.state_count"))   # draws {"T": ..., "K": ...}

Every drawn point lies in the domains and satisfies the theorem's assumptions. Besides values
from anywhere inside, the edge values are drawn often: the smallest integers (and the next ones),
the largest, the ends of closed intervals, and interior reals a third and a seventh of the way
that no short binary fraction hits. Failures shrink the way hypothesis shrinks: towards the
smallest integers and the roundest reals.
"""

from __future__ import annotations

import math

from hypothesis import strategies as st

from theorems import Theorem
from theorems.domains import Domain, FiniteSet, Interval, IntRange, LogUniform

from .profiles import Profile, get_profile

__all__ = ["edge_values", "domain_values", "points"]


def edge_values(dom: Domain) -> list:
    """The values a search should try first, simplest first."""
    if isinstance(dom, FiniteSet):
        return list(dom.values)
    if isinstance(dom, IntRange):
        edges = [dom.lo, dom.lo + 1, dom.lo + 2, dom.hi]
        return [v for v in dict.fromkeys(edges) if dom.lo <= v <= dom.hi]
    if isinstance(dom, Interval):
        lo, hi = dom.lo, dom.hi
        inner = [lo + (hi - lo) / 3, lo + (hi - lo) / 7, lo + 2 * (hi - lo) / 3]
        ends = [v for v, closed in ((lo, dom.closed[0]), (hi, dom.closed[1])) if closed]
        return [v for v in dict.fromkeys([*ends, *inner]) if dom.contains(v)]
    if isinstance(dom, LogUniform):
        a, b = math.log(dom.lo), math.log(dom.hi)
        inner = [math.exp(a + (b - a) / 3), math.exp(a + 2 * (b - a) / 3)]
        return [v for v in dict.fromkeys([dom.lo, dom.hi, *inner]) if dom.contains(v)]
    raise TypeError(f"no strategy for the domain {dom!r}")


def domain_values(dom: Domain) -> st.SearchStrategy:
    """Values of one domain: anything inside it, or one of its edge values."""
    edges = st.sampled_from(edge_values(dom))
    if isinstance(dom, FiniteSet):
        return edges
    if isinstance(dom, IntRange):
        return st.one_of(st.integers(dom.lo, dom.hi), edges)
    if isinstance(dom, Interval):
        inside = st.floats(
            dom.lo,
            dom.hi,
            exclude_min=not dom.closed[0],
            exclude_max=not dom.closed[1],
            allow_nan=False,
        )
        return st.one_of(inside, edges)
    if isinstance(dom, LogUniform):
        a, b = math.log(dom.lo), math.log(dom.hi)
        inside = st.floats(dom.lo, dom.hi, allow_nan=False)
        logs = st.floats(a, b).map(math.exp).filter(dom.contains)
        return st.one_of(inside, logs, edges)
    raise TypeError(f"no strategy for the domain {dom!r}")


def points(theorem: Theorem, profile: str | Profile | None = None) -> st.SearchStrategy[dict]:
    """Parameter points of ``theorem``: ``{name: value}`` inside every domain and satisfying every
    assumption; with ``profile``, also within the size its profile allows (the theorem's
    ``budget`` at most ``caps[profile]``), so that each example stays affordable."""
    parts = {sym.name: domain_values(dom) for sym, dom in theorem.parameters.items()}
    cap = theorem.caps.get(get_profile(profile).name, math.inf) if profile else math.inf

    def affordable(p) -> bool:
        return cap == math.inf or theorem.budget_at(p) <= cap

    return st.fixed_dictionaries(parts).filter(theorem.satisfies).filter(affordable)
