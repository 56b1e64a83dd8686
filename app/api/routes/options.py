"""What the server offers, so that clients build their controls from it: every name, default, range,
natural pair and limit, read from the engine's registries and the app's settings (never re-typed)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from ...nn.activations import ACTIVATIONS, HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS
from ...nn.datasets import DATASETS, TASK_LOSSES, decision_threshold
from ...nn.init import INIT_SCHEMES
from ...nn.losses import LOSSES
from ...nn.optimizers import HYPERPARAMETERS, OPTIMIZERS
from ...nn.regularization import REGULARIZERS
from ...schemas import NetworkCreate, Options
from ..deps import SettingsDep

router = APIRouter(tags=["options"])

LIMITS = ("max_hidden_layers", "max_units", "max_inputs", "max_samples", "max_batch_size", "max_train_steps",
          "max_boundary_resolution", "max_abs_value", "max_train_work", "max_body_bytes",
          "max_network_bytes", "max_answer_bytes")


def interval(lo_hi: tuple[float, float] | None) -> list[float] | None:
    return None if lo_hi is None else list(lo_hi)


def activation(name: str) -> dict[str, Any]:
    a = ACTIVATIONS[name]
    return {"name": name, "formula": a.formula, "range": interval(a.range)}


def creation_defaults() -> dict[str, Any]:
    """The creation body with every default, the learning rate the default optimizer's own."""
    defaults = NetworkCreate.model_validate({}).model_dump(exclude={"weights", "biases", "data"})
    defaults["optimizer"]["learning_rate"] = OPTIMIZERS[defaults["optimizer"]["name"]].learning_rate
    return defaults


def engine_options() -> dict[str, Any]:
    """Everything that depends on the engine only (the same for every app)."""
    return {
        "activations": {"hidden": [activation(n) for n in HIDDEN_ACTIVATIONS],
                        "output": [{**activation(n), "decision_threshold": decision_threshold(n)}
                                   for n in OUTPUT_ACTIVATIONS]},
        "losses": [{"name": l.name, "formula": l.formula, "requires_output": l.requires_output,
                    "target_range": interval(l.target_range), "natural_output": l.natural_output}
                   for l in LOSSES.values()],
        "optimizers": [{"name": o.name, "rule": o.rule, "learning_rate": o.learning_rate,
                        "hyperparameters": dict(o.hyperparameters)} for o in OPTIMIZERS.values()],
        "hyperparameters": {h.name: {"symbol": h.symbol, "description": h.description, "min": h.min,
                                     "max": h.max, "min_inclusive": h.min_inclusive,
                                     "max_inclusive": h.max_inclusive} for h in HYPERPARAMETERS.values()},
        "tasks": {task: {"output_activation": LOSSES[loss].natural_output, "loss": loss}
                  for task, loss in TASK_LOSSES.items()},
        "init_schemes": list(INIT_SCHEMES),
        "regularizations": [{"name": r.name, "formula": r.formula} for r in REGULARIZERS.values()],
        "datasets": [{"name": d.name, "task": d.task, "n_inputs": d.n_inputs, "n_targets": d.n_targets,
                      "extent": list(d.extent), "description": d.description} for d in DATASETS.values()],
        "defaults": creation_defaults(),
    }


@router.get("/options", operation_id="get_options", response_model=Options)
async def options(settings: SettingsDep) -> dict[str, Any]:
    """Activations, losses, optimizers and their hyperparameters, tasks, datasets, limits and defaults."""
    return {**engine_options(), "limits": {k: getattr(settings, k) for k in LIMITS}}
