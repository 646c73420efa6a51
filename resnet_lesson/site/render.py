"""MyST's page tree (mdast, as ``jupyter-book`` writes it to ``_build/site/content``) to HTML.

Covers what the course's pages contain: CommonMark and its tables, ``<details>`` hints,
math (KaTeX's MathML, which browsers draw without a style sheet), and notebook cells
with their outputs: stdout and stderr, text, HTML and images. An unknown node keeps its
children (or its text), so nothing a page says is dropped.

Large outputs and images are not inside the tree: MyST writes them as files under the
site's public folder and leaves their ``path``; ``public_url`` turns such a path into
the URL the page uses, and ``read_public`` reads one (for text).
"""

import html
import re

ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
MATHML = re.compile(r"<math.*</math>", re.S)
IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/svg+xml")


def escape(text):
    return html.escape(text, quote=True)


class Renderer:
    def __init__(self, public_url, read_public, link_url=lambda url: url):
        self.public_url = public_url
        self.read_public = read_public
        self.link_url = link_url

    def render(self, node):
        handler = getattr(self, "node_" + node.get("type", ""), None)
        if handler is not None:
            return handler(node)
        if node.get("children"):
            return self.children(node)
        return escape(node.get("value", ""))

    def children(self, node):
        return "".join(self.render(child) for child in node.get("children", []))

    def wrap(self, tag, node, attributes=""):
        return f"<{tag}{attributes}>{self.children(node)}</{tag}>"

    # Text and blocks.
    def node_text(self, node):
        return escape(node.get("value", ""))

    def node_paragraph(self, node):
        return self.wrap("p", node)

    def node_heading(self, node):
        depth = min(max(int(node.get("depth", 2)), 1), 6)
        anchor = node.get("html_id") or node.get("identifier")
        return self.wrap(f"h{depth}", node, f' id="{escape(anchor)}"' if anchor else "")

    def node_emphasis(self, node):
        return self.wrap("em", node)

    def node_strong(self, node):
        return self.wrap("strong", node)

    def node_delete(self, node):
        return self.wrap("del", node)

    def node_subscript(self, node):
        return self.wrap("sub", node)

    def node_superscript(self, node):
        return self.wrap("sup", node)

    def node_inlineCode(self, node):
        return f"<code>{escape(node.get('value', ''))}</code>"

    def node_code(self, node):
        language = node.get("lang") or ""
        css = f' class="language-{escape(language)}"' if language else ""
        return f"<pre><code{css}>{escape(node.get('value', ''))}</code></pre>"

    def node_break(self, node):
        return "<br>"

    def node_thematicBreak(self, node):
        return "<hr>"

    def node_blockquote(self, node):
        return self.wrap("blockquote", node)

    def node_list(self, node):
        if node.get("ordered"):
            start = node.get("start")
            return self.wrap("ol", node, f' start="{int(start)}"' if start not in (None, 1) else "")
        return self.wrap("ul", node)

    def node_listItem(self, node):
        return self.wrap("li", node)

    def node_link(self, node):
        return self.wrap("a", node, f' href="{escape(self.link_url(node.get("url", "")))}"')

    def node_image(self, node):
        url = node.get("url", "")
        source = self.public_url(url) if url.startswith("/") else url
        return f'<img src="{escape(source)}" alt="{escape(node.get("alt", ""))}">'

    def node_html(self, node):
        return node.get("value", "")  # the page's own HTML, as its notebook cell wrote it

    def node_details(self, node):
        opened = " open" if node.get("open") else ""
        return self.wrap("details", node, opened)

    def node_summary(self, node):
        return self.wrap("summary", node)

    def node_table(self, node):
        return self.wrap("table", node)

    def node_tableRow(self, node):
        return self.wrap("tr", node)

    def node_tableCell(self, node):
        return self.wrap("th" if node.get("header") else "td", node)

    def node_inlineMath(self, node):
        found = MATHML.search(node.get("html", ""))
        return found.group(0) if found else f"<code>{escape(node.get('value', ''))}</code>"

    def node_math(self, node):
        return f'<div class="math">{self.node_inlineMath(node)}</div>'

    def node_admonition(self, node):
        kind = escape(node.get("kind", "note"))
        return self.wrap("aside", node, f' class="admonition {kind}"')

    def node_admonitionTitle(self, node):
        return self.wrap("p", node, ' class="admonition-title"')

    def node_comment(self, node):
        return ""

    def node_mystTarget(self, node):
        return ""

    # Notebook cells.
    def node_block(self, node):
        kind = node.get("kind", "")
        if kind == "notebook-code":
            return self.wrap("div", node, ' class="cell code-cell"')
        return self.wrap("div", node, ' class="cell"')

    def node_outputs(self, node):
        return self.wrap("div", node, ' class="outputs"')

    def node_output(self, node):
        data = node.get("jupyter_data") or {}
        kind = data.get("output_type")
        if kind == "stream":
            stream = "stderr" if data.get("name") == "stderr" else "stdout"
            return self.text_output(self.text_of(data.get("text", "")), stream)
        if kind == "error":
            traceback = "\n".join(self.text_of(line) for line in data.get("traceback") or [])
            return self.text_output(
                traceback or f"{data.get('ename')}: {data.get('evalue')}", "error"
            )
        return self.rich_output(data.get("data") or {})

    def rich_output(self, bundle):
        for mime in IMAGE_TYPES:
            if mime in bundle and bundle[mime].get("path"):
                source = escape(self.public_url(bundle[mime]["path"]))
                alt = self.text_of(bundle.get("text/plain", {})) or "figure"
                return f'<img class="output-image" src="{source}" alt="{escape(alt)}">'
        if "text/html" in bundle:
            return f'<div class="output-html">{self.text_of(bundle["text/html"])}</div>'
        if "text/plain" in bundle:
            return self.text_output(self.text_of(bundle["text/plain"]), "result")
        return ""

    def text_of(self, value):
        """An output's text: inline, a list of lines, or a file in the public folder."""
        if isinstance(value, list):
            return "".join(self.text_of(part) for part in value)
        if isinstance(value, dict):
            if "content" in value:
                return self.text_of(value["content"])
            return self.read_public(value["path"]) if value.get("path") else ""
        return ANSI_ESCAPE.sub("", str(value))

    @staticmethod
    def text_output(text, kind):
        return f'<pre class="output {kind}">{escape(text)}</pre>'
