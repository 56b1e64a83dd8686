"""Backprop Playground: the engine (app.nn), the REST API and the page."""

import os

# One BLAS thread per process, set before NumPy loads (when it has not loaded yet): the matrices of
# a step are tiny, and several workers on one machine must not fight over its cores. An explicit
# setting in the environment wins.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
