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

SOURCE_KINDS = {  # what a statement of each source kind is, in a sentence
    "quotation": "This statement is a **quotation** of the paper's result.",
    "reconstruction": "This statement is a **reconstruction**: the paper's text was not "
    "available, so this is the standard mathematics its abstract names.",
    "derived": "This statement is **derived**: the paper does not state it; the project derives "
    "it from the paper's lemma named in the locator.",
    "strengthening": "This statement is a **strengthening**: a sharper statement derived and "
    "proved by the project.",
    "original": "This statement is **original**: its authors' own result, not taken from a paper.",
}
_ONLY: dict[str, str] = {"pattern": ""}  # the theorems a site shows (verify docs --only)


def set_only(pattern: str) -> None:
    """Make the pages show only the theorems whose ids match ``pattern`` (``""``: all of them):
    a site of one's own theorems, with no reference to pages it does not build."""
    _ONLY["pattern"] = pattern or ""


def catalogue() -> list[Theorem]:
    """The theorems the site shows: all, or those matching :func:`set_only`'s pattern."""
    import fnmatch

    pattern = _ONLY["pattern"]
    return [t for t in theorems.all() if not pattern or fnmatch.fnmatchcase(t.id, pattern)]


def cite(key: str, style: str = "p") -> str:
    """A citation: the bibliography's role on the project's site, the key in brackets on a site
    of one's own theorems (which has no bibliography)."""
    return f"[{rst_escape(key)}]" if _ONLY["pattern"] else f":cite:{style}:`{key}`"


def _thm_ref(tid: str) -> str:
    """A link to a theorem's page where the site has it, else its id as text."""
    if tid in {t.id for t in catalogue()}:
        return f":ref:`{tid} <thm-{tid}>`"
    return f"``{tid}``"


METHOD_WORDS = {
    "sympy": "sympy",
    "interval": "ball arithmetic",
    "numeric": "numerics (a lemma)",
    "cited": "cited",
}
MACHINE_CHECKED = frozenset({"proved", "certified", "checked"})


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
        lines += [f"Source: {', '.join(cite(c, 't') for c in cites)}.", ""]
    done, total = machine_checked_share(items)
    if total:
        lines += [
            f"Proof steps machine-checked: {done} of {total} ({done / total:.0%}): proved by "
            "sympy, certified by ball arithmetic, or checked numerically; the rest are cited or "
            "open.",
            "",
        ]
    else:
        lines += ["No proof step is encoded for this paper's theorems yet.", ""]
    lines += [f".. theorem-table:: {paper}", ""]
    for key in cites if not _ONLY["pattern"] else ():  # the catalogue's figures: its own site
        for fig in figures_of(key):
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
    out += _proof_steps(thm, step_rows(thm, row, stale))
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
    if thm.parameters:
        out += [".. list-table::", "   :header-rows: 1", "", "   * - parameter", "     - domain"]
        for sym, dom in thm.parameters.items():
            out += [f"   * - {math_role(latex(sym))}", f"     - {rst_escape(dom.describe())}"]
    else:
        out += ["No parameters: the claim is checked at one point, as it stands."]
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
    where = f" {cite(src.cite)}" if src.cite else ""
    out = ["Source", "------", ""]
    out += [
        f"{rst_escape(src.paper)}, {rst_escape(src.locator)}{where}. " + SOURCE_KINDS[src.kind],
        "",
    ]
    if thm.uses:
        out += ["Builds on: " + ", ".join(_thm_ref(u) for u in thm.uses) + ".", ""]
    users = [t.id for t in catalogue() if thm.id in t.uses]
    if users:
        out += ["Used by: " + ", ".join(_thm_ref(u) for u in users) + ".", ""]
    if thm.notes:
        out += [rst_escape(thm.notes), ""]
    return out


def step_rows(thm: Theorem, row: dict | None = None, stale: bool = True) -> list[dict]:
    """The steps' statuses: the report's (which holds numeric lemmas' outcomes) when it is
    fresh, else computed here (sympy and ball arithmetic; cached by the step's hash)."""
    from ..proofs import proof_status

    fresh = (row or {}).get("evidence", {}).get("proof") if row is not None and not stale else None
    if fresh and len(fresh) == len(thm.proof) and all("status" in r for r in fresh):
        return fresh
    return proof_status(thm)


def _proof_steps(thm: Theorem, rows: list[dict]) -> list[str]:
    out = ["Proof", "-----", ""]
    if not thm.proof:
        return out + ["No proof step: the claim is checked numerically only.", ""]
    checked = sum(r["status"] in MACHINE_CHECKED for r in rows)
    out += [f"{checked} of {len(rows)} steps machine-checked.", ""]
    for i, (step, r) in enumerate(zip(thm.proof, rows, strict=True), 1):
        paper = f" *(the paper's argument, {rst_escape(step.locator)})*" if step.paper else ""
        out += [
            f"{i}. :step:`{r['status']}` **{rst_escape(r['name'])}** "
            f"({METHOD_WORDS[r['method']]}){paper}: {rst_escape(step.statement)}",
            "",
        ]
        if step.latex():
            out += ["   .. math::", "", f"      {step.latex()}", ""]
        out += [f"   {line}" for line in _step_details(step, r)]
    return out


def _step_details(step, r: dict) -> list[str]:
    """What decided a step: its certificates or counterexample, its reference, what it uses."""
    out = []
    certs = r.get("certificates") or []
    if r.get("counterexample"):
        at = ", ".join(f"{k} = {v}" for k, v in r["counterexample"].items())
        out += [f"False at {rst_escape(at)}: {rst_escape(r.get('note', ''))}", ""]
    elif certs:
        boxes = sum(c["boxes"] for c in certs)
        secs = sum(c["seconds"] for c in certs)
        box = ", ".join(f"{k} ∈ [{lo:g}, {hi:g}]" for k, (lo, hi) in certs[0]["box"].items())
        more = f" (and {len(certs) - 1} more)" if len(certs) > 1 else ""
        out += [
            f"Ball arithmetic over {rst_escape(box)}{more}: {boxes} sub-boxes, {secs:.2f} s"
            + (f"; {rst_escape(r['note'])}" if r["status"] == "open" else "."),
            "",
        ]
    elif r["status"] in ("open", "failed") and r.get("note"):
        out += [rst_escape(r["note"]), ""]
    if step.method == "cited":
        where = f", {rst_escape(step.locator)}" if step.locator else ""
        out += [f"Cited: {cite(step.reference, 't')}{where}.", ""]
    if step.method == "numeric":
        out += [
            f"Lemma: :ref:`{step.lemma.id} <thm-{step.lemma.id}>`."
            if step.lemma.id in {t.id for t in catalogue()}
            else f"Lemma: {rst_escape(step.lemma.title)}.",
            "",
        ]
    if step.uses:
        out += ["Uses: " + ", ".join(_use_ref(u) for u in step.uses) + ".", ""]
    if step.closes:
        out += ["This step closes the argument.", ""]
    return out


def _use_ref(u: str) -> str:
    return _thm_ref(u) if "." in u else f"**{rst_escape(u)}**"


def machine_checked_share(items: list[Theorem]) -> tuple[int, int]:
    """``(machine-checked steps, steps)`` over ``items``."""
    rows = [r for t in items for r in step_rows(t)]
    return sum(r["status"] in MACHINE_CHECKED for r in rows), len(rows)


def findings_list(catalogue: list[Theorem]) -> str:
    """The findings: failed steps of a paper's own argument, and theorems that are findings."""
    lines = []
    for t in catalogue:
        for step, r in zip(t.proof, step_rows(t), strict=True):
            if step.paper and r["status"] == "failed":
                lines.append(
                    f"* :ref:`{t.id} <thm-{t.id}>`, {rst_escape(step.locator)}: the step "
                    f"“{rst_escape(step.statement)}” fails ({METHOD_WORDS[r['method']]})."
                )
        if t.finding:
            lines.append(f"* :ref:`{t.id} <thm-{t.id}>`: {rst_escape(t.finding)}")
    if not lines:
        return "No finding: every step of the papers' arguments that was checked holds.\n"
    return "\n".join(lines) + "\n"


def _evidence(thm: Theorem, row: dict | None, stale: bool, plot: str | None) -> list[str]:
    """The report row's verdict and details, its counterexample and its plot."""
    out = ["Evidence", "--------", ""]
    if row is None:
        return out + [f"No evidence yet: run ``verify run {thm.id}``.", ""]
    if stale:
        out += [
            ".. warning::",
            "",
            "   Stale evidence: the theorem's definition or its experiment's code changed "
            "since this result was made (a hash differs). Run ``verify run "
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
        "   * - run",
        f"     - {rst_escape(reports.provenance(row))}",
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
