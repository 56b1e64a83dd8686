"""charts/gradients.js in the real browser: a step's norms from its trace, and the chart's series."""

from __future__ import annotations

import math

import numpy as np


def test_a_steps_norms_are_the_frobenius_norms_of_its_grad_weights(js):
    rng = np.random.default_rng(3)
    grads = [rng.normal(size=(2, 3)), rng.normal(size=(3, 1))]
    trace = {"backward": [{"grad_weights": g.tolist()} for g in grads]}
    norms = js.call("charts/gradients.js", "traceNorms", trace)
    assert np.allclose(norms, [np.linalg.norm(g) for g in grads], rtol=1e-12, atol=0)


def test_a_not_finite_gradient_has_an_infinite_norm(js):
    trace = {"backward": [{"grad_weights": [[1.0, None]]}]}
    assert math.isinf(js.call("charts/gradients.js", "traceNorms", trace)[0])


def test_a_train_answers_norms_land_on_their_own_steps(js):
    series = js.run("""
      const { GradientChart } = await mod("charts/gradients.js");
      const host = document.body.appendChild(document.createElement("div"));
      const chart = new GradientChart(host);
      chart.addTrain({ step: 12, steps_run: 2, history: { gradient_norms: [[0.5, 0.1], [0.4, 0.05]] } });
      chart.addTrain({ step: 13, steps_run: 1, history: { gradient_norms: [[0.3, 0.01]] } });
      chart.truncate(12);
      return chart.series;
    """)
    assert series == [[[11, 0.5], [12, 0.4]], [[11, 0.1], [12, 0.05]]]


def test_a_chart_of_zeros_says_so_and_an_empty_one_says_nothing_is_there_yet(js):
    # A network whose ReLUs all died has every gradient 0 (the exploding lesson's ×3): no place on a
    # log scale, but not "no gradients yet" either.
    labels = js.run("""
      const { GradientChart } = await mod("charts/gradients.js");
      const { t } = await mod("strings.js");
      const host = document.body.appendChild(document.createElement("div"));
      const chart = new GradientChart(host);
      chart.draw();
      const empty = chart.canvas.getAttribute("aria-label");
      chart.addTrain({ step: 2, steps_run: 2, history: { gradient_norms: [[0, 0], [0, 0]] } });
      chart.draw();
      const zero = chart.canvas.getAttribute("aria-label");
      chart.addTrain({ step: 3, steps_run: 1, history: { gradient_norms: [[0.5, 0]] } });
      chart.draw();
      return [empty, zero, chart.canvas.getAttribute("aria-label"), t("gradChartEmpty"), t("gradChartZero")];
    """)
    empty, zero, drawn, empty_text, zero_text = labels
    assert (empty, zero) == (empty_text, zero_text) and empty_text != zero_text
    assert drawn.startswith("Gradient norms per layer at step 3")
