"""The recorded runs' pages: calibration (``verify calibrate --json`` records: verdicts over
seeds, standard errors against their spread) and performance (``verify bench --json`` records:
ratios against the references, the scale tables and their figure)."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np

from .rst import GENERATED, rst_escape


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
        "honest; above 1 they understate the noise. Bisection brackets of thresholds and "
        "samples of probability claims carry no standard error (—); located thresholds "
        "(percolation) do.",
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
