"""app/nn is the maths only: NumPy and the standard library, nothing of the web stack."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NN = ROOT / "app" / "nn"
MODULES = sorted(NN.glob("*.py"))
WEB_STACK = ["fastapi", "starlette", "pydantic", "pydantic_settings", "uvicorn", "jinja2", "orjson", "httpx"]


def test_the_engine_has_modules_to_check():
    names = {m.name for m in MODULES}
    assert {"network.py", "trainer.py", "activations.py", "losses.py", "optimizers.py", "datasets.py"} <= names


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.name)
def test_module_imports_only_numpy_the_standard_library_and_its_siblings(module):
    tree = ast.parse(module.read_text(encoding="utf-8"), filename=str(module))
    outside = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            outside |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            outside.add(node.module.split(".")[0])
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 1, f"{module.name} reaches outside app/nn with a relative import"
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "__import__":
            pytest.fail(f"{module.name} imports dynamically")
    foreign = {name for name in outside if name != "numpy" and name not in sys.stdlib_module_names}
    assert not foreign, f"{module.name} imports {sorted(foreign)}"


def test_importing_the_engine_loads_no_web_package():
    code = (
        "import importlib, json, pkgutil, sys\n"
        "import app.nn\n"
        "for m in pkgutil.iter_modules(app.nn.__path__):\n"
        "    importlib.import_module('app.nn.' + m.name)\n"
        "from app.nn import Settings, Trainer, DatasetSettings, InitSettings\n"
        "Trainer(Settings(init=InitSettings(seed=0), dataset=DatasetSettings(seed=0))).step()\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                         check=False)
    assert run.returncode == 0, run.stderr
    loaded = json.loads(run.stdout.strip().splitlines()[-1])
    assert "numpy" in loaded and "app.nn.trainer" in loaded
    assert not [m for m in loaded if m.split(".")[0] in WEB_STACK]
