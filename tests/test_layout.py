"""The package's modules import each other without a cycle, counting the imports made
inside functions too (a cycle hidden that way still ties two modules together)."""

import ast
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
