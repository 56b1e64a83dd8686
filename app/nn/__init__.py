"""The network maths: pure NumPy and the standard library, usable from a notebook.

    from app.nn import Settings, Trainer
    trainer = Trainer(Settings(layer_sizes=[2, 4, 1]))
    trace = trainer.step()          # forward, loss, backward, update
    saved = trainer.snapshot()      # its progress as data; trainer.restore(saved) goes back to it
"""

from .errors import EngineError
from .settings import DatasetSettings, InitSettings, OptimizerSettings, RegularizationSettings, Settings
from .snapshot import Snapshot
from .trainer import Trainer

__all__ = ["DatasetSettings", "EngineError", "InitSettings", "OptimizerSettings", "RegularizationSettings",
           "Settings", "Snapshot", "Trainer"]
