"""Loss surfaces: the presets, the request for the loss over a plane of weight space, and its answer."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from .requests import Finite, Matrix, Strict, limited

Index = Annotated[int, Field(ge=0)]


class SurfacePresetOut(BaseModel):
    name: str
    description: str
    spec: dict[str, Any] = Field(description="The creation body of its two-weight model (POST /networks or POST /races "
                                   "with `surface`), starting at `start`.")
    start: list[float] = Field(description="The default starting (w1, w2).")
    minimum: list[float] = Field(description="(w1, w2) where the loss is 0.")
    window: list[list[float]] = Field(description="[[w1 lo, hi], [w2 lo, hi]]: the ranges that show it well.")


class SurfacePresets(BaseModel):
    surfaces: list[SurfacePresetOut] = Field(description="bowl (well conditioned) and valley (inputs scaled 1 : 10).")


class SurfaceAxis(Strict):
    layer: Index
    source: Index
    target: Index


class PlaneIn(Strict):
    """A plane through weight space: two weights' axes, or two seeded random directions."""

    directions: Literal["axes", "random"] = Field(
        "axes", description="axes: α and β are the values of two weights (the others stay as they are); random: "
                            "two seeded random directions through the current weights, each layer scaled to its "
                            "weights' norm (biases stay), α = β = 0 being the current network.")
    axes: list[SurfaceAxis] | None = Field(
        None, min_length=2, max_length=2,
        description="With axes: the two weights[layer][source][target]. Missing: the first two weights (w1 and "
                    "w2 of the two-weight model).")
    seed: Annotated[int, Field(ge=0, le=2**32 - 1)] = Field(0, description="With random: the directions' seed.")

    model_config = {**Strict.model_config, "json_schema_extra": {"examples": [
        {"directions": "random", "seed": 7},
        {"directions": "axes",
         "axes": [{"layer": 0, "source": 0, "target": 0}, {"layer": 1, "source": 2, "target": 0}]},
    ]}}


class SurfaceIn(PlaneIn):
    """A plane through weight space and the loss over it (full training set, plus the penalty)."""

    alpha_range: list[Finite] | None = Field(
        None, min_length=2, max_length=2,
        description="[lo, hi] of α. Missing: [-1, 1] for random; the weight's value ± max(1, 2·|value|) for axes.")
    beta_range: list[Finite] | None = Field(None, min_length=2, max_length=2, description="[lo, hi] of β.")
    resolution: Annotated[int, Field(ge=2)] = Field(41, description="N for an N×N grid. "
                                                    + limited("max_boundary_resolution"))
    kept_steps: bool = Field(False, description="Also project the network's kept steps (its last applied steps' "
                                                "starting weights) and its current weights: its recent path.")
    trajectory: list[list[Matrix]] | None = Field(
        None, max_length=1000, description="Also project these weights (per point, one (n_in, n_out) matrix per "
                                           "layer; the biases are taken as they are now).")

    model_config = {**Strict.model_config, "json_schema_extra": {"examples": [
        {"directions": "axes", "alpha_range": [-5, 3], "beta_range": [-2, 1], "resolution": 41},
        {"directions": "random", "seed": 7, "resolution": 31, "kept_steps": True},
    ]}}


class SurfaceCurrent(BaseModel):
    alpha: float
    beta: float
    loss: float | None = Field(description="The full training set's loss plus penalty at the point itself.")


class SurfacePoint(SurfaceCurrent):
    step: int | None = Field(description="The step count at which the network had these weights (null for a "
                                         "given point).")
    distance: float = Field(description="How far the point lies from the plane (0 when on it).")


class Surface(BaseModel):
    directions: str
    axes: list[SurfaceAxis] | None
    seed: int | None
    alpha: list[float] = Field(description="(N,) α of each column.")
    beta: list[float] = Field(description="(N,) β of each row.")
    loss: list[list[float | None]] = Field(description="(N, N): row i is β = beta[i], column j is α = alpha[j]; "
                                                       "the full training set's loss plus the penalty there.")
    d1: list[list[list[float]]] = Field(description="The α direction's weight part, (n_in, n_out) per layer (its "
                                                    "bias part is 0): the weights at (α, β) are origin + α·d1 + "
                                                    "β·d2, the origin being the current weights (random) or the "
                                                    "current weights with the two chosen ones at 0 (axes).")
    d2: list[list[list[float]]] = Field(description="The β direction's weight part.")
    current: SurfaceCurrent = Field(description="Where the current weights lie on the plane.")
    trajectory: list[SurfacePoint]
