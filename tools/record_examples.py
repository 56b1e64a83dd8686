"""Record the OpenAPI examples from real calls: `python tools/record_examples.py` rewrites
app/schemas/examples.json, which app.api.openapi puts into the document.

Every example is a request this script sent to the app (through the whole ASGI stack, every
middleware included) and the answer it got: the worked example (w = 1, x = 2, t = 4, η = 0.1) for
most operations, a small XOR network fed the input features x1, x2 and x1·x2 for the boundary (its
input units' maps included), and one real refusal per declared error status;
the CSV forms (`format=csv`) as text.
"""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # Starlette's notice that it prefers httpx2 for its test client
    from fastapi.testclient import TestClient

from app.config import AppSettings  # noqa: E402
from app.main import create_app  # noqa: E402
from app.sessions import MemoryStore, StoreUnavailable  # noqa: E402

OUT = ROOT / "app" / "schemas" / "examples.json"
API = "/api/v1"
NO_BODY = object()

WORKED_EXAMPLE: dict[str, Any] = {
    "layer_sizes": [1, 1], "activation": "linear", "output_activation": "linear", "loss": "mse",
    "use_bias": False, "weights": [[[1.0]]], "init": {"seed": 1}, "optimizer": {"name": "sgd", "learning_rate": 0.1},
    "dataset": {"name": "worked_example", "seed": 1}, "batch_size": 1,
}
XOR: dict[str, Any] = {"layer_sizes": [3, 2, 1], "input_features": ["x1", "x2", "x1_x2"],
                       "dataset": {"name": "xor", "n_samples": 8, "seed": 1}, "init": {"seed": 1}}
UNKNOWN = "no-such-network"
TOO_LONG = "x" * 65


class Recorder:
    def __init__(self, client: TestClient):
        self.client = client
        self.examples: dict[str, dict[str, Any]] = {}

    def call(self, operation: str, method: str, path: str, body: Any = NO_BODY, status: int = 200,
             params: dict[str, Any] | None = None, csv: bool = False) -> Any:
        url = path if path.startswith(("/healthz", "/readyz")) else API + path
        response = self.client.request(method, url, json=None if body is NO_BODY else body, params=params)
        assert response.status_code == status, (operation, status, response.status_code, response.text)
        entry = self.examples.setdefault(operation, {"responses": {}})
        if csv:
            entry.setdefault("csv", {})[str(status)] = response.text
            return response.text
        if body is not NO_BODY and status < 400:
            entry["request"] = body
        if params and status < 400:
            entry["parameters"] = {k: v for k, v in params.items() if k != "format"}
        answer = response.json() if response.content else None
        if answer is not None:
            entry["responses"][str(status)] = answer
        return answer


def record_successes(r: Recorder) -> None:
    sid = r.call("create_network", "POST", "/networks", WORKED_EXAMPLE, 201)["id"]
    r.call("get_network", "GET", f"/networks/{sid}")
    r.call("forward", "POST", f"/networks/{sid}/forward", {"inputs": [[2.0]], "targets": [[4.0]]})
    r.call("step", "POST", f"/networks/{sid}/step", {"inputs": [[2.0]], "targets": [[4.0]]})
    record_explanations(r, sid)
    r.call("evaluate", "GET", f"/networks/{sid}/evaluation")
    r.call("predict", "POST", f"/networks/{sid}/predict", {"inputs": [[1.0], [2.0]]})
    r.call("get_data", "GET", f"/networks/{sid}/data")
    r.call("train", "POST", f"/networks/{sid}/train", {"steps": 3, "eval_every": 3, "snapshots": 1})
    r.call("update_network", "PATCH", f"/networks/{sid}", {"optimizer": {"learning_rate": 0.05}})
    export = r.call("export_network", "GET", f"/networks/{sid}/export")
    copy = r.call("import_network", "POST", "/networks/import", export, 201)["id"]
    r.call("reset_network", "POST", f"/networks/{sid}/reset")
    r.call("delete_network", "DELETE", f"/networks/{copy}", status=204)
    xor = r.client.post(f"{API}/networks", json=XOR).json()["id"]
    r.call("boundary", "GET", f"/networks/{xor}/boundary", params={"resolution": 3})
    r.call("get_options", "GET", "/options")
    record_races(r)
    r.call("health", "GET", "/healthz")
    r.call("readiness", "GET", "/readyz")


def record_explanations(r: Recorder, sid: str) -> None:
    """The kept step 1 of the worked example, explained; its trace in JSON and CSV; a gradient check."""
    link = {"layer": 0, "source": 0, "target": 0}
    r.call("explain_unit", "GET", f"/networks/{sid}/explain/unit", params={"layer": 1, "unit": 0})
    r.call("explain_weight", "GET", f"/networks/{sid}/explain/weight", params=link)
    r.call("loss_curve", "GET", f"/networks/{sid}/explain/loss-curve", params={**link, "points": 5})
    r.call("get_step_trace", "GET", f"/networks/{sid}/steps/1/trace")
    r.call("get_step_trace", "GET", f"/networks/{sid}/steps/1/trace", params={"format": "csv"}, csv=True)
    r.call("gradient_check", "POST", f"/networks/{sid}/gradcheck", {"inputs": [[2.0]], "targets": [[4.0]]})
    twin = r.client.post(f"{API}/networks", json=WORKED_EXAMPLE).json()["id"]
    r.call("train", "POST", f"/networks/{twin}/train", {"steps": 3, "eval_every": 3}, params={"format": "csv"},
           csv=True)


def record_races(r: Recorder) -> None:
    """A race of two optimizers on the valley surface, its path, and the loss over a random plane."""
    r.call("list_surface_presets", "GET", "/surfaces")
    race = r.call("create_race", "POST", "/races", {"surface": "valley", "racers": [{"name": "sgd"},
                                                                                   {"name": "momentum"}]}, 201)
    ids = [racer["id"] for racer in race["racers"]]
    r.call("train_race", "POST", "/races/train", {"racers": ids, "steps": 2, "path": True})
    r.call("compute_loss_surface", "POST", f"/networks/{ids[0]}/surface",
           {"directions": "random", "seed": 1, "resolution": 3, "kept_steps": True})


def record_refusals(r: Recorder) -> None:
    sid = r.client.post(f"{API}/networks", json=WORKED_EXAMPLE).json()["id"]
    for operation, method, tail, body in [
        ("get_network", "GET", "", NO_BODY), ("update_network", "PATCH", "", {"batch_size": 2}),
        ("delete_network", "DELETE", "", NO_BODY), ("reset_network", "POST", "/reset", NO_BODY),
        ("forward", "POST", "/forward", {}), ("step", "POST", "/step", {}), ("train", "POST", "/train", {}),
        ("predict", "POST", "/predict", {"inputs": [[1.0]]}), ("boundary", "GET", "/boundary", NO_BODY),
        ("get_data", "GET", "/data", NO_BODY), ("evaluate", "GET", "/evaluation", NO_BODY),
        ("export_network", "GET", "/export", NO_BODY), ("gradient_check", "POST", "/gradcheck", {}),
    ]:
        r.call(operation, method, f"/networks/{UNKNOWN}{tail}", body, 404)
    for operation, method, path in [("get_network", "GET", ""), ("delete_network", "DELETE", ""),
                                     ("reset_network", "POST", "/reset"), ("get_data", "GET", "/data"),
                                     ("evaluate", "GET", "/evaluation"), ("export_network", "GET", "/export")]:
        r.call(operation, method, f"/networks/{TOO_LONG}{path}", status=422)
    r.call("create_network", "POST", "/networks", {"batch_size": 6000}, 422)
    r.call("update_network", "PATCH", f"/networks/{sid}", {"optimizer": {"name": "sgd", "momentum": 0.9}}, 422)
    r.call("forward", "POST", f"/networks/{sid}/forward", {"inputs": [[1.0, 2.0]], "targets": [[4.0]]}, 422)
    r.call("step", "POST", f"/networks/{sid}/step", {"inputs": [[2.0]]}, 422)
    r.call("train", "POST", f"/networks/{sid}/train", {"steps": 20000}, 422)
    r.call("predict", "POST", f"/networks/{sid}/predict", {"inputs": [[1e7]]}, 422)
    r.call("boundary", "GET", f"/networks/{sid}/boundary", status=422)
    r.call("import_network", "POST", "/networks/import", {"format": "backprop-playground/0"}, 422)
    r.client.post(f"{API}/networks/{sid}/step")
    link = {"layer": 0, "source": 0, "target": 0}
    for operation, path, params in [("explain_unit", "/explain/unit", {"layer": 1, "unit": 0, "step": 9}),
                                    ("explain_weight", "/explain/weight", {**link, "step": 9}),
                                    ("loss_curve", "/explain/loss-curve", {**link, "step": 9}),
                                    ("get_step_trace", "/steps/9/trace", {})]:
        r.call(operation, "GET", f"/networks/{sid}{path}", status=404, params=params)
    r.call("explain_unit", "GET", f"/networks/{sid}/explain/unit", status=422, params={"layer": 2, "unit": 0})
    r.call("explain_weight", "GET", f"/networks/{sid}/explain/weight", status=422, params={**link, "source": 1})
    r.call("loss_curve", "GET", f"/networks/{sid}/explain/loss-curve", status=422, params={**link, "points": 1})
    r.call("get_step_trace", "GET", f"/networks/{sid}/steps/0/trace", status=422)
    r.call("gradient_check", "POST", f"/networks/{sid}/gradcheck", {"inputs": [[1.0, 2.0]], "targets": [[4.0]]},
           422)
    r.call("create_race", "POST", "/races", {"surface": "bowl", "start": [1.0]}, 422)
    r.call("train_race", "POST", "/races/train", {"racers": [sid, sid]}, 422)
    r.call("compute_loss_surface", "POST", f"/networks/{UNKNOWN}/surface", {}, 404)
    r.call("compute_loss_surface", "POST", f"/networks/{sid}/surface", {}, 422)  # one weight: no plane of two


def record_rate_limits(r: Recorder) -> None:
    r.client.post(f"{API}/networks", json=WORKED_EXAMPLE)
    r.call("create_network", "POST", "/networks", WORKED_EXAMPLE, 429)
    export = r.examples["export_network"]["responses"]["200"]
    r.call("import_network", "POST", "/networks/import", export, 429)
    r.call("create_race", "POST", "/races", {}, 429)


class UnreachableStore(MemoryStore):
    """A store that does not answer (as a stalled Redis would not)."""

    def ping(self) -> None:
        raise StoreUnavailable("the store does not answer")


def record() -> dict[str, dict[str, Any]]:
    """Every example, keyed by operation id (the form app.api.openapi.load_examples reads)."""
    settings = {"store": "memory", "create_rate_per_minute": 0}
    with TestClient(create_app(AppSettings(**settings))) as client:
        r = Recorder(client)
        record_successes(r)
        record_refusals(r)
    with TestClient(create_app(AppSettings(**{**settings, "create_burst": 1, "create_rate_per_minute": 1}))) as c:
        r.client = c
        record_rate_limits(r)
    with TestClient(create_app(AppSettings(**settings), store=UnreachableStore(10, 60))) as c:
        r.client = c
        r.call("readiness", "GET", "/readyz", status=503)
    return dict(sorted(r.examples.items()))


if __name__ == "__main__":
    OUT.write_text(json.dumps(record(), indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)}")
