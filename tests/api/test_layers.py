"""app/api is the top of the stack: it imports the engine, the sessions and the settings, and nothing
under app/ but the app's entry module (app/main.py) imports it."""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"


def imported_modules(path: Path) -> set[str]:
    """The absolute names of the app modules `path` imports (relative imports resolved)."""
    package = ".".join(path.relative_to(APP.parent).with_suffix("").parts[:-1])
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(part for part in (base, node.module or "") if part)
            names.update({module} | {f"{module}.{alias.name}" for alias in node.names})
    return names


def test_nothing_below_the_api_imports_it():
    offenders = [str(path.relative_to(APP.parent)) for path in APP.rglob("*.py")
                 if path.parent != APP / "api" and APP / "api" not in path.parents and path != APP / "main.py"
                 and any(name == "app.api" or name.startswith("app.api.") for name in imported_modules(path))]

    assert offenders == []


def test_the_check_sees_the_api_imports_of_the_entry_module():
    assert "app.api.routes" in imported_modules(APP / "main.py")
    assert "app.api.middleware.body_limit" in imported_modules(APP / "main.py")
