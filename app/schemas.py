"""The REST contract: request and response models, which are also the OpenAPI docs.

Shapes and conventions, stated once:
- `weights[l][i][j]` joins unit i of layer l to unit j of layer l+1: each matrix is (n_in, n_out)
  and a layer computes z = a_prev · W + b, with shapes (batch, n_in) · (n_in, n_out).
- Every per-layer list has one entry per non-input layer, in forward order.
- Per-sample arrays are (batch, units). `grad_a` and `grad_z` (the error signal δ = ∂E_b/∂z) are
  derivatives of each sample's own loss E_b; `grad_weights` and `grad_biases` are derivatives of
  the batch loss E = mean_b E_b (plus the regularization penalty, for weights).
- Numbers that overflowed appear as `null`; the API never emits NaN or Infinity.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .config import get_settings
from .nn.activations import HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS
from .nn.datasets import DATASETS
from .nn.init import INIT_SCHEMES
from .nn.losses import LOSSES
from .nn.optimizers import OPTIMIZERS
from .nn.regularization import REGULARIZERS

_limits = get_settings()
_BOUND = _limits.max_abs_value

Finite = Annotated[float, Field(allow_inf_nan=False, ge=-_BOUND, le=_BOUND)]
Seed = Annotated[int, Field(ge=0, le=2**32 - 1)]
Matrix = list[list[Finite]]
OutMatrix = list[list[float | None]]
OutVector = list[float | None]

HiddenActivation = Literal[HIDDEN_ACTIVATIONS]  # type: ignore[valid-type]
OutputActivation = Literal[OUTPUT_ACTIVATIONS]  # type: ignore[valid-type]
LossName = Literal[tuple(LOSSES)]  # type: ignore[valid-type]
OptimizerName = Literal[tuple(OPTIMIZERS)]  # type: ignore[valid-type]
InitScheme = Literal[tuple(INIT_SCHEMES)]  # type: ignore[valid-type]
RegularizationKind = Literal[tuple(REGULARIZERS)]  # type: ignore[valid-type]
DatasetName = Literal[tuple(DATASETS)]  # type: ignore[valid-type]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ---- requests ------------------------------------------------------------------------------
class InitIn(Strict):
    scheme: InitScheme = "xavier_uniform"
    seed: Seed | None = Field(None, description="Missing: drawn at random and reported in the state.")
    bias_value: Finite = 0.0


class OptimizerIn(Strict):
    """An optimizer and its hyperparameters; a hyperparameter of another optimizer is refused."""

    name: OptimizerName = "sgd"
    learning_rate: Annotated[float, Field(gt=0, le=_BOUND, allow_inf_nan=False)] = 0.03
    momentum: Annotated[float, Field(ge=0, lt=1)] | None = Field(None, description="momentum: μ (0.9)")
    rho: Annotated[float, Field(ge=0, lt=1)] | None = Field(None, description="rmsprop: ρ (0.9)")
    beta1: Annotated[float, Field(ge=0, lt=1)] | None = Field(None, description="adam: β1 (0.9)")
    beta2: Annotated[float, Field(ge=0, lt=1)] | None = Field(None, description="adam: β2 (0.999)")
    epsilon: Annotated[float, Field(gt=0, le=1, allow_inf_nan=False)] | None = Field(
        None, description="adagrad (1e-10), rmsprop (1e-8), adam (1e-8): ε")

    @model_validator(mode="after")
    def _only_own_hyperparameters(self) -> OptimizerIn:
        own = OPTIMIZERS[self.name].hyperparameters
        for k in ("momentum", "rho", "beta1", "beta2", "epsilon"):
            if getattr(self, k) is not None and k not in own:
                takes = ", ".join(own) or "no hyperparameters"
                raise ValueError(f"'{k}' does not belong to optimizer '{self.name}' (it takes: {takes})")
        return self


class RegularizationIn(Strict):
    kind: RegularizationKind = "none"
    rate: Annotated[float, Field(ge=0, le=_BOUND, allow_inf_nan=False)] = 0.0


class DatasetIn(Strict):
    name: DatasetName = "circle"
    n_samples: Annotated[int, Field(ge=1, le=_limits.max_samples)] = 500
    noise: Annotated[float, Field(ge=0, le=0.5)] = 0.0
    train_fraction: Annotated[float, Field(gt=0, le=1)] = 0.5
    seed: Seed | None = None


class DataIn(Strict):
    """Your own samples: all of them are training data."""

    inputs: Matrix = Field(description="(n_samples, n_inputs)")
    targets: Matrix = Field(description="(n_samples, n_outputs)")


class NetworkCreate(Strict):
    layer_sizes: list[Annotated[int, Field(ge=1)]] = Field(
        default_factory=lambda: [2, 4, 2, 1], min_length=2,
        description="Input size first, output size last, e.g. [2, 4, 2, 1].")
    activation: HiddenActivation = "tanh"
    leaky_relu_slope: Annotated[float, Field(ge=0, le=1)] = 0.01
    output_activation: OutputActivation = "sigmoid"
    loss: LossName = "binary_cross_entropy"
    use_bias: bool = True
    init: InitIn = Field(default_factory=InitIn)
    weights: list[Matrix] | None = Field(None, description="Explicit initial weights, (n_in, n_out) per layer.")
    biases: list[list[Finite]] | None = Field(None, description="Explicit initial biases, (n_out,) per layer.")
    optimizer: OptimizerIn = Field(default_factory=OptimizerIn)
    regularization: RegularizationIn = Field(default_factory=RegularizationIn)
    dataset: DatasetIn | None = Field(default_factory=DatasetIn)
    data: DataIn | None = Field(None, description="Your own data instead of a generated dataset.")
    batch_size: Annotated[int, Field(ge=1, le=_limits.max_batch_size)] = 10


class OptimizerPatch(Strict):
    """Only what changes. Without `name` the optimizer stays and unnamed hyperparameters keep their
    values; with a new `name`, unnamed hyperparameters take that optimizer's defaults and the
    learning rate is kept unless given."""

    name: OptimizerName | None = None
    learning_rate: Annotated[float, Field(gt=0, le=_BOUND, allow_inf_nan=False)] | None = None
    momentum: Annotated[float, Field(ge=0, lt=1)] | None = None
    rho: Annotated[float, Field(ge=0, lt=1)] | None = None
    beta1: Annotated[float, Field(ge=0, lt=1)] | None = None
    beta2: Annotated[float, Field(ge=0, lt=1)] | None = None
    epsilon: Annotated[float, Field(gt=0, le=1, allow_inf_nan=False)] | None = None


class NetworkPatch(Strict):
    """How training continues; the weights are kept. A new optimizer name starts its state afresh."""

    optimizer: OptimizerPatch | None = None
    regularization: RegularizationIn | None = None
    batch_size: Annotated[int, Field(ge=1, le=_limits.max_batch_size)] | None = None


class BatchIn(Strict):
    """Leave both out to use the next mini-batch of the training set."""

    inputs: Matrix | None = Field(None, description="(batch, n_inputs)")
    targets: Matrix | None = Field(None, description="(batch, n_outputs)")


class PredictIn(Strict):
    inputs: Matrix = Field(description="(n, n_inputs)")


class BoundaryIn(Strict):
    resolution: Annotated[int, Field(ge=2, le=_limits.max_boundary_resolution)] = 50
    hidden_resolution: Annotated[int, Field(ge=2, le=_limits.max_boundary_resolution)] | None = None


class TrainIn(Strict):
    steps: Annotated[int, Field(ge=1, le=_limits.max_train_steps)] = 100
    eval_every: Annotated[int, Field(ge=1, le=_limits.max_train_steps)] | None = Field(
        None, description="Evaluate on the whole training and test sets every this many steps "
                          "(and after the last). Default: only after the last step.")
    boundary: BoundaryIn | None = Field(None, description="Also return the boundary after training.")


# ---- responses -----------------------------------------------------------------------------
class OptimizerState(BaseModel):
    t: int = Field(description="Updates this optimizer has made (Adam's bias-correction t).")
    slots: dict[str, dict[str, list[Any] | None]] = Field(
        description="Per slot (momentum: v; adagrad: G; rmsprop: S; adam: m, v): "
                    "{'weights': [per layer (n_in, n_out)], 'biases': [per layer (n_out,)] | null}.")


class NetworkState(BaseModel):
    id: str
    step: int = Field(description="Updates applied so far.")
    epoch: int
    epoch_position: int = Field(description="Samples of the current epoch's permutation already used.")
    n_train: int
    n_test: int
    task: str = Field(description="binary, multiclass, regression or custom")
    extent: list[list[float]] = Field(description="[min, max] of the input plane drawn, per input.")
    spec: dict[str, Any] = Field(description="The creation body with every default filled in and seeds drawn.")
    weights: list[OutMatrix]
    biases: list[OutVector] | None
    optimizer_state: OptimizerState


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


class ErrorBody(BaseModel):
    detail: str = Field(description="What was wrong and what is allowed, in plain words.")
    field: str | None = None
    errors: list[dict[str, Any]] | None = None


class Health(BaseModel):
    status: Literal["ok"]


class SlotIn(BaseModel):
    weights: list[Matrix]
    biases: list[list[Finite]] | None = None


class OptimizerStateIn(BaseModel):
    t: Annotated[int, Field(ge=0)] = 0
    slots: dict[str, SlotIn] = Field(default_factory=dict)


class ExportIn(BaseModel):
    """An export from `GET /networks/{id}/export` (fields of the state that are derived are ignored)."""

    model_config = ConfigDict(extra="ignore")

    format: Literal["backprop-playground/1"]
    spec: NetworkCreate
    weights: list[Matrix]
    biases: list[list[Finite]] | None = None
    initial_weights: list[Matrix]
    initial_biases: list[list[Finite]] | None = None
    optimizer_state: OptimizerStateIn = Field(default_factory=OptimizerStateIn)
    step: Annotated[int, Field(ge=0)] = 0
    epoch: Annotated[int, Field(ge=0)] = 0
    epoch_position: Annotated[int, Field(ge=0)] = 0
    data: DataIn | None = None
