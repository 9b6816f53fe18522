"""The README's library examples run as written, and its two commands are the real ones."""

from __future__ import annotations

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def test_library_examples_run() -> None:
    blocks = re.findall(r"```python\n(.*?)```", README, flags=re.S)
    assert len(blocks) >= 2
    os.chdir(ROOT)
    namespace: dict[str, object] = {}
    for block in blocks:
        exec(compile(block, "README.md", "exec"), namespace)


def test_ci_runs_the_readme_test_command() -> None:
    commands = re.findall(r"```sh\n(.*?)\n```", README, flags=re.S)
    assert len(commands) == 2, "the README holds exactly two set-up commands"
    install_and_solve, run_tests = commands
    assert "stride solve examples/" in install_and_solve
    assert run_tests in (ROOT / ".ci" / "run").read_text()


def test_the_lazy_library_functions_stay_functions_once_their_modules_are_loaded() -> None:
    """`solver.replan(...)` twice in a row: the second call must not find a module."""
    import solver
    import solver.explaining
    import solver.replanning
    import solver.solving

    for name, module in [
        ("solve", solver.solving),
        ("explain", solver.explaining),
        ("replan", solver.replanning),
    ]:
        for _ in range(2):
            assert getattr(solver, name) is getattr(module, name)
