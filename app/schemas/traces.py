"""What running a network answers: forward and step traces, training results, evaluations, the
data, predictions and the boundary maps. Conventions: see the package docstring."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from .state import NetworkState, OutMatrix, OutVector


class Divergence(BaseModel):
    phase: Literal["forward", "loss", "backward", "update"]
    layer: int | None
    quantity: str
    message: str


class LayerForward(BaseModel):
    z: OutMatrix = Field(description="(batch, n_out) weighted inputs a_prev · W + b")
    a: OutMatrix = Field(description="(batch, n_out) activations f(z)")


class LayerBackward(BaseModel):
    grad_a: OutMatrix = Field(description="(batch, n_out) ∂E_b/∂a")
    grad_z: OutMatrix = Field(description="(batch, n_out) δ = ∂E_b/∂z")
    grad_weights: OutMatrix = Field(description="(n_in, n_out) ∂E/∂W, regularization included")
    grad_biases: OutVector | None = Field(description="(n_out,) ∂E/∂b")


class LayerUpdate(BaseModel):
    weight_deltas: OutMatrix = Field(description="(n_in, n_out) Δw applied")
    bias_deltas: OutVector | None
    weights: OutMatrix = Field(description="(n_in, n_out) after the update")
    biases: OutVector | None


class ForwardTrace(BaseModel):
    step: int
    inputs: OutMatrix = Field(description="(batch, n_0): the input layer's values a₀ (layer 0's a), which layer 1 "
                                          "takes. With input_features, the features of the batch's raw inputs "
                                          "(one column per feature, in the spec's order); without, the raw "
                                          "inputs themselves.")
    targets: OutMatrix | None
    sample_indices: list[int] | None = Field(description="Rows of the training set used; null for given inputs.")
    forward: list[LayerForward]
    loss: float | None = Field(description="Batch-mean data loss plus the regularization penalty.")
    data_loss: float | None
    loss_per_sample: OutVector | None


class SlotValues(BaseModel):
    weights: list[OutMatrix] = Field(description="Per layer, (n_in, n_out): the slot's value for each weight.")
    biases: list[OutVector] | None = Field(description="Per layer, (n_out,); null without biases.")


class OptimizerStep(BaseModel):
    """The optimizer's part of one step, for explaining the update of any one parameter."""

    name: str = Field(description="The optimizer in force for this step.")
    learning_rate: float = Field(description="η of this step.")
    hyperparameters: dict[str, float] = Field(description="Its hyperparameters, defaults filled in (e.g. adam: "
                                                          "beta1, beta2, epsilon).")
    t_before: int = Field(description="The optimizer's step count before this step.")
    t_after: int = Field(description="The t of this update (t_before + 1; Adam's bias correction uses it); the "
                                     "count after the step when it was applied.")
    slots_before: dict[str, SlotValues] = Field(
        description="Each slot (momentum: v; adagrad: G; rmsprop: S; adam: m, v) before the step; {} for sgd.")
    slots_after: dict[str, SlotValues] = Field(
        description="Each slot after the step (for a step not applied: as computed, not kept).")
    bias_corrected: dict[str, SlotValues] | None = Field(
        None, description="adam only: m̂ = m / (1 − β1^t) under 'm' and v̂ = v / (1 − β2^t) under 'v', with t = "
                          "t_after and m, v from slots_after, as the update used them.")


class StepTrace(ForwardTrace):
    step: int = Field(description="Updates applied after this call (the first step returns 1).")
    applied: bool
    diverged: Divergence | None
    epoch: int
    backward: list[LayerBackward]
    update: list[LayerUpdate]
    loss_after: float | None = Field(None, description="The same mini-batch's loss (data loss plus penalty) after "
                                                       "the update: did the step help? Null for a step not applied.")
    optimizer: OptimizerStep | None = Field(None, description="The optimizer's settings, step count and slots "
                                                              "before and after this step.")


class Evaluation(BaseModel):
    step: int
    train_loss: float | None
    test_loss: float | None
    train_accuracy: float | None
    test_accuracy: float | None


class LayerHealth(BaseModel):
    """One hidden layer's units in trouble (app.nn.health), measured over the whole training set."""

    layer: int = Field(description="Index into the layer lists (0 = the first hidden layer).")
    activation: str
    dead: list[int] = Field(
        description="ReLU or leaky ReLU units (indices) whose weighted input z ≤ 0 on every training sample: a ReLU "
                    "unit outputs 0 everywhere and its f′(z) = 0, so no gradient reaches it and it never recovers. "
                    "Empty for other activations.", examples=[[0, 3, 5]])
    saturated: list[int] = Field(
        description="Sigmoid or tanh units (indices) whose |f′(z)| is below 1 % of f′'s maximum (¼ for the sigmoid, "
                    "1 for tanh) on at least 99 % of the training samples: they pass back almost no gradient and "
                    "learn very slowly. Empty for other activations.", examples=[[1]])


class OutputHealth(BaseModel):
    spread: list[float | None] = Field(
        description="Per output unit, max − min of the output over the training set (null if not finite).",
        examples=[[2.3e-07]])
    constant: bool = Field(
        description="Every output unit's spread is below 0.1 % of its scale (the output activation's range, or for "
                    "an unbounded output the targets' max − min), over at least two training samples: the network "
                    "answers the same for every input.")
    chance_accuracy: float | None = Field(
        description="The training accuracy of always answering the most common class (null for regression).")
    at_chance: bool | None = Field(
        description="The output is constant and the training accuracy is no better than `chance_accuracy` "
                    "(null for regression).")


class NetworkHealth(BaseModel):
    layers: list[LayerHealth] = Field(description="One entry per hidden layer, in forward order.")
    output: OutputHealth


class EvaluationNow(Evaluation):
    """An evaluation of the network as it is now, with its units' health."""

    health: NetworkHealth | None = Field(
        default=None, description="Dead and saturated hidden units and whether the output is constant, over the "
                                  "training set (null when it is empty).")


class Samples(BaseModel):
    inputs: OutMatrix = Field(description="(n, n_inputs)")
    targets: OutMatrix = Field(description="(n, n_outputs)")


class DataPoints(BaseModel):
    task: str = Field(description="binary, multiclass, regression or custom")
    extent: list[list[float]]
    train: Samples
    test: Samples = Field(description="Empty lists when there is no test set.")


class TrainHistory(BaseModel):
    loss: list[float] = Field(description="The batch loss of each step, as its trace reports it.")
    evaluations: list[Evaluation]
    gradient_norms: list[list[float]] = Field(
        default_factory=list,
        description="gradient_norms[s][l] = ‖∂E/∂W_l‖ (Frobenius norm of layer l's grad_weights, regularization "
                    "included, biases not) of the step whose loss is loss[s]: one entry per entry of `loss`.",
        examples=[[[0.412, 0.087], [0.398, 0.081]]])


class LastStep(BaseModel):
    """The gradients of the last step a /train call applied, as its trace would report them."""

    grad_weights: list[OutMatrix] = Field(description="Per layer, (n_in, n_out) ∂E/∂W, regularization included.",
                                          examples=[[[[0.01, -0.02]], [[0.03], [0.04]]]])
    mean_grad_z: list[OutVector] = Field(description="Per layer, (n_out,): the batch mean of δ = ∂E_b/∂z.",
                                         examples=[[[0.002, -0.001], [0.05]]])
    mean_abs_grad_z: list[OutVector] = Field(description="Per layer, (n_out,): the batch mean of |δ|.",
                                             examples=[[[0.004, 0.003], [0.21]]])


class EncodedMap(BaseModel):
    lo: float
    hi: float
    resolution: int
    data: str = Field(description="base64 of resolution² uint8 q: value ≈ lo + q/255·(hi − lo)")


class Boundary(BaseModel):
    resolution: int
    hidden_resolution: int
    extent: list[list[float]]
    axis_order: str
    encoding: str
    output: list[EncodedMap] = Field(description="One map per output unit.")
    inputs: list[EncodedMap] = Field(default_factory=list, description=(
        "One map per input unit at hidden_resolution: its value a₀ over the plane (with input_features, the "
        "feature: x1², sin x2, …)."))
    hidden: list[list[EncodedMap]] = Field(description="Per hidden layer, one map per unit.")


class TrainSnapshot(BaseModel):
    """The network after one step inside a /train call: its parameters and that step's gradients."""

    step: int = Field(description="Updates applied when this snapshot was taken (as the state's `step`).")
    epoch: int = Field(description="The epoch it was taken in (as the state's `epoch`).")
    loss: float = Field(description="That step's batch loss (its entry in history.loss).")
    weights: list[OutMatrix] = Field(description="Per layer, (n_in, n_out) W after that step.")
    biases: list[OutVector] | None = Field(description="Per layer, (n_out,) b after that step; null without biases.")
    last_step: LastStep = Field(description="The gradients of that step (as `last_step` is of the call's last).")


class TrainResult(BaseModel):
    steps_run: int
    step: int
    diverged: Divergence | None
    history: TrainHistory
    last_step: LastStep | None = Field(None, description="The gradients of the last applied step; null when no "
                                                         "step was applied.")
    state: NetworkState
    boundary: Boundary | None
    snapshots: list[TrainSnapshot] = Field(default_factory=list, description=(
        "With the request's `snapshots` = k: the network after ⌊j·steps/(k+1)⌋ of the call's steps, j = 1 … k "
        "(k at most steps − 1), oldest first; the call's last step is `state` and `last_step`. Fewer when the "
        "call stopped early (divergence). Empty when none were asked for."))


class Prediction(BaseModel):
    outputs: OutMatrix
