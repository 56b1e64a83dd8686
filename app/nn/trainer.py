"""A training session: a network, its optimizer, its data and its place in the epoch.

`Trainer.step()` runs one update and returns its whole trace as NumPy arrays; nothing in a
returned trace is ever written again by a later step. A step whose numbers overflow is not
applied: the trainer keeps its last finite state and the trace says where it broke.
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import datasets
from .errors import EngineError
from .init import initial_weights
from .losses import LOSSES
from .network import Architecture, Backward, Forward, Network
from .optimizers import OPTIMIZERS, zero_slots
from .regularization import REGULARIZERS
from .settings import OptimizerSettings, RegularizationSettings, Settings, choose, validate_optimizer

Array = np.ndarray
EXPORT_FORMAT = "backprop-playground/1"


def random_seed() -> int:
    return secrets.randbits(31)


def _float_array(values, name: str) -> Array:
    """`values` as a float array; ragged or non-numeric input is the caller's error, not a crash."""
    try:
        return np.array(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise EngineError(f"{name} must be numbers in a rectangular list (every row the same length)",
                          name) from None


def _as_matrix(values, name: str) -> Array:
    arr = _float_array(values, name)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2 or arr.shape[0] == 0:
        raise EngineError(f"{name} must be a non-empty list of rows (samples × features)", name)
    if not np.isfinite(arr).all():
        raise EngineError(f"{name} contains a non-finite number (NaN or Infinity)", name)
    return arr


@dataclass
class Divergence:
    phase: str  # forward | loss | backward | update
    layer: int | None  # 0-based index into the layer lists, when the phase has layers
    quantity: str  # which array overflowed, e.g. "z", "grad_weights"
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"phase": self.phase, "layer": self.layer, "quantity": self.quantity, "message": self.message}


class Trainer:
    def __init__(self, settings: Settings, *, weights=None, biases=None, data: dict | None = None):
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
        self.data = self._make_data(data)
        W, b = self._initial_parameters(weights, biases)
        self.initial_weights, self.initial_biases = W, b
        self.network = Network(self.arch, W, b)  # packs copies into its own flat vector
        self._reset_progress()

    # ---- construction -------------------------------------------------------------------
    def _make_data(self, data: dict | None) -> datasets.Data:
        s = self.settings
        n_in, n_out = s.layer_sizes[0], s.layer_sizes[-1]
        if data is not None:
            x = _as_matrix(data["inputs"], "data.inputs")
            t = _as_matrix(data["targets"], "data.targets")
            if len(x) != len(t):
                raise EngineError(f"data.inputs has {len(x)} rows but data.targets has {len(t)}", "data")
            d = datasets.custom(x, t)
            source = "data"
        elif s.dataset is not None:
            ds = s.dataset
            d = datasets.generate(ds.name, ds.n_samples, ds.noise, ds.train_fraction, ds.seed,
                                  s.output_activation)
            source = f"dataset '{ds.name}'"
        else:
            raise EngineError("give either a dataset or your own data", "dataset")
        width_in, width_out = d.train_inputs.shape[1], d.train_targets.shape[1]
        if width_in != n_in or width_out != n_out:
            raise EngineError(
                f"{source} has {width_in} input(s) and {width_out} target column(s), but layer_sizes "
                f"{s.layer_sizes} expects {n_in} input(s) and {n_out} output(s): make the first entry "
                f"{width_in} and the last {width_out}", "layer_sizes")
        _check_target_range(s.loss, np.concatenate([d.train_targets, d.test_targets]), "loss")
        return d

    def _initial_parameters(self, weights, biases) -> tuple[list[Array], list[Array] | None]:
        s = self.settings
        shapes = list(zip(s.layer_sizes[:-1], s.layer_sizes[1:]))
        if weights is None:
            W = initial_weights(s.init.scheme, s.init.seed, s.layer_sizes)
        else:
            if len(weights) != len(shapes):
                raise EngineError(f"weights must hold {len(shapes)} matrices, one per layer after the "
                                  f"input, got {len(weights)}", "weights")
            W = []
            for l, (w, shape) in enumerate(zip(weights, shapes)):
                arr = _float_array(w, "weights")
                if arr.shape != shape:
                    raise EngineError(f"weights[{l}] must have shape {list(shape)} (n_in × n_out), got "
                                      f"{list(arr.shape)}", "weights")
                if not np.isfinite(arr).all():
                    raise EngineError(f"weights[{l}] contains a non-finite number (NaN, Infinity or null)",
                                      "weights")
                W.append(arr)
        if not s.use_bias:
            if biases is not None:
                raise EngineError("biases were given but use_bias is false", "biases")
            return W, None
        if biases is None:
            return W, [np.full(n_out, float(s.init.bias_value)) for _, n_out in shapes]
        if len(biases) != len(shapes):
            raise EngineError(f"biases must hold {len(shapes)} vectors, got {len(biases)}", "biases")
        B = []
        for l, (b, (_, n_out)) in enumerate(zip(biases, shapes)):
            arr = _float_array(b, "biases")
            if arr.shape != (n_out,):
                raise EngineError(f"biases[{l}] must have {n_out} entries, got shape {list(arr.shape)}",
                                  "biases")
            if not np.isfinite(arr).all():
                raise EngineError(f"biases[{l}] contains a non-finite number (NaN, Infinity or null)", "biases")
            B.append(arr)
        return W, B

    def _reset_progress(self) -> None:
        self.step_count = 0
        self.epoch = 0
        self.epoch_position = 0
        self._perm_epoch = -1
        self._perm: Array | None = None
        self.t = 0  # optimizer time step
        self.slots = self._fresh_slots(self.settings.optimizer.name)

    def _fresh_slots(self, optimizer: str):
        """Zeroed optimizer state: one flat array per slot, in the parameters' layout."""
        return zero_slots(optimizer, [(self.network.layout.size,)])

    def _param_shapes(self) -> list[tuple[int, ...]]:
        """Shapes of W_0 … W_{L-1}, then b_0 … b_{L-1}: the order of the flat layout."""
        shapes = [w.shape for w in self.network.weights]
        if self.network.biases is not None:
            shapes += [b.shape for b in self.network.biases]
        return shapes

    # ---- mini-batches ---------------------------------------------------------------------
    @property
    def n_train(self) -> int:
        return len(self.data.train_inputs)

    def _permutation(self, epoch: int) -> Array:
        if self._perm_epoch != epoch:
            # A new permutation every epoch, derived from the seed so it need not be exported.
            self._perm = np.random.default_rng([self.settings.init.seed, epoch]).permutation(self.n_train)
            # The epoch's samples in its order, so that every mini-batch is a slice, not a gather.
            self._epoch_inputs = self.data.train_inputs[self._perm]
            self._epoch_targets = self.data.train_targets[self._perm]
            self._perm_epoch = epoch
        return self._perm  # type: ignore[return-value]

    def _next_slice(self) -> tuple[int, int, int]:
        """The next mini-batch as (epoch, start, stop) in that epoch's permutation."""
        epoch, pos = self.epoch, self.epoch_position
        if pos >= self.n_train:
            epoch, pos = epoch + 1, 0
        return epoch, pos, pos + min(self.settings.batch_size, self.n_train - pos)  # a short last batch is used

    def next_batch(self) -> tuple[Array, int, int]:
        """The next mini-batch's sample indices and the epoch position after it (not consumed)."""
        epoch, start, stop = self._next_slice()
        return self._permutation(epoch)[start:stop], epoch, stop

    # ---- one update -----------------------------------------------------------------------
    def _batch(self, inputs, targets, need_targets: bool):
        if inputs is None and targets is not None:
            raise EngineError("targets were given without inputs: give both, or neither to use the next "
                              "mini-batch of the training set", "targets")
        if inputs is None:
            epoch, start, stop = self._next_slice()
            idx = self._permutation(epoch)[start:stop]
            # Views of arrays that are replaced, never written, when the epoch changes.
            return self._epoch_inputs[start:stop], self._epoch_targets[start:stop], idx, (epoch, stop)
        x = _as_matrix(inputs, "inputs")
        if x.shape[1] != self.arch.layer_sizes[0]:
            raise EngineError(f"inputs must have {self.arch.layer_sizes[0]} column(s), got {x.shape[1]}",
                              "inputs")
        if targets is None:
            if need_targets:
                raise EngineError("targets are needed with inputs for a step", "targets")
            return x, None, None, None
        t = _as_matrix(targets, "targets")
        if t.shape != (x.shape[0], self.arch.layer_sizes[-1]):
            raise EngineError(f"targets must have {x.shape[0]} row(s) of {self.arch.layer_sizes[-1]} "
                              f"column(s), got {list(t.shape)}", "targets")
        _check_target_range(self.settings.loss, t, "targets")
        return x, t, None, None

    def forward_trace(self, inputs=None, targets=None) -> dict[str, Any]:
        """The forward part of a step, changing nothing (the next mini-batch is only previewed)."""
        x, t, idx, _ = self._batch(inputs, targets, need_targets=False)
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
                trace.update(loss=data_loss + self._penalty(), data_loss=data_loss, loss_per_sample=per)
        return trace

    def _penalty(self) -> float:
        r = self.settings.regularization
        return self.network.penalty(r.kind, r.rate)

    def step(self, inputs=None, targets=None) -> dict[str, Any]:
        x, t, idx, position = self._batch(inputs, targets, need_targets=True)
        net = self.network
        opt = self.settings.optimizer
        reg = self.settings.regularization
        with np.errstate(all="ignore"):
            fwd = net.forward(x)
            per = net.loss_per_sample(fwd, t)
            data_loss = float(np.add.reduce(per)) / len(per)  # the batch mean, as np.mean computes it
            loss = data_loss + net.penalty(reg.kind, reg.rate)
            bwd = net.backward(x, t, fwd, reg.kind, reg.rate)
            t_next = self.t + 1
            # Every parameter at once: the gradients, deltas and parameters share one flat layout.
            (delta,), slots = OPTIMIZERS[opt.name].deltas([bwd.grad_flat], self.slots, t_next,
                                                          opt.learning_rate, **opt.resolved())
            new_params = net.params + delta  # a new vector: traces already returned keep theirs
        diverged = self._find_divergence(fwd, loss, bwd, new_params, slots)
        layout = net.layout
        new_w, new_b = layout.weights(new_params), layout.biases(new_params)
        delta_w, delta_b = layout.weights(delta), layout.biases(delta)
        if diverged is None:
            net.set_params(new_params, new_w, new_b)
            self.slots, self.t = slots, t_next
            self.step_count += 1
            if position is not None:
                self.epoch, self.epoch_position = position
        n_w = len(new_w)
        return {
            "step": self.step_count, "applied": diverged is None,
            "diverged": None if diverged is None else diverged.to_dict(),
            "epoch": self.epoch, "inputs": x, "targets": t, "sample_indices": idx,
            "forward": [{"z": z, "a": a} for z, a in zip(fwd.z, fwd.a)],
            "loss": loss, "data_loss": data_loss, "loss_per_sample": per,
            "backward": [
                {"grad_a": bwd.grad_a[l], "grad_z": bwd.grad_z[l], "grad_weights": bwd.grad_weights[l],
                 "grad_biases": None if bwd.grad_biases is None else bwd.grad_biases[l]}
                for l in range(n_w)],
            "update": [
                {"weight_deltas": delta_w[l], "bias_deltas": None if delta_b is None else delta_b[l],
                 "weights": new_w[l], "biases": None if new_b is None else new_b[l]}
                for l in range(n_w)],
        }

    def _find_divergence(self, fwd: Forward, loss: float, bwd: Backward, new_params: Array, slots
                         ) -> Divergence | None:
        # Fast path: a finite sum means every entry is finite. z is checked (not only a): a
        # saturating activation can hide an overflowed z. A non-finite δ always reaches the
        # gradients (a·inf is never 0) and so the new parameters; optimizer state can overflow
        # on its own (g² in AdaGrad, RMSProp, Adam), so it is checked too.
        total = loss + float(fwd.z_flat.sum()) + float(new_params.sum())
        for arrays in slots.values():
            total += float(arrays[0].sum())
        if math.isfinite(total):
            return None
        layout = self.network.layout
        new_w, new_b = layout.weights(new_params), layout.biases(new_params)
        lr = self.settings.optimizer.learning_rate
        advice = (f"Try a smaller learning rate (now η = {lr:g}) or reset the network; the network "
                  "was left at its last finite state.")
        for l, (z, a) in enumerate(zip(fwd.z, fwd.a)):
            for name, arr in (("z", z), ("a", a)):
                if not np.isfinite(arr).all():
                    return Divergence("forward", l, name, f"The step was not applied: the forward pass "
                                      f"overflowed at layer {l + 1} ({name} is not finite). The weights have "
                                      f"grown too large. {advice}")
        if not math.isfinite(loss):
            return Divergence("loss", None, "loss", f"The step was not applied: the loss is not finite. "
                              f"{advice}")
        for l in range(len(bwd.grad_z) - 1, -1, -1):
            parts = [("grad_z", bwd.grad_z[l]), ("grad_weights", bwd.grad_weights[l])]
            if l < len(bwd.grad_z) - 1:
                parts.insert(0, ("grad_a", bwd.grad_a[l]))  # the output's grad_a may be infinite legitimately
            for name, arr in parts:
                if not np.isfinite(arr).all():
                    return Divergence("backward", l, name, f"The step was not applied: the backward pass "
                                      f"overflowed at layer {l + 1} ({name} is not finite). {advice}")
        for l, w in enumerate(new_w):
            if not np.isfinite(w).all():
                return Divergence("update", l, "weights", f"The step was not applied: the updated weights of "
                                  f"layer {l + 1} overflowed. {advice}")
        for arrays in [new_b or [], *slots.values()]:
            for arr in arrays:
                if not np.isfinite(arr).all():
                    return Divergence("update", None, "optimizer_state", f"The step was not applied: the "
                                      f"update overflowed. {advice}")
        return None

    # ---- many updates -------------------------------------------------------------------
    def evaluate(self) -> dict[str, float | None]:
        """Data loss (and accuracy, for classification) over the whole training and test sets."""
        out: dict[str, float | None] = {}
        for part, x, t in (("train", self.data.train_inputs, self.data.train_targets),
                           ("test", self.data.test_inputs, self.data.test_targets)):
            if len(x) == 0:
                out[f"{part}_loss"] = out[f"{part}_accuracy"] = None
                continue
            with np.errstate(all="ignore"):
                fwd = self.network.forward(x)
                loss = float(self.network.loss_per_sample(fwd, t).mean())
            out[f"{part}_loss"] = loss if math.isfinite(loss) else None
            out[f"{part}_accuracy"] = self._accuracy(fwd.a[-1], t)
        return out

    def _accuracy(self, y: Array, t: Array) -> float | None:
        task = self.data.task
        if task == "multiclass":
            return float((y.argmax(axis=1) == t.argmax(axis=1)).mean())
        if task == "binary":
            threshold = 0.0 if self.arch.output_activation == "tanh" else 0.5
            return float(((y[:, 0] > threshold) == (t[:, 0] > threshold)).mean())
        return None

    def train(self, steps: int, eval_every: int | None = None) -> dict[str, Any]:
        """Run up to `steps` updates; stop early at a diverging step."""
        eval_every = eval_every or max(1, steps)
        losses: list[float] = []
        evals: list[dict[str, Any]] = []
        diverged = None
        for i in range(steps):
            trace = self.step()
            if not trace["applied"]:
                diverged = trace["diverged"]
                break
            losses.append(trace["loss"])
            if (i + 1) % eval_every == 0 or i + 1 == steps:
                evals.append({"step": self.step_count, **self.evaluate()})
        return {"steps_run": len(losses), "diverged": diverged, "loss": losses, "evaluations": evals}

    def predict(self, inputs) -> Array:
        x, _, _, _ = self._batch(inputs, None, need_targets=False)
        with np.errstate(all="ignore"):
            return self.network.forward(x).a[-1]

    def boundary(self, resolution: int) -> dict[str, Any]:
        """Output and hidden activations over a resolution × resolution grid of a 2-D input plane.

        values[l] has shape (resolution², n_units): row-major, row i is x2 = x2s[i] (ascending,
        so row 0 is the bottom of the plane), column j is x1 = x1s[j]. Computed in float32: these
        are pictures (the API sends them as 8-bit levels), not numbers to check gradients with.
        """
        if self.arch.layer_sizes[0] != 2:
            raise EngineError("a boundary needs a network with exactly 2 inputs", "resolution")
        (x1_lo, x1_hi), (x2_lo, x2_hi) = self.data.extent
        x1s = np.linspace(x1_lo, x1_hi, resolution)
        x2s = np.linspace(x2_lo, x2_hi, resolution)
        # float32: the maps are sent as 8-bit levels, and float32 halves the time of the big grid.
        grid = np.stack(np.meshgrid(x1s, x2s), axis=-1).reshape(-1, 2).astype(np.float32)  # (resolution², 2)
        with np.errstate(all="ignore"):
            fwd = self.network.forward(grid)
        return {"x1": x1s, "x2": x2s, "a": fwd.a}

    # ---- live changes ---------------------------------------------------------------------
    def update(self, optimizer: OptimizerSettings | None = None,
               regularization: RegularizationSettings | None = None, batch_size: int | None = None) -> None:
        """Change how training continues, keeping the weights (a new optimizer starts fresh)."""
        if optimizer is not None:
            validate_optimizer(optimizer)
            if optimizer.name != self.settings.optimizer.name:
                self.slots, self.t = self._fresh_slots(optimizer.name), 0
            self.settings.optimizer = optimizer
        if regularization is not None:
            choose(regularization.kind, REGULARIZERS, "regularization.kind")
            self.settings.regularization = regularization
        if batch_size is not None:
            if batch_size < 1:
                raise EngineError("batch_size must be at least 1", "batch_size")
            self.settings.batch_size = batch_size

    def reset(self) -> None:
        """Back to the initial weights; optimizer state, step and epoch position cleared."""
        self.network.set_params(self.network.layout.pack(self.initial_weights, self.initial_biases))
        self._reset_progress()

    # ---- state ----------------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        return {
            "spec": self.settings.to_dict(),
            "weights": self.network.weights, "biases": self.network.biases,
            "step": self.step_count, "epoch": self.epoch, "epoch_position": self.epoch_position,
            "n_train": self.n_train, "n_test": len(self.data.test_inputs),
            "optimizer_state": self.optimizer_state(),
        }

    def optimizer_state(self) -> dict[str, Any]:
        layout = self.network.layout
        return {"t": self.t, "slots": {
            name: {"weights": layout.weights(flat), "biases": layout.biases(flat)}
            for name, (flat,) in self.slots.items()}}

    def export(self) -> dict[str, Any]:
        """Everything needed to continue identically elsewhere (NumPy arrays inside)."""
        return {
            "format": EXPORT_FORMAT, **self.state(),
            "initial_weights": self.initial_weights, "initial_biases": self.initial_biases,
            # Generated data is re-made from its spec and seed; only the caller's own data travels.
            "data": {"inputs": self.data.train_inputs, "targets": self.data.train_targets}
            if self.custom_data else None,
        }

    @classmethod
    def from_export(cls, doc: dict[str, Any]) -> Trainer:
        if doc.get("format") != EXPORT_FORMAT:
            raise EngineError(f"this is not an export of this playground (format must be '{EXPORT_FORMAT}')",
                              "format")
        settings = Settings.from_dict(doc["spec"])
        if doc.get("data") is None and settings.dataset is None:
            raise EngineError("the export has neither a dataset spec nor data", "data")
        trainer = cls(settings, weights=doc["initial_weights"], biases=doc.get("initial_biases"),
                      data=doc.get("data"))
        weights, biases = trainer._initial_parameters(doc["weights"], doc.get("biases"))  # checked alike
        trainer.network.set_params(trainer.network.layout.pack(weights, biases))
        trainer.step_count = int(doc.get("step", 0))
        trainer.epoch = int(doc.get("epoch", 0))
        trainer.epoch_position = int(doc.get("epoch_position", 0))
        if not 0 <= trainer.epoch_position <= trainer.n_train:
            raise EngineError(f"epoch_position must be between 0 and {trainer.n_train}", "epoch_position")
        trainer._load_optimizer_state(doc.get("optimizer_state") or {})
        return trainer

    def _load_optimizer_state(self, state: dict[str, Any]) -> None:
        self.t = int(state.get("t", 0))
        shapes = self._param_shapes()
        slots = state.get("slots") or {}
        expected = OPTIMIZERS[self.settings.optimizer.name].slots
        if set(slots) != set(expected):
            raise EngineError(f"optimizer_state.slots must hold {list(expected)} for optimizer "
                              f"'{self.settings.optimizer.name}'", "optimizer_state")
        loaded = {}
        for name in expected:
            arrays = list(slots[name].get("weights") or []) + list(slots[name].get("biases") or [])
            if len(arrays) != len(shapes):
                raise EngineError(f"optimizer_state.slots.{name} has the wrong number of arrays",
                                  "optimizer_state")
            loaded[name] = []
            for arr, shape in zip(arrays, shapes):
                a = _float_array(arr, "optimizer_state")
                if a.shape != shape or not np.isfinite(a).all():
                    raise EngineError(f"optimizer_state.slots.{name} has an array of the wrong shape or a "
                                      "non-finite value", "optimizer_state")
                loaded[name].append(a)
        n_w = len(self.network.weights)
        self.slots = {name: [self.network.layout.pack(arrays[:n_w], arrays[n_w:])]
                      for name, arrays in loaded.items()}


def _check_target_range(loss: str, t: Array, field_name: str) -> None:
    """Cross-entropies need targets in [0, 1]: outside it their loss can go negative."""
    lo_hi = LOSSES[loss].target_range
    if lo_hi is not None and len(t) and (t.min() < lo_hi[0] or t.max() > lo_hi[1]):
        raise EngineError(f"loss '{loss}' needs targets between {lo_hi[0]:g} and {lo_hi[1]:g}; "
                          "use 'mse' for other targets", field_name)
