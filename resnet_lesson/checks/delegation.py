"""Whether the learner's method hands its work to the course's own implementation.

``return resnet_lesson.model.ResNetModel.regular_block(self, ...)`` (or ``super(...)``
aimed past the exercise's base) computes exactly the reference's outputs, so comparing
outputs cannot tell it from an answer. What tells it is behaviour while the piece is
built: the reference method's code runs. :class:`Watch` notes that with a profile hook,
for the functions of the method under check (found in the course's modules before the
learner's code runs), and restores the previous hook when it ends. It sets no
attribute of any module or class: a checkpoint (``integrity.py``) sees nothing change.
"""

import importlib
import sys

# Course functions that compute a whole exercise's answer besides the method itself.
ALSO_THE_ANSWER = {"preprocess": ("resnet_lesson.preprocessing", "preprocess_image")}


def _location(function):
    code = getattr(function, "__code__", None)
    return None if code is None else (code.co_name, code.co_filename, code.co_firstlineno)


def reference_codes(reference_class, method_name, learner_class=None):
    """Where the course's own implementation of ``method_name`` is: (name, file, first
    line) of each function whose running means the answer is the course's.

    By place, not by identity: under grading each graded cell imports the course's
    modules afresh (``grading/guard.py``), while the learner's class still holds the
    copies it was defined with. Empty when ``learner_class``'s method *is* the
    reference's: whether that may pass is ``engine.still_the_reference``'s question
    (the reference itself passes its checks in the course's own tests).
    """
    functions = [getattr(reference_class, method_name, None)]
    if method_name in ALSO_THE_ANSWER:
        module_name, function_name = ALSO_THE_ANSWER[method_name]
        module = importlib.import_module(module_name)
        functions.append(getattr(module, function_name, None))
    locations = tuple(filter(None, map(_location, functions)))
    if learner_class is not None:
        if _location(getattr(learner_class, method_name, None)) in locations:
            return ()
    return locations


class ProfilerInTheWay(BaseException):
    """The watch cannot see: a C-level profiler (cProfile, ``%prun``) was running when
    it started, or the code it watched replaced or removed the watch. A BaseException,
    so that no ``except Exception`` around the learner's code takes it for their error."""


PROFILER_MESSAGE = (
    "a profiler (cProfile or %prun) was running, or your code started or stopped one, "
    "while the check watched your method: the check cannot judge it; run the check cell "
    "on its own, with no profiler, and keep profiling code out of your answer."
)


class Watch:
    """``with Watch(locations) as watch: ...``; then ``watch.called`` says whether a
    function at one of ``locations`` (from :func:`reference_codes`) started running
    inside the block. Raises :class:`ProfilerInTheWay` where it cannot watch."""

    def __init__(self, locations):
        self.names = frozenset(name for name, _, _ in locations)
        self.places = frozenset((file, line) for _, file, line in locations)
        self.called = False
        self._previous = None

    def _hook(self, frame, event, arg):
        if event == "call":
            code = frame.f_code
            if code.co_name in self.names and (code.co_filename, code.co_firstlineno) in (
                self.places
            ):
                self.called = True
        previous = self._previous
        if previous is not None:
            previous(frame, event, arg)

    def __enter__(self):
        self._previous = sys.getprofile()
        # A Python profile function is chained to; a C one (cProfile) cannot be.
        if self._previous is not None and not callable(self._previous):
            raise ProfilerInTheWay()
        sys.setprofile(self._hook)
        return self

    def __exit__(self, kind, error, traceback):
        still_watching = sys.getprofile() == self._hook
        sys.setprofile(self._previous)
        if not still_watching:  # the watched code turned the watch off: it saw nothing
            raise ProfilerInTheWay()
        return False


def delegated_message(method_name):
    """The sentence for a method that calls the course's implementation of itself."""
    return (
        f"your `{method_name}` calls the course's own `{method_name}` instead of doing the "
        f"work itself: it scores nothing; write `{method_name}` yourself, from the contract."
    )


def withheld_message(method_name):
    """The sentence for a class that reaches the exercise base's stub of the method:
    through ``super()``, or because the class has no method of that name of its own."""
    return (
        f"your class reaches the course's stub of `{method_name}` (through "
        f"`super().{method_name}`, or because your class has no `{method_name}` of its "
        "own): it is the method you write in this chapter; write it yourself, from the "
        "contract."
    )
