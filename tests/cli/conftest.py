import subprocess
import sys

import pytest


@pytest.fixture(scope="session")
def zjai():
    """Run `python -m model.cli ARGS` in a fresh process: exit code, stdout, stderr."""
    def run(*args, cwd=None):
        return subprocess.run([sys.executable, "-m", "model.cli", *args], capture_output=True,
                              text=True, cwd=cwd, check=False)
    return run


@pytest.fixture
def short_scenario(tmp_path, scenarios_dir):
    """A shipped scenario cut at `end` (a file in tmp_path that extends it)."""
    def make(name: str, end: int = 2019):
        p = tmp_path / f"{name}_short.toml"
        p.write_text(f'[scenario]\nname = "{name}"\nextends = "{scenarios_dir / (name + ".toml")}"\n'
                     f"end = {end}\n", encoding="utf-8")
        return p
    return make
