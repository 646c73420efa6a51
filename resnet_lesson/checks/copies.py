"""Whether chapter 12's class holds the course's own source, pasted.

``inspect.getsource(resnet_lesson.ResNetModel)`` pasted into the capstone cell defines
methods of the learner's class (new code objects, in the notebook's file), so neither
identity nor place gives them away; their syntax does. Methods are compared as parsed
code (``ast.dump``): comments, spacing and line breaks do not count; names do, so the
same steps written with other variable names, ``keras.layers.Add()`` for ``+`` or
keyword arguments are different code.

Identical code alone is not proof: the natural answer of several chapters (their
given lines fix the variable names) is the reference's code line for line, and an
honest learner pastes that answer into chapter 12. So a method counts as copied when
it carries the reference's docstring too (no answer cell has one), or when the
*whole* class is the reference's, docstrings or not (chapter 2's ``__init__`` and
chapter 10's ``preprocess`` are no chapter's answer in the reference's form).
A method that no chapter printed (chapter 12's ``cifar_layers``: its reference is only
in the package's source) counts as copied when its code is the reference's, docstring
or not.
"""

import ast
import inspect
import textwrap


def _function_node(function):
    """The parsed ``def`` of ``function``, or None when its source cannot be read."""
    try:
        source = textwrap.dedent(inspect.getsource(function))
        tree = ast.parse(source)
    except (OSError, TypeError, SyntaxError, IndentationError):
        return None
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.FunctionDef):
        return None
    return tree.body[0]


def _has_docstring(node):
    first = node.body[0] if node.body else None
    return (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    )


def normalized(function, keep_docstring):
    """``function``'s arguments and body as a string of its syntax tree (names kept,
    its own name and decorators left out), or None when its source cannot be read."""
    node = _function_node(function)
    if node is None:
        return None
    body = node.body if keep_docstring or not _has_docstring(node) else node.body[1:]
    return ast.dump(node.args) + ast.dump(ast.Module(body=body, type_ignores=[]))


def _same(learner_function, reference_function, keep_docstring):
    mine = normalized(learner_function, keep_docstring)
    return mine is not None and mine == normalized(reference_function, keep_docstring)


def copied_from(learner_class, reference_class, method, methods, unprinted=()):
    """Whether ``method`` of ``learner_class`` is ``reference_class``'s source pasted.

    ``methods``: every method the class must have (chapter 12's outline), for the
    whole-class comparison; ``unprinted``: the methods whose reference no chapter showed.
    """
    learner = getattr(learner_class, method, None)
    reference = getattr(reference_class, method, None)
    if learner is None or reference is None:
        return False
    reference_node = _function_node(reference)
    if reference_node is not None and _has_docstring(reference_node):
        if _same(learner, reference, keep_docstring=True):
            return True
    if not _same(learner, reference, keep_docstring=False):
        return False
    if method in unprinted:
        return True
    return all(
        _same(getattr(learner_class, name, None), getattr(reference_class, name, None), False)
        for name in methods
    )


def copied_function(learner_function, reference_function):
    """Whether ``learner_function`` is ``reference_function``'s source pasted: the same
    parsed code with the reference's docstring (no answer cell has one; the same code
    without it is what an honest answer whose given lines fix the names can be)."""
    reference_node = _function_node(reference_function)
    return (
        reference_node is not None
        and _has_docstring(reference_node)
        and _same(learner_function, reference_function, keep_docstring=True)
    )
