"""Dashboard assets: npm tarballs whose members would land outside their folder are refused."""

import io
import tarfile

import pytest

from model.ui_assets import UnsafeArchiveError, unpack


def _tarball(path, members):
    """A gzip tarball with regular files (name, bytes) and symlinks (name, '->target')."""
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            if isinstance(data, str) and data.startswith("->"):
                info.type, info.linkname = tarfile.SYMTYPE, data[2:]
                tar.addfile(info)
            else:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    return path


def test_a_clean_package_unpacks_under_its_folder(tmp_path):
    tgz = _tarball(tmp_path / "ok.tgz", [("package/package.json", b"{}"),
                                         ("package/dist/app.js", b"x=1"),
                                         ("package/dist/link.js", "->app.js")])
    unpack(tgz, tmp_path / "dest" / "pkg@1.0")
    assert (tmp_path / "dest" / "pkg@1.0" / "dist" / "app.js").read_bytes() == b"x=1"
    assert (tmp_path / "dest" / "pkg@1.0" / "package.json").exists()


@pytest.mark.parametrize("name, data, why", [
    ("package/../x", b"evil", "contains '..'"),
    ("../x", b"evil", "contains '..'"),
    ("/abs", b"evil", "absolute path"),
    ("/tmp/package/abs", b"evil", "absolute path"),
    ("package/link", "->../../../etc/passwd", "links outside"),
    ("package/abslink", "->/etc/passwd", "links outside"),
])
def test_members_escaping_the_folder_are_refused_and_nothing_is_written(tmp_path, name, data,
                                                                        why):
    tgz = _tarball(tmp_path / "bad.tgz", [("package/package.json", b"{}"), (name, data)])
    dest = tmp_path / "cache" / "pkg@1.0"
    with pytest.raises(UnsafeArchiveError) as err:
        unpack(tgz, dest)
    assert why in str(err.value) and repr(name) in str(err.value) and "bad.tgz" in str(err.value)
    assert not dest.exists() and not (tmp_path / "x").exists()
