"""Checks for the check-your-understanding questions."""

from resnet_lesson.checks.engine import CheckFailed


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


def check_answer(name, value, correct, explanation):
    """The hidden part: the answer is right; if not, say why the right one is right."""
    if type(value) is not str or str.lower(str.strip(value)) != correct:
        raise CheckFailed(name, f"not this one. {explanation}")
