"""The direction of the project's imports: the import graph of its own modules, built
with `ast` from every import statement (module level and inside functions alike), has no
circle, and the leaf apps import nothing from the apps above them."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("strategy_tracker", "objectives", "principles", "stakeholders")
LEAVES = {"principles": {"objectives"}, "stakeholders": {"objectives", "principles"}}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _project_modules() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                modules[_module_name(path)] = path
    return modules


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The project modules `name` imports; `from package import module` counts as an
    import of the module when it is one."""
    is_package = path.name == "__init__.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                stem = ".".join([*base, node.module] if node.module else base)
            else:
                stem = node.module or ""
            targets = [stem, *(f"{stem}.{alias.name}" for alias in node.names)]
        else:
            continue
        for target in targets:
            # the module itself, or the nearest package of the project that holds it
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _project_modules()
    return {name: _imports(name, path, set(modules)) for name, path in modules.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One circle of imports, or None (depth-first search with colours)."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*stack[stack.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_import_graph_has_no_circle():
    graph = _graph()
    assert "objectives.services.workflow" in graph["objectives.views.field"]
    circle = _cycle(graph)
    assert circle is None, " -> ".join(circle)


def test_the_checker_finds_a_circle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_leaf_apps_import_nothing_from_the_apps_above_them():
    graph = _graph()
    wrong = {
        (name, target)
        for name, targets in graph.items()
        for target in targets
        for leaf, above in LEAVES.items()
        if name.split(".")[0] == leaf and target.split(".")[0] in above
    }
    assert wrong == set()


def test_leaf_apps_name_no_permission_of_the_apps_above_them():
    """Not even as strings: a permission belongs to the app that owns it."""
    for leaf, above in LEAVES.items():
        for path in (ROOT / leaf).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            text = path.read_text()
            for app in above:
                assert f'"{app}.' not in text, (path, app)
                assert f'("{app}",' not in text, (path, app)


def test_the_running_application_never_imports_the_devtools():
    graph = _graph()
    running = [
        name
        for name in graph
        if not name.startswith("objectives.devtools")
        and ".management.commands." not in name
    ]
    assert {
        (name, target)
        for name in running
        for target in graph[name]
        if target.startswith("objectives.devtools")
    } == set()


def test_the_readme_names_every_module_of_the_domain():
    """The README's architecture tree has a line for every module of `objectives/` and of
    the project's API package, and names no module that does not exist."""
    readme = (ROOT / "README.md").read_text()
    block = readme.split("## Architecture", 1)[1].split("```", 2)[1]
    named = set()
    section = ""
    for line in block.splitlines():
        if line and not line.startswith(" "):
            section = line.split()[0]
        for word in line.split():
            word = word.rstrip(",")
            if word.endswith(".py") and section in ("objectives/", "strategy_tracker/"):
                named.add(f"{section}{word}")
    modules = {
        str(path.relative_to(ROOT))
        for package in ("objectives", "strategy_tracker")
        for path in (ROOT / package).rglob("*.py")
        if path.name != "__init__.py"
        and not {"migrations", "management", "templatetags", "settings"}
        & set(path.parts)
    }
    assert modules - named == set()
    assert named - modules == set()
