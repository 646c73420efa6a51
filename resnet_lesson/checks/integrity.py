"""A check's verdict cannot be changed by the code it checks.

A check calls the learner's code (their method, their Keras layers) in the middle of
its own work, in the same Python process, so that code can reach everything the check
uses afterwards: the check and engine modules, ``CheckFailed``, the reference model,
numpy, Keras, TensorFlow, Python's builtins. The grader's guard (``grading/guard.py``)
gives each graded cell fresh course modules *before* the cell runs; this module covers
what happens *while* the check runs.

:func:`take` fingerprints that state before any learner code of a check runs:

- every value of every course module and course class, by identity; functions down to
  their code, defaults, closures and attributes; lists, dicts and objects one level
  down (the verdict memory excepted: the checks write it themselves, and no graded
  cell reads it);
- every public function, class and class attribute of every library module loaded
  (numpy, Keras, TensorFlow, IPython, Python's builtins and standard library, ...),
  and the code of every library function;
- the module table, the import system, the garbage collector's switch and nbgrader's
  environment variables.

It returns a *checkpoint*: a fresh function, with no globals and no builtins, that
holds that fingerprint and everything it needs to compare the state with it, all
handed to it before the learner's code ran. A check keeps it in a local variable and
calls it after the learner's code has run and before it uses anything that code could
have touched::

    checkpoint = integrity.take()   # before the learner's code
    ...                             # the learner's code runs
    checkpoint(exercise)            # raises CheckTampered if anything changed
    ...                             # judge what it produced

So replacing ``integrity.take``'s module, a builtin such as ``id``, or some function's
``__code__`` while the learner's code runs cannot switch the checkpoint off. What this cannot
stop is written in docs/grading-threat-model.md.
"""

import gc
import itertools
import operator
import os
import sys
import types

# Imported first so that they are among the libraries indexed below (the checks use them).
import keras  # noqa: F401
import numpy  # noqa: F401
import tensorflow  # noqa: F401

from resnet_lesson.checks.verdict import CheckFailed

COURSE_PACKAGE = "resnet_lesson"
# Written by the checks themselves while they run (their verdicts, for yours_or_course).
NOT_SEALED = {("resnet_lesson.checks.session", "_VERDICTS")}


class CheckTampered(CheckFailed):
    """Code that ran during a check changed what the check relies on: 0 points."""


def _is_course(module_name):
    return module_name == COURSE_PACKAGE or module_name.startswith(COURSE_PACKAGE + ".")


def _public(names):
    return tuple(itertools.filterfalse(operator.methodcaller("startswith", "_"), names))


def _library_index(modules):
    """What of the libraries to watch: (module names, their namespaces and public
    callable names, their classes and descriptor names, their functions). Mostly
    C-level work: it runs once per graded cell, before any learner code."""
    names, namespaces, classes, functions = [], [], [], []
    is_function = types.FunctionType.__instancecheck__
    for name, module in tuple(modules.items()):
        namespace = getattr(module, "__dict__", None)
        if _is_course(name) or not isinstance(module, types.ModuleType):
            continue
        if not isinstance(namespace, dict):
            continue
        values = tuple(namespace.values())
        keys = tuple(itertools.compress(tuple(namespace), map(callable, values)))
        keys = _public(keys) + (("__import__",) if "__import__" in keys else ())
        names.append(name)
        namespaces.append((namespace, keys))
        functions.extend(itertools.compress(values, map(is_function, values)))
        for value in itertools.compress(
            values, map(type.__instancecheck__, itertools.repeat(type), values)
        ):
            if getattr(value, "__module__", None) != name:
                continue
            members = vars(value)
            member_values = tuple(members.values())
            described = itertools.compress(
                tuple(members), map(hasattr, member_values, itertools.repeat("__get__"))
            )
            classes.append((value, members, tuple(described), _public(tuple(members))))
            functions.extend(itertools.compress(member_values, map(is_function, member_values)))
    return tuple(names), tuple(namespaces), tuple(classes), tuple(functions)


# What of the libraries a checkpoint watches, found once, when this module is imported:
# under grading that is in each graded cell, after the guard and before the learner's
# code can reach this module (a checkpoint sees this name replaced like any other).
LIBRARIES = _library_index(sys.modules)


# The functions below run with no globals and no builtins (see the module doc):
# every name they use is a parameter, with its value fixed by the defaults.


def _fingerprint(
    modules,
    environ,
    index,
    course_package=COURSE_PACKAGE,
    not_sealed=frozenset(NOT_SEALED),
    gc_isenabled=gc.isenabled,
    id=id,
    type=type,
    tuple=tuple,
    map=map,
    len=len,
    dict=dict,
    isinstance=isinstance,
    getattr=getattr,
    vars=vars,
    property=property,
    code_of=operator.attrgetter("__code__"),
    public=_public,
    function_type=types.FunctionType,
    module_type=types.ModuleType,
    containers=(list, tuple, set, frozenset),
    wrappers=(staticmethod, classmethod),
    sys=sys,
):
    """(course state as a dict of identities, library identities as nested tuples)."""
    course = {}

    def function_state(function):
        closure = function.__closure__
        return (
            id(function),
            id(function.__code__),
            id(function.__defaults__),
            id(function.__kwdefaults__),
            id(function.__globals__),
            () if closure is None else tuple(id(cell.cell_contents) for cell in closure),
            tuple(map(id, tuple(vars(function).values()))),
        )

    def value_state(value):
        kind = type(value)
        if kind is function_type:
            return function_state(value)
        if isinstance(value, dict):
            return (id(value), tuple((id(k), id(v)) for k, v in tuple(value.items())))
        if isinstance(value, containers):
            return (id(value), tuple(map(id, tuple(value))))
        if isinstance(value, wrappers):
            inner = value.__func__
            return (id(value), function_state(inner) if type(inner) is function_type else id(inner))
        if isinstance(value, property):
            return (id(value), id(value.fget), id(value.fset), id(value.fdel))
        attributes = getattr(value, "__dict__", None)
        if isinstance(attributes, dict) and not isinstance(value, (module_type, type)):
            return (id(value), tuple(attributes), tuple(map(id, tuple(attributes.values()))))
        return id(value)

    prefix = course_package + "."
    for module_name, module in tuple(modules.items()):
        if not (module_name == course_package or module_name[: len(prefix)] == prefix):
            continue
        namespace = getattr(module, "__dict__", None)
        if not isinstance(namespace, dict):
            continue
        course[(module_name,)] = id(module)
        course[(module_name, "__names__")] = tuple(namespace)
        for name, value in tuple(namespace.items()):
            if name == "__builtins__":
                continue  # Python's builtins module is watched with the libraries
            if (module_name, name) in not_sealed:
                course[(module_name, name)] = id(value)
                continue
            course[(module_name, name)] = value_state(value)
            if isinstance(value, type) and getattr(value, "__module__", None) == module_name:
                course[(module_name, name, "__bases__")] = (id(value.__bases__), id(type(value)))
                course[(module_name, name, "__names__")] = tuple(vars(value))
                for attribute, member in tuple(vars(value).items()):
                    course[(module_name, name, attribute)] = value_state(member)
    names, namespaces, classes, functions = index
    library = (
        tuple(map(id, map(modules.get, names))),
        tuple(tuple(map(id, map(namespace.get, keys))) for namespace, keys in namespaces),
        tuple(
            (tuple(map(id, map(members.get, keys))), public(tuple(members)) == names)
            for cls, members, keys, names in classes
        ),
        tuple(map(id, map(code_of, functions))),
        (id(sys.meta_path), tuple(map(id, tuple(sys.meta_path)))),
        (id(sys.path_hooks), tuple(map(id, tuple(sys.path_hooks)))),
        gc_isenabled(),
        tuple((key, value) for key, value in tuple(environ.items()) if key[:9] == "NBGRADER_"),
    )
    return course, library


def _first_library_change(
    index,
    before,
    now,
    zip=zip,
    enumerate=enumerate,
    parts=(
        "the module table (sys.modules)",
        "a library function",
        "a library class",
        "a library function's code",
        "the import system (sys.meta_path)",
        "the import system (sys.path_hooks)",
        "the garbage collector's switch",
        "nbgrader's environment variables",
    ),
):
    """Which watched library name differs, as precisely as the index can say."""
    names, namespaces, classes, functions = index
    for part, (description, then, current) in enumerate(zip(parts, before, now)):
        if then == current:
            continue
        if part == 0:
            for name, a, b in zip(names, then, current):
                if a != b:
                    return f"sys.modules[{name!r}]"
        if part == 1:
            for name, (namespace, keys), a, b in zip(names, namespaces, then, current):
                for key, x, y in zip(keys, a, b):
                    if x != y:
                        return f"{name}.{key}"
        if part == 2:
            for (cls, members, keys, public_names), a, b in zip(classes, then, current):
                if a[1] != b[1]:
                    return f"{cls.__module__}.{cls.__qualname__} (a new attribute)"
                for key, x, y in zip(keys, a[0], b[0]):
                    if x != y:
                        return f"{cls.__module__}.{cls.__qualname__}.{key}"
        if part == 3:
            for function, x, y in zip(functions, then, current):
                if x != y:
                    return f"{function.__module__}.{function.__qualname__}.__code__"
        return description
    return "a library"


def _verify(
    exercise,
    fingerprint=None,
    function_type=types.FunctionType,
    modules=sys.modules,
    environ=os.environ,
    index=None,
    tampered=CheckTampered,
    before=None,
    collect=gc.collect,
    first_library_change=None,
):
    """Raise ``tampered`` if the state now differs from ``before``."""
    collect(1)  # the learner's young garbage: its finalizers run now, not in the verdict
    fingerprint_code, fingerprint_defaults = fingerprint
    course, library = function_type(
        fingerprint_code, {"__builtins__": {}}, None, fingerprint_defaults
    )(modules, environ, index)
    before_course, before_library = before
    changed = None
    for key, value in before_course:
        if key not in course or course[key] != value:
            changed = ".".join(key)
            break
    if changed is None and library != before_library:
        compare_code, compare_defaults = first_library_change
        changed = function_type(compare_code, {"__builtins__": {}}, None, compare_defaults)(
            index, before_library, library
        )
    if changed is not None:
        raise tampered(
            exercise,
            f"the check was tampered with: `{changed}` changed while your code ran inside "
            "the check, so this check scores 0. Write the method, and leave the course's "
            "modules, Python's builtins and the libraries alone.",
        )


def take():
    """A checkpoint of the state now: take it before a check runs any learner code,
    keep it in a local variable, and call it (``checkpoint(exercise)``) after the
    learner's code and before using anything that code could have touched. It raises
    :class:`CheckTampered` when something it fingerprinted changed.

    The checkpoint is a fresh function with no globals and no builtins: it runs only
    what it was handed now, before the learner's code.
    """
    index = LIBRARIES
    fingerprint = (_fingerprint.__code__, _fingerprint.__defaults__)
    course, library = _fresh(fingerprint[0], fingerprint[1])(sys.modules, os.environ, index)
    defaults = (
        fingerprint,
        types.FunctionType,
        sys.modules,
        os.environ,
        index,
        CheckTampered,
        (tuple(course.items()), library),
        gc.collect,
        (_first_library_change.__code__, _first_library_change.__defaults__),
    )
    return _fresh(_verify.__code__, defaults, "checkpoint")


def _fresh(code, defaults, name=None):
    return types.FunctionType(code, {"__builtins__": {}}, name, defaults)
