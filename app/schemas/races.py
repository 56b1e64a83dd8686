"""Optimizer races: the bodies of creating a race and of advancing it, and their answers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal, TypeAlias

from pydantic import BaseModel, Field, ValidationInfo, field_validator

from ..nn.surface import SURFACES
from .requests import Finite, NetworkCreate, OptimizerIn, Strict, TrainIn
from .state import NetworkState
from .surfaces import PlaneIn
from .traces import TrainResult

MAX_RACERS = 8
MAX_PATH_NUMBERS = 1_000_000  # steps × parameters × racers that `path` may answer (about 20 MB of JSON)

if TYPE_CHECKING:
    SurfaceName: TypeAlias = str
else:
    SurfaceName = Literal[tuple(SURFACES)]

NetworkId = Annotated[str, Field(min_length=1, max_length=64)]


class RaceCreate(Strict):
    """One network spec, trained by several optimizers from the same initial weights, on the same data and
    the same mini-batches. Each racer is an ordinary network with its own id: every endpoint works on it
    (PATCH one to change its learning rate). Creating a race spends one network creation of the rate limit."""

    network: NetworkCreate | None = Field(
        None, description="The shared spec (as POST /networks takes it; its `optimizer` is ignored: each racer "
                          "has its own). Seeds left out are drawn once, for every racer. Missing: the defaults, "
                          "or the `surface` preset's two-weight model.")
    surface: SurfaceName | None = Field(
        None, description="Instead of `network`: a two-weight loss surface preset (GET /surfaces): layer_sizes "
                          "[2, 1], no bias, linear output, mse, its small dataset, trained on the full batch.")
    start: list[Finite] | None = Field(None, min_length=2, max_length=2,
                                       description="With `surface`: the starting (w1, w2). Missing: the preset's.")
    racers: list[OptimizerIn] | None = Field(
        None, min_length=1, max_length=MAX_RACERS,
        description=f"One optimizer per racer (at most {MAX_RACERS}); a learning rate or hyperparameter left out "
                    "takes that optimizer's own default. Missing: sgd, momentum, adagrad, rmsprop and adam, each "
                    "with its defaults (GET /options → optimizers).")

    @field_validator("surface")
    @classmethod
    def _not_both(cls, surface: str | None, info: ValidationInfo) -> str | None:
        if surface is not None and info.data.get("network") is not None:
            raise ValueError("give either `network` or `surface`, not both")
        return surface

    @field_validator("start")
    @classmethod
    def _with_a_surface(cls, start: list[float] | None, info: ValidationInfo) -> list[float] | None:
        if start is not None and info.data.get("surface") is None:
            raise ValueError("`start` goes with `surface` (a two-weight preset); give initial weights in "
                             "`network.weights` instead")
        return start

    model_config = {**Strict.model_config, "json_schema_extra": {"examples": [
        {"network": {"layer_sizes": [2, 8, 8, 8, 1], "init": {"seed": 1},
                     "dataset": {"name": "circle", "seed": 2}}},
        {"surface": "valley", "start": [-4.0, 0.5], "racers": [{"name": "sgd"}, {"name": "momentum"}]},
    ]}}


class Race(BaseModel):
    racers: list[NetworkState] = Field(description="Each racer's state (its `id` and `spec.optimizer`), in the "
                                                   "order of the request's `racers`.")


class RaceTrainIn(TrainIn):
    """Advance every racer by `steps` in lockstep. Racers are locked in one fixed order (sorted ids), so a
    race never deadlocks with another request; the work of all racers together is bounded as one /train."""

    racers: list[NetworkId] = Field(min_length=1, max_length=MAX_RACERS,
                                    description="The racers' ids, as POST /races answered them (any networks "
                                                "work; racers of one race share their mini-batches).")
    path: bool = Field(False, description="Also answer each racer's flat parameters after every step (e.g. to "
                                          "draw the two-weight model's path on its loss surface); at most "
                                          f"{MAX_PATH_NUMBERS:,} numbers in all (steps × parameters × racers).")

    plane: PlaneIn | None = Field(
        None, description="Also answer each racer's path projected on this plane through its initial weights "
                          "(`projected`; racers of one race share the plane): the plane POST "
                          "/networks/{id}/surface computes the loss over for a racer that has not stepped yet.")

    @field_validator("racers")
    @classmethod
    def _each_once(cls, racers: list[str]) -> list[str]:
        if len(set(racers)) != len(racers):
            raise ValueError("each racer may appear once in `racers`")
        return racers

    model_config = {**TrainIn.model_config, "json_schema_extra": {"examples": [
        {"racers": ["Yw3…", "k9Q…"], "steps": 20, "path": True},
        {"racers": ["Yw3…", "k9Q…"], "steps": 20, "plane": {"directions": "random", "seed": 7}},
    ]}}


class RacerResult(BaseModel):
    id: str
    status: Literal["trained", "diverged", "missing"] = Field(
        description="trained: every step ran; diverged: it stopped at a step that overflowed (the others went "
                    "on; `result.diverged` says why); missing: no such network (expired or deleted).")
    detail: str | None = Field(None, description="For a missing racer: what happened, in plain words.")
    result: TrainResult | None = Field(None, description="As /train answers it; null for a missing racer.")
    path: list[list[float]] | None = Field(
        None, description="With `path`: the flat parameters after each applied step (weights W_0 … W_{L−1} "
                          "row-major, then biases), one entry per entry of history.loss; [w1, w2] for the "
                          "two-weight model.")
    step_direction: StepDirection | None = Field(
        None, description="With `path` or `plane`: the optimizer's current step (null for a racer that has no "
                          "velocity and applied no step in this call, and for a missing racer).")
    projected: list[list[float]] | None = Field(
        None, description="With `plane`: (α, β, distance from the plane) of the weights after each applied step, "
                          "one entry per entry of history.loss.")


class StepDirection(BaseModel):
    """The optimizer's own current step, read from its state after the call's last step."""

    quantity: Literal["velocity", "first_moment", "update"] = Field(
        description="velocity: momentum's v; first_moment: Adam's bias-corrected m̂ = m / (1 − β1^t); update: "
                    "the last update Δw (SGD, AdaGrad and RMSProp keep no velocity).")
    symbol: str = Field(description="v, m̂ or Δw.")
    description: str = Field(description="What it is, in plain words.")
    values: list[float] = Field(description="The quantity itself (flat parameter layout, as `path`).")
    displacement: list[float] = Field(description="Where it moves the weights: −η v, −η m̂ or Δw (flat layout); "
                                                  "for momentum this is its next step's share of the velocity.")
    along: list[float] | None = Field(None, description="With `plane`: (dα, dβ), `displacement` projected on the "
                                                        "plane (least squares).")


class RaceTrainResult(BaseModel):
    racers: list[RacerResult] = Field(description="In the order of the request's `racers`.")
