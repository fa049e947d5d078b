"""zjai levers: every lever of the registry in one table."""

from model.levers import LEVERS


def test_levers_lists_every_lever(zjai):
    res = zjai("levers")
    assert res.returncode == 0 and res.stderr == ""
    assert "fiscal_ai_funding" in res.stdout
    for name in LEVERS:                     # names may fold over lines; their start shows
        assert name[:20] in res.stdout
