import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_benchmark_runs_and_prints_its_table():
    """`make bench` keeps working as the code changes; its numbers are read by people."""
    result = subprocess.run(
        [
            sys.executable,
            "bench/run.py",
            *("--requests", "8", "--concurrency", "2", "--overdue", "300"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    assert any(line.startswith("baseline: /healthz") for line in lines)
    assert any(line.startswith("members page") for line in lines)
