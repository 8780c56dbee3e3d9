"""The Markov paper's own figures (registered with :func:`verify.docs.figures.figure`)."""

from __future__ import annotations

from pathlib import Path

import theorems
from theorems.markov_appendix import CITE

from .figures import figure

TMIN_REGIME = "markov.icl_tmin_regime"


def tmin_levels() -> tuple[tuple[float, ...], tuple[int, ...], int]:
    """The laziness values, the base chains and the context length the t_min theorem claims
    about, read from it (so that the figure and the claim cannot drift apart)."""
    t = theorems.get(TMIN_REGIME)
    fixed = t.fixed_for("quick")
    chains = tuple(int(v) for v in t.parameters[t.param("chain")].values)
    return tuple(float(v) for v in fixed["lazy"]), chains, int(fixed["N_icl"])


@figure(
    CITE,
    "icl-tmin-regime.png",
    "The counting estimator's in-context risk R_icl = Σ_i π_i TV(P_i, P̂_i) on lazy versions "
    "λI + (1 − λ)P of three fixed random 3-state chains (the paper's Fig. 6 b-c, with the "
    "frequentist in the place of Mistral 7B), against N_icl (left) and N_icl/t_min (right), "
    "one curve per chain and t_min (colour: λ; line style: base chain), 1000 trajectories "
    "each, with an N^(−1/2) guide and the claim's N_icl (grey). Computed while the docs "
    "build.",
    theorems="markov.icl_tmin",
    modules=("numerics.markov_icl_regimes",),
)
def tmin_regime_figure(path: Path) -> None:
    """Fig. 6 b-c redrawn for the counting estimator (markov.icl_tmin_regime): risk against
    ``N_icl`` and against ``N_icl/t_min``, log-log, one curve per ``t_min``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    from numerics.markov_icl_regimes import tmin_figure_data

    lams, chains, n_claim = tmin_levels()
    data = tmin_figure_data(lams, chains, seed=0, reps=1000)
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.4), dpi=100, sharey=True)
    styles = ("-", "--", ":", "-.")
    for c, rows in data["chains"].items():
        for k, row in enumerate(rows):
            N = np.array(row["N_icl"], float)
            y = np.array(row["stationary"])
            label = f"chain {c}, λ = {row['lambda']:g}, t_min = {row['t_min']:.1f}"
            kw = dict(color=f"C{k}", ls=styles[int(c) % len(styles)], lw=1.2)
            axes[0].loglog(N, y, label=label, **kw)
            axes[1].loglog(N / row["t_min"], y, **kw)
    for ax, x0 in ((axes[0], 20.0), (axes[1], 1.0)):
        lo, hi = ax.get_xlim()
        xs = np.geomspace(lo, hi, 50)
        y0 = float(
            np.median(
                [
                    r["stationary"][r["N_icl"].index(20)]
                    for rs in data["chains"].values()
                    for r in rs
                ]
            )
        )
        ax.loglog(xs, y0 * (xs / x0) ** -0.5, color="k", lw=1.5, alpha=0.6, label="∝ N^(−1/2)")
        ax.grid(True, which="both", alpha=0.2)
    axes[0].axvline(n_claim, color="grey", lw=0.8, ls=":")
    axes[0].set_xlabel("context length N_icl")
    axes[1].set_xlabel("N_icl / t_min")
    axes[0].set_ylabel("R_icl of the counting estimator")
    axes[0].legend(fontsize=6, ncol=1, loc="lower left")
    fig.suptitle("In-context risk and t_min (markov.icl_tmin_regime), seed 0", fontsize=10)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
