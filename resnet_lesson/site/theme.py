"""The site template that ``jupyter-book build --html`` starts to render the course's pages.

A MyST site template is a web server: ``jupyter-book`` starts it with the port to listen
on (``PORT``) and the port of its own content server (``CONTENT_CDN_PORT``, which serves
``config.json`` and each page's tree under ``/content/<slug>.json``), waits for a line
with the server's ``http://`` address, fetches ``/``, every page and a few fixed files,
and writes what it gets into ``_build/html``. Here the server is Python's ``http.server``
and the pages are drawn by ``render``: nothing is downloaded, so the build works on a
machine that reaches only its package registries. (The stock ``book-theme`` is fetched
from the network by each new build, and is not in any package registry.)

Each chapter page carries its launch links: Colab always, and a JupyterHub
(nbgitpuller) or a BinderHub when the site's options name one.

``python -m resnet_lesson.site.theme`` runs the server (``build`` writes the template's
``template.yml`` to start it so).
"""

import html
import json
import os
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import PurePosixPath

from resnet_lesson import course
from resnet_lesson.release import links
from resnet_lesson.site.render import Renderer, escape

STYLE = course.ROOT / "site" / "theme.css"  # the style sheet, beside the site's own pages
# The site options ``build`` may set in myst.yml (declared in the template's template.yml).
OPTIONS = ("jupyterhub_url", "binderhub_url")


def notebook_path(chapter_id):
    """The chapter's learner notebook, relative to the repository root (what launch
    services open)."""
    return course.learner_notebook(chapter_id).relative_to(course.ROOT).as_posix()


def jupyterhub_url(hub, chapter_id):
    """nbgitpuller's link: the hub clones (or updates) the course, then opens the chapter."""
    repository_name = links.REPOSITORY.split("/")[-1]
    query = urllib.parse.urlencode(
        {
            "repo": f"https://github.com/{links.REPOSITORY}",
            "branch": links.BRANCH,
            "urlpath": f"lab/tree/{repository_name}/{notebook_path(chapter_id)}",
        }
    )
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def binderhub_url(binderhub, chapter_id):
    query = urllib.parse.urlencode({"labpath": notebook_path(chapter_id)})
    return f"{binderhub.rstrip('/')}/v2/gh/{links.REPOSITORY}/{links.BRANCH}?{query}"


def launch_links(chapter_id, options):
    """[(label, url)] for a chapter page: Colab, then the hubs the options configure."""
    found = [("Open in Colab", links.colab_url(notebook_path(chapter_id)))]
    if options.get("jupyterhub_url"):
        found.append(("Open on JupyterHub", jupyterhub_url(options["jupyterhub_url"], chapter_id)))
    if options.get("binderhub_url"):
        found.append(("Launch Binder", binderhub_url(options["binderhub_url"], chapter_id)))
    return found


def favicon():
    """The site's icon: an R on the accent colour of the style sheet."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (32, 32), "#0b5cad")
    ImageDraw.Draw(image).text((16, 16), "R", fill="white", anchor="mm", font_size=24)
    icon = io.BytesIO()
    image.save(icon, format="ICO")
    return icon.getvalue()


class Site:
    """What the pages need from ``jupyter-book``'s content server."""

    def __init__(self, content_base, base_url=""):
        self.content_base = content_base.rstrip("/")
        self.base_url = base_url.rstrip("/")
        self.config = json.loads(self.fetch("/config.json"))
        self.project = self.config["projects"][0]
        self.options = self.config.get("options") or {}
        self.renderer = Renderer(
            public_url=lambda path: f"{self.base_url}/build/{PurePosixPath(path).name}",
            read_public=lambda path: self.fetch("/" + path.lstrip("/")),
            link_url=self.link_url,
        )

    def fetch(self, path):
        with urllib.request.urlopen(self.content_base + path, timeout=60) as answer:
            return answer.read().decode()

    def link_url(self, url):
        return self.base_url + url if url.startswith("/") else url

    def page_json(self, slug):
        return self.fetch(f"/content/{slug}.json")

    def page_html(self, slug):
        page = json.loads(self.page_json(slug))
        title = page.get("frontmatter", {}).get("title") or slug
        chapter_id = PurePosixPath(page.get("location", "")).stem
        launch = ""
        if chapter_id in course.chapter_ids():
            launch = (
                '<p class="launch">'
                + "".join(
                    f'<a class="launch-link" href="{escape(url)}">{escape(label)}</a>'
                    for label, url in launch_links(chapter_id, self.options)
                )
                + "</p>"
            )
        body = self.renderer.render(page["mdast"])
        return self.document(title, slug, f"<h1>{escape(title)}</h1>{launch}{body}")

    def navigation(self, current):
        index = self.project["index"]
        entries = [(index, self.project.get("title", "Home"), 1)] + [
            (page["slug"], page["title"], page.get("level", 1))
            for page in self.project["pages"]
            if page.get("slug")
        ]
        items = []
        for slug, title, level in entries:
            url = f"{self.base_url}/" if slug == index else f"{self.base_url}/{slug}/"
            mark = ' aria-current="page"' if slug == current else ""
            link = f'<a href="{escape(url)}"{mark}>{escape(title)}</a>'
            items.append(f'<li class="level-{int(level)}">{link}</li>')
        return f'<nav class="toc" aria-label="Chapters"><ul>{"".join(items)}</ul></nav>'

    def document(self, title, slug, article):
        site_title = self.project.get("title", "")
        return (
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)} | {escape(site_title)}</title>"
            f'<link rel="stylesheet" href="{self.base_url}/myst-theme.css"></head><body>'
            f'<header class="site-header"><a href="{self.base_url}/">'
            f"{escape(site_title)}</a></header>"
            f'<div class="layout">{self.navigation(slug)}<main><article>{article}</article>'
            "</main></div></body></html>"
        )

    def sitemap(self):
        urls = [f"{self.base_url}/"] + [
            f"{self.base_url}/{page['slug']}/" for page in self.project["pages"] if page.get("slug")
        ]
        entries = "".join(f"<url><loc>{html.escape(url)}</loc></url>" for url in urls)
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
        )


class Handler(BaseHTTPRequestHandler):
    site = None  # set by serve()

    def do_GET(self):
        path = urllib.parse.urlparse(self.path).path.strip("/")
        site = self.site
        slugs = {page["slug"] for page in site.project["pages"] if page.get("slug")}
        slugs.add(site.project["index"])
        fixed = {
            "robots.txt": ("text/plain", lambda: "User-agent: *\nAllow: /\n"),
            "myst-theme.css": ("text/css", STYLE.read_text),
            "sitemap.xml": ("application/xml", site.sitemap),
            # The stylesheet a browser would apply to the sitemap: none is needed.
            "sitemap_style.xsl": ("application/xml", lambda: ""),
        }
        if path == "":
            self.answer("text/html", site.page_html(site.project["index"]))
        elif path in slugs:
            self.answer("text/html", site.page_html(path))
        elif path.endswith(".json") and path[: -len(".json")] in slugs:
            self.answer("application/json", site.page_json(path[: -len(".json")]))
        elif path in fixed:
            content_type, make = fixed[path]
            self.answer(content_type, make())
        elif path == "favicon.ico":
            self.answer("image/x-icon", favicon())
        else:
            self.send_error(404)

    def answer(self, content_type, text):
        body = text if isinstance(text, bytes) else text.encode()
        self.send_response(200)
        self.send_header("Content-Type", f"{content_type}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        """Quiet: jupyter-book shows what the server prints as its own log."""


def serve():
    port = int(os.environ["PORT"])
    content = f"http://localhost:{os.environ['CONTENT_CDN_PORT']}"
    site = Site(content, os.environ.get("BASE_URL") or "")
    handler = type("SiteHandler", (Handler,), {"site": site})
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    print(f"The course's site template is serving on http://localhost:{port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    serve()
