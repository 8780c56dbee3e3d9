"""Sphinx configuration of theoremlab's proof docs (``make docs`` / ``verify docs``)."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the packages of this checkout, installed or not

project = "theoremlab"
author = "the theoremlab developers"
copyright = "2026, the theoremlab developers"

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",
    "sphinxcontrib.bibtex",
    "verify.docs.sphinxext",
]

html_math_renderer = "mathml"  # prerendered at build time: no script, no network
theoremlab_report = str(ROOT / "reports" / "latest.json")

bibtex_bibfiles = ["refs.bib"]
bibtex_default_style = "plain"
bibtex_reference_style = "author_year"

# the API reference (api.rst): one page per module, generated under _generated/api at build time
autosummary_generate = True
autosummary_mock_imports = ["verify.__main__", "verify.cli.__main__"]  # they run the CLI
templates_path = ["_templates"]
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_inherit_docstrings = False  # a base class's docstring (pytest's, torch's) is not ours
napoleon_numpy_docstring = True
napoleon_google_docstring = False

exclude_patterns = ["_build", "_templates", "examples"]
html_theme = "alabaster"
import verify  # noqa: E402  (after the path is set)

html_static_path = [str(Path(verify.__file__).parent / "docs" / "static")]  # in the package
html_css_files = ["theoremlab.css"]
html_title = "theoremlab"
html_theme_options = {"page_width": "1100px", "sidebar_width": "230px"}
