import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_benchmark_runs_and_prints_its_table():
    """`make bench` keeps working as the code changes; its numbers are read by people. With
    `--scale 2` it measures the pages again beside a copy of Acme and prints both."""
    result = subprocess.run(
        [
            sys.executable,
            "bench/run.py",
            *("--requests", "8", "--concurrency", "2", "--overdue", "300", "--scale", "2"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=420,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    assert any(line.startswith("baseline: /healthz") for line in lines)
    assert any(line.startswith("members page") for line in lines)
    # What the database holds with Acme alone and beside its copy, and the pages at both sizes.
    assert any(line.startswith("1 organization(s) like Acme") for line in lines)
    assert any(line.startswith("2 organization(s) like Acme") for line in lines)
    assert any(line.startswith("scorecards_rating") for line in lines)
    growth = lines.index(next(line for line in lines if line.startswith("Time ×base with 1")))
    assert lines[growth + 2].startswith("baseline: /healthz")
    assert lines[growth + 2].split()[-1] == "1.00×"
