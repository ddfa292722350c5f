"""``python -m ecrpublic_mock demo``: the README's first command must work as printed."""

import subprocess
import sys

import botocore.session
import pytest

from ecrpublic_mock.__main__ import main


def test_the_demo_leaves_premium_out_where_the_model_lacks_it(capsys, monkeypatch):
    """Under a botocore older than 1.44.18 the demo runs without its premium part."""
    from ecrpublic_mock import _demo

    monkeypatch.setattr(_demo, "PREMIUM_OPERATION", "NoSuchOperation")
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "premium" not in out
    assert out.rstrip().endswith("mock stopped: nothing was sent to the network")


def test_demo_runs_in_process(capsys):
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "created demo/web: public.ecr.aws/" in out
    assert "pushed the manifest list demo/web:latest over both platforms" in out
    assert "caught ImageTagAlreadyExistsException: The image tag 'latest' already exists" in out
    assert out.rstrip().endswith("mock stopped: nothing was sent to the network")
    model = botocore.session.get_session().get_service_model("ecr-public")
    premium = [
        "created premium demo/paid (DRAFT): public.ecr.aws/premium/demo-corp/demo/paid",
        "entitled through prod-demo: demo/paid (AVAILABLE) at "
        "public.ecr.aws/entitled/demo-corp/demo/paid",
    ]
    # The premium part runs where the installed model has premium repositories.
    shown = "CreatePremiumRepository" in model.operation_names
    assert [line in out.splitlines() for line in premium] == [shown, shown]


@pytest.mark.slow
def test_demo_as_a_module():
    """The exact command of the README's Quickstart, in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-m", "ecrpublic_mock", "demo"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "deleted demo/web with its images (force=True)" in done.stdout


def test_a_command_is_required(capsys):
    with pytest.raises(SystemExit) as excinfo:
        main([])
    assert excinfo.value.code == 2
    assert "demo" in capsys.readouterr().err
