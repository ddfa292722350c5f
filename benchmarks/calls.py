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


def bench_listings(rows: list[Row], repeat: int) -> None:
    """Every describe operation, and the push operations besides PutImage, per call
    against botocore's floor; DescribeImages and DescribeRepositories also against moto's
    private ECR holding as many distinct images, or repositories (``bench_moto_listings``).

    Each listing has a mock state of its own, unchanged while it is measured (the floor
    answers its bytes); rounds of ours and of the floor alternate, as in ``bench_calls``.
    """
    import hashlib

    from ecrpublic_mock._activation import hook as _hook
    from ecrpublic_mock._core.images import put_image
    from ecrpublic_mock._core.uploads import end_part, open_upload, receive

    counter = iter(range(10**9))
    ecr = mock_ecr_public(registry_verified=True, registry_alias="bench").start()
    client = boto3.client("ecr-public", region_name=REGION, **CREDENTIALS)
    registry = ecr._state.registry
    for name, count in (("hundred", 100), ("thousand", 1000)):
        client.create_repository(repositoryName=name)
        layer, config = seed(ecr, name)
        for n in range(count):
            text = manifest(layer, config, n)
            put_image(registry, registry.repositories[name], text, f"v{n}")
    for n in range(10):
        client.create_premium_repository(repositoryName=f"p{n}", marketplaceProducts=["prod-1"])
    client.create_repository(repositoryName="push")
    push = registry.repositories["push"]
    listings = ecr._state
    ecr.stop()
    with mock_ecr_public() as repos:
        for n in range(100):
            client.create_repository(repositoryName=f"r{n:03}")
        hundred_repositories = repos._state

    pending: list[tuple[str, str]] = []  # uploads ready to complete: (id, digest)

    def ready_upload() -> tuple[str, str]:
        upload = open_upload(registry, push)
        data = b"%d" % next(counter)
        receive(registry, upload, data)
        end_part(upload, len(data))
        return upload.upload_id, "sha256:" + hashlib.sha256(data).hexdigest()

    part = {"upload": "", "next": 0}
    chunk = b"x" * 1024

    def next_part() -> tuple[str, int]:
        """An open upload and where its next part starts (a new upload before the limit)."""
        if not part["upload"] or part["next"] >= 900 * len(chunk):
            part["upload"], part["next"] = open_upload(registry, push).upload_id, 0
        first = int(part["next"])
        part["next"] = first + len(chunk)
        return str(part["upload"]), first

    def cases(c: Any, ours: bool) -> dict[str, tuple[str, Callable[[], Any]]]:
        def upload_part() -> Any:
            upload_id, first = next_part() if ours else ("u", 0)
            last = first + len(chunk) - 1
            return c.upload_layer_part(
                repositoryName="push",
                uploadId=upload_id,
                partFirstByte=first,
                partLastByte=last,
                layerPartBlob=chunk,
            )

        def complete() -> Any:
            upload_id, digest = pending.pop() if ours else ("u", "sha256:" + "0" * 64)
            return c.complete_layer_upload(
                repositoryName="push", uploadId=upload_id, layerDigests=[digest]
            )

        return {
            "describe_images (100 images)": (
                "DescribeImages",
                lambda: c.describe_images(repositoryName="hundred"),
            ),
            "describe_images (1,000 images)": (
                "DescribeImages",
                lambda: c.describe_images(repositoryName="thousand", maxResults=1000),
            ),
            "describe_image_tags (100 tags)": (
                "DescribeImageTags",
                lambda: c.describe_image_tags(repositoryName="hundred"),
            ),
            "describe_image_tags (1,000 tags)": (
                "DescribeImageTags",
                lambda: c.describe_image_tags(repositoryName="thousand", maxResults=1000),
            ),
            "describe_repositories (100 repositories)": (
                "DescribeRepositories",
                lambda: c.describe_repositories(),
            ),
            "describe_premium_repositories (10)": (
                "DescribePremiumRepositories",
                lambda: c.describe_premium_repositories(),
            ),
            "describe_registries": ("DescribeRegistries", lambda: c.describe_registries()),
            "initiate_layer_upload": (
                "InitiateLayerUpload",
                lambda: c.initiate_layer_upload(repositoryName="push"),
            ),
            "upload_layer_part (1 KiB part)": ("UploadLayerPart", upload_part),
            "complete_layer_upload": ("CompleteLayerUpload", complete),
        }

    states = {"describe_repositories (100 repositories)": hundred_repositories}
    ours_cases = cases(client, True)
    floors: dict[str, Callable[[], Any]] = {}
    for name, (operation, fn) in ours_cases.items():
        state = states.get(name, listings)
        pending[:] = [ready_upload()] if fn is ours_cases["complete_layer_upload"][1] else []
        _hook.activate(state)
        body = ecr_last_body(client, operation, fn)
        _hook.deactivate(state)
        floors[name] = cases(floor_client({operation: body}), False)[name][1]
    times: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in ours_cases}
    for _ in range(5):
        for name, (_, fn) in ours_cases.items():
            calls = repeat // 10 if "1,000" in name else repeat
            state = states.get(name, listings)
            if name == "complete_layer_upload":  # each call completes an upload of its own
                pending[:] = [ready_upload() for _ in range(calls + 50)]
            _hook.activate(state)
            times[name][0].append(per_call(fn, calls, rounds=1))
            _hook.deactivate(state)
            times[name][1].append(per_call(floors[name], calls, rounds=1))
    for name, (ours, floor) in times.items():
        t_ours, t_floor = statistics.median(ours), statistics.median(floor)
        limit = 0.85 if "layer" in name else 1.0
        rows.append(
            Row(
                f"{name}: per call vs botocore floor",
                us(t_ours),
                us(t_floor),
                t_ours / t_floor,
                f"<= {limit}",
                t_ours / t_floor <= limit,
            )
        )
    bench_moto_listings(rows, repeat, times)


def bench_moto_listings(
    rows: list[Row], repeat: int, times: dict[str, tuple[list[float], list[float]]]
) -> None:
    """DescribeImages over 100 and 1,000 distinct images, and DescribeRepositories over
    100 repositories: ours (in a mock holding as many) against moto's private ECR."""
    from moto import mock_aws

    def distinct(n: int) -> str:
        return json.dumps(
            {
                "schemaVersion": 2,
                "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                "config": {
                    "mediaType": "application/vnd.docker.container.image.v1+json",
                    "size": 7023,
                    "digest": "sha256:" + "a" * 64,
                },
                "layers": [
                    {
                        "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                        "size": 32654,
                        "digest": "sha256:" + "b" * 64,
                    }
                ],
                "annotations": {"n": str(n)},
            }
        )

    with mock_aws():
        private = boto3.client("ecr", region_name=REGION, **CREDENTIALS)
        for name, count in (("hundred", 100), ("thousand", 1000)):
            private.create_repository(repositoryName=name)
            for n in range(count):
                private.put_image(repositoryName=name, imageManifest=distinct(n), imageTag=f"v{n}")
        for n in range(98):  # with the two above, 100 repositories
            private.create_repository(repositoryName=f"r{n:03}")
        motos = {
            "describe_images (100 images)": (
                lambda: private.describe_images(repositoryName="hundred"),
                times["describe_images (100 images)"][0],
            ),
            "describe_images (1,000 images)": (
                lambda: private.describe_images(repositoryName="thousand", maxResults=1000),
                times["describe_images (1,000 images)"][0],
            ),
            "describe_repositories (100 repositories)": (
                lambda: private.describe_repositories(),
                times["describe_repositories (100 repositories)"][0],
            ),
        }
        for name, (fn, ours) in motos.items():
            calls = max(repeat // 100, 3) if "1,000" in name else max(repeat // 10, 20)
            t_moto = per_call(fn, calls, rounds=3)
            t_ours = statistics.median(ours)
            rows.append(
                Row(
                    f"{name}: per call vs moto (private ECR, as many distinct)",
                    us(t_ours),
                    us(t_moto),
                    t_ours / t_moto,
                    "< 1",
                    t_ours < t_moto,
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
