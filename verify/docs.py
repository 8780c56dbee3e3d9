"""The data behind the proof docs: generated pages, plots and the dependency graph, built from the
registry (``theorems``) and the latest report. The Sphinx glue is in :mod:`verify.sphinxext`;
``verify docs`` (and ``make docs``) call :func:`build`."""

from __future__ import annotations

import io
import json
import math
import re
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import numpy as np
import sympy as sp

import theorems
from theorems import Theorem

from . import report as reports
from .resolution import describe

GENERATED = "_generated"
VERDICT_COLOURS = {
    "pass": "#2e7d32",
    "fail": "#c62828",
    "inconclusive": "#f9a825",
    "error": "#212121",
    None: "#9e9e9e",
}
STRENGTH_EDGE = {  # (edge width, line style) by evidence strength
    "proved": (3.5, "solid"),
    "certified": (2.5, "solid"),
    "numerically consistent": (1.5, "solid"),
    "statistical": (1.5, "dashed"),
    None: (1.0, "dotted"),
}
RELATION = {"identity": "=", "upper_bound": r"\leq", "lower_bound": r"\geq"}
LATEX_NAMES = {"eps": r"\varepsilon", "top_k": "k"}


def latex(expr) -> str:
    """sympy's LaTeX with the project's symbol names (``eps`` → ε)."""
    expr = sp.sympify(expr)
    names = {s: LATEX_NAMES[s.name] for s in expr.free_symbols if s.name in LATEX_NAMES}
    return sp.latex(expr, symbol_names=names)


# --------------------------------------------------------------------------------------------
# text helpers
# --------------------------------------------------------------------------------------------


def rst_escape(text: str) -> str:
    """Escape reStructuredText inline markup characters in plain text."""
    return re.sub(r"([\\*`|_])", r"\\\1", str(text))


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def math_role(latex: str) -> str:
    return f":math:`{latex}`"


def claim_latex(thm: Theorem) -> str:
    """The claim as one LaTeX formula: ``\\text{measured} \\leq …`` and the like."""
    c = thm.claim
    rhs = latex(c.expr)
    var = latex(c.variable) if c.variable is not None else ""
    if c.kind in RELATION:
        if c.limit:
            return rf"\lim_{{{c.limit} \to \infty}} \text{{measured}} = {rhs}"
        return rf"\text{{measured}} {RELATION[c.kind]} {rhs}"
    if c.kind == "rate":
        return rf"\text{{measured}}({var}) \sim C \cdot {rhs}"
    if c.kind == "threshold":
        return rf"\text{{the regime changes at }} {rhs}"
    if c.kind == "monotone":
        word = "non-decreasing" if c.direction == "increasing" else "non-increasing"
        return rf"{rhs} \text{{ is {word} in }} {var}"
    if c.kind == "probability":
        return rf"P\left(\text{{measured}} \leq {rhs}\right) \geq {c.level}"
    return rhs


def _fmt4(x) -> str:
    return reports.fmt(x, 4)


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


def _short_params(params: dict) -> str:
    return ", ".join(f"{k} = {v}" for k, v in params.items())


# --------------------------------------------------------------------------------------------
# pages
# --------------------------------------------------------------------------------------------


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
        if cite in PAPER_FIGURES:
            name, _, caption = PAPER_FIGURES[cite]
            lines += [f".. figure:: /{GENERATED}/plots/{name}", "   :width: 100%", ""]
            lines += [f"   {caption}", ""]
    lines += [".. toctree::", "   :maxdepth: 1", ""]
    lines += [f"   /{GENERATED}/theorems/{t.id}" for t in items]
    return "\n".join(lines) + "\n"


def papers_index(groups: dict[str, list[Theorem]]) -> str:
    lines = ["Source papers", "=============", "", ".. toctree::", "   :maxdepth: 1", ""]
    lines += [f"   /{GENERATED}/papers/{slug(p)}" for p in groups]
    return "\n".join(lines) + "\n"


def theorem_body(thm: Theorem, row: dict | None, stale: bool, plot: str | None) -> str:
    """The reStructuredText of a theorem page (below its title)."""
    c = thm.claim
    out = []
    if thm.finding:
        out += [
            ".. warning::",
            "",
            "   Finding: the paper's claim is not borne out here (expected verdict: ``fail``). "
            + rst_escape(thm.finding),
            "",
        ]
    elif thm.expect == "fail":
        out += [
            ".. note::",
            "",
            "   Negative control: a hypothesis is dropped, so the claim must be "
            "refuted (expected verdict: ``fail``).",
            "",
        ]
    out += ["Statement", "---------", "", ".. math::", "", f"   {claim_latex(thm)}", ""]
    if c.measured:
        out += [f"Measured: {rst_escape(c.measured)}.", ""]
    details = [f"claim kind ``{c.kind}``"]
    if c.margin is not None:
        details.append(f"equivalence margin {c.margin}")
    if c.tolerance is not None:
        details.append(f"tolerance {c.tolerance}")
    if c.existential:
        details.append("existential: a construction that misses the bound is inconclusive")
    out += ["; ".join(details) + ".", ""]
    out += ["Parameters and assumptions", "--------------------------", ""]
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
    out += ["Source", "------", ""]
    src = thm.source
    cite = f" :cite:p:`{src.cite}`" if src.cite else ""
    out += [
        f"{rst_escape(src.paper)}, {rst_escape(src.locator)}{cite}. This statement is a "
        f"**{src.kind}**"
        + {
            "quotation": " of the paper's result.",
            "reconstruction": ": the paper's text was not available, so this is the standard "
            "mathematics its abstract names.",
            "strengthening": ": a sharper statement derived and proved by the project.",
        }[src.kind],
        "",
    ]
    if thm.uses:
        out += ["Builds on: " + ", ".join(f":ref:`{u} <thm-{u}>`" for u in thm.uses) + ".", ""]
    users = [t.id for t in theorems.all() if thm.id in t.uses]
    if users:
        out += ["Used by: " + ", ".join(f":ref:`{u} <thm-{u}>`" for u in users) + ".", ""]
    if thm.notes:
        out += [rst_escape(thm.notes), ""]
    out += ["Proof steps", "-----------", ""]
    if not thm.proof:
        out += ["No symbolic step: the claim is checked numerically only.", ""]
    from .proofs import proof_status

    for step, status in zip(thm.proof, proof_status(thm), strict=True):
        mark = {True: "✓ proved by sympy", False: "✗ FALSE", None: "not proved by sympy"}
        out += [
            f"* {rst_escape(step.statement)} — *{mark[status['proved']]}*",
            "",
            "  .. math::",
            "",
            f"     {step.latex()}",
            "",
        ]
    out += ["Evidence", "--------", ""]
    if row is None:
        out += [f"No evidence yet: run ``verify run {thm.id}``.", ""]
        return "\n".join(out) + "\n"
    if stale:
        out += [
            ".. warning::",
            "",
            "   Stale evidence: the theorem's definition changed since "
            "this report was made (its hash differs). Run ``verify run "
            f"{thm.id}`` again.",
            "",
        ]
    verdict = row["verdict"]
    expected = "as expected" if verdict == row["expect"] else f"expected {row['expect']}"
    seeds = row.get("seeds") or []
    out += [
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
        f"     - {_fmt4(row.get('tightness'))}",
        "   * - resolution",
        "     - "
        + rst_escape(describe(c.kind, row.get("resolution"), row.get("resolution_note", ""))),
    ]
    worst = row.get("worst")
    if worst:
        shown = {k: v for k, v in worst.items() if k not in ("params", "seed")}
        out += [
            "   * - worst point",
            f"     - {rst_escape(_short_params(worst.get('params', {})))} "
            f"(seed {worst.get('seed')}): "
            + rst_escape(", ".join(f"{k} = {_fmt4(v)}" for k, v in shown.items())),
        ]
    out.append("")
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
    return "\n".join(out) + "\n"


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
# plots
# --------------------------------------------------------------------------------------------


def plot_caption(thm: Theorem) -> str:
    c = thm.claim
    if c.kind == "rate":
        return "Measured against the series variable on log–log axes, one line per point."
    if c.kind == "monotone":
        return f"Measured along {c.variable}, one line per parameter point."
    return (
        "Measured (solid) against claimed (dashed) over the swept parameter, one colour per "
        "parameter point; or measured against claimed per point, with the line of equality."
    )


def make_plot(thm: Theorem, row: dict, path: Path) -> None:
    """Measured against claimed from a report row, as a PNG (matplotlib, Agg backend)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pts = (row.get("evidence") or {}).get("points") or []
    fig, ax = plt.subplots(figsize=(6.4, 4.0), dpi=100)
    series = [p for p in pts if p.get("plot")]
    kind = thm.claim.kind
    if series and kind != "threshold":
        logy = False
        for k, p in enumerate(series[:8]):
            d = p["plot"]
            x = [float(v) for v in d["x"]]
            y = [_float(v) for v in d["y"]]
            colour = f"C{k % 10}"
            label = _short_params(p["params"])
            ax.plot(x, y, "-", color=colour, lw=1.4, label=label[:48])
            if d.get("claimed") is not None:
                ax.plot(x, [_float(v) for v in d["claimed"]], "--", color=colour, lw=1.0)
            if not d.get("log") and all(v > 0 for v in y if math.isfinite(v)):
                finite = [v for v in y if math.isfinite(v)]
                if finite and max(finite) / max(min(finite), 1e-300) > 100:
                    logy = True
        positive = any(_float(v) > 0 for p in series for v in p["plot"]["y"])
        if kind == "rate" and positive:
            ax.set_xscale("log")
            ax.set_yscale("log")
        elif logy:
            ax.set_yscale("log")
        ax.set_xlabel(series[0]["plot"]["x_name"])
        ax.set_ylabel("log measured" if series[0]["plot"].get("log") else "measured")
        ax.legend(fontsize=6, loc="best")
    elif kind == "threshold" and series:
        for k, p in enumerate(series[:8]):
            d = p["plot"]
            se = d.get("stderr") or [[0.0, 0.0]] * len(d["x"])
            for x, (lo, hi), (s_lo, s_hi) in zip(d["x"], d["y"], se, strict=False):
                colour = f"C{k % 10}"
                ax.plot([x, x], [lo, hi], "-", color=colour, lw=3)
                if s_lo or s_hi:  # a located threshold: ±2 standard errors
                    ax.plot([x, x], [lo - 2 * s_lo, hi + 2 * s_hi], "-", color=colour, lw=1)
                    ax.plot([x], [(lo + hi) / 2], "o", color=colour, ms=3)
            claimed = p["worst"].get("claimed")
            if claimed is not None:
                ax.axhline(claimed, color="k", ls="--", lw=1)
        ax.set_xscale("log")
        ax.set_xlabel(series[0]["plot"]["x_name"])
        ax.set_ylabel("bracket (thin: ±2 standard errors)")
    else:
        meas, clm = [], []
        for p in pts:
            w = p.get("worst") or {}
            m, c = _float(w.get("measured")), _float(w.get("claimed"))
            if math.isfinite(m) and math.isfinite(c):
                meas.append(m)
                clm.append(c)
        if meas:
            ax.scatter(clm, meas, s=24, color=VERDICT_COLOURS.get(row["verdict"], "C0"))
            lo, hi = min(meas + clm), max(meas + clm)
            ax.plot([lo, hi], [lo, hi], "k--", lw=1, label="measured = claimed")
            positive = lo > 0 and hi / lo > 100
            if positive:
                ax.set_xscale("log")
                ax.set_yscale("log")
            scale = (
                " (log)" if any((p.get("worst") or {}).get("scale") == "log" for p in pts) else ""
            )
            ax.set_xlabel("claimed" + scale)
            ax.set_ylabel("measured" + scale)
            ax.legend(fontsize=7)
        else:
            ax.text(0.5, 0.5, "no numeric evidence to plot", ha="center", transform=ax.transAxes)
    ax.set_title(f"{thm.id}: {row['verdict']}", fontsize=10)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)


def concept_figure(path: Path) -> None:
    """The multi-concept ICL family's figure (issue #6): excess error with both fitted laws over
    the decay phase, attention mass over training, OOD bars, and the κ / σ ablation."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    from numerics.concepts import figure_data

    d = figure_data()
    fig, axes = plt.subplots(2, 2, figsize=(10, 7), dpi=100)
    ax = axes[0, 0]
    t, e = np.array(d["step"], float), np.array(d["excess"])
    pos = e > 0
    ax.semilogy(t[pos], e[pos], ".", ms=3, color="C0", label="excess 0-1 error")
    a, b = d["phase"]
    tp, ep = t[a : b + 1], e[a : b + 1]
    if len(tp) >= 3 and np.all(ep > 0) and tp[0] > 0:
        ce = np.polyfit(tp, np.log(ep), 1)
        cp = np.polyfit(np.log(tp), np.log(ep), 1)
        ax.semilogy(
            tp, np.exp(np.polyval(ce, tp)), "-", color="C3", label=f"exp, rate {-ce[0]:.3f}"
        )
        ax.semilogy(
            tp,
            np.exp(np.polyval(cp, np.log(tp))),
            "--",
            color="C2",
            label=f"power, exponent {cp[0]:.2f}",
        )
    ax.axhline(d["resolution"], color="grey", lw=0.8, ls=":", label="resolution 20/n")
    ax.axvspan(t[a], t[b], color="C1", alpha=0.12, label="decay phase")
    ax.set_xscale("symlog", linthresh=10)
    ax.set_xlabel("SGD iteration t")
    ax.set_ylabel("test error − Bayes error")
    ax.legend(fontsize=7)
    ax = axes[0, 1]
    ax.plot(d["step"], d["attention"], color="C4")
    ax.axhline(0.9, color="k", ls="--", lw=1, label="claimed level 0.9")
    ax.set_xlabel("SGD iteration t")
    ax.set_ylabel("attention mass on the task concept")
    ax.legend(fontsize=7)
    ax = axes[1, 0]
    names = list(d["ood"])
    vals = [d["ood"][k] for k in names]
    ax.bar(range(len(vals)), vals, color=["C0"] + ["C1"] * (len(vals) - 1))
    ax.axhline(
        d["ood"]["in distribution"] + 0.05, color="k", ls="--", lw=1, label="in-distribution + 0.05"
    )
    ax.set_xticks(range(len(vals)), names, fontsize=7, rotation=15)
    ax.set_ylabel("0-1 test error")
    ax.legend(fontsize=7)
    ax = axes[1, 1]
    for vary, colour in (("cross", "C0"), ("sigma", "C3")):
        rows = [r for r in d["ablation"] if r["vary"] == vary]
        xs = [r["value"] for r in rows]
        ax.plot(
            xs,
            [r["final_error"] for r in rows],
            "o-",
            color=colour,
            label=f"final error vs {'κ' if vary == 'cross' else 'σ'}",
        )
    ax.set_xlabel("cross-concept inner product κ  /  noise σ")
    ax.set_ylabel("final 0-1 test error")
    ax.set_yscale("symlog", linthresh=1e-3)
    ax2 = ax.twinx()
    for vary, colour in (("cross", "C0"), ("sigma", "C3")):
        rows = [r for r in d["ablation"] if r["vary"] == vary and r["rate"] is not None]
        ax2.plot(
            [r["value"] for r in rows], [r["rate"] for r in rows], "s:", color=colour, alpha=0.6
        )
    ax2.set_ylabel("fitted decay rate (squares)")
    ax.legend(fontsize=7, loc="upper left")
    fig.suptitle("Multi-concept ICL (reconstruction), quick size, seed 0", fontsize=10)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)


# Extra figures on a paper's page, by the paper's citation key.
PAPER_FIGURES = {
    "bu2024multiconcept": (
        "concept-icl.png",
        concept_figure,
        "Training of the reconstruction (one seed): the excess error with an exponential and a "
        "power law fitted over the decay phase; the attention mass on task-concept "
        "demonstrations; out-of-distribution errors; and the ablation, final error (circles) "
        "and fitted decay rate (squares) as the cross-concept inner product κ and the noise σ "
        "grow. Computed while the docs build.",
    )
}


def _float(v) -> float:
    try:
        return float(v)
    except (TypeError, ValueError):
        return math.nan


# --------------------------------------------------------------------------------------------
# the dependency graph
# --------------------------------------------------------------------------------------------


def layers(catalogue: list[Theorem]) -> dict[str, int]:
    """Depth of each theorem: 0 without dependencies, else 1 + the deepest one it uses."""
    by_id = {t.id: t for t in catalogue}
    depth: dict[str, int] = {}

    def visit(tid, trail=()):
        if tid in depth:
            return depth[tid]
        if tid in trail:
            raise ValueError(f"dependency cycle through {tid}")
        uses = [u for u in by_id[tid].uses if u in by_id]
        depth[tid] = 1 + max((visit(u, (*trail, tid)) for u in uses), default=-1)
        return depth[tid]

    for t in catalogue:
        visit(t.id)
    return depth


def graph_svg(catalogue: list[Theorem], report: dict | None, href) -> str:
    """The catalogue's dependency graph as inline SVG: nodes coloured by verdict, outlined by
    evidence strength, each a link (``href(id)``); edges from ``Theorem.uses``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    depth = layers(catalogue)
    rows: dict[tuple[int, int], list[str]] = defaultdict(list)
    families = list(dict.fromkeys(t.family for t in catalogue))
    for t in catalogue:
        rows[(families.index(t.family), depth[t.id])].append(t.id)
    # each family in turn, one band per depth, top to bottom; a band wider than 4 wraps onto
    # several rows, centred
    per_row = 4
    lines = [
        ids[k : k + per_row]
        for key in sorted(rows)
        for ids in [rows[key]]
        for k in range(0, len(ids), per_row)
    ]
    width = max(len(line) for line in lines)
    pos = {}
    for y, ids in enumerate(lines):
        for k, tid in enumerate(ids):
            pos[tid] = (k - (len(ids) - 1) / 2, -y)
    nrow = len(lines)
    fig, ax = plt.subplots(figsize=(max(7.0, 2.4 * width + 3.2), 0.95 * nrow + 0.9), dpi=96)
    for t in catalogue:
        for u in t.uses:
            if u in pos:
                (x0, y0), (x1, y1) = pos[u], pos[t.id]
                ax.annotate(
                    "",
                    xy=(x1, y1 + 0.12),
                    xytext=(x0, y0 - 0.28),
                    arrowprops={"arrowstyle": "->", "color": "#757575", "lw": 1},
                )
    for t in catalogue:
        row, stale = reports.evidence_for(t, report)
        verdict = row["verdict"] if row else None
        strength = row.get("strength") if row else None
        lw, style = STRENGTH_EDGE.get(strength, STRENGTH_EDGE[None])
        x, y = pos[t.id]
        dot = ax.scatter(
            [x],
            [y],
            s=320,
            marker="s" if t.expect == "fail" else "o",
            color=VERDICT_COLOURS.get(verdict, "#9e9e9e"),
            edgecolors="#0d47a1",
            linewidths=lw,
            linestyle=style,
            zorder=3,
        )
        dot.set_urls([href(t.id)])
        label = ax.text(
            x,
            y - 0.2,
            t.id + (" (stale)" if stale else ""),
            ha="center",
            va="top",
            fontsize=8.5,
            zorder=4,
        )
        label.set_url(href(t.id))
    handles = [
        Line2D([], [], marker="o", ls="", color=c, label=v or "no evidence", markersize=8)
        for v, c in VERDICT_COLOURS.items()
    ]
    handles += [
        Line2D([], [], marker="o", ls="", mfc="white", mec="#0d47a1", mew=w, label=s, markersize=8)
        for s, (w, _) in STRENGTH_EDGE.items()
        if s
    ]
    handles.append(
        Line2D(
            [], [], marker="s", ls="", mfc="white", mec="k", label="negative control", markersize=8
        )
    )
    ax.legend(
        handles=handles, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False
    )
    ax.set_xlim(-width / 2 - 0.3, width / 2 + 0.3)
    ax.set_ylim(-nrow + 0.5, 0.4)
    ax.axis("off")
    fig.tight_layout()
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    plt.close(fig)
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]  # drop the XML prolog and DOCTYPE for inline use
    return svg.replace(
        "<svg ",
        '<svg class="theorem-graph" role="img" aria-label="dependency graph of the catalogue" ',
        1,
    )


# --------------------------------------------------------------------------------------------
# generation and build
# --------------------------------------------------------------------------------------------


BENCH_RECORDS = "benchmarks"  # docs/benchmarks/*.json: `verify bench --json` records
CALIBRATION_RECORDS = "calibration"  # docs/calibration/*.json: `verify calibrate --json` records


def calibration_page(records: list[tuple[str, dict]], ids: set[str] = frozenset()) -> str:
    """The calibration page: each recorded ``verify calibrate --json`` run as a table of the
    Monte-Carlo theorems' verdicts over the seeds and their standard errors against the
    spread of the estimates; theorems in ``ids`` link to their pages."""
    out = ["Calibration", "===========", ""]
    out += [
        "Recorded runs of ``verify calibrate --seeds N --json docs/calibration/NAME.json``: "
        "each Monte-Carlo theorem of the profile checked at seeds 0..N−1. *Unexpected* counts "
        "the seeds whose verdict is not the theorem's expected one (a true theorem refuted or "
        "left inconclusive, a negative control or finding not refuted). A refutation needs "
        "significance at α/50 over a theorem's points (``verify.profiles.RUN_SIZE``), so that a "
        "run of the whole catalogue refutes a true theorem with probability at most α. The SE "
        "ratio sets the spread of each measured element over the seeds against the standard "
        "error the experiment reported (root mean square over the seeds): median, and 10 % and "
        "90 % quantiles over the elements of every design point. Near 1 the reported errors are "
        "honest; above 1 they understate the noise. Brackets of thresholds and samples of "
        "probability claims carry no standard error (—).",
        "",
    ]
    if not records:
        out += ["No run is recorded yet.", ""]
    for name, rec in records:
        n = len(rec.get("seeds", []))
        m = rec.get("machine", {})
        title = f"{name}: {rec.get('profile', '?')} profile, {n} seeds"
        out += [rst_escape(title), "-" * len(title), ""]
        facts = [f"date {rec.get('date', '?')}", f"commit {str(rec.get('commit', '?'))[:10]}"]
        facts += [f"{m.get('cpu', '?')}", f"device {m.get('device', '?')}"]
        out += [rst_escape("; ".join(facts)) + ".", ""]
        if rec.get("notes"):
            out += [rst_escape(rec["notes"]), ""]
        out += [
            rst_escape(
                f"Runs with a true theorem refuted: {rec.get('runs_with_a_false_fail')} of {n}; "
                f"with any unexpected verdict: {rec.get('runs_with_an_unexpected_verdict')} of "
                f"{n}. Deterministic theorems left out: {len(rec.get('deterministic', []))}."
            ),
            "",
        ]
        out += [".. list-table::", "   :header-rows: 1", ""]
        cols = ["theorem", "expect", "pass", "fail", "inconclusive", "unexpected", "SE ratio"]
        out += ["   * - " + cols[0]] + [f"     - {c}" for c in cols[1:]]
        for t in rec.get("theorems", []):
            if t.get("se_ratio") is None:
                se = "— (the seed does not change it)" if t.get("se_note") else "—"
            else:
                lo, hi = t["se_ratio_range"]
                se = f"{t['se_ratio']:.2f} [{lo:.2f}, {hi:.2f}]"
                if not t.get("se_ok", True):
                    se = f"**{se}**"
            unexpected = str(t["unexpected"]) if not t["unexpected"] else f"**{t['unexpected']}**"
            name = f":doc:`{t['id']} <theorems/{t['id']}>`" if t["id"] in ids else t["id"]
            cells = [name, t["expect"], str(t["pass"])]
            cells += [str(t["fail"]), str(t["inconclusive"]), unexpected, se]
            out += ["   * - " + cells[0]] + [f"     - {c}" for c in cells[1:]]
        out += [""]
    return "\n".join(out)


def _seconds(v) -> str:
    return "—" if v is None else f"{v:.3g} s"


def _experiment(r: dict) -> str:
    return r.get("experiment", "stationary")  # records before 2026-11-22 had one scale table


# facts shown beside a size in records that do not list them (``shown``)
_SHOWN = ("iterations", "certified_l1_error", "edges", "rounds")


def _fact(key: str, value) -> str:
    """``read_s`` → "read 0.032 s", ``certified_l1_error`` → "certified l1 error 3e-12"."""
    if key.endswith("_s") and isinstance(value, float):
        return f"{key[:-2].replace('_', ' ')} {value:.3g} s"
    if isinstance(value, float):
        return f"{key.replace('_', ' ')} {value:.3g}"
    return f"{key.replace('_', ' ')} {value}"


def _scale_table(experiment: str, rows: list[dict]) -> list[str]:
    """One experiment's scale table and its fitted exponents."""
    out = [f"Scale: {rst_escape(experiment)}.", ""]
    out += [".. list-table::", "   :header-rows: 1", ""]
    out += ["   * - size", "     - seconds", "     - bytes held (counted)"]
    out += ["     - peak memory (measured)", "     - details"]
    for r in rows:
        if "size" not in r:
            continue
        details = "; ".join(_fact(k, r[k]) for k in r.get("shown", _SHOWN) if k in r)
        peak = max(r.get("peak_rss", -1), r.get("peak_device_bytes", -1))
        out += [
            f"   * - {rst_escape(r['size_label'])}",
            f"     - {r['ours_s']:.3g}",
            f"     - {r['bytes_held'] / 2**20:.1f} MiB",
            f"     - {'—' if peak < 0 else f'{peak / 2**20:.1f} MiB'}",
            f"     - {rst_escape(details)}",
        ]
    out.append("")
    fit = [r for r in rows if r["name"].endswith(", fit")]
    if fit and fit[0].get("time_exponent") is not None:
        f = fit[0]
        what = f.get("time_label") or (
            "time per step" if f["time_measure"] == "seconds_per_step" else "time"
        )
        out += [
            f"Fitted growth exponents in the size: {what} {f['time_exponent']:.2f}, "
            f"bytes {f['bytes_exponent']:.2f}; {rst_escape(f['note'])}.",
            "",
        ]
    return out


def scale_figure(rec: dict, path: Path) -> bool:
    """A record's scale tables as small log-log plots of seconds against size, each with its
    fitted power law (the exponent in the legend). False when the record has no scale table."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullFormatter

    scale = [r for r in rec.get("rows", []) if r["name"].startswith("scale") and "size" in r]
    experiments = list(dict.fromkeys(_experiment(r) for r in scale))
    if not experiments:
        return False
    cols = min(4, len(experiments))
    nrow = math.ceil(len(experiments) / cols)
    fig, axes = plt.subplots(nrow, cols, figsize=(3.2 * cols, 2.7 * nrow), dpi=100, squeeze=False)
    fits = [r for r in rec["rows"] if r["name"].startswith("scale") and r["name"].endswith(", fit")]
    fits = {_experiment(r): r for r in fits}
    for ax, experiment in zip(axes.flat, experiments, strict=False):
        rows = [r for r in scale if _experiment(r) == experiment]
        f = fits.get(experiment, {})
        key = f.get("time_measure", "ours_s")
        x = np.array([r["size"] for r in rows], dtype=float)
        y = np.array([r.get(key, r["ours_s"]) for r in rows], dtype=float)
        ax.loglog(x, y, "o", color="C0", ms=4)
        slope = f.get("time_exponent")
        if slope is not None:  # the fit row's exponent; its least-squares intercept
            icpt = float(np.mean(np.log(y) - slope * np.log(x)))
            ax.loglog(x, np.exp(icpt) * x**slope, "--", color="C1", lw=1, label=f"∝ n^{slope:.2f}")
            ax.legend(fontsize=7, loc="upper left")
        ax.set_title(experiment, fontsize=8.5)
        ax.set_ylabel(f.get("time_label", "time") + " (s)", fontsize=7)
        ax.set_xlabel(f.get("unit", "size"), fontsize=7)
        for axis in (ax.xaxis, ax.yaxis):  # decades only: minor labels collide on short ranges
            axis.set_minor_formatter(NullFormatter())
        ax.tick_params(labelsize=7)
    for ax in list(axes.flat)[len(experiments) :]:
        ax.axis("off")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return True


def performance_page(
    records: list[tuple[str, dict]], figure: Callable[[str], str] | None = None
) -> str:
    """The performance page: each recorded ``verify bench --json`` run (machine, versions, date)
    as a table of ratios against the references, then its scale tables; ``figure(name)``: the
    file name under ``plots/`` of the record's scale figure (:func:`scale_figure`), if any."""
    out = ["Performance", "===========", ""]
    out += [
        "Recorded runs of ``verify bench --json docs/benchmarks/NAME.json``: every benchmark "
        "against a reference implementation timed in the same process and run (ratio = "
        "reference time / ours), with a check that both computed the same thing. Add a record "
        "by running the command on the machine to document (a GPU one included). The Markov "
        "operator's bandwidth is the bytes it must move (probabilities read once, the "
        "distribution read once and written once) per second, against a numpy copy of an array "
        "as large as the probability table in the same run; numpy copies on one thread and the "
        "operator runs on every core, so the figure can pass 100 %. On a machine with a GPU "
        "the run includes ``thorough-run``, the whole ``verify run --profile thorough`` (budget: "
        "8 minutes on one H100); elsewhere it runs when named. The scale tables give counted "
        "bytes (what the experiment holds) and the measured peak memory of the process above "
        "its level before the run (Linux's peak resident set; torch's peak allocation on a "
        "GPU); the largest size that fits uses the larger.",
        "",
    ]
    if not records:
        out += ["No run is recorded yet.", ""]
    for name, rec in records:
        m = rec.get("machine", {})
        title = f"{name}: {m.get('cpu', '?')}" + (f", {m['gpu']}" if m.get("gpu") else "")
        out += [rst_escape(title), "-" * len(title), ""]
        v = rec.get("versions", {})
        facts = [f"date {rec.get('date', '?')}", f"{m.get('cores', '?')} cores"]
        facts += [f"{k} {v[k]}" for k in ("python", "numpy", "scipy", "torch") if v.get(k)]
        out += [rst_escape("; ".join(facts)) + ".", ""]
        if rec.get("notes"):
            out += [rst_escape(rec["notes"]), ""]
        main = [r for r in rec.get("rows", []) if not r["name"].startswith("scale")]
        out += [".. list-table::", "   :header-rows: 1", ""]
        out += ["   * - benchmark", "     - ours", "     - reference", "     - ratio"]
        out += ["     - target", "     - met"]
        for r in main:
            ratio = r.get("ratio")
            target = r.get("target")
            extra = ""
            if r.get("bandwidth_fraction") is not None:
                extra = f"; {r['bandwidth_fraction']:.0%} of a numpy copy's bandwidth"
            met = {True: "yes", False: "**no**", None: "—"}[r.get("met")]
            out += [
                f"   * - {rst_escape(r['name'])}",
                f"     - {_seconds(r.get('ours_s'))}",
                f"     - {_seconds(r.get('reference_s'))}",
                f"     - {'—' if ratio is None else f'{ratio:.2f}×'}{rst_escape(extra)}",
                f"     - {'—' if target is None else f'≥ {target:g}×'}",
                f"     - {met}",
            ]
        out.append("")
        scale = [r for r in rec.get("rows", []) if r["name"].startswith("scale")]
        png = figure(name) if figure and scale else None
        if png:
            out += [
                f".. figure:: /{GENERATED}/plots/{png}",
                "   :width: 100%",
                f"   :alt: scale plots of {rst_escape(name)}",
                "",
                "   Seconds against size for each scale table (log-log), with the fitted power "
                "law; its exponent in the legend.",
                "",
            ]
        for experiment in dict.fromkeys(r.get("experiment", "stationary") for r in scale):
            out += _scale_table(experiment, [r for r in scale if _experiment(r) == experiment])
        for r in main:
            if not r.get("per_theorem_s"):
                continue
            per = sorted(r["per_theorem_s"].items(), key=lambda kv: -kv[1])[:10]
            line = f"The {r['name']}'s slowest theorems: "
            line += ", ".join(f"``{k}`` {v:.1f} s" for k, v in per) + "."
            if r.get("budget_s") is not None:
                line += f" Budget: {r['budget_s']:g} s on one H100."
            if r.get("unexpected"):
                line += " **Outcomes not as expected:** "
                line += ", ".join(f"``{i}``" for i in r["unexpected"]) + "."
            out += [line, ""]
    return "\n".join(out) + "\n"


def _write_if_changed(path: Path, text: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode() if isinstance(text, str) else text
    if path.exists() and path.read_bytes() == data:
        return
    path.write_bytes(data)


def generate(srcdir: Path, report_path: Path) -> dict:
    """Write the generated sources under ``srcdir/_generated``: one page per theorem and per
    paper, the plots, and the graph. Returns what the directives need."""
    srcdir = Path(srcdir)
    gen = srcdir / GENERATED
    report = reports.load(report_path)
    catalogue = theorems.all()
    groups = papers(catalogue)
    keep = set()
    for t in catalogue:
        p = gen / "theorems" / f"{t.id}.rst"
        _write_if_changed(p, theorem_page(t))
        keep.add(p)
        row, _ = reports.evidence_for(t, report)
        if row is not None:
            png = gen / "plots" / f"{t.id}.png"
            make_plot(t, row, png)
            keep.add(png)
    for paper, items in groups.items():
        for cite in {t.source.cite for t in items}:
            if cite in PAPER_FIGURES:
                name, draw, _ = PAPER_FIGURES[cite]
                png = gen / "plots" / name
                if not png.exists():  # computed once per checkout (about half a minute)
                    draw(png)
                keep.add(png)
        p = gen / "papers" / f"{slug(paper)}.rst"
        _write_if_changed(p, paper_page(paper, items))
        keep.add(p)
    p = gen / "papers.rst"
    _write_if_changed(p, papers_index(groups))
    keep.add(p)
    records = _records(srcdir / BENCH_RECORDS, "verify bench")
    figures = {}
    for name, rec in records:
        png = gen / "plots" / f"performance-{slug(name)}.png"
        if scale_figure(rec, png):
            figures[name] = png.name
            keep.add(png)
    p = gen / "performance.rst"
    _write_if_changed(p, performance_page(records, figures.get))
    keep.add(p)
    calibrations = _records(srcdir / CALIBRATION_RECORDS, "verify calibrate")
    p = gen / "calibration.rst"
    _write_if_changed(p, calibration_page(calibrations, {t.id for t in theorems.all()}))
    keep.add(p)
    for old in gen.rglob("*"):  # theorems that left the catalogue
        if old.is_file() and old not in keep:
            old.unlink()
    return {"report": report, "groups": groups}


def _records(folder: Path, command: str) -> list[tuple[str, dict]]:
    """The ``command --json`` records in ``folder``, by file name, as ``(stem, data)``."""
    out = []
    for f in sorted(folder.glob("*.json")):
        try:
            out.append((f.stem, json.loads(f.read_text())))
        except ValueError as exc:
            raise ValueError(f"{f}: not a {command} record ({exc})") from None
    return out


def build(
    outdir: Path = Path("docs/_build/html"),
    *,
    srcdir: Path = Path("docs"),
    report_path: Path = reports.LATEST,
    quiet: bool = False,
) -> int:
    """Build the site with ``sphinx-build -W``; returns sphinx's exit status."""
    from sphinx.cmd.build import build_main

    args = [
        "-W",
        "--keep-going",
        "-b",
        "html",
        "-D",
        f"theoremlab_report={Path(report_path).resolve()}",
        str(srcdir),
        str(outdir),
    ]
    if quiet:
        args.insert(0, "-q")
    return build_main(args)
