"""Concurrent mocks are isolated per thread and per asyncio task: each sees only the
state of the mock it started; a thread or task that started none is served by the most
recently started mock in the process (so worker threads a test spawns are covered)."""

from __future__ import annotations

import asyncio
import random
import threading
import traceback
from collections import Counter

import boto3
import pytest

from ecrpublic_mock import mock_ecr_public
from ecrpublic_mock._activation import hook as _hook

ROUNDS = 20
THREADS = 8


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
    assert _hook.current() is inner._state
    first, second = (inner, outer) if order == "inner-first" else (outer, inner)
    first.stop()
    assert _hook.current() is second._state
    second.stop()
    assert _hook.current() is None


@pytest.mark.slow
def test_mocks_started_and_stopped_from_many_threads_leave_none_active():
    """Each thread starts and stops its own mocks (nested, stopped in either order, or
    left by an exception) while calls are served; afterwards only the main thread's mock
    is active, and once it stops nothing is.

    The main thread's mock stays active throughout, so that a call is always served by
    some mock (the innermost active one, whichever thread started it), never sent out.
    """
    assert _hook._active == []
    clients = [boto3.client("ecr-public", region_name="us-east-1") for _ in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    crashes: list[str] = []
    counts = Counter()

    def churn(index: int) -> None:
        rng = random.Random(index)
        client = clients[index]
        try:
            barrier.wait()
            for cycle in range(150):
                outer = mock_ecr_public()
                inner = mock_ecr_public(account_id=f"{index:06d}{cycle:06d}")
                kind = rng.randrange(4)
                if kind == 0:
                    with outer:
                        client.describe_registries()
                        counts[index] += 1
                elif kind == 1:
                    with pytest.raises(KeyError), outer, inner:
                        raise KeyError("inside both")
                elif kind == 2:
                    outer.start()
                    inner.start()
                    outer.stop()  # the outer one first: the inner one keeps serving
                    client.get_authorization_token()
                    counts[index] += 1
                    inner.stop()
                else:
                    inner.start()
                    try:
                        client.describe_registries()
                        counts[index] += 1
                    finally:
                        inner.stop()
                for mock in (outer, inner):
                    assert not mock.active
        except BaseException:
            crashes.append(traceback.format_exc())

    with mock_ecr_public() as main:
        threads = [threading.Thread(target=churn, args=(i,)) for i in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not any(thread.is_alive() for thread in threads)
        assert crashes == []
        assert _hook._active == [main._state]
        assert min(counts.values()) > 50
        assert len(counts) == THREADS
    assert _hook._active == []
    assert not main.active
