"""The package's modules import each other without a cycle, counting the imports made
inside functions too (a cycle hidden that way still ties two modules together)."""

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "resnet_lesson"


def _module_name(path):
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path, known):
    """The course modules ``path`` imports, anywhere in the file."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from resnet_lesson.figures import blocks` imports resnet_lesson.figures.blocks
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        found |= {name for name in names if name in known}
    return found


def import_graph():
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        # A package's own __init__ is imported on the way to any of its modules: not an edge.
        parents = {name.rsplit(".", i)[0] for i in range(1, name.count(".") + 1)}
        graph[name] = _imports(path, modules) - parents - {name}
    return graph


def find_cycle(graph):
    """One cycle as a list of modules, or None."""
    state, stack = {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                return stack[stack.index(target) :] + [target]
            if target not in state:
                cycle = visit(target)
                if cycle:
                    return cycle
        state[node] = "done"
        stack.pop()
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def test_the_cycle_finder_finds_a_cycle_through_a_function_level_import():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycle_in_the_package():
    graph = import_graph()
    assert "resnet_lesson.training" in graph and graph["resnet_lesson.training"]
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph))


def test_device_and_data_formats_are_leaves():
    # The setup cell imports device first thing; it may ask data_formats (a leaf too)
    # how this CPU runs channels_first, and nothing else of the course.
    graph = import_graph()
    assert graph["resnet_lesson.data_formats"] == set()
    assert graph["resnet_lesson.device"] <= {"resnet_lesson.data_formats"}


def test_grading_does_not_import_the_model_side():
    graph = import_graph()
    for name, targets in graph.items():
        if name.startswith("resnet_lesson.grading"):
            outside = {t for t in targets if not t.startswith("resnet_lesson.grading")}
            # resnet_lesson.course: the layout, a leaf (test_course_is_a_leaf)
            allowed = {"resnet_lesson", "resnet_lesson.cli", "resnet_lesson.course"}
            assert outside <= allowed, (name, outside)


def test_course_is_a_leaf():
    # The command line, the grader and the learner's kernel all read it.
    assert import_graph()["resnet_lesson.course"] == set()


# -- issue 26's rules: one idea per module, each module's privates its own ----------------

MAX_LINES = 400


def _bound_modules(tree, known):
    """{local name: module name} for every module a file imports by name, anywhere."""
    bound = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    bound[alias.asname] = alias.name
                else:
                    bound[alias.name.partition(".")[0]] = alias.name.partition(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                if full in known or not node.module.startswith("resnet_lesson"):
                    bound[alias.asname or alias.name] = full
    return bound


def _private(name):
    return name.startswith("_") and not name.startswith("__")


def private_names_used(path, known):
    """Another course module's ``_private`` names that ``path`` imports or reads."""
    tree = ast.parse(path.read_text())
    bound = _bound_modules(tree, known)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("resnet_lesson"):
            found += [f"{node.module}.{a.name}" for a in node.names if _private(a.name)]
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and bound.get(node.value.id) in known
            and _private(node.attr)
        ):
            found.append(f"{bound[node.value.id]}.{node.attr}")
    return found


def third_party_patches(path, known):
    """Assignments to an attribute of a third-party module, setattr on one, and mock.
    The standard library's documented settings (``tempfile.tempdir``, ``sys.*``) are
    not third-party."""
    tree = ast.parse(path.read_text())
    bound = _bound_modules(tree, known)

    def third_party(node):
        while isinstance(node, ast.Attribute):
            node = node.value
        if not isinstance(node, ast.Name) or node.id not in bound:
            return False
        top = bound[node.id].partition(".")[0]
        return top != "resnet_lesson" and top not in sys.stdlib_module_names

    found = []
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        found += [
            ast.unparse(t) for t in targets if isinstance(t, ast.Attribute) and third_party(t.value)
        ]
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("setattr", "delattr")
            and node.args
            and third_party(node.args[0])
        ):
            found.append(ast.unparse(node))
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
            found += [n for n in names if n == "unittest.mock" or n == "mock"]
    return found


def _course_files():
    return {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def test_no_module_is_over_400_lines():
    long = {
        name: n
        for name, path in _course_files().items()
        if (n := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert not long, f"split these by idea: {long}"


def test_no_module_uses_another_modules_private_names():
    modules = _course_files()
    used = {name: private_names_used(path, modules) for name, path in modules.items()}
    used = {name: names for name, names in used.items() if names}
    assert not used, f"give these a public name where they live: {used}"


def test_no_module_patches_a_third_party_module():
    modules = _course_files()
    patched = {name: third_party_patches(path, modules) for name, path in modules.items()}
    patched = {name: found for name, found in patched.items() if found}
    assert not patched, f"use the library's config, a subclass or its API: {patched}"


def test_the_rules_see_what_they_forbid(tmp_path):
    known = {"resnet_lesson.figures.experiments": None, "resnet_lesson.checks.engine": None}
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import nbgrader.utils as utils\n"
        "from unittest import mock\n"
        "from resnet_lesson.figures.experiments import _smooth\n"
        "from resnet_lesson.checks import engine\n"
        "engine._close(1, 2, 3)\n"
        "utils.determine_grade = None\n"
        "setattr(utils, 'x', 1)\n"
        "engine.public = 1\n"
    )
    assert private_names_used(sample, known) == [
        "resnet_lesson.figures.experiments._smooth",
        "resnet_lesson.checks.engine._close",
    ]
    assert sorted(third_party_patches(sample, known)) == sorted(
        ["utils.determine_grade", "setattr(utils, 'x', 1)", "mock"]
    )
