"""The dependency graph of the catalogue (the ``theorem-graph`` directive): theorems laid out by
family and depth, drawn as inline SVG, nodes coloured by verdict and outlined by evidence
strength, each a link to its page."""

from __future__ import annotations

import io
from collections import defaultdict

from theorems import Theorem

from .. import report as reports
from ..verdicts import Strength
from .plots import VERDICT_COLOURS

STRENGTH_EDGE = {  # (edge width, line style) by evidence strength
    Strength.PROVED: (3.5, "solid"),
    Strength.CERTIFIED: (2.5, "solid"),
    Strength.NUMERIC: (1.5, "solid"),
    Strength.STATISTICAL: (1.5, "dashed"),
    None: (1.0, "dotted"),
}
PER_ROW = 4  # nodes on one row; a wider band wraps


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


def layout(catalogue: list[Theorem]) -> tuple[dict[str, tuple[float, int]], int, int]:
    """Each theorem's position, the widest row and the number of rows: each family in turn,
    one band per depth, top to bottom; a band wider than ``PER_ROW`` wraps onto several rows,
    centred."""
    depth = layers(catalogue)
    rows: dict[tuple[int, int], list[str]] = defaultdict(list)
    families = list(dict.fromkeys(t.family for t in catalogue))
    for t in catalogue:
        rows[(families.index(t.family), depth[t.id])].append(t.id)
    lines = [
        ids[k : k + PER_ROW]
        for key in sorted(rows)
        for ids in [rows[key]]
        for k in range(0, len(ids), PER_ROW)
    ]
    width = max(len(line) for line in lines)
    pos = {}
    for y, ids in enumerate(lines):
        for k, tid in enumerate(ids):
            pos[tid] = (k - (len(ids) - 1) / 2, -y)
    return pos, width, len(lines)


def graph_svg(catalogue: list[Theorem], report: dict | None, href) -> str:
    """The catalogue's dependency graph as inline SVG: nodes coloured by verdict, outlined by
    evidence strength, each a link (``href(id)``); edges from ``Theorem.uses``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pos, width, nrow = layout(catalogue)
    fig, ax = plt.subplots(figsize=(max(7.0, 2.4 * width + 3.2), 0.95 * nrow + 0.9), dpi=96)
    _edges(ax, catalogue, pos)
    _nodes(ax, catalogue, report, pos, href)
    ax.legend(
        handles=_legend(), fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False
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


def _edges(ax, catalogue: list[Theorem], pos: dict) -> None:
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


def _nodes(ax, catalogue: list[Theorem], report: dict | None, pos: dict, href) -> None:
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


def _legend() -> list:
    from matplotlib.lines import Line2D

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
    return handles
