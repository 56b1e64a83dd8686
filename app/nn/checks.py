"""Checks on the numbers a caller hands the engine: data, batches, parameters and edits of them.

Each check turns the caller's nested lists (or arrays) into float64 arrays of the right shape, or
refuses them with an `EngineError` that names the field at fault: rectangular, finite, as many
columns as the layers expect, targets inside the loss's range.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from . import datasets
from .errors import EngineError
from .features import check_raw_width
from .init import initial_weights
from .losses import LOSSES
from .network import Layout
from .settings import Settings

Array = NDArray[np.float64]


def float_array(values: Any, name: str) -> Array:
    """`values` as a float array; ragged or non-numeric input is the caller's error, not a crash."""
    try:
        return np.array(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise EngineError(f"{name} must be numbers in a rectangular list (every row the same length)",
                          name) from None


def as_matrix(values: Any, name: str) -> Array:
    """A non-empty, finite (samples × features) matrix; a flat list is one feature per sample."""
    arr = float_array(values, name)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2 or arr.shape[0] == 0:
        raise EngineError(f"{name} must be a non-empty list of rows (samples × features)", name)
    if not np.isfinite(arr).all():
        raise EngineError(f"{name} contains a non-finite number (NaN or Infinity)", name)
    return arr


def check_target_range(loss: str, t: Array, field_name: str) -> None:
    """Cross-entropies need targets in [0, 1]: outside it their loss can go negative."""
    lo_hi = LOSSES[loss].target_range
    if lo_hi is not None and len(t) and (t.min() < lo_hi[0] or t.max() > lo_hi[1]):
        raise EngineError(f"loss '{loss}' needs targets between {lo_hi[0]:g} and {lo_hi[1]:g}; "
                          "use 'mse' for other targets", field_name)


def training_data(settings: Settings, data: dict[str, Any] | None) -> datasets.Data:
    """The caller's own data, or the dataset the settings name, checked against the layer sizes."""
    n_in, n_out = settings.layer_sizes[0], settings.layer_sizes[-1]
    if data is not None:
        d = own_data(data)
        source = "data"
    elif settings.dataset is not None:
        ds = settings.dataset
        assert ds.seed is not None, "the Trainer draws a missing seed before it makes the data"
        d = datasets.generate(ds.name, ds.n_samples, ds.noise, ds.train_fraction, ds.seed,
                              settings.output_activation)
        source = f"dataset '{ds.name}'"
    else:
        raise EngineError("give either a dataset or your own data", "dataset")
    width_in, width_out = d.train_inputs.shape[1], d.train_targets.shape[1]
    if settings.input_features is not None:  # the input layer takes the features: its size was checked with them
        check_raw_width(settings.input_features, width_in, source)
        n_in = width_in
    if width_in != n_in or width_out != n_out:
        raise EngineError(
            f"{source} has {width_in} input(s) and {width_out} target column(s), but layer_sizes "
            f"{settings.layer_sizes} expects {n_in} input(s) and {n_out} output(s): make the first entry "
            f"{width_in} and the last {width_out}", "layer_sizes")
    check_target_range(settings.loss, np.concatenate([d.train_targets, d.test_targets]), "loss")
    return d


def _rows(data: dict[str, Any], inputs: str, targets: str) -> tuple[Array, Array]:
    x, t = as_matrix(data[inputs], f"data.{inputs}"), as_matrix(data[targets], f"data.{targets}")
    if len(x) != len(t):
        raise EngineError(f"data.{inputs} has {len(x)} rows but data.{targets} has {len(t)}", "data")
    return x, t


def own_data(data: dict[str, Any]) -> datasets.Data:
    """The caller's samples: inputs and targets, and optionally a test part of the same widths
    (`test_inputs`, `test_targets`: both or neither)."""
    x, t = _rows(data, "inputs", "targets")
    test_x = test_t = None
    given = [data.get(k) is not None for k in ("test_inputs", "test_targets")]
    if any(given):
        if not all(given):
            raise EngineError("give data.test_inputs and data.test_targets together, or neither", "data")
        test_x, test_t = _rows(data, "test_inputs", "test_targets")
        for name, train, test in (("inputs", x, test_x), ("targets", t, test_t)):
            if test.shape[1] != train.shape[1]:
                raise EngineError(f"data.test_{name} has {test.shape[1]} column(s) but data.{name} has "
                                  f"{train.shape[1]}", f"data.test_{name}")
    return datasets.custom(x, t, test_x, test_t)


def replacement_data(layer_sizes: tuple[int, ...], loss: str, data: dict[str, Any]) -> datasets.Data:
    """Own data to train an existing network on: its widths must fit the network's input and output
    layers (the network stays as it is, so the data's field is at fault)."""
    d = own_data(data)
    for name, width, want, layer in (("inputs", d.train_inputs.shape[1], layer_sizes[0], "input"),
                                     ("targets", d.train_targets.shape[1], layer_sizes[-1], "output")):
        if width != want:
            raise EngineError(f"data.{name} has {width} column(s), but the network's {layer} layer has "
                              f"{want} unit(s)", f"data.{name}")
    check_target_range(loss, np.concatenate([d.train_targets, d.test_targets]), "data.targets")
    return d


def given_batch(layer_sizes: tuple[int, ...], loss: str, inputs: Any, targets: Any
                ) -> tuple[Array, Array | None]:
    """The caller's own batch: inputs of the input layer's width, targets (if any) of the output's."""
    x = as_matrix(inputs, "inputs")
    if x.shape[1] != layer_sizes[0]:
        raise EngineError(f"inputs must have {layer_sizes[0]} column(s), got {x.shape[1]}", "inputs")
    if targets is None:
        return x, None
    t = as_matrix(targets, "targets")
    if t.shape != (x.shape[0], layer_sizes[-1]):
        raise EngineError(f"targets must have {x.shape[0]} row(s) of {layer_sizes[-1]} "
                          f"column(s), got {list(t.shape)}", "targets")
    check_target_range(loss, t, "targets")
    return x, t


def parameters(settings: Settings, layout: Layout, weights: Any, biases: Any
               ) -> tuple[list[Array], list[Array] | None]:
    """The caller's weights and biases, checked; missing weights are drawn by the settings' init
    scheme from its seed, missing biases all take its bias_value."""
    init = settings.init
    assert init.seed is not None, "the Trainer draws a missing seed before it makes the parameters"
    W = initial_weights(init.scheme, init.seed, settings.layer_sizes) if weights is None \
        else _weights(weights, layout)
    if biases is None and layout.use_bias:
        return W, [np.full(n_out, float(init.bias_value)) for _, n_out in layout.shapes]
    return W, _biases(biases, layout)


def _weights(values: Any, layout: Layout) -> list[Array]:
    """The caller's weights: one finite (n_in, n_out) matrix per layer after the input."""
    shapes = layout.shapes
    if len(values) != len(shapes):
        raise EngineError(f"weights must hold {len(shapes)} matrices, one per layer after the "
                          f"input, got {len(values)}", "weights")
    W = []
    for l, (w, shape) in enumerate(zip(values, shapes)):
        arr = float_array(w, "weights")
        if arr.shape != shape:
            raise EngineError(f"weights[{l}] must have shape {list(shape)} (n_in × n_out), got "
                              f"{list(arr.shape)}", "weights")
        if not np.isfinite(arr).all():
            raise EngineError(f"weights[{l}] contains a non-finite number (NaN, Infinity or null)",
                              "weights")
        W.append(arr)
    return W


def _biases(values: Any, layout: Layout) -> list[Array] | None:
    """The caller's biases: one finite (n_out,) vector per layer, or None when there are none."""
    if not layout.use_bias:
        if values is not None:
            raise EngineError("biases were given but use_bias is false", "biases")
        return None
    shapes = layout.shapes
    if len(values) != len(shapes):
        raise EngineError(f"biases must hold {len(shapes)} vectors, got {len(values)}", "biases")
    B = []
    for l, (b, (_, n_out)) in enumerate(zip(values, shapes)):
        arr = float_array(b, "biases")
        if arr.shape != (n_out,):
            raise EngineError(f"biases[{l}] must have {n_out} entries, got shape {list(arr.shape)}",
                              "biases")
        if not np.isfinite(arr).all():
            raise EngineError(f"biases[{l}] contains a non-finite number (NaN, Infinity or null)", "biases")
        B.append(arr)
    return B


def parameter_position(layout: Layout, layer: Any, kind: Any, index: Any, where: str) -> int:
    """Where one weight (`index` [i, j]: weights[layer][i][j]) or bias (`index` [j]: biases[layer][j])
    sits in the flat parameter vector; `where` names the edit in messages (e.g. "parameters[0]")."""
    shapes = layout.shapes
    if type(layer) is not int or not 0 <= layer < len(shapes):
        raise EngineError(f"{where}.layer must be a layer after the input, 0 to {len(shapes) - 1}", f"{where}.layer")
    n_in, n_out = shapes[layer]
    bounds: tuple[int, ...]
    if kind == "weight":
        bounds = (n_in, n_out)
    elif kind == "bias":
        if not layout.use_bias:
            raise EngineError(f"{where}.kind is 'bias' but this network has no biases (use_bias is false)",
                              f"{where}.kind")
        bounds = (n_out,)
    else:
        raise EngineError(f"{where}.kind must be 'weight' or 'bias'", f"{where}.kind")
    if (not isinstance(index, (list, tuple)) or len(index) != len(bounds)
            or not all(type(i) is int and 0 <= i < n for i, n in zip(index, bounds))):
        shown = f"[i, j] with i < {n_in} and j < {n_out}" if kind == "weight" else f"[j] with j < {n_out}"
        raise EngineError(f"{where}.index must be {shown} for a {kind} of layer {layer}, got {index}",
                          f"{where}.index")
    return layout.position(layer, kind, tuple(index))
