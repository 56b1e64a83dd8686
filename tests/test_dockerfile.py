"""The Dockerfile cannot be built here (no Docker engine), so it is linted instead."""

import shutil
import subprocess
import sys
from pathlib import Path

DOCKERFILE = Path(__file__).resolve().parent.parent / "Dockerfile"


def test_dockerfile_passes_hadolint():
    # The test extras install hadolint beside this Python, which may not be on PATH.
    hadolint = shutil.which("hadolint", path=str(Path(sys.executable).parent)) or shutil.which("hadolint")
    assert hadolint, "hadolint is missing: install the test extras (pip install -e '.[test]')"
    result = subprocess.run([hadolint, str(DOCKERFILE)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_runs_as_non_root_with_health_check_and_port():
    text = DOCKERFILE.read_text()
    user_lines = [line for line in text.splitlines() if line.startswith("USER ")]
    assert user_lines and user_lines[-1].split()[1] not in ("root", "0")
    assert "HEALTHCHECK" in text and "/healthz" in text
    assert "EXPOSE 8000" in text
    assert 'VOLUME ["/data"]' in text
