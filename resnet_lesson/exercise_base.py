"""The class an exercise's ``ResNetModel`` derives from: the course's model without the
method the chapter asks for.

Deriving from the full reference would put the answer one keystroke away (``??`` on the
method shows its source) and let ``return super().regular_block(...)`` pass. So each
exercise chapter writes ``class ResNetModel(course_model_without("regular_block"))``:
every other method is the reference's, and the chapter's own is a stub that says it is
the learner's to write. The stub raises :class:`WithheldMethod`, a ``NotImplementedError``,
so a check treats a stub reached through ``super()`` as an answer not written yet.
"""

from resnet_lesson.model import ResNetModel


class WithheldMethod(NotImplementedError):
    """Raised by a method that the chapter asks the learner to write."""


def _withheld(name):
    """A stub for method ``name``: it says whose method it is, and nothing of the answer."""

    def withheld(self, *args, **kwargs):
        raise WithheldMethod(
            f"`{name}` is the method you write in this chapter: the course's own is "
            "not part of the class you derive from; write yours in the exercise cell."
        )

    withheld.__name__ = withheld.__qualname__ = name
    withheld.__doc__ = f"`{name}`: the method you write in this chapter (not given)."
    withheld.withheld = True
    return withheld


def withheld_names(cls):
    """The methods of ``cls`` that are still this module's stubs."""
    return sorted(
        name for name in dir(cls) if getattr(getattr(cls, name, None), "withheld", False) is True
    )


def course_model_without(*method_names):
    """A subclass of the course's ``ResNetModel`` in which ``method_names`` are stubs.

    A fresh class each call (no cache): the course's modules keep no state that a check
    could see change (``checks/integrity.py``).
    """
    for name in method_names:
        if not callable(getattr(ResNetModel, name, None)):
            raise ValueError(f"the course's ResNetModel has no method {name!r}")
    members = {name: _withheld(name) for name in method_names}
    members["__doc__"] = (
        "The course's ResNetModel without "
        + ", ".join(f"`{name}`" for name in method_names)
        + ": the chapter's method is yours to write; every other method is the course's."
    )
    base = type("CourseModelWithout", (ResNetModel,), members)
    base.__module__ = __name__
    return base
