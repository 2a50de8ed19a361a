"""Pieces the benchmark scripts share."""

import json
import subprocess
import sys
import tempfile
from pathlib import Path


def run_part(script: str, argv: list[str], part: str) -> dict | None:
    """Run `script --part PART` in a fresh Python process (each database measured on its own, with its own
    peak memory) and return the results it writes, or None if it failed (it has said why)."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        cmd = [sys.executable, script, *argv, "--part", part, "--result-file", out.name]
        if subprocess.run(cmd).returncode != 0:
            print(f"The {part} part failed; see above.", flush=True)
            return None
        return json.loads(Path(out.name).read_text())
