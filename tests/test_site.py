"""The course website (``make site``), read in a real (headless) browser.

The site is built once for the module: ``resnet-lesson site`` into a temporary folder
(it runs every learner notebook, several minutes), or, when ``RESNET_LESSON_SITE``
names a folder (``make test-site`` passes ``_site``, which ``make site`` just built),
that folder. A local HTTP server serves it to Chromium, as any static host would.

Every chapter of ``course.chapter_ids()`` must have its page, reached from the index:
the learner notebook's title, a Colab link to that notebook, every figure the chapter
draws as an image that loaded, no solution line and no hidden test. The page loads
nothing from another host. The references page lists every paper a chapter cites.
Screenshots (``site_index.png``, ``site_<chapter>.png``) go to
``$RESNET_LESSON_SCREENSHOT_DIR`` when it is set (``RESNET_LESSON_SCREENSHOT_DIR=docs/screenshots
make test-site``), else to the test's temporary folder.

The fast tests at the end check the pieces without a build: the launch links and the
page renderer.
"""

import functools
import json
import os
import re
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import test_browser
from conftest import ROOT, chapter_ids, command_environment
from test_browser import CHROMIUM, CHROMIUM_ARGS, FIGURE_CALL, PAGE_TIMEOUT_MS, _requirements

from resnet_lesson import course
from resnet_lesson.release import links
from resnet_lesson.site import theme
from resnet_lesson.site.render import Renderer

# The browser tests' screenshot folder: $RESNET_LESSON_SCREENSHOT_DIR, else a temporary one.
screenshot_dir = test_browser.screenshot_dir
BUILD_TIMEOUT_S = 3600  # every chapter runs once: chapters 1 and 11 train networks
# "He et al. (2016a", "Ioffe and Szegedy 2015", "Krizhevsky et al. (2012)": the
# citations of the chapters' prose (comment lines of the chapter sources, joined).
CITATION = re.compile(r"\b([A-Z][a-z]+) (?:et al\.|and [A-Z][a-z]+),? \(?(\d{4})[ab]?\b")
# A solution line worth looking for: long enough not to occur by chance in prose.
MIN_SOLUTION_LINE = 16


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The built site's folder."""
    chosen = os.environ.get("RESNET_LESSON_SITE")
    if chosen:
        folder = Path(chosen)
        assert (folder / "index.html").exists(), f"no site in {folder}: run `make site` first"
        return folder
    work = tmp_path_factory.mktemp("site")
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "resnet_lesson.site.build",
            "--out",
            str(work / "_site"),
            "--build-dir",
            str(work / "build"),
        ],
        cwd=ROOT,
        env=command_environment(),
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
    )
    assert completed.returncode == 0, completed.stdout[-5000:] + completed.stderr[-5000:]
    return work / "_site"


@pytest.fixture(scope="module")
def served(site):
    """The site on a free local port, served as static files."""
    handler = functools.partial(QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    _requirements()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser, served):
    """A new page that records every request to another host."""
    opened = browser.new_page(viewport={"width": 1300, "height": 1000})
    opened.set_default_timeout(PAGE_TIMEOUT_MS)
    opened.foreign = []
    opened.on(
        "request",
        lambda request: (
            None
            if request.url.startswith((served, "data:"))
            else opened.foreign.append(request.url)
        ),
    )
    yield opened
    opened.close()


def learner_title(chapter_id):
    nb = json.loads(course.learner_notebook(chapter_id).read_text())
    for cell in nb["cells"]:
        for line in "".join(cell["source"]).splitlines():
            if cell["cell_type"] == "markdown" and line.startswith("# "):
                return line[2:].strip()
    raise AssertionError(f"{chapter_id}: no title in the learner notebook")


def solution_lines(chapter_id):
    """The lines of the chapter's ``### BEGIN SOLUTION`` regions that are not in its
    learner notebook (nor trivially short): none of them may be on the page."""
    learner = "\n".join(
        "".join(cell["source"])
        for cell in json.loads(course.learner_notebook(chapter_id).read_text())["cells"]
    )
    nb = json.loads(course.solution_notebook(chapter_id).read_text())
    found = set()
    for cell in nb["cells"]:
        inside = False
        for line in "".join(cell["source"]).splitlines():
            stripped = line.strip()
            if stripped == "### BEGIN SOLUTION":
                inside = True
            elif stripped == "### END SOLUTION":
                inside = False
            elif (
                inside
                and len(stripped) >= MIN_SOLUTION_LINE
                and not stripped.startswith("#")
                and stripped not in learner
            ):
                found.add(stripped)
    return found


def figure_cells(chapter_id):
    """The code of each cell of the learner notebook that draws a figure."""
    nb = json.loads(course.learner_notebook(chapter_id).read_text())
    return [
        "".join(cell["source"])
        for cell in nb["cells"]
        if cell["cell_type"] == "code" and FIGURE_CALL.search("".join(cell["source"]))
    ]


def chapter_links(page, served):
    """{chapter_id: URL} of the chapter pages the index's navigation links to."""
    page.goto(served + "/")
    found = {}
    for href in page.locator("nav.toc a").evaluate_all("links => links.map(a => a.href)"):
        name = href.rstrip("/").rsplit("/", 1)[-1].replace("-", "_")
        if name in chapter_ids():
            found[name] = href
    return found


@pytest.mark.site
@pytest.mark.browser
@pytest.mark.slow
def test_the_index_links_every_chapter_and_the_references(page, served, screenshot_dir):
    found = chapter_links(page, served)
    assert sorted(found) == chapter_ids(), sorted(found)
    table = page.locator("table").first.inner_text()
    for chapter_id in chapter_ids():
        name = learner_title(chapter_id).partition(": ")[2]
        assert name in table, f"the chapter table does not list {chapter_id} ({name})"
    page.screenshot(path=str(screenshot_dir / "site_index.png"))
    page.get_by_role("link", name="References").first.click()
    page.wait_for_load_state()
    references = page.locator("main").inner_text()
    prose = "\n".join(
        " ".join(line.lstrip("# ") for line in path.read_text().splitlines())
        for path in course.chapter_sources()
    )
    cited = set(CITATION.findall(" ".join(prose.split())))
    assert cited, "no citation found in the chapters: the pattern is out of date"
    missing = [
        (name, year)
        for name, year in sorted(cited)
        if not re.search(rf"\b{name}\b[^\n]*\({year}[ab]?\)", references)
    ]
    assert not missing, f"cited in a chapter, missing from the references page: {missing}"
    assert not page.foreign, page.foreign


@pytest.mark.site
@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("chapter_id", chapter_ids())
def test_chapter_page(chapter_id, page, served, screenshot_dir):
    page.goto(chapter_links(page, served)[chapter_id])
    assert page.locator("main h1").inner_text() == learner_title(chapter_id)
    launch = page.locator("a.launch-link", has_text="Open in Colab")
    expected = links.colab_url(theme.notebook_path(chapter_id))
    assert launch.get_attribute("href") == expected

    # Every image on the page loaded (none is broken, none comes from another host).
    images = page.locator("main img")
    for index in range(images.count()):
        image = images.nth(index)
        image.scroll_into_view_if_needed()
        loaded = image.evaluate("img => img.decode().then(() => img.naturalWidth > 0, () => false)")
        assert loaded, f"{chapter_id}: an image did not load: {image.get_attribute('src')}"
    # Each cell that draws a figure shows it, right below its code.
    cells = page.locator("main .code-cell")
    codes = cells.evaluate_all("cells => cells.map(c => c.querySelector('pre').textContent.trim())")
    for source in figure_cells(chapter_id):
        index = codes.index(source.strip())
        assert cells.nth(index).locator("img.output-image").count() > 0, (
            f"{chapter_id}: no figure under the cell\n{source}"
        )
    if figure_cells(chapter_id):
        page.locator("img.output-image").first.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / f"site_{chapter_id}.png"))

    text = page.locator("body").text_content()  # closed <details> included
    assert "HIDDEN TESTS" not in text and "BEGIN SOLUTION" not in text
    shown = [line for line in solution_lines(chapter_id) if line in text]
    assert not shown, f"{chapter_id}: solution lines on the page: {shown}"
    assert not page.foreign, f"{chapter_id} loads from another host: {page.foreign}"


# Without a build.


def test_launch_links_are_colab_and_the_hubs_configured():
    chapter_id = chapter_ids()[0]
    path = course.learner_notebook(chapter_id).relative_to(ROOT).as_posix()
    assert theme.launch_links(chapter_id, {}) == [("Open in Colab", links.colab_url(path))]
    both = dict(
        theme.launch_links(
            chapter_id,
            {"jupyterhub_url": "https://hub.example.org/", "binderhub_url": "https://mybinder.org"},
        )
    )
    hub = both["Open on JupyterHub"]
    assert hub.startswith("https://hub.example.org/hub/user-redirect/git-pull?")
    assert f"branch={links.BRANCH}" in hub and path.replace("/", "%2F") in hub
    assert both["Launch Binder"] == (
        f"https://mybinder.org/v2/gh/{links.REPOSITORY}/{links.BRANCH}?labpath="
        + path.replace("/", "%2F")
    )


def render(tree, public=None):
    return Renderer(
        public_url=lambda path: "/build" + path, read_public=lambda path: public[path]
    ).render(tree)


def test_render_shows_figures_text_and_hints():
    tree = {
        "type": "root",
        "children": [
            {
                "type": "details",
                "children": [
                    {"type": "summary", "children": [{"type": "text", "value": "Hint 1"}]},
                    {"type": "paragraph", "children": [{"type": "text", "value": "a < b"}]},
                ],
            },
            {
                "type": "block",
                "kind": "notebook-code",
                "children": [
                    {"type": "code", "lang": "python", "value": "plot_it()"},
                    {
                        "type": "outputs",
                        "children": [
                            {
                                "type": "output",
                                "jupyter_data": {
                                    "output_type": "stream",
                                    "name": "stdout",
                                    "text": "\x1b[1mloss\x1b[0m 0.5\n",
                                },
                            },
                            {
                                "type": "output",
                                "jupyter_data": {
                                    "output_type": "display_data",
                                    "data": {
                                        "image/png": {"path": "/abc.png"},
                                        "text/plain": {"path": "/long.txt"},
                                    },
                                },
                            },
                        ],
                    },
                ],
            },
        ],
    }
    page = render(tree, public={"/long.txt": "<Figure size 640x480>"})
    assert "<details><summary>Hint 1</summary><p>a &lt; b</p></details>" in page
    assert '<pre class="output stdout">loss 0.5\n</pre>' in page  # no terminal colour codes
    assert (
        '<img class="output-image" src="/build/abc.png" alt="&lt;Figure size 640x480&gt;">' in page
    )
    assert '<code class="language-python">plot_it()</code>' in page
