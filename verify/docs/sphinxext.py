"""theoremlab's Sphinx extension: pages generated from the registry and the latest report.

Directives: ``theorem`` (a theorem's page body), ``theorem-table`` (the catalogue, or one paper's
part), ``theorem-graph`` (the dependency graph), ``theorem-example`` (runs an example file's
theorems during the build). Math is rendered to MathML at build time (latex2mathml): no script,
no network when the pages are opened.
"""

from __future__ import annotations

import html
import importlib
import sys
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles

import theorems

from .. import report as reports
from .build import generate, remove_stale_api_pages
from .graph import graph_svg
from .pages import catalogue, findings_list, theorem_body, theorem_table
from .rst import GENERATED

THEOREMS_DIR = Path(theorems.__file__).resolve().parent
DOCS_DIR = Path(__file__).resolve().parent  # the rendering: this package's modules


_DATA: dict = {}  # what builder-inited generated: the loaded report, the papers


def _report_path(config, srcdir) -> Path:
    p = Path(config.theoremlab_report)
    return p if p.is_absolute() else (Path(srcdir) / p).resolve()


def on_builder_inited_early(app) -> None:
    remove_stale_api_pages(Path(app.srcdir))


def on_builder_inited(app) -> None:
    _DATA.clear()
    only = app.config.theoremlab_only
    _DATA.update(generate(Path(app.srcdir), _report_path(app.config, app.srcdir), only))


class _Base(SphinxDirective):
    def data(self):
        return _DATA

    def depend(self) -> None:
        """Re-read this page when the report or a theorem definition changes."""
        report = _report_path(self.config, self.env.srcdir)
        if report.exists():
            self.env.note_dependency(str(report))
        for src in [*THEOREMS_DIR.glob("*.py"), *DOCS_DIR.glob("*.py")]:  # definitions, rendering
            self.env.note_dependency(str(src))

    def parse(self, text: str) -> list[nodes.Node]:
        container = nodes.section()
        container.document = self.state.document
        nested_parse_with_titles(
            self.state, StringList(text.splitlines(), source=f"<{self.name}>"), container
        )
        return container.children


class TheoremDirective(_Base):
    """``.. theorem:: ID``: statement, assumptions, source, proof steps and evidence."""

    required_arguments = 1

    def run(self):
        self.depend()
        try:
            thm = theorems.get(self.arguments[0])
        except KeyError as exc:
            raise self.error(exc.args[0]) from None
        row, stale = reports.evidence_for(thm, self.data()["report"])
        plot = f"/{GENERATED}/plots/{thm.id}.png" if row is not None else None
        return self.parse(theorem_body(thm, row, stale, plot))


class TableDirective(_Base):
    """``.. theorem-table:: [PAPER]``: every theorem (or one paper's) with its latest verdict."""

    optional_arguments = 1
    final_argument_whitespace = True

    def run(self):
        self.depend()
        items = catalogue()
        if self.arguments:
            items = [t for t in items if t.source.paper == self.arguments[0]]
            if not items:
                raise self.error(f"no theorem cites the paper {self.arguments[0]!r}")
        return self.parse(theorem_table(items, self.data()["report"]))


class FindingsDirective(_Base):
    """``.. theorem-findings::``: failed steps of the papers' arguments, and the findings."""

    def run(self):
        self.depend()
        return self.parse(findings_list(catalogue()))


def step_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``:step:`STATUS``` — a proof step's status as a coloured badge."""
    return [nodes.inline(text, text, classes=["step-badge", f"step-{text}"])], []


class GraphDirective(_Base):
    """``.. theorem-graph::``: the dependency graph, nodes linking to their pages."""

    def run(self):
        self.depend()
        depth = self.env.docname.count("/")
        prefix = "../" * depth

        def href(tid):
            return f"{prefix}{GENERATED}/theorems/{tid}.html"

        svg = graph_svg(catalogue(), self.data()["report"], href)
        return [nodes.raw("", f'<div class="theorem-graph-box">{svg}</div>', format="html")]


class ExampleDirective(_Base):
    """``.. theorem-example:: PATH``: runs the file (its ``catalogue()`` returns Theorems), checks
    each theorem at the quick profile, and shows the verdicts. A broken example fails the build."""

    required_arguments = 1

    def run(self):
        path = (Path(self.env.srcdir) / self.arguments[0]).resolve()
        self.env.note_dependency(str(path))
        # as a user's module would be: importable by its name, for "module:function" keys
        sys.path.insert(0, str(path.parent))
        sys.modules.pop(path.stem, None)
        try:
            module = importlib.import_module(path.stem)
            if not hasattr(module, "catalogue"):
                raise self.error(f"{path.name} defines no catalogue()")
            rows = self._check_all(module.catalogue())
        finally:
            sys.path.remove(str(path.parent))
            sys.modules.pop(path.stem, None)
        return self.parse("\n".join(rows) + "\n")

    def _check_all(self, catalogue) -> list[str]:
        from ..engine import check

        lines = [
            ".. list-table:: Verdicts of the example, computed while these docs were built",
            "   :header-rows: 1",
            "",
            "   * - theorem",
            "     - verdict",
            "     - strength",
            "     - points",
        ]
        for thm in catalogue:
            r = check(thm, device="cpu")
            if not r.as_expected:
                raise self.error(f"the example {thm.id} gave {r.verdict}: {r.message}")
            lines += [
                f"   * - ``{thm.id}``",
                f"     - {r.verdict}",
                f"     - {r.strength}",
                f"     - {r.points}",
            ]
        return lines


# -- MathML -----------------------------------------------------------------------------------


def _mathml(latex: str, display: str) -> str:
    from latex2mathml.converter import convert

    try:
        return convert(latex, display=display)
    except Exception as exc:  # show the source rather than break the page, and say so
        return (
            f'<code class="math-error" title="{html.escape(str(exc))}">{html.escape(latex)}</code>'
        )


def visit_math_inline(self, node):
    self.body.append(_mathml(node.astext(), "inline"))
    raise nodes.SkipNode


def visit_math_block(self, node):
    parts = [p.strip() for p in node.astext().split("\n\n") if p.strip()]
    self.body.append('<div class="math-block">')
    self.body.extend(_mathml(p, "block") for p in parts)
    self.body.append("</div>")
    raise nodes.SkipNode


def setup(app):
    app.add_config_value("theoremlab_report", str(Path("..") / reports.LATEST), "env")
    app.add_config_value("theoremlab_only", "", "env")  # a site of these theorems only
    # before autosummary (priority 500) writes the API pages; their modules are imported then
    app.connect("builder-inited", on_builder_inited_early, priority=400)
    app.connect("builder-inited", on_builder_inited)
    app.add_directive("theorem", TheoremDirective)
    app.add_directive("theorem-table", TableDirective)
    app.add_directive("theorem-graph", GraphDirective)
    app.add_directive("theorem-findings", FindingsDirective)
    app.add_role("step", step_role)
    app.add_directive("theorem-example", ExampleDirective)
    app.add_html_math_renderer("mathml", (visit_math_inline, None), (visit_math_block, None))
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
