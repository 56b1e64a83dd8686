"""A network's state and its export (out and back in), and the health and readiness replies.
Conventions: see the package docstring."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..nn.snapshot import MAX_COUNT
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
    spec: dict[str, Any] = Field(description="The creation body with every default filled in and seeds drawn "
                                             "(`input_features` only when the network has them).")
    weights: list[OutMatrix]
    biases: list[OutVector] | None
    optimizer_state: OptimizerState


# A counter the engine holds exactly (app.nn.snapshot.MAX_COUNT), given as a JSON integer.
Count = Annotated[int, Field(ge=0, le=MAX_COUNT, strict=True)]
STATE = ("Any finite float64, as exported: the state's numbers are not bounded by ±max_abs_value, so that "
         "whatever a server exports it imports.")


class SlotIn(BaseModel):
    weights: list[Matrix] = Field(description=STATE)
    biases: list[list[Finite]] | None = None


class OptimizerStateIn(BaseModel):
    t: Count = Field(0, description="Updates the optimizer has made: at most 2⁵³ − 1.")
    slots: dict[str, SlotIn] = Field(default_factory=dict, description=(
        "As exported. The second moments (adagrad's G, rmsprop's S, adam's v) are never negative."))


class ExportIn(BaseModel):
    """An export from `GET /networks/{id}/export` (fields of the state that are derived are ignored)."""

    model_config = ConfigDict(extra="ignore")

    format: Literal["backprop-playground/1", "backprop-playground/2"] = Field(
        description="'backprop-playground/2' for a network with input_features (its spec names them); "
                    "'backprop-playground/1' for one fed the raw inputs, as exports before input features wrote it.")
    spec: NetworkCreate
    weights: list[Matrix] = Field(description=STATE)
    biases: list[list[Finite]] | None = Field(None, description=STATE)
    initial_weights: list[Matrix] = Field(description=STATE)
    initial_biases: list[list[Finite]] | None = Field(None, description=STATE)
    optimizer_state: OptimizerStateIn = Field(default_factory=OptimizerStateIn)
    step: Count = Field(0, description="Updates applied: at most 2⁵³ − 1.")
    epoch: Count = Field(0, description="At most 2⁵³ − 1.")
    epoch_position: Count = Field(0, description="At most n_train.")
    data: DataIn | None = None


class Health(BaseModel):
    status: Literal["ok"]


class Readiness(BaseModel):
    """This server can load and save networks now (GET /readyz; while the session store does not
    answer: 503 with code store_unavailable)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"status": "ready", "store": "redis"}]})

    status: Literal["ready"] = Field(description="The session store answered within its deadline.",
                                     examples=["ready"])
    store: Literal["memory", "sqlite", "redis"] = Field(description="The kind of session store.",
                                                        examples=["redis"])
