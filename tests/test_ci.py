""".ci/run gates on ruff and mypy, then runs the README's test command word for word."""

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def readme_test_command() -> str:
    lines = (ROOT / "README.md").read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Run the tests"))
    return next(line for line in lines[start:] if ".venv/bin/python -m pytest" in line)


def test_ci_runs_the_readme_test_command_after_the_ruff_and_mypy_gates():
    script = (ROOT / ".ci" / "run").read_text().splitlines()
    commands = [line.split("#")[0].strip() for line in script]
    command = readme_test_command()

    assert command in commands
    assert script[0] == "#!/usr/bin/env bash" and "set -euo pipefail" in commands  # a failed gate stops the run
    assert commands.index(".venv/bin/ruff check .") < commands.index(command)
    assert commands.index(".venv/bin/mypy") < commands.index(command)


def test_mypy_is_pinned_in_the_test_extras_and_configured_for_app():
    text = (ROOT / "pyproject.toml").read_text()

    assert '"mypy==' in text
    assert 'files = ["app"]' in text and 'module = ["app.nn", "app.nn.*"]' in text


def test_ci_installs_node_and_the_pinned_openapi_typescript_without_a_lock_file():
    script = (ROOT / ".ci" / "run").read_text()
    package = json.loads((ROOT / "tools" / "openapi-typescript" / "package.json").read_text())

    assert "need+=(nodejs)" in script and "need+=(npm)" in script
    assert "(cd tools/openapi-typescript && npm install --no-package-lock" in script
    assert all(version[0].isdigit() for version in package["devDependencies"].values())  # exact pins
    assert not (ROOT / "tools" / "openapi-typescript" / "package-lock.json").exists()
    assert '"openapi-python-client==' in (ROOT / "pyproject.toml").read_text()
