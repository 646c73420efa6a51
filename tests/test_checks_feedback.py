"""How a check's verdict reads: code as code in a learner's notebook, plain text wrapped
at word boundaries where nbgrader shows it (Validate dialog, feedback HTML), and the
exercise's name said once."""

import IPython
import IPython.display
import pytest

from resnet_lesson.checks import session, verdict
from resnet_lesson.checks.verdict import CheckFailed
from resnet_lesson.grading.feedback import feedback_for

LONG = (
    "the channel axis is padded too: pad only the two spatial axes, with `[0, 0]` for the "
    "batch and channel axes, and keep `(kernel_size - 1) // 2` zeros before each of them "
    "(seen for channels_first, kernel 4)."
)


def test_plain_text_drops_the_markup_but_keeps_code_intact():
    assert verdict.as_plain_text("use `a * b`, **not** *this*") == "use a * b, not this"
    assert verdict.as_plain_text("2 * 3 and 4 * 5") == "2 * 3 and 4 * 5"


def test_html_shows_code_as_code_and_escapes_the_rest():
    assert verdict.as_html("return `x < y` **now** & *here*") == (
        "return <code>x &lt; y</code> <strong>now</strong> &amp; <em>here</em>"
    )


def test_the_traceback_nbgrader_keeps_is_plain_and_wrapped_between_words():
    lines = CheckFailed("custom_padding", LONG)._render_traceback_()
    assert len(lines) > 1
    assert all(len(line) <= verdict.FEEDBACK_WIDTH for line in lines)
    assert not any("`" in line for line in lines)
    # Joining the lines gives the sentence back: no word was cut in two.
    expected = "\u274c custom_padding: " + verdict.as_plain_text(LONG)
    assert " ".join(line.strip() for line in lines) == expected


def test_the_exercise_name_is_not_repeated():
    failure = CheckFailed("custom_padding", "custom_padding ignores data_format: use it.")
    assert failure.line == "\u274c custom_padding ignores data_format: use it."
    other = CheckFailed("custom_padding", "the height is not padded.")
    assert other.line == "\u274c custom_padding: the height is not padded."


def test_a_learner_kernel_gets_html_with_a_plain_fallback(monkeypatch):
    shown = []
    monkeypatch.setattr(IPython, "get_ipython", lambda: object())
    monkeypatch.setattr(IPython.display, "display", lambda data, raw: shown.append(data))
    monkeypatch.setattr(session, "interactive", lambda: True)
    session.show_or_raise(CheckFailed("custom_padding", LONG))
    (bundle,) = shown
    assert "<code>[0, 0]</code>" in bundle["text/html"]
    assert "`" not in bundle["text/plain"]
    assert bundle["text/plain"].startswith("\u274c custom_padding: the channel axis")


def test_resnet_lesson_grade_reads_the_whole_wrapped_sentence():
    lines = CheckFailed("custom_padding", LONG)._render_traceback_()
    cell = {
        "outputs": [
            {
                "output_type": "error",
                "ename": "CheckFailed",
                "evalue": "custom_padding: ...",
                "traceback": lines,
            }
        ]
    }
    assert feedback_for(cell, timeout=60) == "custom_padding: " + verdict.as_plain_text(LONG)


@pytest.mark.parametrize("grade_env", ["NBGRADER_EXECUTION", "NBGRADER_VALIDATING"])
def test_under_nbgrader_the_verdict_is_raised_not_displayed(monkeypatch, grade_env):
    monkeypatch.setenv(grade_env, "1")
    with pytest.raises(CheckFailed):
        session.show_or_raise(CheckFailed("custom_padding", LONG))
