"""What GET /options answers: every name, default, range and limit a client builds its controls from.
The entries are described here; their values come from the engine's registries and the app's settings."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Options(BaseModel):
    model_config = ConfigDict(extra="allow")  # new sections may be added within /api/v1

    activations: dict[str, list[dict[str, Any]]] = Field(
        description="{hidden, output}: each [{name, formula, range}], range [lo, hi] of a = f(z) or null; an "
                    "output's also `decision_threshold`: a binary task's class boundary for it (the midpoint of its "
                    "labels, as accuracy counts it: above it is the positive class).")
    losses: list[dict[str, Any]] = Field(
        description="[{name, formula, requires_output, target_range, natural_output}].")
    optimizers: list[dict[str, Any]] = Field(
        description="[{name, rule, learning_rate, hyperparameters}]: its own default η and hyperparameters.")
    hyperparameters: dict[str, dict[str, Any]] = Field(
        description="{name: {symbol, description, min, max, min_inclusive, max_inclusive}}: the server's bounds.")
    tasks: dict[str, dict[str, str]] = Field(description="{task: {output_activation, loss}}: the natural pair.")
    init_schemes: list[str]
    regularizations: list[dict[str, Any]] = Field(description="[{name, formula}].")
    datasets: list[dict[str, Any]] = Field(description="[{name, task, n_inputs, n_targets, extent, description}].")
    defaults: dict[str, Any] = Field(description="The creation body with every default.")
    limits: dict[str, float] = Field(description="This server's limits (sizes, counts, work, ±max_abs_value).")
