"""examples/walkthrough.py runs whole against a live server and prints what it promises: the worked
example's numbers, a step of XOR layer by layer, the gradient check and the falling loss."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "examples" / "walkthrough.py"


def test_the_walkthrough_runs_against_a_live_server(live_server):
    result = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True, timeout=300,
                            env={**os.environ, "BACKPROP_URL": live_server})

    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "w: 1 → 1.4\n" in out and "E: 2 → 0.72\n" in out
    assert "forward, layer 2 (weights[1] feeds it):" in out and "backward, layer 1:" in out
    error = float(re.search(r"max relative error (\S+) ", out).group(1))
    assert error < 1e-6
    losses = [float(x) for x in re.findall(r"step +\d+: loss (\S+)", out)]
    assert len(losses) == 3 and losses[-1] < 0.3


def test_the_walkthrough_is_cells_of_plain_python():
    text = SCRIPT.read_text()

    assert text.count("# %%") >= 5
    assert "import httpx" not in text and "import requests" not in text  # the standard library only
