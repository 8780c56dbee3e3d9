"""The generated pages of the proof docs: one per theorem (its body is the ``theorem``
directive's), one per source paper, the papers' index and the catalogue's table."""

from __future__ import annotations

from collections import defaultdict

import sympy as sp

import theorems
from theorems import Theorem

from .. import report as reports
from ..resolution import describe
from .figures import figures_of
from .plots import plot_caption
from .rst import GENERATED, claim_latex, fmt4, latex, math_role, rst_escape, short_params, slug

SOURCE_KINDS = {  # what a statement of each source kind is, after "This statement is a **…**"
    "quotation": " of the paper's result.",
    "reconstruction": ": the paper's text was not available, so this is the standard "
    "mathematics its abstract names.",
    "strengthening": ": a sharper statement derived and proved by the project.",
}
PROOF_MARKS = {True: "✓ proved by sympy", False: "✗ FALSE", None: "not proved by sympy"}


def papers(catalogue: list[Theorem]) -> dict[str, list[Theorem]]:
    out: dict[str, list[Theorem]] = defaultdict(list)
    for t in catalogue:
        out[t.source.paper].append(t)
    return dict(out)


def theorem_page(thm: Theorem) -> str:
    title = rst_escape(f"{thm.id} — {thm.title}")
    return f".. _thm-{thm.id}:\n\n{title}\n{'=' * len(title)}\n\n.. theorem:: {thm.id}\n"


def paper_page(paper: str, items: list[Theorem]) -> str:
    title = rst_escape(paper)
    cites = sorted({t.source.cite for t in items if t.source.cite})
    lines = [title, "=" * len(title), ""]
    if cites:
        lines += [f"Source: {', '.join(f':cite:t:`{c}`' for c in cites)}.", ""]
    lines += [f".. theorem-table:: {paper}", ""]
    for cite in cites:
        for fig in figures_of(cite):
            lines += [f".. figure:: /{GENERATED}/plots/{fig.name}", "   :width: 100%", ""]
            lines += [f"   {fig.caption}", ""]
    lines += [".. toctree::", "   :maxdepth: 1", ""]
    lines += [f"   /{GENERATED}/theorems/{t.id}" for t in items]
    return "\n".join(lines) + "\n"


def papers_index(groups: dict[str, list[Theorem]]) -> str:
    lines = ["Source papers", "=============", "", ".. toctree::", "   :maxdepth: 1", ""]
    lines += [f"   /{GENERATED}/papers/{slug(p)}" for p in groups]
    return "\n".join(lines) + "\n"


def theorem_table(items: list[Theorem], report: dict | None) -> str:
    lines = [
        ".. list-table::",
        "   :header-rows: 1",
        "",
        "   * - theorem",
        "     - claim",
        "     - expect",
        "     - verdict",
        "     - strength",
    ]
    for t in items:
        row, stale = reports.evidence_for(t, report)
        verdict = row["verdict"] if row else "no evidence"
        if stale:
            verdict += " (stale)"
        lines += [
            f"   * - :ref:`{t.id} <thm-{t.id}>`",
            f"     - {rst_escape(t.title)}",
            f"     - {t.expect}",
            f"     - {verdict}",
            f"     - {(row or {}).get('strength') or '—'}",
        ]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# a theorem's page body, section by section
# --------------------------------------------------------------------------------------------


def theorem_body(thm: Theorem, row: dict | None, stale: bool, plot: str | None) -> str:
    """The reStructuredText of a theorem page (below its title)."""
    out = _banner(thm)
    out += _statement(thm)
    out += _parameters(thm)
    out += _source(thm)
    out += _proof_steps(thm)
    out += _evidence(thm, row, stale, plot)
    return "\n".join(out) + "\n"


def _banner(thm: Theorem) -> list[str]:
    """A finding's warning, or a negative control's note."""
    if thm.finding:
        return [
            ".. warning::",
            "",
            "   Finding: the paper's claim is not borne out here (expected verdict: ``fail``). "
            + rst_escape(thm.finding),
            "",
        ]
    if thm.expect == "fail":
        return [
            ".. note::",
            "",
            "   Negative control: a hypothesis is dropped, so the claim must be "
            "refuted (expected verdict: ``fail``).",
            "",
        ]
    return []


def _statement(thm: Theorem) -> list[str]:
    c = thm.claim
    out = ["Statement", "---------", "", ".. math::", "", f"   {claim_latex(thm)}", ""]
    if c.measured:
        out += [f"Measured: {rst_escape(c.measured)}.", ""]
    details = [f"claim kind ``{c.kind}``"]
    if c.margin is not None:
        details.append(f"equivalence margin {c.margin}")
    if c.tolerance is not None:
        details.append(f"tolerance {c.tolerance}")
    if c.existential:
        details.append("existential: a construction that misses the bound is inconclusive")
    return out + ["; ".join(details) + ".", ""]


def _parameters(thm: Theorem) -> list[str]:
    """The parameters' domains, the assumptions and the fixed settings."""
    out = ["Parameters and assumptions", "--------------------------", ""]
    out += [".. list-table::", "   :header-rows: 1", "", "   * - parameter", "     - domain"]
    for sym, dom in thm.parameters.items():
        out += [f"   * - {math_role(latex(sym))}", f"     - {rst_escape(dom.describe())}"]
    out.append("")
    if thm.assumptions:
        out += ["Assumptions: " + ", ".join(math_role(latex(a)) for a in thm.assumptions) + ".", ""]
    if thm.fixed:
        out += [
            "Fixed settings: " + "; ".join(_fixed_item(k, v) for k, v in thm.fixed.items()) + ".",
            "",
        ]
    return out


def _fixed_item(key, value) -> str:
    """A fixed setting for the page: sympy values typeset, long tables shortened to their keys."""
    if isinstance(value, dict) and value and all(isinstance(v, sp.Basic) for v in value.values()):
        shown = [
            f"{rst_escape(k)}: {math_role(latex(v))}"
            for k, v in value.items()
            if len(sp.latex(v)) <= 80
        ]
        hidden = [rst_escape(k) for k, v in value.items() if len(sp.latex(v)) > 80]
        text = ", ".join(
            shown + ([f"{', '.join(hidden)} (long; see the source)"] if hidden else [])
        )
        return f"{rst_escape(key)} = {{{text}}}"
    return rst_escape(f"{key} = {value}")


def _source(thm: Theorem) -> list[str]:
    """Where the statement comes from, what it builds on and what uses it, and its notes."""
    src = thm.source
    cite = f" :cite:p:`{src.cite}`" if src.cite else ""
    out = ["Source", "------", ""]
    out += [
        f"{rst_escape(src.paper)}, {rst_escape(src.locator)}{cite}. This statement is a "
        f"**{src.kind}**" + SOURCE_KINDS[src.kind],
        "",
    ]
    if thm.uses:
        out += ["Builds on: " + ", ".join(f":ref:`{u} <thm-{u}>`" for u in thm.uses) + ".", ""]
    users = [t.id for t in theorems.all() if thm.id in t.uses]
    if users:
        out += ["Used by: " + ", ".join(f":ref:`{u} <thm-{u}>`" for u in users) + ".", ""]
    if thm.notes:
        out += [rst_escape(thm.notes), ""]
    return out


def _proof_steps(thm: Theorem) -> list[str]:
    from ..proofs import proof_status

    out = ["Proof steps", "-----------", ""]
    if not thm.proof:
        out += ["No symbolic step: the claim is checked numerically only.", ""]
    for step, status in zip(thm.proof, proof_status(thm), strict=True):
        out += [
            f"* {rst_escape(step.statement)} — *{PROOF_MARKS[status['proved']]}*",
            "",
            "  .. math::",
            "",
            f"     {step.latex()}",
            "",
        ]
    return out


def _evidence(thm: Theorem, row: dict | None, stale: bool, plot: str | None) -> list[str]:
    """The report row's verdict and details, its counterexample and its plot."""
    out = ["Evidence", "--------", ""]
    if row is None:
        return out + [f"No evidence yet: run ``verify run {thm.id}``.", ""]
    if stale:
        out += [
            ".. warning::",
            "",
            "   Stale evidence: the theorem's definition changed since "
            "this report was made (its hash differs). Run ``verify run "
            f"{thm.id}`` again.",
            "",
        ]
    out += _evidence_table(thm, row)
    if row.get("message"):
        out += [rst_escape(row["message"]), ""]
    cex = row.get("counterexample")
    if cex:
        out += [
            "Counterexample (replay it with):",
            "",
            ".. code-block:: console",
            "",
            f"   $ {cex['command']}",
            "",
        ]
    if plot:
        out += [
            f".. figure:: {plot}",
            "   :class: theorem-plot",
            f"   :alt: evidence plot for {thm.id}",
            "",
            f"   {rst_escape(plot_caption(thm))}",
            "",
        ]
    return out


def _evidence_table(thm: Theorem, row: dict) -> list[str]:
    verdict = row["verdict"]
    expected = "as expected" if verdict == row["expect"] else f"expected {row['expect']}"
    seeds = row.get("seeds") or []
    resolution = describe(thm.claim.kind, row.get("resolution"), row.get("resolution_note", ""))
    out = [
        ".. list-table::",
        "",
        "   * - verdict",
        f"     - **{verdict}** ({expected})",
        "   * - strength",
        f"     - {row.get('strength') or '—'}",
        "   * - points",
        f"     - {row['points']}",
        "   * - seeds",
        f"     - {len(seeds)} ({rst_escape(', '.join(map(str, seeds[:4])))}"
        f"{', …' if len(seeds) > 4 else ''})",
        "   * - confidence",
        f"     - {row['confidence']}",
        "   * - tightness",
        f"     - {fmt4(row.get('tightness'))}",
        "   * - resolution",
        "     - " + rst_escape(resolution),
    ]
    worst = row.get("worst")
    if worst:
        shown = {k: v for k, v in worst.items() if k not in ("params", "seed")}
        out += [
            "   * - worst point",
            f"     - {rst_escape(short_params(worst.get('params', {})))} "
            f"(seed {worst.get('seed')}): "
            + rst_escape(", ".join(f"{k} = {fmt4(v)}" for k, v in shown.items())),
        ]
    return out + [""]
