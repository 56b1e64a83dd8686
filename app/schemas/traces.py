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
    inputs: OutMatrix
    targets: OutMatrix | None
    sample_indices: list[int] | None = Field(description="Rows of the training set used; null for given inputs.")
    forward: list[LayerForward]
    loss: float | None = Field(description="Batch-mean data loss plus the regularization penalty.")
    data_loss: float | None
    loss_per_sample: OutVector | None


class StepTrace(ForwardTrace):
    step: int = Field(description="Updates applied after this call (the first step returns 1).")
    applied: bool
    diverged: Divergence | None
    epoch: int
    backward: list[LayerBackward]
    update: list[LayerUpdate]


class Evaluation(BaseModel):
    step: int
    train_loss: float | None
    test_loss: float | None
    train_accuracy: float | None
    test_accuracy: float | None


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
    hidden: list[list[EncodedMap]] = Field(description="Per hidden layer, one map per unit.")


class TrainResult(BaseModel):
    steps_run: int
    step: int
    diverged: Divergence | None
    history: TrainHistory
    state: NetworkState
    boundary: Boundary | None


class Prediction(BaseModel):
    outputs: OutMatrix
