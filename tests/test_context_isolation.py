"""Concurrent mocks are isolated per thread and per asyncio task: each sees only the
state of the mock it started; a thread or task that started none is served by the most
recently started mock in the process (so worker threads a test spawns are covered)."""

from __future__ import annotations

import asyncio
import threading

import boto3
import pytest

from ecrpublic_mock import _hook, mock_ecr_public

ROUNDS = 20


def names(client) -> list[str]:
    return [r["repositoryName"] for r in client.describe_repositories()["repositories"]]


def test_two_threads_with_their_own_mocks_see_only_their_own_state():
    """Both mocks are active at the same time for the whole test (a barrier holds them),
    and every call of each thread is answered from its own state."""
    barrier = threading.Barrier(2, timeout=30)
    seen: dict[str, list[list[str]]] = {}
    errors: list[BaseException] = []

    def worker(label: str) -> None:
        try:
            with mock_ecr_public() as ecr:
                client = boto3.client("ecr-public", region_name="us-east-1")
                barrier.wait()  # both mocks are active from here on
                rounds = []
                for i in range(ROUNDS):
                    client.create_repository(repositoryName=f"{label}-{i:02d}")
                    rounds.append(names(client))
                barrier.wait()  # neither stops before the other has finished
                seen[label] = rounds
                assert [call.operation for call in ecr.calls].count("CreateRepository") == ROUNDS
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(label,)) for label in ("aa", "bb")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    for label in ("aa", "bb"):
        assert seen[label][-1] == [f"{label}-{i:02d}" for i in range(ROUNDS)]


def test_a_thread_that_started_no_mock_is_served_by_the_most_recent_one():
    with mock_ecr_public(), mock_ecr_public() as latest:
        boto3.client("ecr-public", region_name="us-east-1").create_repository(repositoryName="app")
        found: list[list[str]] = []
        worker = threading.Thread(
            target=lambda: found.append(names(boto3.client("ecr-public", region_name="us-east-1")))
        )
        worker.start()
        worker.join(timeout=30)
        assert found == [["app"]]
        assert latest.repositories.keys() == {"app"}


def test_a_thread_is_served_by_its_own_mock_even_when_another_started_later():
    """Thread A starts its mock, then thread B starts one: A still answers from A's."""
    started_a, started_b, done = threading.Event(), threading.Event(), threading.Event()
    result: dict[str, list[str]] = {}

    def thread_a() -> None:
        with mock_ecr_public():
            client = boto3.client("ecr-public", region_name="us-east-1")
            client.create_repository(repositoryName="from-a")
            started_a.set()
            started_b.wait(timeout=30)
            result["a"] = names(client)
            done.set()

    def thread_b() -> None:
        started_a.wait(timeout=30)
        with mock_ecr_public():
            started_b.set()
            done.wait(timeout=30)

    threads = [threading.Thread(target=thread_a), threading.Thread(target=thread_b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert result == {"a": ["from-a"]}
    assert _hook._active == []


def test_two_asyncio_tasks_with_their_own_mocks_interleave_without_sharing():
    async def task(label: str, other_started: asyncio.Event, started: asyncio.Event):
        async with mock_ecr_public():
            client = boto3.client("ecr-public", region_name="us-east-1")
            started.set()
            await other_started.wait()  # both mocks active at once from here
            for i in range(ROUNDS):
                client.create_repository(repositoryName=f"{label}-{i:02d}")
                await asyncio.sleep(0)  # hand over to the other task between calls
            return names(client)

    async def main():
        a, b = asyncio.Event(), asyncio.Event()
        return await asyncio.gather(task("aa", b, a), task("bb", a, b))

    first, second = asyncio.run(main())
    assert first == [f"aa-{i:02d}" for i in range(ROUNDS)]
    assert second == [f"bb-{i:02d}" for i in range(ROUNDS)]
    assert _hook._active == []


def test_a_task_created_inside_a_mock_is_served_by_it():
    async def child() -> list[str]:
        return names(boto3.client("ecr-public", region_name="us-east-1"))

    async def main():
        async with mock_ecr_public():
            boto3.client("ecr-public", region_name="us-east-1").create_repository(
                repositoryName="app"
            )
            return await asyncio.create_task(child())

    assert asyncio.run(main()) == ["app"]


def test_a_mock_stopped_in_another_context_no_longer_serves_the_one_that_started_it():
    """A task's context still names a mock that another task stopped: it is skipped."""

    async def main():
        mock = mock_ecr_public()

        async def starter():
            mock.start()
            await stopped.wait()
            return _hook.current()

        stopped = asyncio.Event()
        task = asyncio.create_task(starter())
        await asyncio.sleep(0)
        assert mock.active
        mock.stop()
        stopped.set()
        return await task

    assert asyncio.run(main()) is None


@pytest.mark.parametrize("order", ["inner-first", "outer-first"])
def test_nested_mocks_in_one_thread_unwind_in_any_order(order):
    outer, inner = mock_ecr_public().start(), mock_ecr_public().start()
    assert _hook.current() is inner._registry
    first, second = (inner, outer) if order == "inner-first" else (outer, inner)
    first.stop()
    assert _hook.current() is second._registry
    second.stop()
    assert _hook.current() is None
