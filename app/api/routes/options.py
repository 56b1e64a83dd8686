"""What the server offers, so that clients build their controls from it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from ...nn.activations import ACTIVATIONS, HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS
from ...nn.datasets import DATASETS
from ...nn.init import INIT_SCHEMES
from ...nn.losses import LOSSES
from ...nn.optimizers import OPTIMIZERS
from ...nn.regularization import REGULARIZERS
from ...schemas import NetworkCreate
from ..deps import SettingsDep

router = APIRouter(tags=["options"])


@router.get("/options")
async def options(settings: SettingsDep) -> dict[str, Any]:
    """Activations, losses, optimizers, datasets, limits and defaults."""
    def activation(name: str) -> dict[str, str]:
        return {"name": name, "formula": ACTIVATIONS[name].formula}

    return {
        "activations": {"hidden": [activation(n) for n in HIDDEN_ACTIVATIONS],
                        "output": [activation(n) for n in OUTPUT_ACTIVATIONS]},
        "losses": [{"name": l.name, "formula": l.formula, "requires_output": l.requires_output}
                   for l in LOSSES.values()],
        "optimizers": [{"name": o.name, "rule": o.rule, "hyperparameters": o.hyperparameters}
                       for o in OPTIMIZERS.values()],
        "init_schemes": list(INIT_SCHEMES),
        "regularizations": [{"name": r.name, "formula": r.formula} for r in REGULARIZERS.values()],
        "datasets": [{"name": d.name, "task": d.task, "n_inputs": d.n_inputs, "n_targets": d.n_targets,
                      "extent": list(d.extent), "description": d.description} for d in DATASETS.values()],
        "limits": {k: getattr(settings, k) for k in (
            "max_hidden_layers", "max_units", "max_inputs", "max_samples", "max_batch_size",
            "max_train_steps", "max_boundary_resolution", "max_abs_value", "max_train_work",
            "max_body_bytes")},
        "defaults": NetworkCreate().model_dump(exclude={"weights", "biases", "data"}),
    }
