"""The vocabulary of results: a check's :class:`Verdict` and its evidence :class:`Strength`, the
same words in the reports, JUnit, the CLI's colours and the docs' colours. Both are string
enumerations: each member is its string, so reports and comparisons with plain strings are
unchanged."""

from __future__ import annotations

from enum import StrEnum


class Verdict(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    INCONCLUSIVE = "inconclusive"
    ERROR = "error"


class Strength(StrEnum):
    """How strong the evidence of a pass is, strongest first (DESIGN.md, "Core objects")."""

    PROVED = "proved"
    CERTIFIED = "certified"
    NUMERIC = "numerically consistent"
    STATISTICAL = "statistical"
