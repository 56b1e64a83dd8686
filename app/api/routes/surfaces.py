"""Loss surfaces: the two-weight presets, and the loss over a plane of a network's weight space with
its recent path (or any weights) projected onto it. Nothing here changes a network."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from ...nn import checks
from ...nn.history import KEEP, StepNotKept
from ...nn.surface import SURFACES, Axis, make_plane, plane_view
from ...schemas.surfaces import Surface, SurfaceAxis, SurfaceIn, SurfacePresets
from ..byte_limits import check_answer
from ..deps import NetworkId, SettingsDep, StoreDep
from ..encoding import JSONBytes
from ..limits import check_forward_passes, check_numbers, check_resolution
from .networks import ERRORS

router = APIRouter(tags=["surfaces"])


def axes_of(axes: list[SurfaceAxis] | None) -> tuple[Axis, Axis] | None:
    """A request's two weights as (layer, source, target) pairs (None: the defaults)."""
    if not axes:
        return None
    (a, b) = [(x.layer, x.source, x.target) for x in axes]
    return a, b


@router.get("/surfaces", operation_id="list_surface_presets", response_model=SurfacePresets)
async def presets() -> Response:
    """The two-weight loss surfaces a race can run on: a round bowl and a long narrow valley."""
    return JSONBytes({"surfaces": [
        {"name": p.name, "description": p.description, "spec": p.spec(), "start": list(p.start),
         "minimum": list(p.minimum), "window": [list(r) for r in p.window]} for p in SURFACES.values()]})


@router.post("/networks/{network_id}/surface", operation_id="compute_loss_surface", response_model=Surface,
             responses=ERRORS)
async def loss_surface(network_id: NetworkId, body: SurfaceIn, store: StoreDep, settings: SettingsDep) -> Response:
    """The full training set's loss (plus penalty) over a plane of weight space through the network."""
    check_resolution(body.resolution, None, settings)
    check_numbers(body, settings)
    async with store.opened(network_id, write=False) as trainer:
        points = len(body.trajectory or []) + (KEEP + 1 if body.kept_steps else 0)
        check_forward_passes(trainer, body.resolution**2 + points + 1, trainer.n_train, "this surface",
                             "resolution", settings)
        n_weights = sum(a * b for a, b in zip(trainer.arch.layer_sizes[:-1], trainer.arch.layer_sizes[1:]))
        check_answer(body.resolution**2 + 2 * body.resolution + 2 * n_weights + 3 * points, "float64",
                     "this surface", "resolution", "ask for a lower resolution", settings)
        net = trainer.network
        random = body.directions == "random"
        plane, axes = make_plane(net, body.directions, body.seed, axes_of(body.axes))
        path: list[tuple[int | None, Any]] = []
        if body.kept_steps:
            for step in range(max(1, trainer.step_count - KEEP + 1), trainer.step_count + 1):
                try:
                    path.append((step - 1, store.kept_step(network_id, trainer, step).params))
                except StepNotKept:
                    continue
            path.append((trainer.step_count, net.params))
        for weights in body.trajectory or []:
            w, b = checks.parameters(trainer.settings, net.layout, weights, net.biases)
            path.append((None, net.layout.pack(w, b)))
        ranges = tuple(None if r is None else (r[0], r[1]) for r in (body.alpha_range, body.beta_range))
        reg = trainer.settings.regularization
        view = plane_view(net, plane, trainer.data.train_inputs, trainer.data.train_targets, reg.kind, reg.rate,
                          (ranges[0], ranges[1]), body.resolution, random, path)
        return JSONBytes({"directions": body.directions, "seed": body.seed if random else None,
                          "axes": None if axes is None else [dict(zip(("layer", "source", "target"), a))
                                                             for a in axes], **view})
