"""The shipped rule base travels inside the wheel and is found with no flag."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.mark.slow  # builds the wheel with pip
def test_the_wheel_carries_the_rule_base_and_uses_it_by_default(tmp_path: Path) -> None:
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
                           capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr
    (wheel,) = tmp_path.glob("ncnd_assistant-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "ncnd_assistant/_rules/foia/rulebase.yaml" in names
    assert any(n.startswith("ncnd_assistant/_rules/foia/scenarios/") for n in names)
    assert "ncnd_assistant/_rules/foisa/rulebase.yaml" in names  # every regime's rule base travels

    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    env = {k: v for k, v in os.environ.items() if k != "NCND_RULES"}
    env["PYTHONPATH"] = str(target)
    probe = ("from ncnd_assistant.rulebase.loader import load_rulebase; rb = load_rulebase(); "
             "print(rb.source); print(rb.meta.id)")
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env,
                         cwd=tmp_path, timeout=60)
    assert run.returncode == 0, run.stderr
    source, rulebase_id = run.stdout.split()
    assert Path(source).is_relative_to(target), source
    assert rulebase_id == "foia-ncnd"
