"""The settings of a training session, shaped and named as in the REST API's body.

The defaults written here are the creation defaults of the whole project: the API's request models
and GET /options take them from these dataclasses (and an optimizer's from its registry entry).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from math import nan
from typing import Any

from .activations import HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS
from .datasets import DATASETS
from .errors import EngineError
from .features import check_names
from .init import INIT_SCHEMES
from .losses import LOSSES
from .optimizers import ALL_HYPERPARAMETERS, DEFAULT_OPTIMIZER, HYPERPARAMETERS, OPTIMIZERS
from .regularization import REGULARIZERS


@dataclass
class InitSettings:
    scheme: str = "xavier_uniform"
    seed: int | None = None  # None: drawn at random and reported back
    bias_value: float = 0.0


@dataclass(init=False)
class OptimizerSettings:
    name: str
    learning_rate: float
    # Only the chosen optimizer's hyperparameters; missing ones take their defaults.
    hyperparameters: dict[str, float]

    def __init__(self, name: str = DEFAULT_OPTIMIZER, learning_rate: float | None = None,
                 hyperparameters: dict[str, float] | None = None) -> None:
        """Without a learning rate, the optimizer's own default (NaN for an unknown name, refused anyway)."""
        kind = OPTIMIZERS.get(name)
        self.name = name
        self.learning_rate = learning_rate if learning_rate is not None else kind.learning_rate if kind else nan
        self.hyperparameters = dict(hyperparameters or {})

    def resolved(self) -> dict[str, float]:
        kind = OPTIMIZERS[self.name]
        return {**kind.hyperparameters, **self.hyperparameters}

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "learning_rate": self.learning_rate, **self.resolved()}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> OptimizerSettings:
        hyper = {k: d[k] for k in ALL_HYPERPARAMETERS if d.get(k) is not None}
        return cls(d.get("name", DEFAULT_OPTIMIZER), d.get("learning_rate"), hyper)


@dataclass
class RegularizationSettings:
    kind: str = "none"
    rate: float = 0.0


@dataclass
class DatasetSettings:
    name: str = "circle"
    n_samples: int = 500
    noise: float = 0.0
    train_fraction: float = 0.5
    seed: int | None = None


@dataclass
class Settings:
    layer_sizes: list[int] = field(default_factory=lambda: [2, 4, 2, 1])
    activation: str = "tanh"
    leaky_relu_slope: float = 0.01
    output_activation: str = "sigmoid"
    loss: str = "binary_cross_entropy"
    use_bias: bool = True
    init: InitSettings = field(default_factory=InitSettings)
    optimizer: OptimizerSettings = field(default_factory=OptimizerSettings)
    regularization: RegularizationSettings = field(default_factory=RegularizationSettings)
    dataset: DatasetSettings | None = field(default_factory=DatasetSettings)  # None: caller's data
    batch_size: int = 10
    # The input units' features of the raw inputs, in order (features.py); None: the raw inputs themselves.
    input_features: list[str] | None = None

    def to_dict(self) -> dict[str, Any]:
        """As the API shows the spec; `input_features` only when set (absent means the raw inputs, so a
        network without features is written exactly as before the field existed)."""
        d = asdict(self)
        d["optimizer"] = self.optimizer.to_dict()
        if self.input_features is None:
            del d["input_features"]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Settings:
        d = dict(d)
        d["init"] = InitSettings(**d.get("init") or {})
        d["optimizer"] = OptimizerSettings.from_dict(d.get("optimizer") or {})
        d["regularization"] = RegularizationSettings(**d.get("regularization") or {})
        d["dataset"] = DatasetSettings(**d["dataset"]) if d.get("dataset") is not None else None
        if d.get("input_features") is not None:
            d["input_features"] = list(d["input_features"])
        return cls(**d)

    def validate(self) -> None:
        """Refuse settings that make no sense together (ranges are the API's job)."""
        choose(self.activation, HIDDEN_ACTIVATIONS, "activation")
        choose(self.output_activation, OUTPUT_ACTIVATIONS, "output_activation")
        choose(self.loss, LOSSES, "loss")
        choose(self.init.scheme, INIT_SCHEMES, "init.scheme")
        choose(self.regularization.kind, REGULARIZERS, "regularization.kind")
        if self.dataset is not None:
            choose(self.dataset.name, DATASETS, "dataset.name")
        validate_optimizer(self.optimizer)
        if len(self.layer_sizes) < 2:
            raise EngineError("layer_sizes needs at least an input and an output size, e.g. [2, 4, 1]",
                              "layer_sizes")
        if min(self.layer_sizes) < 1:
            raise EngineError("every entry of layer_sizes must be at least 1", "layer_sizes")
        if self.input_features is not None:
            check_names(self.input_features, self.layer_sizes[0])
        needs = LOSSES[self.loss].requires_output
        if needs is not None and self.output_activation != needs:
            raise EngineError(f"loss '{self.loss}' needs output_activation '{needs}', not "
                              f"'{self.output_activation}'; use 'mse' for a {self.output_activation} output",
                              "loss")
        if self.output_activation == "softmax" and self.layer_sizes[-1] < 2:
            raise EngineError("a softmax output needs at least 2 output units (the last entry of "
                              "layer_sizes)", "output_activation")
        if self.batch_size < 1:
            raise EngineError("batch_size must be at least 1", "batch_size")


def choose(value: str, allowed: Iterable[str], field_name: str) -> None:
    if value not in allowed:
        raise EngineError(f"{field_name} '{value}' is not one of: {', '.join(allowed)}", field_name)


def validate_optimizer(opt: OptimizerSettings) -> None:
    choose(opt.name, OPTIMIZERS, "optimizer.name")
    own = OPTIMIZERS[opt.name].hyperparameters
    for k in opt.hyperparameters:
        if k not in own:
            allowed = ", ".join(own) or "none"
            raise EngineError(f"optimizer '{opt.name}' has no hyperparameter '{k}' (it takes: {allowed})",
                              f"optimizer.{k}")
    for k, value in opt.resolved().items():
        h = HYPERPARAMETERS[k]
        if not h.admits(value):
            raise EngineError(f"optimizer.{k} must be in {h.interval} ({h.in_words}), got {value}", f"optimizer.{k}")
    if not opt.learning_rate > 0.0:
        raise EngineError("optimizer.learning_rate must be positive", "optimizer.learning_rate")
