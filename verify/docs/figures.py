"""A family's own figures on its paper's page. A family registers a drawing function with
:func:`figure` (the paper's citation key, the file name under ``_generated/plots``, the caption);
the build draws it once per checkout and the paper's page shows it. A figure reads the levels it
draws from the family's theorems, so that the figure and the claims cannot drift apart."""

from __future__ import annotations

import hashlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import theorems
from numerics.files import cache_root
from theorems import icl


@dataclass(frozen=True)
class Figure:
    cite: str  # the citation key of the paper whose page shows the figure
    name: str  # its file name under _generated/plots
    draw: Callable[[Path], None]  # writes the PNG to the path it is given
    caption: str
    theorems: str = ""  # the id prefix of the theorems it reads (their hashes key the cache)
    modules: tuple[str, ...] = ()  # the modules that compute its data (their sources key it too)

    def key(self) -> str:
        """What the figure is computed from: the hashes of its theorems and the sources of its
        modules (and of the drawing function's). The build redraws it when this changes."""
        h = hashlib.sha256(self.name.encode())
        if self.theorems:
            for t in theorems.all():
                if t.id.startswith(self.theorems):
                    h.update(f"{t.id}={t.hash}".encode())
        for name in (*self.modules, self.draw.__module__):
            spec = importlib.util.find_spec(name)
            h.update(Path(spec.origin).read_bytes() if spec and spec.origin else name.encode())
        return h.hexdigest()[:16]

    def cached(self) -> Path:
        """Where the drawn figure is kept between builds (and between checkouts' docs trees):
        under the cache root, by name and :meth:`key`."""
        stem, _, ext = self.name.rpartition(".")
        return cache_root() / "figures" / f"{stem}-{self.key()}.{ext}"


FIGURES: dict[str, Figure] = {}  # by file name, in registration order


def figure(
    cite: str, name: str, caption: str, *, theorems: str = "", modules: tuple[str, ...] = ()
) -> Callable:
    """Register the decorated ``draw(path)`` as a figure on the page of the paper ``cite``,
    computed from the theorems whose ids start with ``theorems`` and the code of ``modules``."""

    def register(draw: Callable[[Path], None]) -> Callable[[Path], None]:
        FIGURES[name] = Figure(cite, name, draw, caption, theorems, tuple(modules))
        return draw

    return register


def figures_of(cite: str) -> list[Figure]:
    """The figures registered for the paper ``cite``, in registration order; one whose theorems
    are not in the catalogue (a registry narrowed to some ids) is left out, since it reads its
    levels from them."""
    ids = [t.id for t in theorems.all()]
    return [
        f
        for f in FIGURES.values()
        if f.cite == cite and (not f.theorems or any(i.startswith(f.theorems) for i in ids))
    ]


# --------------------------------------------------------------------------------------------
# the multi-concept ICL family (theorems/icl.py, numerics/concepts.py)
# --------------------------------------------------------------------------------------------

ICL_ATTENTION = "icl.attention_concentration"  # attention mass ≥ its level
ICL_OOD = ("icl.ood_length", "icl.ood_skew", "icl.ood_recombine")  # error ≤ err_id + margin


def icl_levels() -> tuple[float, float]:
    """The claimed attention level and the out-of-distribution margin over the in-distribution
    error, read from the ICL theorems (0.9 and 0.05 today)."""
    attention = float(theorems.get(ICL_ATTENTION).claim.expr)
    margins = {float(theorems.get(i).claim.expr.as_coeff_Add()[0]) for i in ICL_OOD}
    if len(margins) != 1:
        raise ValueError(f"the out-of-distribution theorems {ICL_OOD} claim different margins")
    return attention, margins.pop()


@figure(
    icl.CITE,
    "concept-icl.png",
    "Training of the reconstruction (one seed): the excess error with an exponential and a "
    "power law fitted over the decay phase; the attention mass on task-concept "
    "demonstrations; out-of-distribution errors; and the ablation, final error (circles) "
    "and fitted decay rate (squares) as the cross-concept inner product κ and the noise σ "
    "grow. Computed while the docs build.",
    theorems="icl.",
    modules=("numerics.concepts",),
)
def concept_figure(path: Path) -> None:
    """The multi-concept ICL family's figure (issue #6): excess error with both fitted laws over
    the decay phase, attention mass over training, OOD bars, and the κ / σ ablation."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    from numerics.concepts import figure_data

    attention, margin = icl_levels()
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
    ax.axhline(attention, color="k", ls="--", lw=1, label=f"claimed level {attention:g}")
    ax.set_xlabel("SGD iteration t")
    ax.set_ylabel("attention mass on the task concept")
    ax.legend(fontsize=7)
    ax = axes[1, 0]
    names = list(d["ood"])
    vals = [d["ood"][k] for k in names]
    ax.bar(range(len(vals)), vals, color=["C0"] + ["C1"] * (len(vals) - 1))
    ax.axhline(
        d["ood"]["in distribution"] + margin,
        color="k",
        ls="--",
        lw=1,
        label=f"in-distribution + {margin:g}",
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
