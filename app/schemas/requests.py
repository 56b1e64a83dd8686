"""What clients send: the request bodies. Conventions: see the package docstring.

Names, defaults and hyperparameter bounds are the engine's (app.nn): the defaults are read from its
Settings dataclasses, the optimizer models' hyperparameter fields are built from its registry. Limits
a server may set otherwise (AppSettings) are not baked in here: app.api.limits checks them against
the app's own settings, and the fields' descriptions name them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias

from pydantic import BaseModel, ConfigDict, Field, create_model, model_validator

from ..config import AppSettings
from ..nn import DatasetSettings, InitSettings, RegularizationSettings, Settings
from ..nn.activations import HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS
from ..nn.datasets import DATASETS
from ..nn.features import FEATURES
from ..nn.init import INIT_SCHEMES
from ..nn.losses import LOSSES
from ..nn.optimizers import ALL_HYPERPARAMETERS, DEFAULT_OPTIMIZER, HYPERPARAMETERS, OPTIMIZERS, Hyperparameter, takers
from ..nn.regularization import REGULARIZERS

# The engine's creation defaults, read once.
NETWORK, INIT, REGULARIZATION, DATASET = Settings(), InitSettings(), RegularizationSettings(), DatasetSettings()


def limited(name: str, what: str = "") -> str:
    """A description naming the server limit that bounds a field (the class default, for reference)."""
    default = AppSettings.model_fields[name].default
    return f"{what}At most the server's `{name}` ({default} unless configured otherwise; GET /options → limits)."


# Numbers are strict: a JSON number only, never a string or a boolean ("learning_rate": true is a 422);
# an integer is taken where a real is expected.
Finite = Annotated[float, Field(strict=True, allow_inf_nan=False)]  # and within ±max_abs_value: app.api.limits


def plain_optional(schema: dict[str, Any]) -> None:
    """Show an optional field `X | None = absent()` as plain X, not `anyOf [X, null]`: leaving it out is
    how a client says "missing" (generated clients then never send a null); a null is still accepted."""
    (shown,) = [s for s in schema.pop("anyOf") if s != {"type": "null"}]
    schema.pop("default", None)
    for key, value in shown.items():
        schema.setdefault(key, value)


def absent(description: str | None = None) -> Any:
    """The default of a field that may be left out (see plain_optional)."""
    return Field(None, description=description, json_schema_extra=plain_optional)
Seed = Annotated[int, Field(strict=True, ge=0, le=2**32 - 1)]
Matrix = list[list[Finite]]

# The names each registry holds (a type checker sees plain strings).
if TYPE_CHECKING:
    HiddenActivation: TypeAlias = str
    OutputActivation: TypeAlias = str
    LossName: TypeAlias = str
    OptimizerName: TypeAlias = str
    InitScheme: TypeAlias = str
    RegularizationKind: TypeAlias = str
    DatasetName: TypeAlias = str
    FeatureName: TypeAlias = str
else:
    HiddenActivation = Literal[HIDDEN_ACTIVATIONS]
    OutputActivation = Literal[OUTPUT_ACTIVATIONS]
    LossName = Literal[tuple(LOSSES)]
    OptimizerName = Literal[tuple(OPTIMIZERS)]
    InitScheme = Literal[tuple(INIT_SCHEMES)]
    RegularizationKind = Literal[tuple(REGULARIZERS)]
    DatasetName = Literal[tuple(DATASETS)]
    FeatureName = Literal[tuple(FEATURES)]

LearningRate = Annotated[float, Field(strict=True, gt=0, allow_inf_nan=False)]
NUMBERS = "every number within ±max_abs_value (GET /options → limits)"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class InitIn(Strict):
    scheme: InitScheme = INIT.scheme
    seed: Seed | None = absent("Missing: drawn at random and reported in the state.")
    bias_value: Finite = INIT.bias_value


def hyperparameter_fields(missing: str) -> dict[str, Any]:
    """The optional request field of every hyperparameter, with the registry's bounds."""
    def one(h: Hyperparameter) -> Any:
        bounds: dict[str, Any] = {"ge" if h.min_inclusive else "gt": h.min, "le" if h.max_inclusive else "lt": h.max}
        defaults = ", ".join(f"{name} {default:g}" for name, default in takers(h.name).items())
        return (Annotated[float, Field(strict=True, allow_inf_nan=False, **bounds)] | None,
                absent(f"{h.symbol}, {h.description}, in {h.interval}. {missing} ({defaults})."))

    return {h.name: one(h) for h in HYPERPARAMETERS.values()}


class OptimizerChoice(Strict):
    """An optimizer and its hyperparameters; a hyperparameter of another optimizer is refused."""

    name: OptimizerName = DEFAULT_OPTIMIZER
    learning_rate: LearningRate | None = absent(
        "η. Missing: the optimizer's own default (GET /options → optimizers).")

    @model_validator(mode="after")
    def _only_own_hyperparameters(self) -> OptimizerChoice:
        own = OPTIMIZERS[self.name].hyperparameters
        for k in ALL_HYPERPARAMETERS:
            if getattr(self, k, None) is not None and k not in own:
                takes = ", ".join(own) or "no hyperparameters"
                raise ValueError(f"'{k}' does not belong to optimizer '{self.name}' (it takes: {takes})")
        return self


class OptimizerChange(Strict):
    """Only what changes. Without `name` the optimizer stays and unnamed hyperparameters keep their
    values; with a new `name`, unnamed hyperparameters take that optimizer's defaults and the
    learning rate is kept unless given."""

    name: OptimizerName | None = absent()
    learning_rate: LearningRate | None = absent()


# The hyperparameter fields (momentum, rho, beta1, beta2, epsilon) come from the engine's registry;
# mypy sees the models without them, as the code reads them by name only through getattr.
if TYPE_CHECKING:
    OptimizerIn = OptimizerChoice
    OptimizerPatch = OptimizerChange
else:
    OptimizerIn = create_model("OptimizerIn", __base__=OptimizerChoice, __doc__=OptimizerChoice.__doc__,
                               __module__=__name__,
                               **hyperparameter_fields("Missing: the optimizer's default"))
    OptimizerPatch = create_model("OptimizerPatch", __base__=OptimizerChange, __doc__=OptimizerChange.__doc__,
                                  __module__=__name__,
                                  **hyperparameter_fields("Missing: kept, or a new optimizer's default"))


class RegularizationIn(Strict):
    kind: RegularizationKind = REGULARIZATION.kind
    rate: Annotated[float, Field(strict=True, ge=0, allow_inf_nan=False)] = REGULARIZATION.rate


class DatasetIn(Strict):
    name: DatasetName = DATASET.name
    n_samples: Annotated[int, Field(strict=True, ge=1)] = Field(DATASET.n_samples, description=limited("max_samples"))
    noise: Annotated[float, Field(strict=True, ge=0, le=0.5)] = DATASET.noise
    train_fraction: Annotated[float, Field(strict=True, gt=0, le=1)] = DATASET.train_fraction
    seed: Seed | None = absent("Missing: drawn at random and reported in the state.")


class DataIn(Strict):
    """Your own samples: training data, and optionally a test part (evaluated, never trained on)."""

    inputs: Matrix = Field(description=f"(n_samples, n_inputs), {NUMBERS}. " + limited("max_samples"))
    targets: Matrix = Field(description="(n_samples, n_outputs)")
    test_inputs: Matrix | None = absent("(n_test, n_inputs), with `test_targets` (both or neither). Missing: "
                                        "no test data. Its rows count with `inputs`. " + limited("max_samples"))
    test_targets: Matrix | None = absent("(n_test, n_outputs)")


class NetworkCreate(Strict):
    layer_sizes: list[Annotated[int, Field(strict=True, ge=1)]] = Field(
        default_factory=lambda: list(NETWORK.layer_sizes), min_length=2,
        description="Input size first, output size last, e.g. [2, 4, 2, 1]. At most the server's "
                    "`max_hidden_layers`, `max_inputs` and `max_units` per layer (GET /options → limits).")
    activation: HiddenActivation = NETWORK.activation
    leaky_relu_slope: Annotated[float, Field(strict=True, ge=0, le=1)] = NETWORK.leaky_relu_slope
    output_activation: OutputActivation = NETWORK.output_activation
    loss: LossName = NETWORK.loss
    use_bias: Annotated[bool, Field(strict=True)] = NETWORK.use_bias
    init: InitIn = Field(default_factory=lambda: InitIn.model_validate({}))
    weights: list[Matrix] | None = absent("Explicit initial weights, (n_in, n_out) per layer; " + NUMBERS + ".")
    biases: list[list[Finite]] | None = absent("Explicit initial biases, (n_out,) per layer.")
    optimizer: OptimizerIn = Field(default_factory=lambda: OptimizerIn.model_validate({}))
    regularization: RegularizationIn = Field(default_factory=lambda: RegularizationIn.model_validate({}))
    dataset: DatasetIn | None = Field(default_factory=lambda: DatasetIn.model_validate({}),
                                      description="null when `data` is given (as exports write it).")
    data: DataIn | None = absent("Your own data instead of a generated dataset.")
    batch_size: Annotated[int, Field(strict=True, ge=1)] = Field(NETWORK.batch_size,
                                                                 description=limited("max_batch_size"))
    input_features: list[FeatureName] | None = Field(
        None, min_length=1, json_schema_extra=plain_optional, examples=[["x1", "x2", "x1_squared", "x2_squared"]],
        description="The input units, in order: each a feature the server computes from the raw inputs x1, x2 "
                    "(GET /options → input_features), e.g. [\"x1\", \"x2\", \"x1_squared\"]; "
                    "`layer_sizes[0]` must be their number. A one-input set (sine) offers x1, x1_squared and "
                    "sin_x1; no name twice. Requests and GET /data still carry the raw inputs; a step's trace "
                    "shows the features as the input layer's values. Missing or null: the raw inputs themselves.")


class ParameterSet(Strict):
    """One weight or bias to set, indexed as `weights` and `biases` are (see the package docstring)."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"layer": 0, "kind": "weight", "index": [1, 2], "value": -0.5},
        {"layer": 1, "kind": "bias", "index": [0], "value": 0.25}]})

    layer: Annotated[int, Field(strict=True, ge=0)] = Field(
        description="The layer l of weights[l] and biases[l]: 0 is the first layer after the input.")
    kind: Literal["weight", "bias"]
    index: list[Annotated[int, Field(strict=True, ge=0)]] = Field(
        min_length=1, max_length=2,
        description="For a weight [i, j]: weights[layer][i][j], which joins unit i of layer `layer` to unit j of "
                    "layer `layer` + 1 (counting the input as layer 0); for a bias [j]: biases[layer][j], of unit j "
                    "of layer `layer` + 1. An index outside the network is a 422 naming `parameters[k].index`.")
    value: Finite = Field(description="The new value, within ±max_abs_value (GET /options → limits).")


class NetworkPatch(Strict):
    """How training continues; the weights are kept. A new optimizer name starts its state afresh."""

    optimizer: OptimizerPatch | None = absent()
    regularization: RegularizationIn | None = absent()
    batch_size: Annotated[int, Field(strict=True, ge=1)] | None = absent(limited("max_batch_size"))
    parameters: list[ParameterSet] | None = absent(
        "Weights and biases to set by hand, all or none. Everything else is kept: the other parameters, the "
        "optimizer's state (these parameters' slots too), the step and the place in the epoch; the next step "
        "starts from the new values, and reset still returns to the initial weights.")
    data: DataIn | None = Field(
        None, description="Train on these samples from now on (checked as at creation; their widths must fit the "
        "input and output layers). The weights, step and optimizer state are kept; the walk through the training "
        "set starts over (epoch 0). Spends no network creation.",
        examples=[{"inputs": [[0.0, 1.0], [1.0, 0.0], [2.0, 2.0]], "targets": [[1.0], [1.0], [0.0]],
                   "test_inputs": [[1.0, 1.0]], "test_targets": [[1.0]]}],
        json_schema_extra=plain_optional)


class BatchIn(Strict):
    """Leave both out to use the next mini-batch of the training set."""

    inputs: Matrix | None = absent(f"(batch, n_inputs), {NUMBERS}. " + limited("max_samples"))
    targets: Matrix | None = absent("(batch, n_outputs)")


class PredictIn(Strict):
    inputs: Matrix = Field(description=f"(n, n_inputs), {NUMBERS}. " + limited("max_samples"))


class BoundaryIn(Strict):
    resolution: Annotated[int, Field(strict=True, ge=2)] = Field(50, description=limited("max_boundary_resolution"))
    hidden_resolution: Annotated[int, Field(strict=True, ge=2)] | None = absent(
        "Missing: the same as `resolution`. " + limited("max_boundary_resolution"))


MAX_SNAPSHOTS = 16  # a /train call's snapshots: more than a few frames' worth per call has no use


class TrainIn(Strict):
    steps: Annotated[int, Field(strict=True, ge=1)] = Field(100, description=limited("max_train_steps"))
    eval_every: Annotated[int, Field(strict=True, ge=1)] | None = absent(
        "Evaluate on the whole training and test sets every this many steps "
                          "(and after the last). Default: only after the last step. " + limited("max_train_steps"))
    boundary: BoundaryIn | None = absent("Also return the boundary after training.")
    snapshots: Annotated[int, Field(strict=True, ge=0, le=MAX_SNAPSHOTS)] = Field(0, description=(
        "Also return the state and gradients after this many steps spread evenly through the call, before its "
        "last (`snapshots` in the answer), e.g. to draw one per animation frame while the next call runs. "
        f"At most {MAX_SNAPSHOTS}; a call of n steps answers at most n − 1. 0: none."))
