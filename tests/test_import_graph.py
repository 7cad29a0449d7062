"""The modules of Clausier import one way: no circle between two modules of the project, counting
the imports written inside functions (issue 20). A new circle fails here with its modules named."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOT_APPS = {"tests", "bench", "config", "docs", "static", "templates"}

# Circles allowed, each with its reason (none today: the last ones, a service asking for its job
# and the job calling the service, were broken by putting the requests in modules of their own).
KNOWN_CIRCLES = set()


def project_modules():
    modules = {}
    for package in sorted(path for path in ROOT.iterdir() if (path / "__init__.py").exists()):
        if package.name in NOT_APPS:
            continue
        for path in package.rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            modules[name] = path
    return modules


def imported_by(name, path, modules):
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module
            targets = [module] + [f"{module}.{alias.name}" for alias in node.names]
        else:
            continue
        found.update(target for target in targets if target in modules and target != name)
    return found


def circles(graph):
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index, low, on_stack, stack, result, counter = {}, {}, set(), [], [], [0]

    def visit(start):
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    result.append(frozenset(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return result


def test_the_checker_finds_a_circle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert circles(graph) == [frozenset({"a", "b", "c"})]


def test_no_new_circle_between_modules():
    modules = project_modules()
    assert "partners.models" in modules and "reporting.dashboard_fragments" in modules
    graph = {name: imported_by(name, path, modules) for name, path in modules.items()}
    found = set(circles(graph))
    new = [sorted(circle) for circle in found - KNOWN_CIRCLES]
    assert not new, f"modules that import each other: {new}"
    gone = [sorted(circle) for circle in KNOWN_CIRCLES - found]
    assert not gone, f"circles broken: remove them from KNOWN_CIRCLES: {gone}"


# The apps from the bottom up: an app imports only apps before it (README, « Organisation du code »).
ARROW = [
    "common",
    "partners",
    "clauses",
    "placements",
    "portal",
    "procurement",
    "reporting",
    "compliance",
    "opendata",
    "accessibility",
    "api",
    "demo",
]


def test_apps_import_only_the_apps_below_them():
    modules = project_modules()
    against = set()
    for name, path in modules.items():
        app = name.split(".")[0]
        for target in imported_by(name, path, modules):
            other = target.split(".")[0]
            if other != app and (app not in ARROW or ARROW.index(other) > ARROW.index(app)):
                against.add(f"{name} → {target}")
    assert not against, sorted(against)
