"""Examples for the explanation endpoints' OpenAPI document, recorded from real calls on the README's
worked example (x = 2, t = 4, w = 1, η = 0.1; linear, mse, no bias) after its first step. A test checks
that each still validates against its model and equals what the app answers."""

from __future__ import annotations

from typing import Any

UNIT_EXPLANATION: dict[str, Any] = {'step': 1,
 'layer': 1,
 'unit': 0,
 'z': [2.0],
 'a': [2.0],
 'derivative': [1.0],
 'terms': None,
 'sum': None,
 'output': {'loss': 'mse',
            'output_activation': 'linear',
            'y': [2.0],
            't': [4.0],
            'grad_a': [-2.0],
            'weighted_sum': None,
            'rule': 'natural',
            'formula': 'δ = ∂E/∂z = y − t',
            'why': 'for mse with a linear output, ∂E/∂y · f′(z) simplifies to y − t'},
 'delta': [-2.0],
 'means': {'z': 2.0,
           'a': 2.0,
           'derivative': 1.0,
           'sum': None,
           'delta': -2.0,
           'terms': None,
           'output': {'y': 2.0, 't': 4.0, 'grad_a': -2.0, 'weighted_sum': None}}}

WEIGHT_EXPLANATION: dict[str, Any] = {'step': 1,
 'layer': 0,
 'source': 0,
 'target': 0,
 'a': [2.0],
 'delta': [-2.0],
 'product': [-4.0],
 'regularization': 0.0,
 'grad': -4.0,
 'paths_count': 1,
 'paths_sum': [-2.0],
 'sample': 0,
 'paths': [{'units': [0],
            'factors': [{'kind': 'delta', 'layer': 1, 'unit': 0, 'values': [-2.0]}],
            'product': [-2.0]}],
 'means': {'a': 2.0, 'delta': -2.0, 'product': -4.0, 'paths_sum': -2.0}}

LOSS_CURVE: dict[str, Any] = {'step': 1,
 'layer': 0,
 'source': 0,
 'target': 0,
 'w': [0.0, 0.5, 1.0, 1.5, 2.0],
 'loss': [8.0, 4.5, 2.0, 0.5, 0.0],
 'w_before': 1.0,
 'loss_before': 2.0,
 'grad': -4.0,
 'learning_rate': 0.1,
 'optimizer': 'sgd',
 'delta_w': 0.4,
 'w_after': 1.4,
 'loss_at_w_after': 0.7200000000000002,
 'loss_after': 0.7200000000000002}

GRADIENT_CHECK_IN: dict[str, Any] = {'epsilon': 1e-06, 'inputs': [[2.0]], 'targets': [[4.0]]}

GRADIENT_CHECK: dict[str, Any] = {'step': 1,
 'sample_indices': None,
 'epsilon': 1e-06,
 'parameters': [{'layer': 0,
                 'kind': 'weight',
                 'index': [0, 0],
                 'backprop': -2.4000000000000004,
                 'numeric': -2.399999999791458,
                 'relative_error': 8.689271524531249e-11}],
 'max_relative_error': 8.689271524531249e-11}

