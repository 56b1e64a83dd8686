"""Explaining steps: the chain rule term by term for a kept step, its whole trace again, the loss
along one weight, and the gradient check of the network as it is now.

Every kept-step endpoint takes `step` (the trace's `step`; the newest by default) and answers 404
(`step_not_kept`) for a step the server no longer keeps (the last 20 applied steps are kept).
Nothing here changes a network. The work (a replay, up to thousands of forward passes, a stored
record read from the store) runs in a thread while the network is held: the worker keeps serving."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response
from starlette.concurrency import run_in_threadpool

from ...nn import EngineError
from ...nn.explain import explain_unit, explain_weight
from ...nn.history import KEEP
from ...schemas import StepTrace
from ...schemas.explanations import GradientCheck, GradientCheckIn, LossCurve, UnitExplanation, WeightExplanation
from ..byte_limits import GRADCHECK_ENTRY, OVERHEAD, check_answer, check_bytes, check_step
from ..deps import NetworkId, SettingsDep, StoreDep
from ..encoding import JSONBytes
from ..limits import check_forward_passes, check_inputs
from ..tabular import CSV_CONTENT, csv_response, trace_csv
from .networks import ERRORS
from .training import Format, Precision, encode

router = APIRouter(prefix="/networks/{network_id}", tags=["explanations"])

MAX_PATHS = 50  # paths listed per weight explanation (the exact k-best search: ~0.2 s at k = 50 on the largest network)
MAX_POINTS = 201  # points of a loss curve

Step = Annotated[int | None, Query(ge=1, description=f"The kept step to explain: the trace's `step`. Default: the "
                                                     f"newest. The last {KEEP} applied steps are kept.")]
Layer = Annotated[int, Query(description="As `layer_sizes` counts: 1 = the first hidden layer, the last = the output.")]
WeightLayer = Annotated[int, Query(description="As in `weights[layer]`: 0 = the weights out of the inputs.")]
Source = Annotated[int, Query(description="i: the link's unit in layer `layer`.")]
Target = Annotated[int, Query(description="j: the link's unit in layer + 1.")]


@router.get("/explain/unit", operation_id="explain_unit", response_model=UnitExplanation, responses=ERRORS)
async def unit(network_id: NetworkId, store: StoreDep, settings: SettingsDep, layer: Layer,
               unit: Annotated[int, Query(description="j: the unit of that layer.")], step: Step = None) -> Response:
    """Why a unit's δ is what it is: f′(z) and the terms w·δ from the next layer, or the loss's derivative."""
    async with store.opened(network_id, write=False) as trainer:
        def work() -> Response:
            record = store.kept_step(network_id, trainer, step)
            sizes = trainer.arch.layer_sizes
            terms = sizes[layer + 1] if 0 < layer < len(sizes) - 1 else 0  # a hidden unit's w·δ terms
            check_answer(len(record.inputs) * (6 + 2 * terms) + 2 * terms, "float64", "this explanation", "step",
                         "explain a step with a smaller batch", settings)
            _, p = trainer.replay(record)
            return JSONBytes({"step": record.step, **explain_unit(p, layer, unit)})

        return await run_in_threadpool(work)


@router.get("/explain/weight", operation_id="explain_weight", response_model=WeightExplanation, responses=ERRORS)
async def weight(network_id: NetworkId, store: StoreDep, settings: SettingsDep, layer: WeightLayer, source: Source,
                 target: Target, step: Step = None,
                 sample: Annotated[int, Query(ge=0, description="The sample whose |product| ranks the listed "
                                                                "paths (a row of the batch).")] = 0,
                 limit: Annotated[int, Query(ge=1, le=MAX_PATHS, description="How many paths to list.")] = 20
                 ) -> Response:
    """Why ∂E/∂w of weights[layer][source][target] is what it is: a·δ over the batch, and δ over its paths."""
    async with store.opened(network_id, write=False) as trainer:
        def work() -> Response:
            record = store.kept_step(network_id, trainer, step)
            check_answer(len(record.inputs) * 8 + limit * (len(trainer.arch.layer_sizes) + 4), "float64",
                         "this explanation", "step", "explain a step with a smaller batch", settings)
            _, p = trainer.replay(record)
            return JSONBytes({"step": record.step, **explain_weight(p, layer, source, target, sample=sample,
                                                                    limit=limit)})

        return await run_in_threadpool(work)


@router.get("/explain/loss-curve", operation_id="loss_curve", response_model=LossCurve, responses=ERRORS)
async def loss_curve(network_id: NetworkId, store: StoreDep, settings: SettingsDep, layer: WeightLayer,
                     source: Source, target: Target, step: Step = None,
                     points: Annotated[int, Query(ge=2, le=MAX_POINTS, description="Values of w on the curve.")] = 41,
                     lo: Annotated[float | None, Query(allow_inf_nan=False, description="The curve's first w (with "
                                                       "hi). Default: a range around the step.")] = None,
                     hi: Annotated[float | None, Query(allow_inf_nan=False, description="The curve's last w.")] = None
                     ) -> Response:
    """The batch loss of a kept step as one weight varies, with the step's w, slope, Δw and new w on it."""
    async with store.opened(network_id, write=False) as trainer:
        def work() -> Response:
            record = store.kept_step(network_id, trainer, step)
            check_forward_passes(trainer, points + 2, len(record.inputs), "this loss curve", "points", settings)
            check_answer(4 * points, "float64", "this loss curve", "points", "ask for fewer points", settings)
            return JSONBytes(trainer.loss_curve(record, layer, source, target, points, lo, hi))

        return await run_in_threadpool(work)


@router.get("/steps/{n}/trace", operation_id="get_step_trace", response_model=StepTrace,
            responses={**ERRORS, **CSV_CONTENT})
async def step_trace(network_id: NetworkId, store: StoreDep, settings: SettingsDep,
                     n: Annotated[int, Path(ge=1, description="The kept step: the trace's `step`.")],
                     precision: Precision = "float64", fmt: Format = "json") -> Response:
    """The whole trace of a kept step, recomputed from what the server kept: what /step returned.

    With `format=csv`: every number of it as a table (float64 whatever the precision)."""
    async with store.opened(network_id, write=False) as trainer:
        record = await run_in_threadpool(store.kept_step, network_id, trainer, n)
        check_step(trainer, len(record.inputs), "csv" if fmt == "csv" else precision, "precision", settings,
                   what="this kept step's trace", advice="its batch was chosen when it was made")
        trace, _ = await run_in_threadpool(trainer.replay, record)
    if fmt == "csv":
        return csv_response(trace_csv(trace), f"step-{n}.csv")
    return encode(trace, precision)


@router.post("/gradcheck", operation_id="gradient_check", response_model=GradientCheck, responses=ERRORS)
async def gradient_check(network_id: NetworkId, store: StoreDep, settings: SettingsDep,
                         body: GradientCheckIn | None = None) -> Response:
    """Every weight's and bias's backprop gradient beside a central difference of the batch loss.

    Without inputs it checks on the next mini-batch, without consuming it. Changes nothing."""
    body = body or GradientCheckIn()
    check_inputs(body, settings)
    if body.step is not None and (body.inputs is not None or body.targets is not None):
        raise EngineError("give either a kept step or inputs and targets, not both: a kept step brings its own "
                          "mini-batch", "step")
    async with store.opened(network_id, write=False) as trainer:
        check_bytes("this gradient check", trainer.network.layout.size * GRADCHECK_ENTRY + OVERHEAD, "layer_sizes",
                    "check a network with fewer parameters", settings)

        def work() -> Response:
            if body.step is not None:
                record = store.kept_step(network_id, trainer, body.step)
                check_forward_passes(trainer, 2 * trainer.network.layout.size, len(record.inputs),
                                     "this gradient check", "step", settings)
                return JSONBytes(trainer.gradient_check_kept(record, body.epsilon))
            given = body.inputs is not None
            rows = len(body.inputs) if body.inputs is not None else min(trainer.settings.batch_size,
                                                                        trainer.n_train)
            check_forward_passes(trainer, 2 * trainer.network.layout.size, rows, "this gradient check",
                                 "inputs" if given else "batch_size", settings)
            return JSONBytes(trainer.gradient_check(body.inputs, body.targets, body.epsilon))

        return await run_in_threadpool(work)
