"""static/js/render/network-model.js in the real browser: what each phase of a step shows, from a
real step of the server's network (no DOM is involved: the module is pure)."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest

pytestmark = pytest.mark.browser

POSITIVE, NEGATIVE, GLOW, MUTED = "#0072b2", "#d55e00", "#6a3d9a", "#c8c8c8"
SIZES = [2, 3, 2, 1]
L = len(SIZES) - 1


def api(server_url: str, method: str, path: str, body: Any = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"{server_url}/api/v1{path}", data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.loads(answer.read())


@pytest.fixture(scope="module")
def step(server_url: str) -> dict[str, Any]:
    """A network's state, one step's trace, and the state after it."""
    before = api(server_url, "POST", "/networks", {"layer_sizes": SIZES, "dataset": {"name": "xor"}, "batch_size": 4})
    trace = api(server_url, "POST", f"/networks/{before['id']}/step", {})
    after = api(server_url, "GET", f"/networks/{before['id']}")
    return {"before": before, "trace": trace, "after": after}


def phase(js, trace, phase_id: str) -> dict[str, Any]:
    return next(p for p in js.call("animate.js", "phasesFor", trace) if p["id"] == phase_id)


def display(js, trace, phase_id: str | None) -> dict[str, Any]:
    shown = None if phase_id is None else phase(js, trace, phase_id)
    return js.call("render/network-model.js", "displayFor", trace if shown else None, shown, SIZES)


def column_means(matrix: list[list[float]]) -> list[float]:
    return [sum(row[j] for row in matrix) / len(matrix) for j in range(len(matrix[0]))]


def test_without_a_step_the_units_show_nothing_and_the_weights_their_values(js, step):
    d = display(js, step["trace"], None)
    assert d["nodeQuantity"] == "none" and d["nodeValues"] == [None] * len(SIZES)
    assert d["links"] == ["weight"] * L and d["glow"] is None and d["loss"] is None


def test_forward_into_a_layer_shows_the_activations_so_far_and_fades_the_weights_ahead(js, step):
    trace = step["trace"]
    d = display(js, trace, "forward-1")
    assert d["nodeQuantity"] == "a" and d["focusLayer"] == 1
    assert d["nodeValues"][0] == pytest.approx(column_means(trace["inputs"]), rel=1e-12)
    assert d["nodeValues"][1] == pytest.approx(column_means(trace["forward"][0]["a"]), rel=1e-12)
    assert d["nodeValues"][2:] == [None, None]
    assert d["links"] == ["weight", "faded", "faded"]


def test_the_loss_phase_shows_every_activation_and_the_loss_panel(js, step):
    d = display(js, step["trace"], "loss")
    assert all(v is not None for v in d["nodeValues"]) and d["loss"] == "full" and d["focusLayer"] == L


def test_backward_shows_the_deltas_from_the_output_down_and_glows_the_layers_gradient(js, step):
    trace = step["trace"]
    d = display(js, trace, "backward-2")
    assert d["nodeQuantity"] == "grad_z" and d["glow"] == "grad_weights"
    assert d["nodeValues"][:2] == [None, None]
    assert d["nodeValues"][2] == pytest.approx(column_means(trace["backward"][1]["grad_z"]), rel=1e-12)
    # weights[1] (into h2) glow with ∂E/∂w; weights[2] (h2 → y), which carried the error back,
    # are drawn as the weights w of the terms w·δ.
    assert d["links"] == ["muted", "glow", "weight"]
    assert d["loss"] == "faint"


@pytest.mark.parametrize(("beat", "deltas_shown", "glow"), [
    ("flow", False, False), ("derivative", True, False), ("gradient", True, True)])
def test_a_backward_phase_reveals_its_deltas_and_then_its_gradients_beat_by_beat(js, step, beat, deltas_shown, glow):
    trace = step["trace"]
    shown = phase(js, trace, "backward-2")
    d = js.call("render/network-model.js", "displayFor", trace, shown, SIZES, beat)
    assert (d["nodeValues"][2] is not None) == deltas_shown
    assert d["nodeValues"][3] is not None  # the output's δ, formed in the phase before
    assert d["links"] == ["muted", "glow" if glow else "muted", "weight"]


def test_the_update_ends_with_the_steps_new_weights(js, step):
    trace = step["trace"]
    d = display(js, trace, "update")
    assert d["links"] == ["update"] * L and d["glow"] == "weight_deltas"
    assert d["newWeights"] == step["after"]["weights"]
    assert d["newBiases"] == step["after"]["biases"]


def test_an_update_that_was_not_applied_changes_no_weight(js, step):
    trace = step["trace"] | {"applied": False}
    d = display(js, trace, "update")
    assert d["links"] == ["weight"] * L and d["newWeights"] is None


@pytest.mark.parametrize(("phase_id", "applied", "drawn"), [("forward-0", True, 0), ("update", True, 1),
                                                             ("update", False, 1), ("loss", False, 1)])
def test_the_drawn_step_is_the_one_whose_weights_are_painted(js, step, phase_id, applied, drawn):
    trace = step["trace"] | {"applied": applied}
    assert js.call("render/network-model.js", "drawnStep", trace, phase(js, trace, phase_id), 7) == drawn
    assert js.call("render/network-model.js", "drawnStep", None, None, 7) == 7


LINK_STYLE = """
  const model = await mod("render/network-model.js");
  const [trace, phaseId, params, tween, sizes] = args;
  const { phasesFor } = await mod("animate.js");
  const phase = phasesFor(trace).find((p) => p.id === phaseId);
  const pic = { sizes, params, trace, phase, tween, dense: false, display: model.displayFor(trace, phase, sizes) };
  return model.linkStyle(pic, 0, 0, 0, 1);
"""


def one_weight(w: float, new: float) -> tuple[dict[str, Any], dict[str, Any]]:
    """A 1-1 network's parameters and an applied update from w to `new`."""
    trace = {"step": 1, "applied": True, "inputs": [[1.0]], "forward": [{"a": [[0.5]]}], "loss_per_sample": [0.1],
             "backward": [{"grad_z": [[0.2]], "grad_weights": [[0.2]]}],
             "update": [{"weights": [[new]], "biases": None, "weight_deltas": [[new - w]], "bias_deltas": None}]}
    return trace, {"weights": [[[w]]], "biases": None}


@pytest.mark.parametrize(("tween", "colour", "dashed"), [(0.0, NEGATIVE, True), (0.25, NEGATIVE, True),
                                                         (0.75, POSITIVE, False), (1.0, POSITIVE, False)])
def test_the_update_moves_each_weight_from_the_one_the_step_started_from(js, tween, colour, dashed):
    trace, params = one_weight(-1.0, 1.0)
    style = js.run(LINK_STYLE, trace, "update", params, tween, [1, 1])
    assert (style[0], style[2]) == (colour, dashed)
    # |w| goes 1 → 0.5 → 0.5 → 1 on the way: the width follows it.
    assert style[1] == pytest.approx(0.75 + 5.25 * abs(-1 + 2 * tween))


def test_before_the_update_a_weight_is_drawn_as_the_step_started_from_it(js):
    trace, params = one_weight(-0.5, 1.0)
    assert js.run(LINK_STYLE, trace, "forward-1", params, 1, [1, 1])[:3] == [NEGATIVE, 0.75 + 5.25 * 0.5, True]


def test_the_backward_glow_scales_with_the_gradient_and_other_layers_are_muted(js, step):
    trace = step["trace"]
    ph = phase(js, trace, "backward-2")
    styles = js.run("""
      const model = await mod("render/network-model.js");
      const [trace, phase, params, sizes] = args;
      const display = model.displayFor(trace, phase, sizes);
      const pic = { sizes, params, trace, phase, tween: 1, dense: false, display };
      return [0, 1, 2].map((l) => model.linkStyle(pic, l, 0, 0, 1));
    """, trace, ph, {"weights": step["before"]["weights"], "biases": step["before"]["biases"]}, SIZES)
    assert styles[0][0] == MUTED
    assert styles[1][0] == GLOW and styles[1][3] > 0.3
    w = step["before"]["weights"][2][0][0]
    assert styles[2][0] == (NEGATIVE if w < 0 else POSITIVE)  # the carrying weight, as a weight


def test_a_unit_without_a_finite_value_is_hatched(js):
    pic = {"sizes": [1, 1], "params": {"weights": [[[1.0]]], "biases": [[0.5]]}, "tween": 1,
           "display": {"nodeValues": [None, [None]], "nodeQuantity": "a", "extent": 1, "inputExtent": 1,
                       "focusLayer": 1, "newBiases": None}}
    look = js.call("render/network-model.js", "nodeLook", pic, 1, 0, 1, 20)
    assert look["fill"] is None and look["text"] == "—" and look["focus"] is True
    assert look["ring"]["stroke"] == POSITIVE and look["ring"]["dash"] is None


def test_the_halos_are_the_largest_changes_first(js):
    trace = {"update": [{"weight_deltas": [[0.1, -0.9], [0.001, None]]}]}
    halos = js.call("render/network-model.js", "haloList", trace, 1, 10)
    assert halos == [[1, 0, 1, 1], [0.9, 0, 0, 1], [0.1, 0, 0, 0]]  # not finite first; under 4 % left out
    assert js.call("render/network-model.js", "haloList", trace, 1, 2) == halos[:2]
