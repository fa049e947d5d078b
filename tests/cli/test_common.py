"""What the subcommands share: options declared once, and one error path (one line on
stderr, exit 2, no traceback, nothing written)."""

import argparse

import pytest

from model.cli import build_parser, common, main


def _subparsers() -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in build_parser()._actions
                  if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def _argv(command: str, parser: argparse.ArgumentParser, flag: str, value: str) -> list[str]:
    """The command with a dummy value for each positional (never read: parsing fails first)."""
    positionals = [a for a in parser._actions if not a.option_strings and a.nargs != 0
                   and a.dest != "help"]
    return [command, *["x.toml" for _ in positionals], flag, value]


# every bad value of a shared option, and the commands that take the option
BAD_VALUES = {
    "--scale": ("0", "expected a scale in (0, 10], got 0.0",
                {"run", "compare", "validate", "appraise", "calibrate"}),
    "--replicates": ("0", "expected a number >= 1, got 0",
                     {"run", "compare", "validate", "appraise", "calibrate"}),
    "--seed": ("x", "expected a whole number, got 'x'",
               {"run", "compare", "validate", "appraise", "calibrate"}),
    "--engine": ("jax", "invalid choice: 'jax'", {"run", "compare", "validate"}),
    "--workers": ("0", "expected a number >= 1, got 0",
                  {"sweep", "calibrate", "appraise", "optimize", "validate", "decompose"}),
    "--jobs": ("x", "expected a whole number, got 'x'", {"sweep", "appraise", "optimize"}),
    "--cluster": ("lsf", "invalid choice: 'lsf'", {"sweep", "appraise", "optimize"}),
}


def test_each_shared_option_is_the_common_declaration_wherever_it_appears():
    """Same type and choices in every subcommand: one declaration in common.OPTIONS."""
    seen: dict[str, set] = {}
    for command, parser in _subparsers().items():
        for action in parser._actions:
            for flag in action.option_strings:
                name = flag.lstrip("-").replace("-", "_")
                if name not in common.OPTIONS:
                    continue
                seen.setdefault(flag, set()).add(command)
                spec = common.OPTIONS[name][1]
                assert action.type is spec.get("type"), (command, flag)
                assert action.choices == spec.get("choices"), (command, flag)
    for flag, (_, _, commands) in BAD_VALUES.items():
        assert seen[flag] == commands, flag
    assert seen["--quiet"] == {"run", "compare", "sweep", "calibrate", "validate", "appraise",
                               "optimize", "decompose"}
    assert seen["--out"] == {"run", "compare", "sweep", "discover", "calibrate", "validate",
                             "appraise", "optimize", "decompose"}


@pytest.mark.parametrize("flag, command", sorted(
    (flag, command) for flag, (_, _, commands) in BAD_VALUES.items() for command in commands))
def test_every_command_rejects_a_bad_shared_option_in_one_line(flag, command, tmp_path, capsys):
    value, needle, _ = BAD_VALUES[flag]
    out = tmp_path / "out"
    argv = _argv(command, _subparsers()[command], flag, value) + ["--out", str(out)]
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"zjai: error: zjai {command}: argument {flag}")
    assert needle in err and f"(see `zjai {command} --help`)" in err
    assert len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_user_errors_and_ctrl_c_take_the_one_error_path(monkeypatch, capsys):
    """A UsageError, ScenarioError or KeyboardInterrupt inside any command: one line, 2."""
    from model.scenario import ScenarioError

    raised = iter([common.UsageError("bad value"), ScenarioError("f.toml", "a.b", "expected x"),
                   KeyboardInterrupt()])

    def broken(args):
        raise next(raised)

    monkeypatch.setattr("model.cli.levers.cmd_levers", broken)
    expected = ["zjai: error: bad value\n", "zjai: error: f.toml: a.b: expected x\n",
                "zjai: error: interrupted; nothing was written\n"]
    for line in expected:
        assert main(["levers"]) == 2
        captured = capsys.readouterr()
        assert captured.err == line and captured.out == ""


def test_a_bug_is_not_a_user_error(monkeypatch):
    """Anything else is a bug: it propagates (a traceback), it is not reported as bad input."""
    def broken(args):
        raise ZeroDivisionError

    monkeypatch.setattr("model.cli.levers.cmd_levers", broken)
    with pytest.raises(ZeroDivisionError):
        main(["levers"])


def test_python_dash_m_and_the_console_script_are_the_same_main(zjai):
    import tomllib
    from pathlib import Path

    project = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())
    assert project["project"]["scripts"]["zjai"] == "model.cli:main"
    res = zjai("--version")
    assert res.returncode == 0 and res.stdout.startswith("zjai ")


BAD_FILES = {
    "syntax": ("[levers]\nland_guarantee = = 1\n", "line 2"),
    "unknown key": ("[scenario]\nnmae = 'x'\n", "did you mean 'name'"),
    "wrong type": ("[scenario]\nreplicates = 'four'\n", "expected an integer"),
    "out of range": ("[levers]\nland_guarantee = 1.5\n", "expected a value in [0, 1]"),
    "unknown city": ("[levers.city.Hangzou]\nincubator_seats = 5\n", "did you mean 'Hangzhou'"),
    "unknown lever": ("[levers]\nkey_rd_project = 50\n", "did you mean"),
    "missing extends": ("[scenario]\nextends = 'nowhere.toml'\n", "file not found"),
    "cycle": ("[scenario]\nextends = 'bad.toml'\n", "cycle in extends"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
@pytest.mark.parametrize("command", ["run", "compare", "show", "validate"])
def test_bad_scenario_files_exit_2_naming_file_and_key(tmp_path, case, command, capsys):
    text, needle = BAD_FILES[case]
    bad = tmp_path / "bad.toml"
    bad.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    args = [command, str(bad)] + (["--out", str(out)] if command != "show" else [])
    assert main(args) == 2
    err = capsys.readouterr().err
    assert needle in err and "bad.toml" in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert not out.exists()
