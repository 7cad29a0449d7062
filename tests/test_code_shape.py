"""The shape of the code (issue 20): no module over ~400 lines and no view over ~40 lines, unless
the README's architecture section lists it with its reason (« Modules de plus de 400 lignes »).

The list is kept honest both ways: a long module missing from it fails, and so does a module
listed there that has become short (the reason no longer holds, strike it out)."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIPPED = {"tests", "docs", "static", "templates", ".venv", "node_modules", "staticfiles"}
MODULE_LINES = 400
VIEW_LINES = 40
EXCEPTIONS_TITLE = "### Modules de plus de 400 lignes"


def source_modules():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if parts[0] in SKIPPED or parts[0].startswith(".") or "migrations" in parts or len(parts) == 1:
            continue
        yield path


def line_count(path):
    return len(path.read_text(encoding="utf-8").splitlines())


def listed_exceptions():
    """The modules of the README's table under EXCEPTIONS_TITLE: `| `path` | reason |` rows."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert EXCEPTIONS_TITLE in text, f"README.md has no section « {EXCEPTIONS_TITLE[4:]} »"
    section = text.split(EXCEPTIONS_TITLE, 1)[1].split("\n#", 1)[0]
    rows = re.findall(r"^\| `([^`]+\.py)` \| (.+?) \|$", section, flags=re.MULTILINE)
    for module, reason in rows:
        assert len(reason.strip()) > 20, f"{module}: the README gives no real reason"
    return {module for module, _ in rows}


def test_long_modules_are_the_listed_exceptions():
    long_modules = {
        str(path.relative_to(ROOT)): line_count(path) for path in source_modules() if line_count(path) > MODULE_LINES
    }
    listed = listed_exceptions()
    unlisted = {module: lines for module, lines in long_modules.items() if module not in listed}
    assert not unlisted, f"modules over {MODULE_LINES} lines, to split or to list in the README: {unlisted}"
    short_again = sorted(listed - set(long_modules))
    assert not short_again, f"listed in the README but no longer over {MODULE_LINES} lines: {short_again}"


def view_functions(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node.name, node
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    yield f"{node.name}.{item.name}", item


def test_views_are_thin():
    long_views = {}
    for path in source_modules():
        if "views" not in path.stem:
            continue
        for name, node in view_functions(path):
            lines = node.end_lineno - node.lineno + 1
            if lines > VIEW_LINES:
                long_views[f"{path.relative_to(ROOT)}:{name}"] = lines
    assert not long_views, f"functions of view modules over {VIEW_LINES} lines: {long_views}"
