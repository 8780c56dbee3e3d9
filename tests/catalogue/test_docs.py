"""The proof docs: built with -W from the registry and a fresh report, then opened in headless
Chromium (Debian's chromium and chromedriver; `make browser` installs them, CI always does)."""

import os
import re
import shutil
import time
from pathlib import Path

import pytest
import sympy as sp
import synthetic

import theorems
from verify import check

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")


@pytest.fixture(scope="session")
def site(tmp_path_factory, quick):
    """The site built from the session's quick report of the whole catalogue, in a temporary
    copy of docs/ (so the checkout's docs/_generated is left alone)."""
    from verify.docs import build

    base = tmp_path_factory.mktemp("docs")
    src = base / "docs"
    shutil.copytree(ROOT / "docs", src, ignore=shutil.ignore_patterns("_build", "_generated"))
    t0 = time.perf_counter()
    status = build(base / "html", srcdir=src, report_path=quick.report_path, quiet=True)
    print(f"docs build: {time.perf_counter() - t0:.1f}s")
    assert status == 0, "sphinx-build -W failed"
    return base / "html"


def test_every_theorem_has_a_page_with_its_plot(site):
    for t in theorems.all():
        page = site / "_generated" / "theorems" / f"{t.id}.html"
        text = page.read_text()
        assert f"{t.id}.png" in text, t.id
        assert (site / "_images" / f"{t.id}.png").stat().st_size > 1000
        assert "<math" in text  # the statement, prerendered


def test_pages_need_no_network(site):
    for page in site.rglob("*.html"):
        text = page.read_text()
        assert not re.search(r"""(src|href)=["']https?://[^"']*\.(js|css|woff2?)""", text), page
        assert "mathjax" not in text.lower(), page
    for css in site.rglob("*.css"):
        assert not re.search(r"(@import|url\()\s*[\"']?https?://", css.read_text()), css


def test_counterexamples_and_stale_evidence_are_shown(site, tmp_path):
    from verify.docs import theorem_body

    page = (site / "_generated" / "theorems" / "markov.convergence_greedy.html").read_text()
    text = re.sub(r"<[^>]+>", "", page)
    assert "verify check markov.convergence_greedy --at" in text  # the replay command
    thm = theorems.get("markov.state_count")
    row = {
        "verdict": "pass",
        "expect": "pass",
        "strength": "proved",
        "points": 3,
        "seeds": [1],
        "confidence": 0.99,
        "tightness": 1.0,
        "worst": None,
        "theorem_hash": "old",
    }
    assert "Stale evidence" in theorem_body(thm, row, True, None)
    assert "Stale evidence" not in theorem_body(thm, row, False, None)
    row |= {"profile": "standard", "seed": 4, "commit": "0123456789abcdef", "date": "2026-12-01"}
    assert "standard profile, seed 4, commit 0123456789, 2026-12-01" in theorem_body(
        thm, row, False, None
    )


def test_the_example_in_the_guide_ran_during_the_build(site):
    text = (site / "guide.html").read_text()
    assert "example.odd_sum" in text and "computed while these docs were built" in text


def test_every_module_has_an_api_page(site):
    import architecture

    pages = {p.stem for p in (site / "_generated" / "api").glob("*.html")}
    private = [m for m in architecture.modules() if any(p[0] == "_" for p in m.split("."))]
    wanted = set(architecture.modules()) - set(private)  # autosummary skips private modules
    assert wanted <= pages, sorted(wanted - pages)


def test_a_family_figure_reads_its_levels_from_its_theorems(monkeypatch):
    from verify.docs import figures

    (fig,) = figures.figures_of(theorems.get("icl.attention_concentration").source.cite)
    assert fig.name == "concept-icl.png" and fig.draw is figures.concept_figure
    assert figures.icl_levels() == (0.9, 0.05)
    get = theorems.get
    moved = {"icl.attention_concentration": get("icl.attention_concentration").with_claim(0.8)}
    for i in figures.ICL_OOD:
        moved[i] = get(i).with_claim(get(i).claim.expr + 0.05)
    monkeypatch.setattr(theorems, "get", lambda i: moved.get(i) or get(i))
    assert figures.icl_levels() == (0.8, 0.1)


@pytest.fixture(scope="session")
def browser():
    if not (CHROMIUM and DRIVER):
        if os.environ.get("CI"):
            pytest.fail("CI needs Debian's chromium and chromedriver (`make browser`)")
        pytest.skip("chromium/chromedriver not installed (`make browser` installs them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-sync",
        "--disable-component-update",
        "--disable-dev-shm-usage",
        "--window-size=1280,2000",
    ):
        opts.add_argument(flag)
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    yield driver
    driver.quit()


RAW_TEX = re.compile(r"\\(frac|left|right|leq|geq|tau|lfloor|text|lim|varepsilon)\b")


def _one_page_per_family_and_kind() -> list:
    """A theorem of each (family, claim kind) and each with a counterexample: every template
    path of a theorem page, without opening all of them."""
    seen, out = set(), []
    for t in theorems.all():
        key = (t.family, t.claim.kind, t.expect)
        if key not in seen:
            seen.add(key)
            out.append(t)
    return out


def test_no_page_shows_raw_tex(site):
    for t in theorems.all():
        html = (site / "_generated" / "theorems" / f"{t.id}.html").read_text()
        text = re.sub(r"<math.*?</math>", "", html, flags=re.S)
        text = re.sub(r"<(script|style).*?</\1>", "", text, flags=re.S)
        text = re.sub(r"<[^>]+>", "", text)
        assert not RAW_TEX.search(text), (t.id, RAW_TEX.search(text).group(0))


def test_pages_render_math_plots_and_graph_in_chromium(site, browser, tmp_path):
    for t in _one_page_per_family_and_kind():
        browser.get((site / "_generated" / "theorems" / f"{t.id}.html").as_uri())
        body = browser.find_element("tag name", "body").text
        assert not RAW_TEX.search(body), (t.id, RAW_TEX.search(body).group(0))
        sizes = browser.execute_script(
            "return Array.from(document.querySelectorAll('math'))"
            ".map(m => m.getBoundingClientRect().width);"
        )
        assert sizes and min(sizes) > 0, t.id
        loaded = browser.execute_script(
            "const i = document.querySelector('img.theorem-plot');"
            "return i !== null && i.complete && i.naturalWidth > 100;"
        )
        assert loaded, f"{t.id}: the evidence plot did not load"
    browser.save_screenshot(str(tmp_path / "theorem-page.png"))
    assert (tmp_path / "theorem-page.png").stat().st_size > 10_000

    browser.get((site / "index.html").as_uri())
    box = browser.execute_script(
        "const s = document.querySelector('svg.theorem-graph');"
        "if (!s) return null; const r = s.getBoundingClientRect(); return [r.width, r.height];"
    )
    assert box and box[0] > 300 and box[1] > 200, box
    links = browser.execute_script(
        "return Array.from(document.querySelectorAll('svg.theorem-graph a'))"
        ".map(a => a.getAttribute('xlink:href') || a.getAttribute('href'));"
    )
    ids = {t.id for t in theorems.all()}
    assert {Path(h).stem for h in links} == ids
    for h in set(links):
        assert (site / h).exists(), h
    body = browser.find_element("tag name", "body").text
    assert "markov.convergence_rate" in body and not RAW_TEX.search(body)


def test_verify_docs_runs_the_quick_profile_when_no_report(in_tmp, capsys, monkeypatch):
    from theorems import registry
    from verify.cli import main

    # a small catalogue keeps this test of the command's logic short (the full site is `site`)
    few = ("markov.state_count", "uat.lora_optimal")
    monkeypatch.setattr(registry, "_cache", {i: theorems.get(i) for i in few})

    shutil.copytree(
        ROOT / "docs", in_tmp / "docs", ignore=shutil.ignore_patterns("_build", "_generated")
    )
    assert main(["docs", "--source", "nothing-here"]) == 2
    assert main(["docs"]) == 0
    assert (in_tmp / "reports" / "latest.json").exists()
    assert (in_tmp / "docs" / "_build" / "html" / "index.html").exists()
    assert "running the quick profile first" in capsys.readouterr().err


def test_proofs_show_numbered_steps_with_status_badges_and_shares(site):
    page = (site / "_generated" / "theorems" / "markov.state_count.html").read_text()
    assert 'class="step-badge step-proved"' in page and "machine-checked" in page
    assert "(sympy)" in page
    papers = site / "_generated" / "papers"
    assert "Proof steps machine-checked:" in next(papers.glob("zekri-*.html")).read_text()
    assert "Proof steps machine-checked:" in next(papers.glob("bu-*.html")).read_text()
    index = (site / "index.html").read_text()
    assert "Findings" in index and "icl.exponential_convergence" in index


def test_a_failed_paper_step_is_listed_as_a_finding_with_its_method():
    import dataclasses

    import sympy as sp
    import synthetic

    from theorems import ProofStep
    from verify.docs.pages import findings_list, theorem_body

    x = sp.Symbol("x", positive=True)
    wrong = ProofStep.interval(
        "N* suffices",
        sp.Le(4 * x, 3 * x, evaluate=False),
        box={x: (1, 2)},
        paper=True,
        locator="Prop E.2",
    )
    t = dataclasses.replace(synthetic.true_and_false()["identity exact"][0], proof=(wrong,))
    listed = findings_list([t])
    assert "Prop E.2" in listed and "N\\* suffices" in listed and "ball arithmetic" in listed
    body = theorem_body(t, None, False, None)
    assert ":step:`failed`" in body and "False at x = " in body
    assert "the paper's argument, Prop E.2" in body


def test_every_source_kind_is_described_and_original_work_is_not_called_a_reconstruction():
    from theorems.core import SOURCE_KINDS
    from verify.docs import theorem_body

    thm = theorems.get("markov.state_count")
    for k in SOURCE_KINDS:
        page = theorem_body(thm.replace(source=theorems.Source("A. Author", "-", k)), None, 0, None)
        assert f"**{k}**" in page
    mine = thm.replace(source=theorems.Source("A. Author", "notes, Sec. 2", "original"))
    page = theorem_body(mine, None, False, None)
    assert "its authors' own result" in page and "not available" not in page


def test_family_figures_are_drawn_once_per_input_and_redrawn_when_one_changes(
    tmp_path, monkeypatch
):
    """The ICL figure costs a minute: it is kept in the cache by the hash of its theorems and
    modules, so a warm build copies it; a changed input draws it again."""
    from verify.docs.build import drawn
    from verify.docs.figures import Figure

    monkeypatch.setenv("THEOREMLAB_CACHE", str(tmp_path / "cache"))
    mod = tmp_path / "figdata_mod.py"
    mod.write_text("LEVEL = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    calls = []

    def draw(path):
        calls.append(path)
        path.write_bytes(b"png " + mod.read_bytes())

    fig = Figure("cite", "f.png", draw, "caption", theorems="markov.", modules=("figdata_mod",))
    first = drawn(fig)
    assert drawn(fig) == first and len(calls) == 1  # warm: not drawn again
    mod.write_text("LEVEL = 2\n")  # the data's code changed
    second = drawn(fig)
    assert second != first and len(calls) == 2 and second.read_bytes() == b"png LEVEL = 2\n"
    assert not first.exists()  # the older drawing is removed
    t = theorems.get("markov.state_count")
    changed = [t.with_claim(expr=t.claim.expr + 1) if x.id == t.id else x for x in theorems.all()]
    monkeypatch.setattr(theorems, "all", lambda: changed)
    assert drawn(fig) != second and len(calls) == 3  # a theorem it reads changed


def test_evidence_plots_show_what_the_claim_needs():
    """A rate's plot has its fitted and claimed laws; a probability claim's plots quantiles
    against bounds; a claim that is zero or negative keeps a linear axis; points beyond the
    drawn ones are counted in the legend."""
    import matplotlib.pyplot as plt

    from verify.docs.plots import MAX_SERIES, evidence_figure

    def legend(fig):
        return [t.get_text() for t in fig.axes[0].get_legend().get_texts()]

    cases = synthetic.true_and_false()
    rate = cases["rate power exponent"][0]
    fig = evidence_figure(rate, check(rate).to_json())
    assert any(t.startswith("fitted exponent") for t in legend(fig))
    assert any(t.startswith("claimed exponent -0.5") for t in legend(fig))
    plt.close(fig)
    prob = cases["probability"][0]
    fig = evidence_figure(prob, check(prob).to_json())
    assert "quantile" in fig.axes[0].get_ylabel() and "no numeric evidence" not in str(
        [t.get_text() for t in fig.axes[0].texts]
    )
    plt.close(fig)
    x = sp.Symbol("x")
    t = synthetic.theorem("syn.mono", "monotone", -x, "increasing", {}, variable=x)
    row = check(t).to_json()
    row["evidence"]["points"] = row["evidence"]["points"] * (MAX_SERIES + 3)
    for p in row["evidence"]["points"]:
        p["plot"] = {**p["plot"], "claimed": [-1.0] * len(p["plot"]["x"])}
    fig = evidence_figure(t, row)
    assert fig.axes[0].get_yscale() == "linear"  # the claimed −1 cannot go on a log axis
    assert "… 3 more points, not drawn" in legend(fig)
    plt.close(fig)
