"""Checks for the check-your-understanding questions.

The answer cell answers at once (:func:`respond`): right, with the explanation, or a
nudge to think again; it reads the sealed answer (``resnet_lesson.checks.seal``), so the
released cell never holds the correct letter. The graded test stays: ``check_form``
visible, ``check_answer`` hidden.
"""

import contextlib
import functools

from resnet_lesson.checks import seal, session
from resnet_lesson.checks.verdict import CheckFailed


@contextlib.contextmanager
def answering():
    """Wraps a question's answer. In a learner's own kernel the unanswered stub's
    ``NotImplementedError`` ends the cell quietly, so Run All goes on (the question's
    test cell then says it is not answered); under nbgrader it raises as before."""
    try:
        yield
    except NotImplementedError:
        if not session.interactive():
            raise


def _shown(check):
    """A failed question check prints its line in a learner's kernel (see show_or_raise)."""

    @functools.wraps(check)
    def shown(*args):
        try:
            return check(*args)
        except CheckFailed as failure:
            session.show_or_raise(failure)

    return shown


@_shown
def check_form(name, value, letters):
    """The visible part: the answer is one of the offered letters."""
    # type() rather than isinstance(): a str subclass could override strip() or lower().
    if value is None:
        raise CheckFailed(
            name,
            f'not answered yet: write `{name} = "{letters[0]}"` (or '
            "the letter you choose) in the cell above and run it.",
        )
    if type(value) is not str or str.lower(str.strip(value)) not in letters:
        raise CheckFailed(
            name,
            f"set it to one of {', '.join(repr(x) for x in letters)} (a string), not {value!r}.",
        )
    recorded = str.lower(str.strip(value))
    print(f"Answer recorded: {recorded!r}. It is graded when the notebook is graded.")


@_shown
def check_answer(name, value, correct, explanation):
    """The hidden part: the answer is right; if not, say why the right one is right."""
    if type(value) is not str or str.lower(str.strip(value)) != correct:
        raise CheckFailed(name, f"not this one. {explanation}")


# -- in the answer cell: right or wrong at once ----------------------------------------


def respond(question, value, letters, sealed):
    """Say at once whether the answer is right: the explanation when it is, a nudge when
    it is not. Prints one line and never raises (the graded test judges the answer)."""
    if value is None:
        print(f"\u2753 {question}: not answered yet: set `{question}_answer` to one letter.")
        return
    letter = str.lower(str.strip(value)) if type(value) is str else None
    if letter not in tuple(letters):
        choices = ", ".join(repr(x) for x in letters)
        print(f"\u2753 {question}: answer with one of {choices} (a string), not {value!r}.")
        return
    explanation = seal.unseal(question, letter, sealed)
    if explanation is None:
        print(
            f"\u274c not quite: ({letter}) is not the answer. Reread the question and the "
            "section it is about, then try another letter."
        )
    else:
        print(f"\u2705 right: {explanation}")
