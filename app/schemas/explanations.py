"""What the explanation endpoints answer: the chain rule term by term for a kept step, the gradient
check and the loss along one weight. Conventions: see the package docstring.

Layers count as `layer_sizes` does for units (0 = the inputs) and as `weights[layer]` does for
weights. A per-sample value is a list over the step's batch, in the trace's order; `means` holds
the batch means of those values under the same names.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from .explanation_examples import GRADIENT_CHECK, GRADIENT_CHECK_IN, LOSS_CURVE, UNIT_EXPLANATION, WEIGHT_EXPLANATION
from .requests import BatchIn

PerSample = list[float | None]  # over the batch; null: a number that overflowed


class Term(BaseModel):
    unit: int = Field(description="k: the unit of layer + 1 this term comes through.")
    weight: float = Field(description="w_jk = weights[layer][unit][k].")
    delta: PerSample = Field(description="δ_k of unit k of layer + 1, per sample (the trace's grad_z).")
    product: PerSample = Field(description="w_jk · δ_k, per sample.")


class OutputRule(BaseModel):
    loss: str
    output_activation: str
    rule: Literal["natural", "softmax_jacobian", "chain"] = Field(
        description="natural: δ = y − t (the loss's natural output); softmax_jacobian: softmax with another "
                    "loss, every output's ∂E/∂y enters; chain: δ = ∂E/∂y · f′(z).")
    formula: str = Field(description="How δ follows from the loss, in symbols.")
    why: str = Field(description="The same in words.")
    y: PerSample = Field(description="The unit's output y_j, per sample.")
    t: PerSample = Field(description="The target t_j, per sample.")
    grad_a: PerSample = Field(description="∂E_b/∂y_j, per sample (null where a cross-entropy saturates).")
    weighted_sum: PerSample | None = Field(description="softmax_jacobian only: Σ_k ∂E_b/∂y_k · y_k, per sample.")


class TermMeans(BaseModel):
    unit: int
    weight: float
    delta: float | None
    product: float | None


class OutputMeans(BaseModel):
    y: float | None
    t: float | None
    grad_a: float | None
    weighted_sum: float | None


class UnitMeans(BaseModel):
    z: float | None
    a: float | None
    derivative: float | None
    sum: float | None
    delta: float | None
    terms: list[TermMeans] | None
    output: OutputMeans | None


class UnitExplanation(BaseModel):
    """Why one unit's δ is what it is: δ_j = f′(z_j) · Σ_k w_jk δ_k, or the loss's derivative for an output."""

    model_config = ConfigDict(json_schema_extra={"examples": [UNIT_EXPLANATION]})

    step: int = Field(description="The kept step explained (the trace's `step`).")
    layer: int = Field(description="As `layer_sizes` counts: 1 = the first hidden layer; the last = the output.")
    unit: int
    z: PerSample = Field(description="The unit's weighted input, per sample.")
    a: PerSample = Field(description="Its activation f(z), per sample.")
    derivative: PerSample | None = Field(description="f′(z), per sample; null where the activation has no "
                                                     "per-unit derivative (a softmax output).")
    terms: list[Term] | None = Field(description="Hidden units: one term per unit k of the next layer. Null for "
                                                 "an output unit.")
    sum: PerSample | None = Field(description="Σ_k w_jk δ_k (the trace's grad_a), per sample; null for an output.")
    delta: PerSample = Field(description="δ_j = derivative × sum for a hidden unit (the trace's "
                                         "backward[layer − 1].grad_z[:, unit]), per sample.")
    output: OutputRule | None = Field(description="An output unit: how its δ follows from the loss. Null for a "
                                                  "hidden unit.")
    means: UnitMeans = Field(description="Batch means of the per-sample values, under the same names.")


class PathFactor(BaseModel):
    kind: Literal["derivative", "weight", "delta"] = Field(
        description="derivative: f′(z) at a unit; weight: w on a link; delta: the output unit's δ ending the path.")
    layer: int = Field(description="The unit's layer (derivative, delta) or the weight's `weights[layer]`.")
    unit: int | None = Field(None, description="derivative and delta: the unit.")
    source: int | None = Field(None, description="weight: the link's unit in `layer`.")
    target: int | None = Field(None, description="weight: the link's unit in layer + 1.")
    value: float | None = Field(None, description="weight: w.")
    values: PerSample | None = Field(None, description="derivative and delta: the factor per sample.")


class Path(BaseModel):
    units: list[int] = Field(description="The units the path visits, from the weight's target to an output unit.")
    factors: list[PathFactor] = Field(description="In order along the path.")
    product: PerSample = Field(description="The product of the factors, per sample.")


class WeightMeans(BaseModel):
    a: float | None
    delta: float | None
    product: float | None
    paths_sum: float | None


class WeightExplanation(BaseModel):
    """Why ∂E/∂w of weights[layer][source][target] is what it is: mean of a_i · δ_j (plus the penalty),
    and δ_j as the sum over every path to the outputs of the product of its factors."""

    model_config = ConfigDict(json_schema_extra={"examples": [WEIGHT_EXPLANATION]})

    step: int = Field(description="The kept step explained (the trace's `step`).")
    layer: int = Field(description="As in `weights[layer]`: the link joins layer `layer` to layer + 1.")
    source: int = Field(description="i: the unit of layer `layer` (an input when layer is 0).")
    target: int = Field(description="j: the unit of layer + 1.")
    a: PerSample = Field(description="a_i, per sample (the input itself for layer 0).")
    delta: PerSample = Field(description="δ_j, per sample (the trace's grad_z).")
    product: PerSample = Field(description="a_i · δ_j, per sample.")
    regularization: float = Field(description="The penalty's derivative for this weight (0 without one).")
    grad: float | None = Field(description="∂E/∂w = mean of product + regularization: the trace's "
                                           "backward[layer].grad_weights[source][target].")
    paths_count: int = Field(description="How many paths lead from unit j to the outputs (exact).")
    paths_sum: PerSample = Field(description="The sum over every path, per sample: equal to δ_j (computed layer "
                                             "by layer, not from the listed paths).")
    sample: int = Field(description="The sample whose |product| ranks the listed paths.")
    paths: list[Path] = Field(description="The `limit` paths with the largest |product| for `sample`, largest "
                                          "first, found exactly.")
    means: WeightMeans = Field(description="Batch means of the per-sample values, under the same names.")


class GradientCheckIn(BatchIn):
    """Leave out inputs and targets to check on the next mini-batch (which is not consumed)."""

    model_config = ConfigDict(json_schema_extra={"examples": [GRADIENT_CHECK_IN, {}]})

    epsilon: Annotated[float, Field(gt=0, le=1, allow_inf_nan=False)] = Field(
        1e-6, description="The step ε of the central difference (E(θ + ε) − E(θ − ε)) / 2ε.")
    step: Annotated[int, Field(ge=1)] | None = Field(
        None, description="Check a kept step instead (the trace's `step`): the weights it started from, its "
                          "mini-batch and its penalty, so the check is of exactly the gradient that step used. "
                          "Inputs and targets must then be left out.")


class ParameterCheck(BaseModel):
    layer: int = Field(description="As in `weights[layer]`.")
    kind: Literal["weight", "bias"]
    index: list[int] = Field(description="[i, j] for a weight, [j] for a bias.")
    backprop: float | None = Field(description="The gradient backpropagation gives (the one the next step would use).")
    numeric: float | None = Field(description="The central difference of the batch loss (penalty included).")
    relative_error: float | None = Field(description="|backprop − numeric| / max(1, |backprop|, |numeric|).")


class GradientCheck(BaseModel):
    """Backprop's gradient beside a finite-difference estimate, for every weight and bias. Changes nothing."""

    model_config = ConfigDict(json_schema_extra={"examples": [GRADIENT_CHECK]})

    step: int = Field(description="Updates applied so far: the check is of the network as it is now.")
    epsilon: float
    sample_indices: list[int] | None = Field(description="Rows of the training set checked on; null for given inputs.")
    parameters: list[ParameterCheck] = Field(description="Weights W_0 … first, then biases b_0 …")
    max_relative_error: float | None = Field(description="The largest relative_error (null if one overflowed).")


class LossCurve(BaseModel):
    """The batch loss E of a kept step's batch as one weight alone varies, with the step on it."""

    model_config = ConfigDict(json_schema_extra={"examples": [LOSS_CURVE]})

    step: int = Field(description="The kept step (the trace's `step`).")
    layer: int = Field(description="As in `weights[layer]`.")
    source: int
    target: int
    w: list[float] = Field(description="Values of the weight, evenly spaced from lo to hi.")
    loss: PerSample = Field(description="E at each value of `w` (data loss plus penalty, every other parameter as "
                                        "the step found it).")
    w_before: float = Field(description="The weight when the step started.")
    loss_before: float | None = Field(description="E at w_before: the step's `loss`.")
    grad: float | None = Field(description="The slope ∂E/∂w at w_before: the step's gradient for this weight.")
    learning_rate: float = Field(description="η of the step.")
    optimizer: str = Field(description="The step's optimizer (sgd: Δw = −η · grad).")
    delta_w: float | None = Field(description="Δw the step applied to this weight.")
    w_after: float | None = Field(description="w_before + Δw.")
    loss_at_w_after: float | None = Field(description="E at w_after with only this weight moved.")
    loss_after: float | None = Field(description="The step's `loss_after` (every parameter moved); equal to "
                                                 "loss_at_w_after when the network has this one weight.")
