"""Front-end files for the dashboard, fetched from the npm registry into Solara's asset cache.

Solara's browser app is served through its CDN proxy, which reads a local cache before it
asks the CDN. Where only package registries are reachable (this project's machines, many
clusters), `python -m model.ui_assets` fills that cache with `npm pack` so `zjai ui` works
offline. Run once after installing; `.ci/run` does.
"""

from __future__ import annotations

import posixpath
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
            unpack(Path(tmp) / out, dest)
    return target


class UnsafeArchiveError(ValueError):
    """A package tarball with a member that would land outside its folder."""


def check_member(member: tarfile.TarInfo, tarball: Path, dest: Path) -> None:
    """Refuse absolute paths, `..` components, and links pointing outside the package."""
    name = member.name.replace("\\", "/")
    why = None
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        why = "is an absolute path"
    elif ".." in name.split("/"):
        why = "contains '..'"
    elif member.issym() or member.islnk():
        target = member.linkname.replace("\\", "/")
        base = posixpath.dirname(name) if member.issym() else ""
        resolved = posixpath.normpath(posixpath.join(base, target))
        if target.startswith("/") or resolved == ".." or resolved.startswith("../"):
            why = f"links outside the package (to {member.linkname!r})"
    if why is None and hasattr(tarfile, "data_filter"):   # Python >= 3.11.4 / 3.12
        try:
            tarfile.data_filter(member, str(dest))
        except tarfile.FilterError as exc:
            why = f"is refused by tarfile's data filter ({exc})"
    if why:
        raise UnsafeArchiveError(f"{tarball}: refusing to unpack member {member.name!r}: it "
                                 f"{why}; the package may be corrupt or malicious")


def unpack(tarball: Path, dest: Path) -> None:
    """Unpack the regular files under `package/` of an npm tarball into `dest`.

    Every member is checked first (`check_member`); one unsafe member refuses the whole
    archive, so nothing is written for it.
    """
    dest = Path(dest)
    with tarfile.open(tarball) as tar:
        members = tar.getmembers()
        for member in members:
            check_member(member, Path(tarball), dest)
        root = dest.resolve()
        for member in members:
            if not member.name.startswith("package/") or not member.isfile():
                continue
            path = dest / member.name[len("package/"):]
            if not path.resolve().is_relative_to(root):      # belt and braces
                raise UnsafeArchiveError(f"{tarball}: refusing to unpack member "
                                         f"{member.name!r}: it resolves outside {dest}")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(tar.extractfile(member).read())


if __name__ == "__main__":
    print(f"dashboard assets in {fetch()}")
    sys.exit(0)
