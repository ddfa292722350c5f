"""The AWS SDK for JavaScript v3 (``@aws-sdk/client-ecr-public``) against the served mock.

``tests/js/all_operations.mjs`` runs every operation of the model once against
``python -m ecrpublic_mock serve``, then every modeled error of every operation (injected
through the control plane where a scenario cannot reach it), and checks each is caught as
its own class (``instanceof RepositoryNotFoundException``). The SDK is installed by
``npm ci`` in ``tests/js`` (``.ci/run`` does it); without node or the SDK the test is
skipped, unless ``ECRPUBLIC_MOCK_REQUIRE_JS=1`` (set by CI) makes that a failure.
"""

import json
import subprocess
import sys

import pytest
from _clients import JS, node_with_sdk

from ecrpublic_mock._model import service_model


@pytest.fixture
def served_url():
    process = subprocess.Popen(
        [sys.executable, "-m", "ecrpublic_mock", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        assert line.startswith("ecrpublic_mock serving on http://127.0.0.1:"), line
        yield line.removeprefix("ecrpublic_mock serving on ").strip()
    finally:
        process.terminate()
        assert process.wait(10) == 0
        process.stdout.close()
        process.stderr.close()


def test_every_operation_and_modeled_error_from_javascript(served_url, tmp_path):
    executable = node_with_sdk()
    model = service_model()
    operations = {
        name: [error.name for error in model.operation_model(name).error_shapes]
        for name in model.operation_names
    }
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"operations": operations}))
    done = subprocess.run(
        [executable, str(JS / "all_operations.mjs"), served_url, str(plan)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=JS,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(done.stdout)
    assert result["failures"] == []
    # botocore can model operations the newest JavaScript SDK does not have yet (1.44.18's
    # premium repositories): those are left out; every operation the SDK has is driven.
    present = sorted(set(model.operation_names) - set(result["absent"]))
    assert set(result["absent"]) < set(model.operation_names)
    assert result["succeeded"] == present
    caught = {(operation, code) for operation, code, *_ in result["caught"]}
    missing = {(operation, code) for operation, code in result["absentErrors"]}
    assert missing <= {(op, code) for op in present for code in operations[op]}
    assert caught >= {(op, code) for op in present for code in operations[op]} - missing
    statuses = {code: status for _, code, status, _ in result["caught"]}
    assert statuses["ServerException"] == 500
    assert statuses["RepositoryNotFoundException"] == 400
