"""In-process calls against botocore's floor and moto; start and stop; scale; import."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import boto3
from _common import CREDENTIALS, REGION, Row, fill, floor_client, manifest, ms, per_call, seed, us
from server import ecr_last_body

from ecrpublic_mock import mock_ecr_public

if TYPE_CHECKING:
    from collections.abc import Callable


def bench_calls(rows: list[Row], repeat: int) -> None:
    """Per-call time of four operations: ours, botocore's floor, moto's private ECR.

    Rounds of ours and of the floor alternate (the mock switched on and off between them,
    its state kept), so drift in the machine's speed falls on both alike.
    """
    from moto import mock_aws

    from ecrpublic_mock._activation import hook as _hook

    counter = iter(range(10**9))
    ecr = mock_ecr_public().start()
    client = boto3.client("ecr-public", region_name=REGION, **CREDENTIALS)
    client.create_repository(repositoryName="bench")
    layer, config = seed(ecr, "bench")
    fill(ecr, "bench", 120, start=10**8)

    def calls(c: Any) -> dict[str, tuple[str, Callable[[], Any]]]:
        return {
            "put_image": (
                "PutImage",
                lambda: c.put_image(
                    repositoryName="bench", imageManifest=manifest(layer, config, next(counter))
                ),
            ),
            "describe_images": (
                "DescribeImages",
                lambda: c.describe_images(repositoryName="bench"),
            ),
            "create_repository": (
                "CreateRepository",
                lambda: c.create_repository(repositoryName=f"r{next(counter)}"),
            ),
            "batch_check_layer_availability": (
                "BatchCheckLayerAvailability",
                lambda: c.batch_check_layer_availability(
                    repositoryName="bench", layerDigests=[layer["digest"]]
                ),
            ),
        }

    cases = calls(client)
    # The floor answers with the very bytes the mock answers.
    bodies = {operation: ecr_last_body(client, operation, fn) for operation, fn in cases.values()}
    floor_cases = calls(floor_client(bodies))
    state = ecr._state
    ecr.stop()
    ours: dict[str, list[float]] = {name: [] for name in cases}
    floors: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(5):
        for name in cases:
            _hook.activate(state)
            ours[name].append(per_call(cases[name][1], repeat, rounds=1))
            _hook.deactivate(state)
            floors[name].append(per_call(floor_cases[name][1], repeat, rounds=1))
    with mock_aws():
        ecr_private = boto3.client("ecr", region_name=REGION, **CREDENTIALS)
        ecr_private.create_repository(repositoryName="bench")
        private_manifest = json.dumps(
            {
                "schemaVersion": 2,
                "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                "config": config,
                "layers": [layer],
            }
        )
        moto_cases = {
            "put_image": lambda: ecr_private.put_image(
                repositoryName="bench", imageManifest=private_manifest, imageTag=f"t{next(counter)}"
            ),
            "describe_images": lambda: ecr_private.describe_images(repositoryName="bench"),
            "create_repository": lambda: ecr_private.create_repository(
                repositoryName=f"r{next(counter)}"
            ),
            "batch_check_layer_availability": lambda: ecr_private.batch_check_layer_availability(
                repositoryName="bench", layerDigests=[layer["digest"]]
            ),
        }
        motos: dict[str, float | None] = {}
        for name, fn in moto_cases.items():
            try:
                motos[name] = per_call(fn, max(repeat // 10, 20))
            except NotImplementedError:  # moto's ECR lacks some operations
                motos[name] = None
    for name in cases:
        t_ours, t_floor = statistics.median(ours[name]), statistics.median(floors[name])
        rows.append(
            Row(
                f"{name}: per call vs botocore floor",
                us(t_ours),
                us(t_floor),
                t_ours / t_floor,
                "<= 0.8",
                t_ours / t_floor <= 0.8,
            )
        )
        moto_time = motos[name]
        rows.append(
            Row(
                f"{name}: per call vs moto (private ECR)",
                us(t_ours),
                us(moto_time) if moto_time else "not in moto",
                t_ours / moto_time if moto_time else float("nan"),
                "(info)",
                True,
            )
        )


def bench_start_stop(rows: list[Row]) -> None:
    from moto import mock_aws

    mock = mock_ecr_public()

    def ours() -> None:
        mock.start()
        mock.stop()

    def moto() -> None:
        m = mock_aws()
        m.start()
        m.stop()

    t_ours = per_call(ours, 20_000)
    t_moto = per_call(moto, 50)
    rows.append(Row("start + stop", us(t_ours), "20 us", t_ours / 20e-6, "<= 1", t_ours <= 20e-6))
    rows.append(
        Row(
            "start + stop vs moto.mock_aws",
            us(t_ours),
            us(t_moto),
            t_ours / t_moto,
            "<= 0.01",
            t_ours / t_moto <= 0.01,
        )
    )


def bench_scale(rows: list[Row], big: int) -> None:
    """PutImage cost does not grow with the repository; paging is linear in its size."""
    with mock_ecr_public(max_images_per_repository=big + 10**6) as ecr:
        client = boto3.client("ecr-public", region_name=REGION)
        for repo in ("empty", "full", "tenth"):
            client.create_repository(repositoryName=repo)
        fill(ecr, "full", big)
        fill(ecr, "tenth", big // 10)
        counters = {
            "empty": iter(range(10**8, 2 * 10**8)),
            "full": iter(range(2 * 10**8, 3 * 10**8)),
        }
        layer, config = seed(ecr, "empty")
        seed(ecr, "full")

        def put(repo: str) -> Callable[[], Any]:
            return lambda: client.put_image(
                repositoryName=repo, imageManifest=manifest(layer, config, next(counters[repo]))
            )

        t_empty, t_full = per_call(put("empty"), 300), per_call(put("full"), 300)
        rows.append(
            Row(
                f"put_image into {big:,} images vs empty",
                us(t_full),
                us(t_empty),
                t_full / t_empty,
                "<= 1.1",
                t_full / t_empty <= 1.1,
            )
        )

        def page_all(repo: str) -> Callable[[], Any]:
            def run() -> None:
                for _ in client.get_paginator("describe_images").paginate(
                    repositoryName=repo, PaginationConfig={"PageSize": 1000}
                ):
                    pass

            return run

        t_big = per_call(page_all("full"), 1, rounds=3)
        t_small = per_call(page_all("tenth"), 1, rounds=3)
        rows.append(
            Row(
                f"page describe_images {big:,} vs {big // 10:,}",
                ms(t_big),
                ms(t_small),
                t_big / t_small,
                "<= 11",
                t_big / t_small <= 11,
            )
        )


def bench_import(rows: list[Row]) -> None:
    """Import time of ecrpublic_mock beyond boto3's own, in fresh interpreters.

    Bytecode is compiled first, as an installed package has it (this machine sets
    PYTHONDONTWRITEBYTECODE, which would otherwise time the compiler too).
    """
    import compileall

    import ecrpublic_mock

    compileall.compile_dir(Path(ecrpublic_mock.__file__).parent, quiet=1)
    code = (
        "import time, boto3; t = time.perf_counter(); import ecrpublic_mock; "
        "print(time.perf_counter() - t)"
    )
    samples = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(9)
    ]
    extra = statistics.median(samples)
    rows.append(
        Row(
            "import ecrpublic_mock beyond boto3",
            ms(extra),
            "20 ms",
            extra / 0.020,
            "<= 1",
            extra <= 0.020,
        )
    )


# -- the registry protocol: skopeo push and pull, ours against docker-registry ----------
