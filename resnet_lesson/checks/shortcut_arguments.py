"""A block's shortcut, made by the learner's chapter 5 method
(``pre_activation_with_shortcut``), named from the arguments that method received.

A shortcut made with the wrong parameters fails the same way as a branch of the wrong
width: two tensors that cannot be added, whose error text is symmetric. So once a block
has failed, its check builds it again with the chapter 5 method watched and names the
first argument that breaks the contract (chapter 7's check uses it)."""

import inspect

from resnet_lesson.checks import integrity
from resnet_lesson.checks.pieces import build_piece

_SHORTCUT_METHOD = "pre_activation_with_shortcut"


def _calls(learner_class, method_name, case):
    """Build the learner's block for ``case`` (learner code) and return the arguments
    each call of their chapter 5 method received: ``(is_training, shortcut_params)``,
    or None for a call whose arguments do not fit its signature."""
    calls = []
    their_method = getattr(learner_class, _SHORTCUT_METHOD)
    signature = inspect.signature(their_method)

    def recording(self, *args, **kwargs):
        try:
            bound = signature.bind(self, *args, **kwargs).arguments
        except TypeError:
            calls.append(None)
        else:
            calls.append((bound.get("is_training"), bound.get("shortcut_params")))
        return their_method(self, *args, **kwargs)

    watched = type(learner_class.__name__, (learner_class,), {_SHORTCUT_METHOD: recording})
    try:
        build_piece(watched, method_name, case)
    except Exception:  # the check already knows the block fails; only the calls count
        pass
    return calls


def _same(value, expected):
    if expected is None or value is None:
        return value is expected
    try:
        return bool(value == expected)
    except Exception:  # a tensor or an object without a truth value: not the number
        return False


def _call_problem(call, case):
    """The sentence for one watched call whose arguments break the contract, or None."""
    filters, strides = case.kwargs["shortcut_filters"], case.kwargs["strides"]
    flag = case.kwargs["is_training"]
    if call is None:
        return (
            f"`{_SHORTCUT_METHOD}` is called with arguments that do not fit its signature "
            f"(for {case.description}): it takes the block's input, the block's "
            "`is_training` and the shortcut's parameters as one pair; the contract "
            "printed above shows how to call it."
        )
    is_training, params = call
    try:
        given_filters, given_strides = params
    except (TypeError, ValueError):
        return (
            f"the shortcut's parameters are not a pair (for {case.description}, "
            f"`{_SHORTCUT_METHOD}` received `{params!r}`): its contract takes the "
            "projection's filters (None for the identity) and the stride as one pair."
        )
    if not _same(given_filters, filters):
        if filters is None:
            return (
                f"the shortcut is a projection with {given_filters!r} filters where the "
                f"block was given no `shortcut_filters` (for {case.description}): without "
                "it, the shortcut must be the block's input unchanged, so a zero branch "
                "returns the input; pass the block's own `shortcut_filters` on."
            )
        return (
            f"the shortcut is made with {given_filters!r} filters where the block was "
            f"given `shortcut_filters` = {filters} (for {case.description}): the "
            "projection's width is the block's `shortcut_filters`, not `filters`, so that "
            "it matches the expand."
        )
    if not _same(given_strides, strides):
        return (
            f"the shortcut is made with stride {given_strides!r} where the block's "
            f"`strides` is {strides} (for {case.description}): the projection must shrink "
            "the map exactly as the branch does, so pass the block's `strides` on to it."
        )
    if not _same(is_training, flag):
        return (
            f"the shortcut's pre-activation gets `is_training` = {is_training!r} where the "
            f"block was given {flag} (for {case.description}): its batch norm then runs in "
            "the wrong mode in a bare call `model(x)`; pass the block's own `is_training` "
            f"on to `{_SHORTCUT_METHOD}`."
        )
    return None


def problem(learner_class, method_name, cases):
    """The first broken call of the learner's chapter 5 method over ``cases`` (their
    ``method_name`` piece built for each), or None.

    Learner code runs here, after the engine's own checkpoint: a fresh one guards it."""
    checkpoint = integrity.take()
    observed = [(case, _calls(learner_class, method_name, case)) for case in cases]
    checkpoint(method_name)
    for case, calls in observed:
        for call in calls:
            found = _call_problem(call, case)
            if found:
                return found
    return None
