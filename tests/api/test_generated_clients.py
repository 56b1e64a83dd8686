"""Clients generated from the live OpenAPI document work: a Python client made by
openapi-python-client runs the worked example against a real server (methods named after the
operation ids, /step called without a body), and openapi-typescript turns the document into types.

Both generators are pinned: openapi-python-client in the test extras, openapi-typescript in
tools/openapi-typescript/package.json (installed there by .ci/run with npm)."""

from __future__ import annotations

import importlib
import json
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from .conftest import WORKED_EXAMPLE

ROOT = Path(__file__).resolve().parents[2]
TYPESCRIPT = ROOT / "tools" / "openapi-typescript"
TS_BIN = TYPESCRIPT / "node_modules" / ".bin" / "openapi-typescript"
TS_HINT = ("openapi-typescript is not installed: run `npm install --no-package-lock` in tools/openapi-typescript "
           "(Node 20 and npm from Debian: `apt-get install nodejs npm`); .ci/run does both.")
PY_HINT = "openapi-python-client is not installed: `pip install -e '.[test]'` pins it."


@pytest.fixture(scope="module")
def document(live_server: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("openapi") / "openapi.json"
    with urllib.request.urlopen(f"{live_server}/openapi.json", timeout=10) as answer:
        path.write_bytes(answer.read())
    return path


def generate_python_client(document: Path, where: Path) -> None:
    config = where / "config.yaml"
    config.write_text("post_hooks: []\n")  # no formatter run on the generated files
    result = subprocess.run([sys.executable, "-m", "openapi_python_client", "generate", "--path", str(document),
                             "--meta", "none", "--output-path", str(where / "bp_client"), "--config", str(config)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stdout + result.stderr, result.stdout + result.stderr


@pytest.fixture(scope="module")
def bp_client(document: Path, tmp_path_factory: pytest.TempPathFactory, tool_missing: Any) -> Any:
    if importlib.util.find_spec("openapi_python_client") is None:
        tool_missing(PY_HINT)
    where = tmp_path_factory.mktemp("generated")
    generate_python_client(document, where)
    sys.path.insert(0, str(where))
    try:
        yield importlib.import_module("bp_client")
    finally:
        sys.path.remove(str(where))
        for name in [n for n in sys.modules if n == "bp_client" or n.startswith("bp_client.")]:
            del sys.modules[name]


def test_the_generated_python_client_names_its_functions_after_the_operation_ids(bp_client):
    networks = importlib.import_module("bp_client.api.networks")
    training = importlib.import_module("bp_client.api.training")
    modules = {m.name for m in __import__("pkgutil").iter_modules(networks.__path__ + training.__path__)}

    assert {"create_network", "get_network", "update_network", "delete_network", "reset_network",
            "export_network", "import_network", "forward", "step", "train", "predict", "boundary", "get_data",
            "evaluate"} <= modules


def test_the_generated_python_client_runs_the_worked_example(bp_client, live_server):
    with bp_client.Client(base_url=live_server, raise_on_unexpected_status=True) as client:
        run_worked_example(client)


def run_worked_example(client: Any) -> None:
    from bp_client.api.networks import create_network, export_network, get_network, import_network
    from bp_client.api.training import forward, step, train
    from bp_client.models import NetworkCreate, NetworkState, StepTrace, TrainIn, TrainResult

    created = create_network.sync(client=client, body=NetworkCreate.from_dict(WORKED_EXAMPLE))
    assert isinstance(created, NetworkState) and created.weights == [[[1.0]]]

    trace = step.sync(created.id, client=client)  # no body: the next mini-batch

    assert isinstance(trace, StepTrace) and trace.step == 1
    assert trace.loss == pytest.approx(2.0, abs=1e-12)
    assert trace.backward[0].grad_weights[0][0] == pytest.approx(-4.0, abs=1e-12)
    assert trace.update[0].weights[0][0] == pytest.approx(1.4, abs=1e-12)
    assert forward.sync(created.id, client=client).loss == pytest.approx(0.72, abs=1e-12)

    trained = train.sync(created.id, client=client, body=TrainIn(steps=4))
    assert isinstance(trained, TrainResult) and trained.step == 5 and len(trained.history.loss) == 4
    assert trained.history.loss[0] == pytest.approx(0.72, abs=1e-12)

    exported = export_network.sync(created.id, client=client)
    copy = import_network.sync(client=client, body=exported)
    assert isinstance(copy, NetworkState) and copy.id != created.id
    assert copy.weights == get_network.sync(created.id, client=client).weights
    assert step.sync(copy.id, client=client).update[0].weights == step.sync(created.id, client=client).update[0].weights


def test_the_generated_python_client_reads_errors_with_their_code(bp_client, live_server):
    from bp_client.api.networks import get_network
    from bp_client.models import ErrorBody

    with bp_client.Client(base_url=live_server) as client:
        answer = get_network.sync("no-such-network", client=client)

    assert isinstance(answer, ErrorBody) and answer.code == "network_not_found"
    assert answer.params.additional_properties == {"idle_minutes": 60}


def test_openapi_typescript_accepts_the_document(document, tmp_path, tool_missing):
    if shutil.which("node") is None or shutil.which("npm") is None:
        tool_missing(TS_HINT)
    if not TS_BIN.exists():  # the pinned version, installed as .ci/run does, so a fresh checkout needs no extra step
        install = subprocess.run(["npm", "install", "--no-package-lock", "--no-audit", "--no-fund", "--silent"],
                                 cwd=TYPESCRIPT, capture_output=True, text=True, timeout=300)
        if install.returncode != 0 or not TS_BIN.exists():
            tool_missing(f"{TS_HINT}\n{install.stdout}{install.stderr}")
    out = tmp_path / "api.d.ts"

    result = subprocess.run([str(TS_BIN), str(document), "--output", str(out)], capture_output=True, text=True,
                            timeout=300)

    assert result.returncode == 0, result.stdout + result.stderr
    types = out.read_text()
    operations = json.loads(document.read_text())["paths"]
    for ops in operations.values():
        for op in ops.values():
            assert f"{op['operationId']}: {{" in types, op["operationId"]
    assert "export interface operations" in types and "ErrorBody: {" in types
