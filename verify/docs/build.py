"""Generating the proof docs' sources and building the site: :func:`generate` writes the pages
and plots under ``_generated`` (Sphinx's ``builder-inited`` calls it); :func:`build` runs
``sphinx-build -W`` (``verify docs`` and ``make docs`` call it)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import theorems
from numerics.files import atomic_write
from numerics.progress import task as progress_task

from .. import report as reports
from .figures import figures_of
from .pages import catalogue, paper_page, papers, papers_index, set_only, theorem_page
from .performance import calibration_page, performance_page, scale_figure
from .plots import make_plot
from .rst import GENERATED, slug

BENCH_RECORDS = "benchmarks"  # docs/benchmarks/*.json: `verify bench --json` records
CALIBRATION_RECORDS = "calibration"  # docs/calibration/*.json: `verify calibrate --json` records
API = "api"  # _generated/api: the API reference's pages, autosummary's (docs/api.rst), not ours


def _write_if_changed(path: Path, text: str | bytes) -> None:
    """Write ``text`` (atomically) unless the file already holds it: Sphinx rebuilds what
    changed."""
    data = text.encode() if isinstance(text, str) else text
    if path.exists() and path.read_bytes() == data:
        return
    atomic_write(path, lambda fh: fh.write(data))


def generate(srcdir: Path, report_path: Path, only: str = "") -> dict:
    """Write the generated sources under ``srcdir/_generated``: one page per theorem and per
    paper, the plots, and the graph (``only``: of the theorems matching that pattern, without
    the catalogue's figures and records). Returns what the directives need."""
    srcdir = Path(srcdir)
    gen = srcdir / GENERATED
    set_only(only)
    report = reports.load(report_path)
    keep = _theorem_pages(gen, report) | _paper_pages(gen, figures=not only)
    if not only:
        keep |= _record_pages(srcdir, gen)
    for old in gen.rglob("*"):  # theorems that left the catalogue
        if old.is_file() and old not in keep and old.relative_to(gen).parts[0] != API:
            old.unlink()
    return {"report": report}


def _theorem_pages(gen: Path, report: dict | None) -> set[Path]:
    """A page per theorem, and its evidence plot where the report has a row."""
    keep = set()
    items = catalogue()
    with progress_task("theorem pages and plots", len(items)) as update:
        for k, t in enumerate(items):
            p = gen / "theorems" / f"{t.id}.rst"
            _write_if_changed(p, theorem_page(t))
            keep.add(p)
            row, _ = reports.evidence_for(t, report)
            if row is not None:
                png = gen / "plots" / f"{t.id}.png"
                make_plot(t, row, png)
                keep.add(png)
            update(k + 1)
    return keep


def _paper_pages(gen: Path, *, figures: bool = True) -> set[Path]:
    """A page per source paper with its families' figures (``figures``: a site of one's own
    theorems has none), and the papers' index."""
    keep = set()
    groups = papers(catalogue())
    for paper, items in groups.items():
        for cite in {t.source.cite for t in items}:
            for fig in figures_of(cite) if figures else ():
                png = gen / "plots" / fig.name
                _write_if_changed(png, drawn(fig).read_bytes())
                keep.add(png)
        p = gen / "papers" / f"{slug(paper)}.rst"
        _write_if_changed(p, paper_page(paper, items))
        keep.add(p)
    p = gen / "papers.rst"
    _write_if_changed(p, papers_index(groups))
    keep.add(p)
    return keep


def drawn(fig) -> Path:
    """The figure's file in the cache, drawn first when its inputs changed (:meth:`Figure.key`;
    a minute or so for the ICL figure), with progress; older drawings of it are removed."""
    cached = fig.cached()
    if cached.exists():
        return cached
    with progress_task(f"figure {fig.name}", 1) as update:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_name(f".{cached.name}.drawing{cached.suffix}")
        try:
            fig.draw(tmp)
            tmp.replace(cached)
        finally:
            tmp.unlink(missing_ok=True)
        update(1)
    stem = fig.name.rpartition(".")[0]
    for old in cached.parent.glob(f"{stem}-*{cached.suffix}"):
        if old != cached:
            old.unlink(missing_ok=True)
    return cached


def _record_pages(srcdir: Path, gen: Path) -> set[Path]:
    """The performance page (with a scale figure per record) and the calibration page."""
    keep = set()
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
    return keep


def remove_stale_api_pages(srcdir: Path) -> None:
    """Remove the API pages (``_generated/api``) of modules that are gone: autosummary writes a
    page per module but never removes one, and a page whose module is gone fails the build."""
    for page in (Path(srcdir) / GENERATED / API).glob("*.rst"):
        try:
            gone = importlib.util.find_spec(page.stem) is None
        except (ImportError, ValueError):  # its package is gone too
            gone = True
        if gone:
            page.unlink()


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
    only: str = "",
) -> int:
    """Build the site with ``sphinx-build -W``; returns sphinx's exit status. ``only``: a site
    of just the theorems matching that pattern, from sources written to a temporary folder
    (:func:`own_site_sources`), so that it builds from any directory."""
    from sphinx.cmd.build import build_main

    def run(src: Path) -> int:
        args = [
            "-W",
            "--keep-going",
            "-b",
            "html",
            "-D",
            f"theoremlab_report={Path(report_path).resolve()}",
            "-D",
            f"theoremlab_only={only}",
            str(src),
            str(outdir),
        ]
        if quiet:
            args.insert(0, "-q")
        return build_main(args)

    if not only:
        return run(Path(srcdir))
    import tempfile

    with tempfile.TemporaryDirectory(prefix="theoremlab-site-") as tmp:
        return run(own_site_sources(Path(tmp), only))


STATIC = Path(__file__).resolve().parent / "static"
"""The site's stylesheet (shipped with the package: a site of one's own theorems needs it)."""


def own_site_sources(folder: Path, pattern: str) -> Path:
    """Sphinx sources for a site of the theorems matching ``pattern``: a ``conf.py`` loading
    this extension, and an index with their table, findings and dependency graph."""
    title = f"Theorems matching {pattern}"
    (folder / "conf.py").write_text(
        f"project = {title!r}\n"
        'extensions = ["verify.docs.sphinxext"]\n'
        'html_math_renderer = "mathml"\n'
        f"html_static_path = [{str(STATIC)!r}]\n"
        'html_css_files = ["theoremlab.css"]\n'
        'html_theme = "alabaster"\n'
        f"html_title = {title!r}\n"
    )
    (folder / "index.rst").write_text(
        f"{title}\n{'=' * len(title)}\n\n"
        "Generated by theoremlab from the theorem registry and the latest report "
        "(``reports/latest.json`` where ``verify docs`` ran).\n\n"
        ".. theorem-table::\n\n"
        "Findings\n--------\n\n.. theorem-findings::\n\n"
        "Dependency graph\n----------------\n\n.. theorem-graph::\n\n"
        ".. toctree::\n   :maxdepth: 2\n\n   _generated/papers\n"
    )
    return folder
