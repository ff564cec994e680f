"""Generate the Python client (clients/python) from the committed contract (openapi/openapi.json).

`make client` (and `make openapi`) run this; tests/api/test_python_client.py runs it into a temporary
directory and fails if the committed client differs. openapi-python-client is pinned in requirements.lock;
its post-generation hooks run the pinned ruff, so the same inputs give the same bytes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = ROOT / "openapi" / "openapi.json"
CONFIG = ROOT / "clients" / "config.yml"
OUT = ROOT / "clients" / "python"
HANDWRITTEN = ROOT / "clients" / "handwritten"  # copied into the generated package after generation
PACKAGE = "attendance_gateway_client"


def generate(out: Path) -> None:
    bin_dir = Path(sys.executable).parent  # the venv's openapi-python-client and ruff
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}", "RUFF_NO_CACHE": "true"}
    done = subprocess.run(  # noqa: S603 - fixed arguments, the venv's own executable
        [
            str(bin_dir / "openapi-python-client"),
            "generate",
            "--path",
            str(CONTRACT),
            "--config",
            str(CONFIG),
            "--meta",
            "setup",
            "--output-path",
            str(out),
            "--overwrite",
        ],
        check=False,
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:  # its warnings (the routes it cannot generate) are expected; a failure is not
        raise SystemExit(f"openapi-python-client failed:\n{done.stdout}\n{done.stderr}")
    for module in sorted(HANDWRITTEN.glob("*.py")):  # the streaming and paging layer (not generated)
        shutil.copyfile(module, out / PACKAGE / module.name)


if __name__ == "__main__":
    generate(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
