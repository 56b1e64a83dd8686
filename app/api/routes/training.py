"""Running the network: a forward preview, one step with its whole trace, many steps,
predictions and the picture over the input plane.

Handlers are `async def` on purpose: a step is tens of microseconds of NumPy, far less than a
thread-pool hop, so short calls run on the event loop. The long ones (/train, /boundary: up to
seconds, bounded by app.api.limits) run in a thread while the network stays held, and a request
for a network someone holds awaits it (store.opened): the worker keeps serving everything else."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from starlette.concurrency import run_in_threadpool

from ...config import AppSettings
from ...nn import Trainer
from ...schemas import (
    BatchIn,
    Boundary,
    DataPoints,
    ForwardTrace,
    PredictIn,
    Prediction,
    StepTrace,
    TrainIn,
    TrainResult,
)
from ...schemas.traces import EvaluationNow
from ..byte_limits import batch_rows, check_answer, check_boundary_answer, check_step, check_train_answer
from ..deps import NetworkId, SettingsDep, StoreDep
from ..direct import DirectRoute
from ..encoding import JSONBytes, as_float32, compact, dumps
from ..limits import check_boundary, check_inputs, check_resolution, check_train
from ..tabular import CSV_CONTENT, FORMAT_DESCRIPTION, csv_response, history_csv
from ..views import boundary_view, state_view
from .networks import ERRORS

router = APIRouter(prefix="/networks/{network_id}", tags=["training"])
MAX_RES = "At most the server's `max_boundary_resolution` (GET /options → limits)."

Precision = Annotated[Literal["float64", "float32", "compact"], Query(
    description="float64 (default): exact numbers. float32: the same JSON rounded to float32, for drawing "
                "only. compact: {encoding, buffer, body} where every array of the body is replaced by "
                "{shape, offset} into `buffer`, the base64 of little-endian float32 values (about a third "
                "of the float64 bytes; non-finite values are NaN there).")]


Format = Annotated[Literal["json", "csv"], Query(alias="format", description=FORMAT_DESCRIPTION)]

Rows = list[list[float]]


def encode(trace: dict[str, Any], precision: str) -> Response:
    """The trace in the precision asked for."""
    if precision == "float32":
        return JSONBytes(dumps(as_float32(trace)))
    if precision == "compact":
        return JSONBytes(compact(trace))
    return JSONBytes(dumps(trace))


def _batch(body: BatchIn | None, settings: AppSettings) -> tuple[Rows | None, Rows | None]:
    if body is None:
        return None, None
    check_inputs(body, settings)
    return body.inputs, body.targets


# /forward and /step are DirectRoutes (app.api.direct): the same endpoints, read without FastAPI's
# per-request dependency solving, because play mode calls /step dozens of times a second.
async def forward(network_id: NetworkId, store: StoreDep, settings: SettingsDep, body: BatchIn | None = None,
                  precision: Precision = "float64") -> Response:
    """The forward pass (and the losses when targets are known), changing nothing.

    Without inputs it previews the next mini-batch without consuming it."""
    inputs, targets = _batch(body, settings)
    async with store.opened(network_id, write=False) as trainer:
        check_step(trainer, batch_rows(trainer, inputs), precision, "batch_size" if inputs is None else "inputs",
                   settings, forward=True, what="this forward trace")
        trace = trainer.forward_trace(inputs, targets)
    return encode(trace, precision)


async def step(network_id: NetworkId, store: StoreDep, settings: SettingsDep, body: BatchIn | None = None,
               precision: Precision = "float64") -> Response:
    """One update — forward, loss, backward, update — with every number of it.

    A step whose numbers overflow is not applied: `applied` is false and `diverged` says why."""
    inputs, targets = _batch(body, settings)
    async with store.opened(network_id) as trainer:
        check_step(trainer, batch_rows(trainer, inputs), precision, "batch_size" if inputs is None else "inputs",
                   settings)
        trace = trainer.step(inputs, targets)
    return encode(trace, precision)


router.add_api_route("/forward", forward, methods=["POST"], operation_id="forward", response_model=ForwardTrace,
                     responses=ERRORS, route_class_override=DirectRoute)
router.add_api_route("/step", step, methods=["POST"], operation_id="step", response_model=StepTrace,
                     responses=ERRORS, route_class_override=DirectRoute)


def _train(network_id: str, trainer: Trainer, body: TrainIn, fmt: str) -> Response:
    result = trainer.train(body.steps, body.eval_every, snapshots=0 if fmt == "csv" else body.snapshots)
    history = {"loss": result["loss"], "evaluations": result["evaluations"]}
    if fmt == "csv":
        return csv_response(history_csv(history), f"train-to-step-{trainer.step_count}.csv")
    boundary = None
    if body.boundary is not None and trainer.n_raw == 2:
        boundary = boundary_view(trainer, body.boundary.resolution, body.boundary.hidden_resolution)
    return JSONBytes(train_result(network_id, trainer, result, boundary))


@router.post("/train", operation_id="train", response_model=TrainResult, responses={**ERRORS, **CSV_CONTENT})
async def train(network_id: NetworkId, store: StoreDep, settings: SettingsDep, body: TrainIn | None = None,
                fmt: Format = "json") -> Response:
    """Many steps at once: the loss history and the final state (no full traces).

    With `format=csv`: only the history, as a table (phase history: loss by position i; phase
    evaluation: each evaluation's fields)."""
    body = body or TrainIn()
    async with store.opened(network_id) as trainer:
        check_train(trainer, body.steps, body.eval_every, settings)
        if body.boundary is not None:
            check_resolution(body.boundary.resolution, body.boundary.hidden_resolution, settings)
            check_boundary(trainer, body.boundary.resolution, body.boundary.hidden_resolution, settings)
        check_train_answer([trainer], body.steps, body.eval_every, settings, fmt=fmt, boundary=None if body.boundary
                           is None else (body.boundary.resolution, body.boundary.hidden_resolution),
                           snapshots=body.snapshots)
        # Seconds of work: in a thread, so that this worker's event loop keeps serving the rest. The
        # network stays held until the thread is done (a request cancelled meanwhile waits for it).
        return await run_in_threadpool(_train, network_id, trainer, body, fmt)


def train_result(network_id: str, trainer: Trainer, result: dict[str, Any], boundary: Any) -> dict[str, Any]:
    """The TrainResult body of a Trainer.train result (also each racer's, in a race)."""
    return {
        "steps_run": result["steps_run"], "step": trainer.step_count, "diverged": result["diverged"],
        "history": {"loss": result["loss"], "evaluations": result["evaluations"],
                    "gradient_norms": result["gradient_norms"]},
        "last_step": result["last_step"],
        "state": state_view(network_id, trainer), "boundary": boundary, "snapshots": result["snapshots"],
    }


@router.get("/data", operation_id="get_data", response_model=DataPoints, responses=ERRORS)
async def get_data(network_id: NetworkId, store: StoreDep) -> Response:
    """The training and test samples (generated or your own), e.g. to draw them."""
    async with store.opened(network_id, write=False) as trainer:
        d = trainer.data
        return JSONBytes({"task": d.task, "extent": d.extent,
                          "train": {"inputs": d.train_inputs, "targets": d.train_targets},
                          "test": {"inputs": d.test_inputs, "targets": d.test_targets}})


@router.get("/evaluation", operation_id="evaluate", response_model=EvaluationNow, responses=ERRORS)
async def evaluate(network_id: NetworkId, store: StoreDep) -> Response:
    """Data loss (and accuracy, for classification) over the whole training and test sets now, and the
    units' health: dead and saturated hidden units, and whether the output is constant at chance level."""
    async with store.opened(network_id, write=False) as trainer:
        evaluation = trainer.evaluate()
        return JSONBytes({"step": trainer.step_count, **evaluation,
                          "health": trainer.health(evaluation["train_accuracy"])})


@router.post("/predict", operation_id="predict", response_model=Prediction, responses=ERRORS)
async def predict(network_id: NetworkId, body: PredictIn, store: StoreDep, settings: SettingsDep) -> Response:
    """The network's outputs for your inputs."""
    check_inputs(body, settings)
    async with store.opened(network_id, write=False) as trainer:
        check_answer(len(body.inputs) * trainer.arch.layer_sizes[-1], "float64", "these predictions", "inputs",
                     "send fewer rows at a time", settings)
        return JSONBytes({"outputs": trainer.predict(body.inputs)})


@router.get("/boundary", operation_id="boundary", response_model=Boundary, responses=ERRORS)
async def boundary(network_id: NetworkId, store: StoreDep, settings: SettingsDep,
             resolution: Annotated[int, Query(ge=2, description="N for an N×N grid. " + MAX_RES)] = 50,
             hidden_resolution: Annotated[int | None, Query(ge=2, description="Missing: the same as `resolution`. "
                                                                        + MAX_RES)] = None) -> Response:
    """For 2-input networks: the output and every hidden unit over a grid of the input plane."""
    check_resolution(resolution, hidden_resolution, settings)
    async with store.opened(network_id, write=False) as trainer:
        check_boundary(trainer, resolution, hidden_resolution, settings)  # up to a tenth of a second: a thread
        check_boundary_answer(trainer, resolution, hidden_resolution, settings)
        return JSONBytes(await run_in_threadpool(boundary_view, trainer, resolution, hidden_resolution))
