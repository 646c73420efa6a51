"""Run by the grader at the top of every graded cell, inside the learner's kernel.

Not imported by the course. ``resnet_lesson.grading.preprocessors.GuardGradedCells``
prepends one line to each graded cell that executes this file with two names set by the
grader (a separate, trusted process): ``PACKAGE_DIR``, where the course package lives on
disk, and ``ALLOWED_ROOTS``, the folders the installed libraries and the standard library
live in. It then

1. stops with a one-line verdict when code from the notebook replaced functions the
   checks rely on (numpy's and ``numpy.testing``'s functions, ``keras.ops``, the methods
   of Keras layers, models, variables and tensors, Python's builtins, the import system):
   a function whose code was not loaded from an installed library is not the original;
2. drops every ``resnet_lesson`` module from ``sys.modules`` and imports the package again
   from ``PACKAGE_DIR``, so the cell's ``from resnet_lesson.checks import ...`` gets
   fresh copies of the checks, of ``CheckFailed`` and of the reference ``ResNetModel``,
   whatever the notebook did to the copies it imported earlier.

What this can and cannot guarantee is written down in docs/grading-threat-model.md.
"""

import builtins
import functools
import sys
import types


class GradingEnvironmentChanged(Exception):
    """The notebook changed what the checks rely on; the cell scores 0."""

    def _render_traceback_(self):
        return [f"\u274c {self}"]


def _code_file(function):
    function = getattr(function, "_implementation", function)  # numpy's dispatchers
    function = getattr(function, "__func__", function)  # bound and class methods
    code = getattr(function, "__code__", None)
    return None if code is None else code.co_filename


_TRUSTED = {}


def _trusted_file(filename, allowed_roots):
    # "<frozen ...>": the import system; "<string>": code libraries generate themselves
    # (dataclasses, namedtuples); a relative path: a compiled extension's (Cython writes
    # the source's path inside its package). Notebook cells have absolute file names
    # (ipykernel writes each cell to a temporary file).
    known = _TRUSTED.get(filename)
    if known is None:
        known = _TRUSTED[filename] = (
            filename.startswith(("<frozen ", "<string>"))
            or not filename.startswith("/")
            or any(filename.startswith(root) for root in allowed_roots)
        )
    return known


_OPAQUE_TYPES = (
    types.BuiltinFunctionType,
    types.WrapperDescriptorType,
    types.MethodDescriptorType,
    types.ClassMethodDescriptorType,
    types.GetSetDescriptorType,
    types.MemberDescriptorType,
    types.ModuleType,
    type,
    int,
    float,
    str,
    bytes,
    bool,
    tuple,
    frozenset,
    type(None),
)


def _suspicious(value, allowed_roots):
    """Why ``value`` is not a library's own function, or None when it is."""
    if isinstance(value, (staticmethod, classmethod)):
        value = value.__func__
    if isinstance(value, functools.partial):
        return _suspicious(value.func, allowed_roots)
    if isinstance(value, property):
        return next(
            filter(
                None,
                (_suspicious(f, allowed_roots) for f in (value.fget, value.fset) if f is not None),
            ),
            None,
        )
    filename = _code_file(value)
    if filename is not None:
        return None if _trusted_file(filename, allowed_roots) else f"defined in {filename}"
    if isinstance(value, _OPAQUE_TYPES) or type(value).__name__ in (
        "ufunc",
        "_ArrayFunctionDispatcher",
        "cython_function_or_method",
        "dtype",
        "fused_cython_function",
        "method-wrapper",
    ):
        return None
    if isinstance(value, (types.FunctionType, types.MethodType, types.LambdaType)):
        return "not a library function"
    return None


# The packages of the kernel and its messaging, by top-level name.
KERNEL_MACHINERY = {"IPython", "ipykernel", "jupyter_client", "zmq", "traitlets", "comm", "json"}


def _public(namespace):
    return [
        (name, getattr(namespace, name, None))
        for name in dir(namespace)
        if not name.startswith("_")
    ]


def _changed_functions(allowed_roots):
    """Yield ``(where, why)`` for each replaced function the checks could depend on."""
    numpy = sys.modules.get("numpy")
    keras = sys.modules.get("keras")
    tensorflow = sys.modules.get("tensorflow")
    namespaces = []
    if numpy is not None:
        namespaces += [("numpy", numpy), ("numpy.testing", getattr(numpy, "testing", None))]
    if keras is not None:
        namespaces += [("keras.ops", getattr(keras, "ops", None))]
    for label, namespace in namespaces:
        if namespace is None:
            continue
        for name, value in _public(namespace):
            if isinstance(value, type):
                continue
            why = _suspicious(value, allowed_roots)
            if why:
                yield f"{label}.{name}", why
    classes = []
    if keras is not None:
        classes += [
            value for _, value in _public(getattr(keras, "layers", None)) if isinstance(value, type)
        ]
        classes += [
            getattr(keras, name, None)
            for name in ("Model", "Layer", "Operation", "Variable", "KerasTensor", "Sequential")
        ]
    if tensorflow is not None:
        classes += [getattr(tensorflow, "Tensor", None), getattr(tensorflow, "Variable", None)]
        try:
            classes.append(type(tensorflow.constant(0.0)))
        except Exception:
            pass
    if numpy is not None:
        classes.append(numpy.ndarray)
    seen = set()
    for cls in classes:
        for klass in getattr(cls, "__mro__", ()):
            if klass in seen or klass is object:
                continue
            seen.add(klass)
            for name, value in list(vars(klass).items()):
                why = _suspicious(value, allowed_roots)
                if why:
                    yield f"{klass.__module__}.{klass.__qualname__}.{name}", why
    for name, value in vars(builtins).items():
        if name.startswith("__") and name != "__import__":
            continue
        why = _suspicious(value, allowed_roots)
        if why:
            yield f"builtins.{name}", why
    for finder in sys.meta_path:
        finder_class = finder if isinstance(finder, type) else type(finder)
        for where, why in _changed_methods(finder_class, allowed_roots):
            yield f"the import finder {where}", why


def _changed_methods(cls, allowed_roots):
    """Yield ``(where, why)`` for each replaced method of ``cls`` or its bases."""
    for klass in cls.__mro__:
        if klass is object:
            continue
        for name, value in list(vars(klass).items()):
            why = _suspicious(value, allowed_roots)
            if why:
                yield f"{klass.__module__}.{klass.__qualname__}.{name}", why


def _changed_kernel(allowed_roots):
    """Yield ``(where, why)`` for each replaced function of the kernel that runs this cell
    and reports its error to the grader (IPython, ipykernel, their messaging)."""
    for name, module in list(sys.modules.items()):
        if name.partition(".")[0] not in KERNEL_MACHINERY:
            continue
        if not isinstance(module, types.ModuleType):
            continue
        for attribute, value in list(vars(module).items()):
            if isinstance(value, type) and getattr(value, "__module__", None) == name:
                yield from _changed_methods(value, allowed_roots)
            else:
                why = _suspicious(value, allowed_roots)
                if why:
                    yield f"{name}.{attribute}", why


def _stop_the_kernel(sentence):
    """End this kernel at once: a kernel whose own code was replaced may swallow any
    exception, but not its own end. The grader then records the cell as failed (the
    kernel died) and goes on with a fresh kernel. ``os`` is reached through the import
    machinery, which the notebook's names cannot shadow."""
    print(f"\u274c {sentence}", flush=True)
    # The kernel sends printed text to the grader from another thread: give it time to
    # go before the process ends (a lock that is never released, waited on for 2 s).
    importer = [c for c in ().__class__.__base__.__subclasses__() if c.__name__ == "FileLoader"]
    machinery = importer[0].get_data.__globals__
    lock = machinery["_bootstrap"]._thread.allocate_lock()
    lock.acquire()
    lock.acquire(timeout=2.0)
    machinery["_os"]._exit(70)


def _fresh_course(package_dir):
    for name in [
        n for n in list(sys.modules) if n == "resnet_lesson" or n.startswith("resnet_lesson.")
    ]:
        del sys.modules[name]
    import importlib

    # Only the package itself (cheap: no TensorFlow); its submodules are then found
    # through the fresh package's __path__, which must be the course's folder.
    package = importlib.import_module("resnet_lesson")
    where = getattr(package, "__file__", "") or ""
    paths = list(getattr(package, "__path__", []))
    if not where.startswith(package_dir) or any(not p.startswith(package_dir) for p in paths):
        raise GradingEnvironmentChanged(
            f"grading stopped: `resnet_lesson` was imported from {where or 'nowhere'} "
            f"instead of the course's package in {package_dir}; this cell scores 0."
        )


def guard(package_dir, allowed_roots):
    changed = next(_changed_kernel(tuple(allowed_roots)), None)
    if changed is not None:
        where, why = changed
        _stop_the_kernel(
            f"grading stopped: code in this notebook replaced `{where}` ({why}), part of "
            "the kernel that reports this cell's result; this cell scores 0 "
            "(docs/grading-threat-model.md)."
        )
    changed = next(_changed_functions(tuple(allowed_roots)), None)
    if changed is not None:
        where, why = changed
        raise GradingEnvironmentChanged(
            f"grading stopped: code in this notebook replaced `{where}` ({why}), which the "
            "checks rely on; this cell scores 0 (docs/grading-threat-model.md)."
        )
    _fresh_course(package_dir)


if "PACKAGE_DIR" in globals():  # executed by a graded cell's first line
    guard(PACKAGE_DIR, ALLOWED_ROOTS)  # noqa: F821  (set by the grader)
