"""A training session: a network, its optimizer, its data and its place in the epoch.

`Trainer.step()` runs one update and returns its whole trace as NumPy arrays; nothing in a
returned trace is ever written again by a later step. A step whose numbers overflow is not
applied: the trainer keeps its last finite state and the trace says where it broke.
The trainer's helpers each do one job: `stepping` (one update's maths and trace), `batches`
(mini-batch order), `divergence` (where a step broke), `history` (the steps it keeps, to re-run
and explain them), `snapshot` (its progress as data, exports), `checks` (the caller's numbers).
"""

from __future__ import annotations

import math
import secrets
from typing import Any

import numpy as np
from numpy.typing import NDArray

from . import checks
from .batches import Batches, Indices
from .curve import loss_curve
from .datasets import Data, as_sent, decision_threshold
from .errors import EngineError
from .explain import StepPass
from .features import F, features
from .gradcheck import gradient_check
from .health import network_health
from .history import KeptSteps, StepRecord
from .network import Architecture, Layout, Network
from .optimizers import Slots, zero_slots
from .plane import plane_maps
from .regularization import REGULARIZERS
from .run import TrainRun
from .settings import OptimizerSettings, RegularizationSettings, Settings, choose, validate_optimizer
from .snapshot import Snapshot, export_document, export_origin, export_progress, optimizer_state_document
from .stepping import Update, at, compute_update, step_trace

Array = NDArray[np.float64]


def random_seed() -> int:
    return secrets.randbits(31)


class Trainer:
    """One network in training: step it, ask it, change how it trains, save and restore it."""

    def __init__(self, settings: Settings, *, weights: Any = None, biases: Any = None,
                 data: dict[str, Any] | None = None):
        settings.validate()
        if settings.init.seed is None:
            settings.init.seed = random_seed()
        if data is not None:
            settings.dataset = None  # the caller's data replaces any dataset spec, as the API reports it
        elif settings.dataset is not None and settings.dataset.seed is None:
            settings.dataset.seed = random_seed()
        self.settings = settings
        self.arch = Architecture(tuple(settings.layer_sizes), settings.activation, settings.output_activation,
                                 settings.loss, settings.leaky_relu_slope, settings.use_bias)
        self.custom_data = data is not None
        self.data_edits = 0  # how many times replace_data has changed the data since it was built
        self._adopt(checks.training_data(settings, data), settings.init.seed)
        layout = Layout(self.arch.layer_sizes, self.arch.use_bias)
        self.initial_weights, self.initial_biases = checks.parameters(settings, layout, weights, biases)
        self.network = Network(self.arch, self.initial_weights, self.initial_biases)  # packs copies
        self.kept = KeptSteps()  # the last applied steps, to re-run and explain them
        self._reset_progress()

    def _adopt(self, d: Data, seed: int) -> None:
        """Train on `d`, raw inputs as /data answers them; all else sees a₀, their features (if any)."""
        self.data, self.n_raw = d, d.train_inputs.shape[1]  # n_raw: the columns a caller's inputs have
        self.train_a0, self.test_a0 = self.features(d.train_inputs), self.features(d.test_inputs)
        self.batches = Batches(self.train_a0, d.train_targets, seed)

    def features(self, x: F) -> F:  # a₀ for raw inputs x (batch, n_raw): x itself without input_features
        return x if self.settings.input_features is None else features(self.settings.input_features, x)

    def _reset_progress(self) -> None:
        self.step_count = 0  # updates applied
        self.batches.rewind()
        self.optimizer_steps = 0  # updates this optimizer has made (the t of Adam's bias correction)
        self.slots = self._fresh_slots(self.settings.optimizer.name)

    def _fresh_slots(self, optimizer: str) -> Slots:
        """Zeroed optimizer state: one flat array per slot, in the parameters' layout."""
        return zero_slots(optimizer, [(self.network.layout.size,)])

    @property
    def epoch(self) -> int:
        return self.batches.epoch

    @property
    def epoch_position(self) -> int:
        return self.batches.position

    @property
    def n_train(self) -> int:
        return self.batches.n

    # ---- one update -----------------------------------------------------------------------
    def _batch(self, inputs: Any, targets: Any
               ) -> tuple[Array, Array | None, Indices | None, tuple[int, int] | None]:
        """Inputs, targets, sample indices and the epoch place after the batch (None for the
        caller's own batch, which leaves the walk through the training set alone)."""
        if inputs is None:
            if targets is not None:
                raise EngineError("targets were given without inputs: give both, or neither to use the "
                                  "next mini-batch of the training set", "targets")
            x, t, idx, epoch, stop = self.batches.peek(self.settings.batch_size)
            return x, t, idx, (epoch, stop)
        x, t_given = checks.given_batch((self.n_raw, *self.arch.layer_sizes[1:]), self.settings.loss, inputs, targets)
        return self.features(x), t_given, None, None

    def forward_trace(self, inputs: Any = None, targets: Any = None) -> dict[str, Any]:
        """The forward part of a step, changing nothing (the next mini-batch is only previewed)."""
        x, t, idx, _ = self._batch(inputs, targets)
        with np.errstate(all="ignore"):
            fwd = self.network.forward(x)
            trace: dict[str, Any] = {
                "step": self.step_count, "inputs": x, "targets": t, "sample_indices": idx,
                "forward": [{"z": z, "a": a} for z, a in zip(fwd.z, fwd.a)],
                "loss": None, "data_loss": None, "loss_per_sample": None,
            }
            if t is not None:
                per = self.network.loss_per_sample(fwd, t)
                data_loss = float(per.mean())
                reg = self.settings.regularization
                trace.update(loss=data_loss + self.network.penalty(reg.kind, reg.rate), data_loss=data_loss,
                             loss_per_sample=per)
        return trace

    def step(self, inputs: Any = None, targets: Any = None, *, details: bool = True) -> dict[str, Any]:
        """One update and its whole trace; with `details` (a /step, not /train) also `loss_after` and
        the optimizer's slots before and after. An applied step is kept (see history.py)."""
        x, t, idx, position = self._batch(inputs, targets)
        if t is None:
            raise EngineError("targets are needed with inputs for a step", "targets")
        u = self._update(x, t, idx, position, details)
        return step_trace(self.network, u, self.step_count, self.batches.epoch, x, t, idx, details)

    def _update(self, x: Array, t: Array, idx: Indices | None, position: tuple[int, int] | None,
                details: bool = False) -> Update:
        """Compute one update on (x, t) and apply it (and keep its record) unless it diverged."""
        u = compute_update(self.network, x, t, self.slots, self.optimizer_steps, self.settings.optimizer,
                           self.settings.regularization, loss_after=details)
        self.apply(u, x, t, idx, position)
        return u

    def apply(self, u: Update, x: Array, t: Array, idx: Indices | None, position: tuple[int, int] | None) -> None:
        """Adopt an update computed from this trainer's state on (x, t) (and keep its record), unless it
        diverged; `position` is the epoch place after the batch (None for the caller's own batch)."""
        net = self.network
        params, slots, optimizer_steps = net.params, self.slots, self.optimizer_steps
        if u.diverged is None:
            net.set_params(u.params, u.weights, u.biases)
            self.slots, self.optimizer_steps = u.slots, u.optimizer_steps
            self.step_count += 1
            if position is not None:
                self.batches.seek(*position)
            self.kept.add(StepRecord(self.step_count, self.batches.epoch, params, slots, optimizer_steps,
                                     u.optimizer, u.regularization, x, t, idx))

    def replay(self, record: StepRecord) -> tuple[dict[str, Any], StepPass]:
        """A kept step re-run from its record: its trace (bit for bit what the step returned) and its
        forward and backward pass for the explanations."""
        net = at(self.network, record.params)
        u = compute_update(net, record.inputs, record.targets, record.slots, record.optimizer_steps,
                           record.optimizer, record.regularization, loss_after=True)
        trace = step_trace(net, u, record.step, record.epoch, record.inputs, record.targets, record.sample_indices,
                           details=True)
        reg = record.regularization
        return trace, StepPass(self.arch, net.weights, record.inputs, record.targets, u.fwd, u.bwd, reg.kind, reg.rate)

    def loss_curve(self, record: StepRecord, layer: int, source: int, target: int, points: int,
                   lo: float | None = None, hi: float | None = None) -> dict[str, Any]:
        """The batch loss of a kept step along one of its weights (see curve.py)."""
        trace, _ = self.replay(record)
        return loss_curve(at(self.network, record.params), trace, record.regularization, layer, source, target,
                          points, lo, hi)

    # ---- many updates, and the network's answers ----------------------------------------------
    def evaluate(self) -> dict[str, float | None]:
        """Data loss (and accuracy, for classification) over the whole training and test sets."""
        out: dict[str, float | None] = {}
        for part, x, t in (("train", self.train_a0, self.data.train_targets),
                           ("test", self.test_a0, self.data.test_targets)):
            if len(x) == 0:
                out[f"{part}_loss"] = out[f"{part}_accuracy"] = None
                continue
            with np.errstate(all="ignore"):
                fwd = self.network.forward(x)
                loss = float(self.network.loss_per_sample(fwd, t).mean())
            out[f"{part}_loss"] = loss if math.isfinite(loss) else None
            out[f"{part}_accuracy"] = self._accuracy(fwd.a[-1], t)
        return out

    def health(self, train_accuracy: float | None) -> dict[str, Any] | None:
        """Dead and saturated hidden units and a constant output, over the training set (app.nn.health)."""
        if self.n_train == 0:
            return None
        return network_health(self.network, self.train_a0, self.data.train_targets, self.data.task,
                              train_accuracy)

    def _accuracy(self, y: Array, t: Array) -> float | None:
        task = self.data.task
        if task == "multiclass":
            return float((y.argmax(axis=1) == t.argmax(axis=1)).mean())
        if task == "binary":
            threshold = decision_threshold(self.arch.output_activation)
            return float(((y[:, 0] > threshold) == (t[:, 0] > threshold)).mean())
        return None

    def train(self, steps: int, eval_every: int | None = None, path: bool = False,
              snapshots: int = 0) -> dict[str, Any]:
        """Run up to `steps` updates; stop early at a diverging step. No traces are built: each step
        leaves its loss, its gradient norms per layer and its kept record; the last applied step
        also its gradients (`last_step`). With `path`, also the flat parameters after each step; with
        `snapshots`, the state and gradients after that many steps spread through the run (run.py)."""
        run = TrainRun(self, steps, eval_every, path, snapshots)
        for i in range(steps):
            x, t, idx, epoch, stop = self.batches.peek(self.settings.batch_size)
            if not run.add(i, self._update(x, t, idx, (epoch, stop))):
                break
        return run.result()

    def gradient_check(self, inputs: Any = None, targets: Any = None, epsilon: float = 1e-6) -> dict[str, Any]:
        """Backprop's gradient beside a central difference, on the next mini-batch (not consumed) or the
        caller's batch; changes nothing."""
        x, t, idx, _ = self._batch(inputs, targets)
        if t is None:
            raise EngineError("targets are needed with inputs for a gradient check", "targets")
        if not epsilon > 0.0:
            raise EngineError("epsilon must be positive", "epsilon")
        reg = self.settings.regularization
        return {"step": self.step_count, "sample_indices": idx,
                **gradient_check(self.network, x, t, reg.kind, reg.rate, epsilon)}

    def gradient_check_kept(self, record: StepRecord, epsilon: float = 1e-6) -> dict[str, Any]:
        """The gradient check of a kept step: the weights it started from, its batch and its penalty, so
        that it checks exactly the gradient that step used."""
        if not epsilon > 0.0:
            raise EngineError("epsilon must be positive", "epsilon")
        reg = record.regularization
        return {"step": record.step, "sample_indices": record.sample_indices,
                **gradient_check(at(self.network, record.params), record.inputs, record.targets, reg.kind,
                                 reg.rate, epsilon)}

    def predict(self, inputs: Any) -> Array:
        x, _, _, _ = self._batch(inputs, None)
        with np.errstate(all="ignore"):
            return self.network.forward(x).a[-1]

    def boundary(self, resolution: int) -> dict[str, Any]:
        """Every unit's value (the input units' too) over a resolution² grid of the 2-D input plane (plane.py)."""
        if self.n_raw != 2:
            raise EngineError("a boundary needs a network with exactly 2 inputs", "resolution")
        return plane_maps(self.network, self.features, self.data.extent, resolution)

    # ---- live changes ---------------------------------------------------------------------
    def update(self, optimizer: OptimizerSettings | None = None,
               regularization: RegularizationSettings | None = None, batch_size: int | None = None) -> None:
        """Change how training continues, keeping the weights (a new optimizer starts fresh)."""
        if optimizer is not None:
            validate_optimizer(optimizer)
            if optimizer.name != self.settings.optimizer.name:
                self.slots, self.optimizer_steps = self._fresh_slots(optimizer.name), 0
            self.settings.optimizer = optimizer
        if regularization is not None:
            choose(regularization.kind, REGULARIZERS, "regularization.kind")
            self.settings.regularization = regularization
        if batch_size is not None:
            if batch_size < 1:
                raise EngineError("batch_size must be at least 1", "batch_size")
            self.settings.batch_size = batch_size

    def replace_data(self, data: dict[str, Any]) -> None:
        """Train on the caller's samples (checks.own_data) from now on, keeping the weights, step and optimizer
        state; the walk through the training set starts over (epoch 0). Refused data changes nothing."""
        d = checks.replacement_data((self.n_raw, *self.arch.layer_sizes[1:]), self.settings.loss, data)  # raw
        self.custom_data, self.settings.dataset = True, None
        self._adopt(d, self.batches.seed)
        self.data_edits += 1

    def own_data(self) -> dict[str, Array] | None:
        """The caller's samples as `data` is sent (None for a generated dataset, made from its spec)."""
        return as_sent(self.data) if self.custom_data else None

    def set_parameters(self, changes: list[dict[str, Any]], field: str = "parameters") -> None:
        """Set single weights and biases, each {layer, kind: "weight" | "bias", index, value} (see
        checks.parameter_position), keeping all else: the optimizer's slots and t, the step, the epoch's
        place, the initial weights (reset). All the changes are checked before any is made."""
        params = self.network.params.copy()  # the old vector may be a kept step's: it is never written
        for k, change in enumerate(changes):
            where = f"{field}[{k}]"
            position = checks.parameter_position(self.network.layout, change["layer"], change["kind"],
                                                 change["index"], where)
            value = change["value"]
            if type(value) not in (int, float) or not math.isfinite(value):
                raise EngineError(f"{where}.value must be a finite number", f"{where}.value")
            params[position] = float(value)
        self.network.set_params(params)

    def reset(self) -> None:
        """Back to the initial weights; optimizer state, step and epoch position cleared."""
        self.network.set_params(self.network.layout.pack(self.initial_weights, self.initial_biases))
        self._reset_progress()
        self.kept.clear()

    # ---- state, snapshots, exports ------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        return {
            "spec": self.settings.to_dict(),
            "weights": self.network.weights, "biases": self.network.biases,
            "step": self.step_count, "epoch": self.epoch, "epoch_position": self.epoch_position,
            "n_train": self.n_train, "n_test": len(self.data.test_inputs),
            "optimizer_state": self.optimizer_state(),
        }

    def optimizer_state(self) -> dict[str, Any]:
        return optimizer_state_document(self.network.layout, self.optimizer_steps, self.slots)

    def snapshot(self) -> Snapshot:
        """Everything a request can change, as data (arrays shared: the trainer never writes them)."""
        s = self.settings
        return Snapshot(self.network.params, self.slots, self.optimizer_steps, self.step_count, self.epoch,
                        self.epoch_position, s.optimizer, s.regularization, s.batch_size)

    def restore(self, snap: Snapshot) -> None:
        """Continue from a snapshot of this network (taken from it or from its twin)."""
        if snap.params.shape != self.network.params.shape:
            raise ValueError("a snapshot of another network")
        self.network.set_params(snap.params)
        self.kept.forget()  # the steps that led here, if any, are the store's to read
        self.slots, self.optimizer_steps, self.step_count = snap.slots, snap.optimizer_steps, snap.step
        self.batches.seek(snap.epoch, snap.epoch_position)
        self.settings.optimizer = snap.optimizer
        self.settings.regularization = snap.regularization
        self.settings.batch_size = snap.batch_size

    def export(self) -> dict[str, Any]:
        """Everything needed to continue identically elsewhere (NumPy arrays inside)."""
        return export_document(self.state(), self.initial_weights, self.initial_biases, self.own_data())

    @classmethod
    def from_export(cls, doc: dict[str, Any]) -> Trainer:
        settings, weights, biases, data = export_origin(doc)
        trainer = cls(settings, weights=weights, biases=biases, data=data)
        trainer.restore(export_progress(doc, trainer.settings, trainer.network.layout, trainer.n_train))
        return trainer
