"""Input-file checks shared by scenarios, experiments and calibrations."""

import pytest

from model.checks import ScenarioError, check_keys, check_number, read_toml, suggest


def test_suggest_names_the_closest_option_or_nothing():
    assert suggest("Hangzou", ["Hangzhou", "Ningbo"]) == " (did you mean 'Hangzhou'?)"
    assert suggest("zzz", ["Hangzhou", "Ningbo"]) == ""


def test_check_keys_reports_file_key_and_suggestion():
    with pytest.raises(ScenarioError) as info:
        check_keys("f.toml", {"nmae": 1}, ("name", "seed"), "scenario")
    assert (info.value.file, info.value.key) == ("f.toml", "scenario.nmae")
    assert str(info.value) == "f.toml: scenario.nmae: unknown key (did you mean 'name'?)"
    check_keys("f.toml", {"name": 1}, ("name",))


@pytest.mark.parametrize("value, integer, needle", [
    ("x", False, "expected a number, got str 'x'"),
    (True, False, "expected a number, got bool True"),
    (1.5, True, "expected a whole number, got 1.5"),
    (11, False, "expected a value in [0, 10], got 11"),
])
def test_check_number_rejects_with_what_was_expected(value, integer, needle):
    with pytest.raises(ScenarioError, match=None) as info:
        check_number("f.toml", "k", value, 0, 10, integer)
    assert info.value.message == needle
    check_number("f.toml", "k", 10, 0, 10, integer=True)


def test_read_toml_missing_and_invalid(tmp_path):
    with pytest.raises(ScenarioError, match="file not found"):
        read_toml(tmp_path / "nowhere.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("a = = 1\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="invalid TOML"):
        read_toml(bad)


def test_scenario_experiment_and_calibration_share_the_error_class():
    from model import scenario
    from model.experiments import ExperimentError

    assert scenario.ScenarioError is ScenarioError and issubclass(ExperimentError, ScenarioError)
