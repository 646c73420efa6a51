"""A check's verdict as the learner reads it: one sentence, as text or HTML.

A sentence marks code with backticks and emphasis with asterisks, as markdown does. A
learner's kernel shows it as HTML; nbgrader's Validate dialog and feedback HTML show the
traceback text, where the markup goes and long sentences wrap at word boundaries.

Each sentence has a kind, given where it is written: it *names* the mistake (a known
mistake of the exercise, or a sentence the check writes for it), *locates* it without
naming it (the output shape, the training mode, the text of a crash), or is the
*generic* "right shape, wrong values". ``resnet-lesson bench --only checks`` counts them.
"""

import html
import re
import textwrap

# Messages mark code with backticks, as markdown does. A learner's kernel shows them as
# HTML (code as code); nbgrader's Validate dialog and feedback HTML show the traceback
# text, where the markup goes and long sentences wrap at word boundaries.
FEEDBACK_WIDTH = 76
_CODE = re.compile(r"`([^`]+)`")
_STRONG = re.compile(r"\*\*(\S(?:.*?\S)?)\*\*")
_EMPHASIS = re.compile(r"(?<![\w*])\*(\S(?:.*?\S)?)\*(?![\w*])")

NAMED, LOCATED, GENERIC = "named", "located", "generic"


class Sentence(str):
    """A check's sentence that is not (or not always) one naming the mistake: the text,
    with its ``kind`` (``LOCATED`` or ``GENERIC``; a plain string is ``NAMED``)."""

    def __new__(cls, text, kind):
        sentence = super().__new__(cls, text)
        sentence.kind = kind
        return sentence


def kind_of(message):
    """The kind of a check's sentence: a :class:`Sentence`'s own, else ``NAMED``."""
    return getattr(message, "kind", NAMED)


def as_plain_text(message):
    """``message`` without its markdown: code spans and emphasis keep only their text."""
    parts = _CODE.split(message)  # prose at even indexes, code at odd ones
    return "".join(
        part if index % 2 else _EMPHASIS.sub(r"\1", _STRONG.sub(r"\1", part))
        for index, part in enumerate(parts)
    )


def as_html(message):
    """``message`` as HTML: code spans in ``<code>``, emphasis kept, the rest escaped."""
    parts = _CODE.split(message)
    html_parts = []
    for index, part in enumerate(parts):
        escaped = html.escape(part, quote=False)
        if index % 2:
            html_parts.append(f"<code>{escaped}</code>")
        else:
            escaped = _STRONG.sub(r"<strong>\1</strong>", escaped)
            html_parts.append(_EMPHASIS.sub(r"<em>\1</em>", escaped))
    return "".join(html_parts)


def wrapped(text, width=FEEDBACK_WIDTH):
    """``text`` in lines of at most ``width`` characters, broken only between words."""
    return textwrap.wrap(
        text, width, break_long_words=False, break_on_hyphens=False, subsequent_indent="   "
    )


def show_line(message):
    """Show one line of feedback in the running notebook: HTML where a front end draws
    it, the wrapped plain text elsewhere (a terminal, a test's captured stdout)."""
    plain = "\n".join(wrapped(as_plain_text(message)))
    try:
        from IPython import get_ipython
    except ImportError:
        get_ipython = None
    if get_ipython is None or get_ipython() is None:
        print(plain)
        return
    from IPython.display import display

    display({"text/plain": plain, "text/html": f"<p>{as_html(message)}</p>"}, raw=True)


class CheckFailed(AssertionError):
    """A check's verdict: one sentence that says what is wrong and where to look."""

    def __init__(self, exercise, message):
        super().__init__(f"{exercise}: {as_plain_text(message)}")
        self.exercise = exercise
        self.message = str(message)
        self.kind = kind_of(message)  # named, located or generic (see the module doc)

    @property
    def line(self):
        """The verdict as shown, with markdown: "\u274c exercise: message", without
        repeating the exercise's name when the sentence starts with it."""
        if self.message.startswith(f"{self.exercise} ") or self.message.startswith(
            f"`{self.exercise}` "
        ):
            return f"\u274c {self.message}"
        return f"\u274c {self.exercise}: {self.message}"

    def _render_traceback_(self):
        # IPython shows this instead of a traceback: the learner needs the sentence,
        # not the stack of the checking code. nbgrader keeps these lines as the cell's
        # error, shown as preformatted text: plain, and wrapped so nothing is cut off.
        return wrapped(as_plain_text(self.line))
