"""Semantic compression (Liao, Chang and Hong, arXiv 2404.07009): an enumerative code for skill
sets, the count with a Shannon code for its Poisson law, then the set's rank."""

from __future__ import annotations

import math

import mpmath
import numpy as np


def poisson_pmf(d: float, k_max: int) -> list:
    """``Poisson(d)`` conditioned on ``K ≤ k_max`` (renormalised), in mpmath at 40 digits."""
    with mpmath.workdps(40):
        w = [mpmath.mpf(d) ** k / mpmath.factorial(k) for k in range(k_max + 1)]
        total = sum(w)
        return [v / total for v in w]


class SkillSetCode:
    """An enumerative code for skill sets: the count ``k`` with a Shannon code for ``Poisson(d)``
    (length ``⌈−log₂ P(k)⌉``, canonical codewords), then the set's rank among the
    ``C(N_s, k)`` ``k``-subsets in the combinatorial number system, in ``⌈log₂ C(N_s, k)⌉`` bits.

    The count is ``Poisson(d)`` conditioned on ``K ≤ k_max`` (``k_max = N_s`` for small ``N_s``,
    else far enough in the tail that the mass cut off is below 1e-30)."""

    def __init__(self, n_skills: int, d: float, k_max: int | None = None):
        if n_skills < 1:
            raise ValueError(f"N_s must be an integer ≥ 1, got {n_skills!r}")
        if not d > 0:
            raise ValueError(f"d must be a real number > 0, got {d!r}")
        self.n, self.d = int(n_skills), float(d)
        self.k_max = min(self.n, k_max if k_max is not None else int(d + 12 * math.sqrt(d) + 25))
        pmf = poisson_pmf(d, self.k_max)
        self.pmf = pmf
        self.lengths = [int(mpmath.ceil(-mpmath.log(p, 2))) for p in pmf]
        self.codes = _canonical(self.lengths)
        self.decode_table = {(self.lengths[k], c): k for k, c in enumerate(self.codes)}
        self.index_bits = [_ceil_log2(math.comb(self.n, k)) for k in range(self.k_max + 1)]

    def encode(self, skills) -> str:
        s = sorted(set(int(x) for x in skills))
        k = len(s)
        if k > self.k_max or (s and not 0 <= s[0] <= s[-1] < self.n):
            raise ValueError(f"skill set of size {k} is outside the code's range")
        rank = sum(math.comb(c, i + 1) for i, c in enumerate(s))
        head = format(self.codes[k], f"0{self.lengths[k]}b")
        body = format(rank, f"0{self.index_bits[k]}b") if self.index_bits[k] else ""
        return head + body

    def decode(self, bits: str) -> list[int]:
        for length in range(1, len(bits) + 1):
            k = self.decode_table.get((length, int(bits[:length], 2)))
            if k is not None:
                break
        else:
            raise ValueError("not a codeword")
        body = bits[length : length + self.index_bits[k]]
        rank = int(body, 2) if body else 0
        out, hi = [], self.n
        for i in range(k, 0, -1):  # greedy inversion: the largest c < hi with C(c, i) ≤ rank
            lo, top = i - 1, hi - 1
            while lo < top:  # binary search (C(c, i) grows with c)
                mid = (lo + top + 1) // 2
                if math.comb(mid, i) <= rank:
                    lo = mid
                else:
                    top = mid - 1
            out.append(lo)
            rank -= math.comb(lo, i)
            hi = lo
        return sorted(out)

    def entropy_bits(self) -> float:
        """Exact entropy of the skill set: ``H(K) + E[log₂ C(N_s, K)]`` (bits)."""
        with mpmath.workdps(40):
            h = mpmath.mpf(0)
            for k, p in enumerate(self.pmf):
                if p > 0:
                    h += p * (-mpmath.log(p, 2) + mpmath.log(math.comb(self.n, k), 2))
            return float(h)

    def sample(self, rng: np.random.Generator, k: int | None = None):
        """A skill set: ``k`` (drawn from the count's law unless given) distinct skills."""
        if k is None:
            cdf = np.cumsum([float(p) for p in self.pmf])
            k = int(min(np.searchsorted(cdf, rng.random() * cdf[-1]), self.k_max))
        return rng.choice(self.n, size=k, replace=False) if k else np.empty(0, dtype=int)

    def mean_length(self, rng: np.random.Generator) -> float:
        """The exact mean code length ``Σ_k P(k) · len(encode(S_k))``, each ``S_k`` a random
        ``k``-set actually encoded (and decoded back) by this code."""
        total = mpmath.mpf(0)
        for k, p in enumerate(self.pmf):
            s = self.sample(rng, k)
            bits = self.encode(s)
            if self.decode(bits) != sorted(int(v) for v in s):
                raise AssertionError(f"round trip failed for a set of size {k}")
            total += p * len(bits)
        return float(total)


def _canonical(lengths: list[int]) -> list[int]:
    order = sorted(range(len(lengths)), key=lambda k: (lengths[k], k))
    codes = [0] * len(lengths)
    code, prev = 0, lengths[order[0]]
    for j, k in enumerate(order):
        if j:
            code = (code + 1) << (lengths[k] - prev)
        codes[k] = code
        prev = lengths[k]
    return codes


def _ceil_log2(n: int) -> int:
    return 0 if n <= 1 else (n - 1).bit_length()
