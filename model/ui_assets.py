"""Front-end files for the dashboard, fetched from the npm registry into Solara's asset cache.

Solara's browser app is served through its CDN proxy, which reads a local cache before it
asks the CDN. Where only package registries are reachable (this project's machines, many
clusters), `python -m model.ui_assets` fills that cache with `npm pack` so `zjai ui` works
offline. Run once after installing; `.ci/run` does.
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGES = ("@widgetti/solara-vuetify-app@10.1.1", "@widgetti/solara-vuetify3-app@5.2.0",
            "@widgetti/vue-grid-layout@2.3.13-alpha.2", "mermaid@10.8.0", "font-awesome@4.5.0",
            "requirejs@2.3.6")


def cache_dir() -> Path:
    from solara.server.settings import assets

    return Path(assets.proxy_cache_dir)


def fetch(packages=PACKAGES, target: Path | None = None) -> Path:
    """Unpack each npm package as `<target>/<name>@<version>/...` (the CDN layout)."""
    target = Path(target) if target else cache_dir()
    with tempfile.TemporaryDirectory() as tmp:
        for spec in packages:
            name, _, version = spec.rpartition("@")
            dest = target / f"{name}@{version}"
            if (dest / "package.json").exists():
                continue
            out = subprocess.run(["npm", "pack", spec, "--silent"], cwd=tmp, check=True,
                                 capture_output=True, text=True).stdout.strip().splitlines()[-1]
            with tarfile.open(Path(tmp) / out) as tar:
                for member in tar.getmembers():
                    if not member.name.startswith("package/") or not member.isfile():
                        continue
                    path = dest / member.name[len("package/"):]
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(tar.extractfile(member).read())
    return target


if __name__ == "__main__":
    print(f"dashboard assets in {fetch()}")
    sys.exit(0)
