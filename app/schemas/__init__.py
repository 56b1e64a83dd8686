"""The REST contract: request and response models, which are also the OpenAPI docs.

Shapes and conventions, stated once:
- `weights[l][i][j]` joins unit i of layer l to unit j of layer l+1: each matrix is (n_in, n_out)
  and a layer computes z = a_prev · W + b, with shapes (batch, n_in) · (n_in, n_out).
- Every per-layer list has one entry per non-input layer, in forward order.
- Per-sample arrays are (batch, units). `grad_a` and `grad_z` (the error signal δ = ∂E_b/∂z) are
  derivatives of each sample's own loss E_b; `grad_weights` and `grad_biases` are derivatives of
  the batch loss E = mean_b E_b (plus the regularization penalty, for weights).
- Numbers that overflowed appear as `null`; the API never emits NaN or Infinity.
- Names, defaults and ranges come from the engine's registries (app.nn); limits that a server may
  set otherwise (sizes, counts, ±max_abs_value) are checked against the app's settings by
  app.api.limits, and GET /options states them.

requests: what clients send. traces: what running a network answers. state: a network's state
and its export, and the health reply. errors: the error body and its codes.
"""

from .errors import ERROR_CODES, ErrorBody
from .options import Options
from .requests import (
    BatchIn,
    BoundaryIn,
    DataIn,
    DatasetIn,
    InitIn,
    NetworkCreate,
    NetworkPatch,
    OptimizerIn,
    OptimizerPatch,
    ParameterSet,
    PredictIn,
    RegularizationIn,
    TrainIn,
)
from .state import ExportIn, Health, NetworkState, OptimizerState, OptimizerStateIn, Readiness, SlotIn
from .traces import (
    Boundary,
    DataPoints,
    Divergence,
    EncodedMap,
    Evaluation,
    ForwardTrace,
    LastStep,
    LayerBackward,
    LayerForward,
    LayerUpdate,
    Prediction,
    Samples,
    StepTrace,
    TrainHistory,
    TrainResult,
)

__all__ = [
    "ERROR_CODES", "BatchIn", "Boundary", "BoundaryIn", "DataIn", "DataPoints", "DatasetIn", "Divergence",
    "EncodedMap", "ErrorBody", "Evaluation", "ExportIn", "ForwardTrace", "Health", "InitIn", "LastStep",
    "LayerBackward", "LayerForward", "LayerUpdate", "NetworkCreate", "NetworkPatch", "NetworkState", "OptimizerIn",
    "Options", "OptimizerPatch", "OptimizerState", "OptimizerStateIn", "ParameterSet", "PredictIn", "Prediction",
    "Readiness", "RegularizationIn", "Samples", "SlotIn", "StepTrace", "TrainHistory", "TrainIn", "TrainResult",
]
