"""The evidence plots of the theorem pages: measured against claimed from a report row (one
line per parameter point, brackets for thresholds, a scatter otherwise), and their captions."""

from __future__ import annotations

import math
from pathlib import Path

from theorems import Theorem

from ..kinds import kind
from ..kinds.stats import finite
from ..verdicts import Verdict
from .rst import short_params

VERDICT_COLOURS = {
    Verdict.PASS: "#2e7d32",
    Verdict.FAIL: "#c62828",
    Verdict.INCONCLUSIVE: "#f9a825",
    Verdict.ERROR: "#212121",
    None: "#9e9e9e",
}


def plot_caption(thm: Theorem) -> str:
    return kind(thm.claim.kind).caption(thm.claim)


def make_plot(thm: Theorem, row: dict, path: Path) -> None:
    """Measured against claimed from a report row, as a PNG (matplotlib, Agg backend)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pts = (row.get("evidence") or {}).get("points") or []
    fig, ax = plt.subplots(figsize=(6.4, 4.0), dpi=100)
    series = [p for p in pts if p.get("plot")]
    style = kind(thm.claim.kind).plot
    if series and style != "brackets":
        logy = False
        for k, p in enumerate(series[:8]):
            d = p["plot"]
            x = [float(v) for v in d["x"]]
            y = [_float(v) for v in d["y"]]
            colour = f"C{k % 10}"
            label = short_params(p["params"])
            ax.plot(x, y, "-", color=colour, lw=1.4, label=label[:48])
            if d.get("claimed") is not None:
                ax.plot(x, [_float(v) for v in d["claimed"]], "--", color=colour, lw=1.0)
            if not d.get("log") and all(v > 0 for v in y if math.isfinite(v)):
                finite = [v for v in y if math.isfinite(v)]
                if finite and max(finite) / max(min(finite), 1e-300) > 100:
                    logy = True
        positive = any(_float(v) > 0 for p in series for v in p["plot"]["y"])
        if style == "loglog" and positive:
            ax.set_xscale("log")
            ax.set_yscale("log")
        elif logy:
            ax.set_yscale("log")
        ax.set_xlabel(series[0]["plot"]["x_name"])
        ax.set_ylabel("log measured" if series[0]["plot"].get("log") else "measured")
        ax.legend(fontsize=6, loc="best")
    elif style == "brackets" and series:
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


def _float(v) -> float:
    """A plotted value: a finite float, else NaN (matplotlib leaves it out)."""
    x = finite(v)
    return math.nan if x is None else x
