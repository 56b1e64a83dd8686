"""A walk-through of the Backprop Playground REST API, cell by cell (`# %%` cells: open it in VS Code,
Jupyter or Spyder and run one cell at a time, or run it whole: `python examples/walkthrough.py`).

It needs a running server (`backprop-playground`, or `uvicorn app.main:app`) at $BACKPROP_URL
(default http://127.0.0.1:8000) and nothing but the standard library: every call is plain HTTP + JSON.
"""

# %% Setup: one helper that sends a request and reads the JSON answer
import json
import os
import urllib.error
import urllib.request

BASE = os.environ.get("BACKPROP_URL", "http://127.0.0.1:8000").rstrip("/") + "/api/v1"


def call(method, path, body=None):
    """Send `body` as JSON (or nothing) and return the parsed answer; an error answer raises with its code."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(BASE + path, data=data, method=method,
                                     headers={"content-type": "application/json"} if data else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.loads(answer.read())
    except urllib.error.HTTPError as error:
        problem = json.loads(error.read())
        raise RuntimeError(f"{method} {path}: {problem['code']}: {problem['detail']}") from None


def show(name, rows):
    """A matrix (or a vector) printed a row per line."""
    rows = rows if rows and isinstance(rows[0], list) else [rows]
    print(f"  {name:<13}" + "\n  {:<13}".format("").join(" ".join(f"{v:9.4f}" for v in row) for row in rows))


# %% 1. The worked example: one weight, one sample (w = 1, x = 2, t = 4, η = 0.1; y = w·x, E = ½(y − t)²)
net = call("POST", "/networks", {
    "layer_sizes": [1, 1], "activation": "linear", "output_activation": "linear", "loss": "mse",
    "use_bias": False, "weights": [[[1.0]]], "optimizer": {"name": "sgd", "learning_rate": 0.1},
    "dataset": {"name": "worked_example"}, "batch_size": 1,
})
trace = call("POST", f"/networks/{net['id']}/step")  # no body: the next mini-batch (here, the one sample)
after = call("POST", f"/networks/{net['id']}/forward")  # the same sample, after the update
w_before, w_after = net["weights"][0][0][0], trace["update"][0]["weights"][0][0]
print(f"y = {trace['forward'][0]['a'][0][0]:g}, ∂E/∂w = {trace['backward'][0]['grad_weights'][0][0]:g}, "
      f"Δw = {trace['update'][0]['weight_deltas'][0][0]:g}")
print(f"w: {w_before:g} → {w_after:g}")
print(f"E: {trace['loss']:g} → {after['loss']:g}")

# %% 2. One step of XOR, layer by layer: forward (z, a), backward (δ, ∂E/∂W), update (the new W)
xor = call("POST", "/networks", {"layer_sizes": [2, 3, 1], "activation": "tanh", "output_activation": "sigmoid",
                                 "loss": "binary_cross_entropy", "batch_size": 4,
                                 "dataset": {"name": "xor", "n_samples": 200, "seed": 7}, "init": {"seed": 7},
                                 "optimizer": {"name": "sgd", "learning_rate": 0.5}})
step = call("POST", f"/networks/{xor['id']}/step")
show("inputs", step["inputs"])
for l, layer in enumerate(step["forward"]):
    print(f"forward, layer {l + 1} (weights[{l}] feeds it):")
    show("z", layer["z"])
    show("a", layer["a"])
print(f"loss E = {step['loss']:.6f}")
for l in reversed(range(len(step["backward"]))):
    back, update = step["backward"][l], step["update"][l]
    print(f"backward, layer {l + 1}:")
    show("δ = ∂E_b/∂z", back["grad_z"])
    show("∂E/∂W", back["grad_weights"])
    show("W after", update["weights"])

# %% 3. The gradient check: backprop's gradient beside a central difference, for every parameter
check = call("POST", f"/networks/{xor['id']}/gradcheck", {})
worst = max(check["parameters"], key=lambda p: p["relative_error"] or 0.0)
print(f"{len(check['parameters'])} parameters checked, max relative error {check['max_relative_error']:.2e} "
      f"(worst: {worst['kind']} {worst['index']} of layer {worst['layer']})")

# %% 4. Training: a few hundred steps, the loss as it falls
for _ in range(3):
    result = call("POST", f"/networks/{xor['id']}/train", {"steps": 100})
    print(f"step {result['step']:4d}: loss {result['history']['loss'][-1]:.4f}")
evaluation = call("GET", f"/networks/{xor['id']}/evaluation")
print(f"after {evaluation['step']} steps: train accuracy {evaluation['train_accuracy']:.0%}, "
      f"test accuracy {evaluation['test_accuracy']:.0%}")
