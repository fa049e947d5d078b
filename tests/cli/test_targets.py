"""zjai targets: the plan's targets, from the default or a given file."""


def test_targets_lists_the_plan_s_targets(zjai):
    res = zjai("targets")
    assert res.returncode == 0 and "core_invention_patents" in res.stdout


def test_a_missing_targets_file_exits_2(tmp_path, zjai):
    res = zjai("targets", "--targets", str(tmp_path / "nowhere.toml"))
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1 and "nowhere.toml" in res.stderr
