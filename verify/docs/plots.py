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
    import matplotlib.pyplot as plt

    fig = evidence_figure(thm, row)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)


def evidence_figure(thm: Theorem, row: dict):
    """The evidence plot of a report row as a matplotlib figure (:func:`make_plot` saves it)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pts = (row.get("evidence") or {}).get("points") or []
    fig, ax = plt.subplots(figsize=(6.4, 4.0), dpi=100)
    series = [p for p in pts if p.get("plot")]
    style = kind(thm.claim.kind).plot
    if series and style != "brackets":
        shown = series[:MAX_SERIES]
        rate = thm.claim.kind == "rate"
        exp_law = rate and any((p.get("worst") or {}).get("form") == "exp" for p in shown)
        values = []
        for k, p in enumerate(shown):
            d = p["plot"]
            x = [float(v) for v in d["x"]]
            y = [_float(v) for v in d["y"]]
            colour = f"C{k % 10}"
            ax.plot(x, y, "-", color=colour, lw=1.4, label=_label(short_params(p["params"])))
            values += y
            if rate:
                values += _rate_lines(ax, x, y, p.get("worst") or {}, d.get("log"), colour, k)
            elif d.get("claimed") is not None:
                claimed = [_float(v) for v in d["claimed"]]
                ax.plot(x, claimed, "--", color=colour, lw=1.0)
                values += claimed
        finite = [v for v in values if math.isfinite(v)]
        # a log axis only where every drawn value (measured and claimed) is positive
        positive = bool(finite) and min(finite) > 0 and not series[0]["plot"].get("log")
        if (style == "loglog" and positive and not exp_law) or (exp_law and positive):
            ax.set_yscale("log")
            if not exp_law:
                ax.set_xscale("log")
        elif positive and max(finite) / min(finite) > 100:
            ax.set_yscale("log")
        ax.set_xlabel(series[0]["plot"]["x_name"])
        ax.set_ylabel("log measured" if series[0]["plot"].get("log") else "measured")
        _legend(ax, len(series) - len(shown))
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
        # a probability claim: each point's empirical level-quantile against its claimed bound
        quantiles = thm.claim.kind == "probability"
        for p in pts:
            w = p.get("worst") or {}
            m = _float(w.get("measured_quantile" if quantiles else "measured"))
            c = _float(w.get("claimed"))
            if math.isfinite(m) and math.isfinite(c):
                meas.append(m)
                clm.append(c)
        if meas:
            ax.scatter(clm, meas, s=24, color=VERDICT_COLOURS.get(row["verdict"], "C0"))
            lo, hi = min(meas + clm), max(meas + clm)
            same = "quantile = claimed bound" if quantiles else "measured = claimed"
            ax.plot([lo, hi], [lo, hi], "k--", lw=1, label=same)
            positive = lo > 0 and hi / lo > 100
            if positive:
                ax.set_xscale("log")
                ax.set_yscale("log")
            scale = (
                " (log)" if any((p.get("worst") or {}).get("scale") == "log" for p in pts) else ""
            )
            if quantiles:
                level = thm.claim.level
                ax.set_xlabel("claimed bound")
                ax.set_ylabel(
                    f"empirical {level if isinstance(level, float) else 'level'}-quantile"
                )
            else:
                ax.set_xlabel("claimed" + scale)
                ax.set_ylabel("measured" + scale)
            ax.legend(fontsize=7)
        else:
            ax.text(0.5, 0.5, "no numeric evidence to plot", ha="center", transform=ax.transAxes)
    ax.set_title(f"{thm.id}: {row['verdict']}", fontsize=10)
    fig.tight_layout()
    return fig


MAX_SERIES = 8
"""Points drawn as series on one plot; the legend says how many more there are."""


def _label(text: str, width: int = 48) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _legend(ax, hidden: int) -> None:
    """The legend, saying how many points were left out of the drawing (never silently)."""
    from matplotlib.lines import Line2D

    handles, labels = ax.get_legend_handles_labels()
    if hidden:
        handles.append(Line2D([], [], ls=""))
        labels.append(f"… {hidden} more point{'s' if hidden > 1 else ''}, not drawn")
    ax.legend(handles, labels, fontsize=6, loc="best")


def _rate_lines(ax, x, y, worst: dict, log_values: bool, colour: str, k: int) -> list[float]:
    """A rate claim's fitted law (thin) and claimed law (dashed), both through the data's centre:
    ``x^a`` (or ``e^{−c x}``) with the fitted ``a`` and with the claim's (the band's middle).
    Returns the values drawn."""
    import numpy as np

    band = [finite(v) for v in worst.get("band") or []]
    fitted = finite(worst.get("fitted"))
    xs, ys = np.asarray(x, float), np.asarray(y, float)
    ok = np.isfinite(ys) & (xs > 0) & (np.isfinite(ys) if log_values else ys > 0)
    if fitted is None or ok.sum() < 2:
        return []
    xs, ly = xs[ok], ys[ok] if log_values else np.log(ys[ok])
    power = worst.get("form") != "exp"
    t = np.log(xs) if power else xs
    drawn = []
    for slope, style, what in (
        (fitted, "-", "fitted"),
        ((band[0] + band[1]) / 2 if len(band) == 2 and None not in band else None, ":", "claimed"),
    ):
        if slope is None:
            continue
        s = slope if power else -slope
        line = ly.mean() + s * (t - t.mean())
        shown = line if log_values else np.exp(line)
        name = ("exponent" if power else "rate") + f" {slope:.3g}"
        ax.plot(xs, shown, style, color=colour, lw=0.9, label=f"{what} {name}" if k == 0 else None)
        drawn += shown.tolist()
    return drawn


def _float(v) -> float:
    """A plotted value: a finite float, else NaN (matplotlib leaves it out)."""
    x = finite(v)
    return math.nan if x is None else x
