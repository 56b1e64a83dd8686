"""Creating, reading, changing, resetting, exporting and importing networks."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response, status
from starlette.concurrency import run_in_threadpool

from ...nn import OptimizerSettings, RegularizationSettings, Settings, Trainer
from ...schemas import ErrorBody, ExportIn, NetworkCreate, NetworkPatch, NetworkState
from ...sessions import SessionNotFound
from ..byte_limits import check_trainer, undone_if_refused
from ..deps import NetworkId, SettingsDep, StoreDep
from ..encoding import JSONBytes
from ..limits import check_create, check_import, check_patch
from ..views import state_view

router = APIRouter(prefix="/networks", tags=["networks"])

ERRORS: dict[int | str, dict[str, Any]] = {404: {"model": ErrorBody}, 422: {"model": ErrorBody}}
CREATE_ERRORS: dict[int | str, dict[str, Any]] = {422: {"model": ErrorBody}, 429: {"model": ErrorBody}}


async def creation_allowed(request: Request) -> None:
    """Spend one of the client's network creations (429 when its budget is spent)."""
    # From a thread, as every call that may wait on a store (Redis) is: the event loop never waits.
    await run_in_threadpool(request.app.state.create_limiter.take,
                            request.client.host if request.client else "unknown")


def trainer_from_body(body: NetworkCreate) -> Trainer:
    spec = body.model_dump(exclude={"weights", "biases", "data"})
    spec["optimizer"] = body.optimizer.model_dump(exclude_none=True)
    if body.data is not None:
        spec["dataset"] = None
    data = body.data.model_dump() if body.data is not None else None
    return Trainer(Settings.from_dict(spec), weights=body.weights, biases=body.biases, data=data)


def merged_optimizer(current: OptimizerSettings, change: dict[str, Any]) -> OptimizerSettings:
    """The current optimizer with `change` applied (see OptimizerPatch)."""
    if change.get("name", current.name) == current.name:
        return OptimizerSettings.from_dict({**current.to_dict(), **change})
    return OptimizerSettings.from_dict({"learning_rate": current.learning_rate, **change})


@router.post("", operation_id="create_network", status_code=status.HTTP_201_CREATED, response_model=NetworkState,
             responses=CREATE_ERRORS, dependencies=[Depends(creation_allowed)])
async def create_network(store: StoreDep, settings: SettingsDep, body: NetworkCreate | None = None) -> Response:
    """Build a network (and its data) and keep it as a new session. Every field has a default: the body may
    be left out or sent as {}."""
    body = body or NetworkCreate()
    check_create(body, settings)
    trainer = trainer_from_body(body)
    check_trainer(trainer, settings, "data.inputs" if body.data is not None else "dataset.n_samples")
    sid = await run_in_threadpool(store.create, trainer)
    return JSONBytes(state_view(sid, trainer), status_code=status.HTTP_201_CREATED)


@router.get("/{network_id}", operation_id="get_network", response_model=NetworkState, responses=ERRORS)
async def get_network(network_id: NetworkId, store: StoreDep) -> Response:
    """The network's spec, weights, biases, step and optimizer state."""
    async with store.opened(network_id, write=False) as trainer:
        return JSONBytes(state_view(network_id, trainer))


@router.patch("/{network_id}", operation_id="update_network", response_model=NetworkState, responses=ERRORS)
async def update_network(network_id: NetworkId, store: StoreDep, settings: SettingsDep,
                         body: NetworkPatch | None = None) -> Response:
    """Change the optimizer, learning rate, regularization, batch size or data (`data`: the samples replaced
    in place), keeping the weights; or set single weights and biases (`parameters`), keeping the rest."""
    body = body or NetworkPatch()
    check_patch(body, settings)
    async with store.opened(network_id) as trainer:
        optimizer = None
        if body.optimizer is not None:
            optimizer = merged_optimizer(trainer.settings.optimizer, body.optimizer.model_dump(exclude_none=True))
        regularization = None
        if body.regularization is not None:
            regularization = RegularizationSettings(**body.regularization.model_dump())
        with undone_if_refused(trainer):  # a change the bounds in bytes refuse is undone
            if body.data is not None:  # first: refused data changes nothing else either
                trainer.replace_data(body.data.model_dump(exclude_none=True))
            trainer.update(optimizer, regularization, body.batch_size)
            check_trainer(trainer, settings, data_field="data.inputs" if body.data is not None else "dataset.n_samples",
                          field="batch_size" if body.batch_size is not None else
                          "optimizer" if body.optimizer is not None else None)
            if body.parameters is not None:  # last: set all or none, and only once nothing else is refused
                trainer.set_parameters([p.model_dump() for p in body.parameters])
        return JSONBytes(state_view(network_id, trainer))


@router.delete("/{network_id}", operation_id="delete_network", status_code=status.HTTP_204_NO_CONTENT,
               responses=ERRORS)
async def delete_network(network_id: NetworkId, store: StoreDep) -> Response:
    """Forget the network."""
    if not await run_in_threadpool(store.delete, network_id):
        raise SessionNotFound(network_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{network_id}/reset", operation_id="reset_network", response_model=NetworkState,
             responses=ERRORS)
async def reset_network(network_id: NetworkId, store: StoreDep) -> Response:
    """Back to the initial weights; optimizer state, step and epoch position cleared."""
    async with store.opened(network_id) as trainer:
        trainer.reset()
        return JSONBytes(state_view(network_id, trainer))


@router.get("/{network_id}/export", operation_id="export_network", response_model=ExportIn, responses=ERRORS)
async def export_network(network_id: NetworkId, store: StoreDep) -> Response:
    """The whole state as JSON; `POST /networks/import` continues it identically.

    Generated datasets travel as their spec and seed, not their points; your own data travels whole."""
    async with store.opened(network_id, write=False) as trainer:
        return JSONBytes(trainer.export())


@router.post("/import", operation_id="import_network", status_code=status.HTTP_201_CREATED, response_model=NetworkState,
             responses=CREATE_ERRORS, dependencies=[Depends(creation_allowed)])
async def import_network(body: ExportIn, store: StoreDep, settings: SettingsDep) -> Response:
    """Continue an exported network as a new session (a new id)."""
    check_import(body, settings)
    doc = body.model_dump()
    doc["spec"]["optimizer"] = body.spec.optimizer.model_dump(exclude_none=True)
    doc["spec"].pop("weights"), doc["spec"].pop("biases"), doc["spec"].pop("data")
    trainer = Trainer.from_export(doc)
    check_trainer(trainer, settings, "data.inputs" if body.data is not None else "spec.dataset.n_samples",
                  prefix="spec.")
    sid = await run_in_threadpool(store.create, trainer)
    return JSONBytes(state_view(sid, trainer), status_code=status.HTTP_201_CREATED)
