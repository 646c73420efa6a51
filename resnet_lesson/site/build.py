"""``resnet-lesson site``: the course website, built with Jupyter Book 2 into ``_site/``.

1. ``execute`` runs every learner notebook once into ``build/site/chapters/`` (a later
   build reruns only what changed); ``notebooks/`` is only read.
2. A MyST project is written beside them: ``myst.yml`` (the table of contents, in the
   order of ``course.chapter_ids()``), ``index.md`` (``site/intro.md`` and the chapter
   table), ``references.md`` (``site/references.md``: the papers the chapters cite) and
   the site template (``theme``). In the copies the site renders, each notebook's Colab
   badge (an image on another host) gives way to the page's launch links, and a cell's
   consecutive prints are one output, as Jupyter shows them.
3. ``jupyter-book build --html`` renders it; the result is copied to ``--out``.

Only package installs need the network: ``jupyter-book`` runs on the system's Node, and
the template is the course's own (``theme``), so nothing is downloaded at build time.
"""

import functools
import json
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbconvert.preprocessors import CoalesceStreamsPreprocessor

from resnet_lesson import course
from resnet_lesson.site import execute, theme

SITE_SOURCES = course.ROOT / "site"  # the site's own pages: intro.md, references.md
TITLE = "ResNet, built by hand"
COLAB_BADGE = re.compile(r"\[!\[Open In Colab\]\([^)]*\)\]\([^)]*\)\n?")
QUESTION_ID = re.compile(r"_q\d+$")


def add_arguments(parser):
    parser.add_argument("--out", type=Path, default=course.ROOT / "_site", help="the site folder")
    parser.add_argument(
        "--build-dir",
        type=Path,
        default=course.ROOT / "build" / "site",
        help="the MyST project and the executed notebooks (kept between builds)",
    )
    parser.add_argument("--chapters", nargs="*", help="only these chapter ids (default: all)")
    parser.add_argument("--jupyterhub-url", help="add a JupyterHub (nbgitpuller) launch link")
    parser.add_argument("--binderhub-url", help="add a BinderHub launch link")


def run(args):
    started = time.monotonic()
    chapters = args.chapters or course.chapter_ids()
    options = {"jupyterhub_url": args.jupyterhub_url, "binderhub_url": args.binderhub_url}
    build(args.build_dir, args.out, chapters, {k: v for k, v in options.items() if v})
    print(f"The site is in {args.out} ({time.monotonic() - started:.0f} s)")
    return 0


def build(build_dir, out, chapters, options):
    build_dir, out = Path(build_dir).resolve(), Path(out).resolve()
    log = functools.partial(print, flush=True)  # progress shows as it happens, even in a log
    executed = execute.execute_all(build_dir / "executed", chapters, log=log)
    write_project(build_dir, executed, options)
    html = build_dir / "_build" / "html"
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "jupyter_book", "build", "--html"], cwd=build_dir, check=True
    )
    missing = [c for c in chapters if not (html / slug_of(build_dir, c) / "index.html").exists()]
    if missing:
        raise SystemExit(f"jupyter-book wrote no page for {missing}")
    log(f"jupyter-book build --html: {time.monotonic() - started:.0f} s")
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(html, out)
    return out


def slug_of(build_dir, chapter_id):
    """The page's URL path, as MyST chose it (read from its site config)."""
    config = json.loads((build_dir / "_build" / "site" / "config.json").read_text())
    for page in config["projects"][0]["pages"]:
        if page.get("slug") and page["slug"].replace("-", "_") == chapter_id:
            return page["slug"]
    return chapter_id


def write_project(build_dir, executed, options):
    """The MyST project in ``build_dir``: ``myst.yml``, pages, chapters, template."""
    pages = build_dir / "chapters"
    if pages.exists():
        shutil.rmtree(pages)
    pages.mkdir(parents=True)
    for notebook in executed:
        nb = nbformat.read(notebook, as_version=4)
        # One box per run of prints, as Jupyter shows them (and a "\r" progress line once).
        CoalesceStreamsPreprocessor().preprocess(nb, {})
        for cell in nb.cells:
            # nbgrader numbers cells alike in every chapter; MyST wants ids unique in a site.
            if cell.get("id"):
                cell.id = f"{notebook.stem}-{cell.id}"[-64:]
            if cell.cell_type == "markdown":
                cell.source = COLAB_BADGE.sub("", cell.source).rstrip()
        nbformat.write(nb, pages / notebook.name)
    chapter_ids = [notebook.stem for notebook in executed]
    (build_dir / "index.md").write_text(index_page(executed))
    shutil.copy2(SITE_SOURCES / "references.md", build_dir / "references.md")
    write_template(build_dir / "template")
    toc = (
        ["    - file: index.md"]
        + [f"    - file: chapters/{chapter_id}.ipynb" for chapter_id in chapter_ids]
        + ["    - file: references.md"]
    )
    site_options = "".join(f"\n    {key}: {json.dumps(value)}" for key, value in options.items())
    (build_dir / "myst.yml").write_text(
        "# Written by resnet_lesson.site.build: edit that, not this.\n"
        "version: 1\n"
        "project:\n"
        f"  title: {json.dumps(TITLE)}\n"
        "  toc:\n" + "\n".join(toc) + "\n"
        "site:\n"
        "  template: ./template\n"
        f"  title: {json.dumps(TITLE)}\n" + (f"  options:{site_options}\n" if options else "")
    )


def write_template(folder):
    """The site template ``jupyter-book`` starts: ``theme``, run by this Python."""
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "public").mkdir(parents=True)  # jupyter-book copies it into the site
    options = "".join(f"  - id: {name}\n    type: string\n" for name in theme.OPTIONS)
    (folder / "template.yml").write_text(
        "myst: v1\n"
        "kind: site\n"
        "title: resnet-lesson site\n"
        "build:\n"
        # Nothing to install: the template is part of the course package.
        f"  install: {json.dumps(shlex.join([sys.executable, '-c', 'pass']))}\n"
        f"  start: {json.dumps(shlex.join([sys.executable, '-m', 'resnet_lesson.site.theme']))}\n"
        "options:\n" + options
    )


def chapter_title(nb):
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return ""


def exercises_of(nb):
    """What a learner writes in the chapter: its answer cells, the questions counted."""
    answers = [
        cell.metadata["nbgrader"]["grade_id"]
        for cell in nb.cells
        if cell.metadata.get("nbgrader", {}).get("solution")
    ]
    code = [f"`{grade_id}`" for grade_id in answers if not QUESTION_ID.search(grade_id)]
    questions = sum(1 for grade_id in answers if QUESTION_ID.search(grade_id))
    if questions:
        code.append(f"{questions} question{'s' if questions > 1 else ''}")
    return ", ".join(code)


def index_page(executed):
    rows = []
    for notebook in executed:
        nb = nbformat.read(notebook, as_version=4)
        title = chapter_title(nb)
        number, _, name = title.partition(": ")
        rows.append(
            f"| {number.removeprefix('Chapter ')} | [{name or title}](chapters/{notebook.name}) "
            f"| {exercises_of(nb)} |"
        )
    return (
        f"---\ntitle: {json.dumps(TITLE)}\n---\n\n"
        + (SITE_SOURCES / "intro.md").read_text()
        + "\n## The chapters\n\n| # | chapter | you write |\n|---|---|---|\n"
        + "\n".join(rows)
        + "\n"
    )


if __name__ == "__main__":
    from resnet_lesson.cli import run_as_module

    run_as_module("site")
