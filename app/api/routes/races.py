"""Optimizer races: create several networks that differ only in their optimizer, and advance them all
with one request. Each racer stays an ordinary network (its own id; every endpoint works on it)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Response, status
from starlette.concurrency import run_in_threadpool

from ...nn import OptimizerSettings
from ...nn.race import default_racers, racer_views, racers, start_plane, train_race
from ...nn.surface import SURFACES
from ...schemas import NetworkCreate
from ...schemas.races import MAX_PATH_NUMBERS, Race, RaceCreate, RaceTrainIn, RaceTrainResult
from ..byte_limits import check_train_answer, check_trainer
from ..deps import SettingsDep, StoreDep
from ..encoding import JSONBytes
from ..errors import EXPIRED
from ..limits import LimitExceeded, check_boundary, check_create, check_numbers, check_resolution, check_train
from ..views import boundary_view, state_view
from .networks import CREATE_ERRORS, ERRORS, creation_allowed, trainer_from_body
from .surfaces import axes_of
from .training import train_result

REFUSED: dict[int | str, dict[str, Any]] = {422: ERRORS[422]}  # a missing racer is reported in the answer, never a 404

router = APIRouter(prefix="/races", tags=["races"])


def race_spec(body: RaceCreate) -> NetworkCreate:
    """The shared spec: the body's network, a surface preset's two-weight model, or the defaults."""
    if body.surface is None:
        return body.network or NetworkCreate()
    start = None if body.start is None else (body.start[0], body.start[1])
    return NetworkCreate.model_validate(SURFACES[body.surface].spec(start))


@router.post("", operation_id="create_race", status_code=status.HTTP_201_CREATED, response_model=Race,
             responses=CREATE_ERRORS, dependencies=[Depends(creation_allowed)])
async def create_race(store: StoreDep, settings: SettingsDep, body: RaceCreate | None = None) -> Response:
    """Build one network per optimizer from one spec: same initial weights, data and mini-batches."""
    body = body or RaceCreate()
    spec = race_spec(body)
    check_create(spec, settings)
    check_numbers(body, settings)
    optimizers = ([OptimizerSettings.from_dict(o.model_dump(exclude_none=True)) for o in body.racers]
                  if body.racers is not None else default_racers())
    first = trainer_from_body(spec)
    first.update(optimizers[0])  # before any step: the spec's own optimizer is not a racer
    trainers = racers(first, optimizers)
    for trainer in trainers:  # the same network but for its optimizer's slots
        check_trainer(trainer, settings, "network.data.inputs" if spec.data is not None else
                      "network.dataset.n_samples", prefix="network.")
    ids = [await run_in_threadpool(store.create, trainer) for trainer in trainers]
    return JSONBytes({"racers": [state_view(sid, t) for sid, t in zip(ids, trainers)]},
                     status_code=status.HTTP_201_CREATED)


@router.post("/train", operation_id="train_race", response_model=RaceTrainResult, responses=REFUSED)
async def advance_race(body: RaceTrainIn, store: StoreDep, settings: SettingsDep) -> Response:
    """Advance every racer by `steps` in lockstep: one diverging stops, the others go on."""
    # Every racer held for the whole block (see SessionStore.opened_many: no two requests wait in a cycle).
    async with store.opened_many(body.racers) as live:
        trainers = [live[sid] for sid in body.racers if sid in live]
        if trainers:
            check_train(trainers[0], body.steps, body.eval_every, settings, racers=trainers)
        numbers = body.steps * sum(t.network.layout.size for t in trainers)
        if body.path and numbers > MAX_PATH_NUMBERS:
            raise LimitExceeded(f"a path of {numbers:,} numbers (steps × parameters × racers) was asked for; at "
                                f"most {MAX_PATH_NUMBERS:,} are answered: ask for fewer steps at a time", "path",
                                "max_path_numbers", MAX_PATH_NUMBERS, numbers)
        if body.boundary is not None:
            check_resolution(body.boundary.resolution, body.boundary.hidden_resolution, settings)
            for trainer in trainers:
                check_boundary(trainer, body.boundary.resolution, body.boundary.hidden_resolution, settings,
                               copies=len(trainers))
        plane = None if body.plane is None else (body.plane.directions, body.plane.seed, axes_of(body.plane.axes))
        with_path = body.path or plane is not None
        if plane is not None:
            for trainer in trainers:
                start_plane(trainer, plane)  # refuses axes that are not weights of a racer, before any step
        check_train_answer(trainers, body.steps, body.eval_every, settings, path=with_path, boundary=None
                           if body.boundary is None else (body.boundary.resolution, body.boundary.hidden_resolution))
        # Seconds of work: in a thread (the racers stay held), so that the worker keeps serving the rest.
        results = iter(await run_in_threadpool(train_race, trainers, body.steps, body.eval_every, with_path))
        answers: list[dict[str, Any]] = []
        for sid in body.racers:
            if sid not in live:
                answers.append({"id": sid, "status": "missing", "detail": EXPIRED.format(
                    minutes=settings.session_ttl_seconds // 60), "result": None, "path": None,
                    "step_direction": None, "projected": None})
                continue
            trainer, result = live[sid], next(results)
            boundary = None
            if body.boundary is not None and trainer.n_raw == 2:
                boundary = boundary_view(trainer, body.boundary.resolution, body.boundary.hidden_resolution)
            views = racer_views(trainer, result, plane) if with_path else {"step_direction": None, "projected": None}
            answers.append({"id": sid, "status": "diverged" if result["diverged"] else "trained", "detail": None,
                            "result": train_result(sid, trainer, result, boundary),
                            "path": result["path"] if body.path else None, **views})
        return JSONBytes({"racers": answers})
