"""A network's state and its export (out and back in), and the health reply. Conventions: see the
package docstring."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .requests import DataIn, Finite, Matrix, NetworkCreate

OutMatrix = list[list[float | None]]  # None: a number that overflowed
OutVector = list[float | None]


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


class Health(BaseModel):
    status: Literal["ok"]
