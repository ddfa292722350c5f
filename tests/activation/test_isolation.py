"""Isolation: an activation leaves nothing behind, whatever way it ends.

No active mock, no extra botocore handler (``BUILTIN_HANDLERS``, a fresh session's
emitter, boto3's default session, a long-lived client's emitter), no memory growth over
thousands of start/stop cycles, no Registry kept alive once its handle is dropped, and no
state carried from one test to the next, in random order and under pytest-xdist.
"""

from __future__ import annotations

import asyncio
import gc
import importlib.util
import tracemalloc
import unittest
import weakref

import boto3
import botocore.handlers
import botocore.session
import pytest

from ecrpublic_mock import mock_ecr_public
from ecrpublic_mock._activation import hook as _hook

pytest_plugins = ["pytester"]

# The events the package registers handlers for, as a PutImage call emits them.
EVENTS = tuple(
    f"{stage}.ecr-public.PutImage"
    for stage in ("choose-signer", "before-sign", "before-send", "after-call", "after-call-error")
)
GROWTH_LIMIT = 64 * 1024  # bytes: far below one Registry per cycle over 10,000 cycles


class Boom(BaseException):
    """Not an Exception: activations must be undone for KeyboardInterrupt-like exits too."""


def handler_counts(emitter) -> dict[str, int]:
    """How many handlers ``emitter`` runs for each of EVENTS (its own and inherited)."""
    inner = getattr(emitter, "_emitter", emitter)  # clients and sessions wrap theirs
    return {event: len(list(inner._handlers.prefix_search(event))) for event in EVENTS}


def hooks() -> dict[str, object]:
    """Everything an activation could leave behind in botocore and boto3."""
    fresh = botocore.session.Session().get_component("event_emitter")
    default = boto3._get_default_session()._session.get_component("event_emitter")
    return {
        "active": list(_hook._active),
        "builtin": len(botocore.handlers.BUILTIN_HANDLERS),
        "ours in builtin": sum(
            1
            for spec in botocore.handlers.BUILTIN_HANDLERS
            if any(spec[1] is handler for _, handler in _hook.HANDLERS)
        ),
        "fresh session": handler_counts(fresh),
        "default session": handler_counts(default),
    }


@pytest.fixture
def baseline():
    """The hooks as they are before the test; the test must leave them so."""
    before = hooks()
    assert before["active"] == []
    assert before["ours in builtin"] == len(_hook.HANDLERS)  # installed once, on import
    assert set(before["fresh session"].values()) >= {1}
    return before


# -- an exception inside an activation ------------------------------------------------------


def raise_in_decorated_function():
    @mock_ecr_public
    def test():
        boto3.client("ecr-public", region_name="us-east-1").create_repository(repositoryName="app")
        raise Boom

    test()


def raise_in_decorated_coroutine():
    @mock_ecr_public(account_id="111122223333")
    async def test():
        raise Boom

    asyncio.run(test())


def raise_in_with():
    with mock_ecr_public():
        raise Boom


def raise_in_async_with():
    async def test():
        async with mock_ecr_public():
            raise Boom

    asyncio.run(test())


def raise_in_nested_with():
    with mock_ecr_public(), mock_ecr_public(account_id="111122223333"):
        raise Boom


def raise_between_start_and_stop():
    mock = mock_ecr_public()
    mock.start()
    try:
        client = boto3.client("ecr-public", region_name="us-east-1")
        client.describe_repositories(repositoryNames=["missing"])  # a ClientError
    finally:
        mock.stop()


def raise_in_a_client_call_inside_with():
    with mock_ecr_public():
        boto3.client("ecr-public", region_name="us-east-1").describe_repositories(
            repositoryNames=["missing"]
        )


@pytest.mark.parametrize(
    ("scenario", "raised"),
    [
        (raise_in_decorated_function, Boom),
        (raise_in_decorated_coroutine, Boom),
        (raise_in_with, Boom),
        (raise_in_async_with, Boom),
        (raise_in_nested_with, Boom),
        (raise_between_start_and_stop, Exception),
        (raise_in_a_client_call_inside_with, Exception),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_a_raise_inside_an_activation_leaves_no_mock_and_no_handler(baseline, scenario, raised):
    with pytest.raises(raised):
        scenario()
    assert hooks() == baseline


def test_a_raise_in_a_decorated_testcase_leaves_no_mock_and_no_handler(baseline):
    seen = []

    @mock_ecr_public
    class Case(unittest.TestCase):
        def setUp(self):
            seen.append(len(_hook._active))

        def test_fails(self):
            boto3.client("ecr-public", region_name="us-east-1").create_repository(
                repositoryName="app"
            )
            raise AssertionError("inside the mock")

        def test_errors(self):
            boto3.client("ecr-public", region_name="us-east-1").create_repository(
                repositoryName="app"
            )
            raise Boom

        def test_raises_in_setup_too(self):
            pass

        def tearDown(self):
            if self._testMethodName == "test_raises_in_setup_too":
                raise KeyError("in tearDown")

    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(Case).run(result)
    assert (result.testsRun, len(result.failures), len(result.errors)) == (3, 1, 2)
    assert seen == [2, 2, 2]  # the class's own mock (for setUpClass) and the test's
    assert hooks() == baseline


# -- thousands of cycles --------------------------------------------------------------------


def cycles(count: int, handle, decorated, client=None) -> None:
    """``count`` times: a ``with`` block, start/stop of one handle, a decorated call."""
    for _ in range(count):
        with mock_ecr_public():
            if client is not None:
                client.describe_registries()
        handle.start()
        handle.stop()
        decorated()


@pytest.fixture
def traced():
    """tracemalloc on for the test (off again afterwards, if it wasn't on before)."""
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    yield
    if not was_tracing:
        tracemalloc.stop()


def traced_size() -> int:
    gc.collect()
    return tracemalloc.get_traced_memory()[0]


@pytest.mark.slow
def test_ten_thousand_more_cycles_allocate_no_more_memory(baseline, traced):
    handle = mock_ecr_public()

    @mock_ecr_public
    def decorated():
        assert len(_hook._active) == 1

    cycles(1_000, handle, decorated)
    after_1000 = traced_size()
    cycles(10_000, handle, decorated)
    after_11000 = traced_size()
    # One Registry (its lock, dicts and indexes) is over a kilobyte: a leak of one per cycle
    # would be over 10 MB here.
    assert after_11000 - after_1000 < GROWTH_LIMIT
    assert hooks() == baseline


@pytest.mark.slow
def test_cycles_that_serve_calls_allocate_no_more_memory(baseline, traced):
    handle = mock_ecr_public()
    client = boto3.client("ecr-public", region_name="us-east-1")

    @mock_ecr_public
    def decorated():
        client.describe_registries()

    cycles(100, handle, decorated, client)  # warms botocore's own caches
    before = traced_size()
    cycles(500, handle, decorated, client)
    assert traced_size() - before < GROWTH_LIMIT
    assert hooks() == baseline


@pytest.mark.slow
def test_a_clients_handlers_are_unchanged_after_a_thousand_cycles(baseline):
    client = boto3.client("ecr-public", region_name="us-east-1")
    before = handler_counts(client.meta.events)
    assert set(before.values()) >= {1}
    handle = mock_ecr_public()

    @mock_ecr_public
    def decorated():
        client.describe_registries()

    cycles(1_000, handle, decorated, client)
    assert handler_counts(client.meta.events) == before
    assert hooks() == baseline
    # And a client made after all those cycles has the same handlers as the first one.
    assert handler_counts(boto3.client("ecr-public", region_name="us-east-1").meta.events) == (
        before
    )


# -- nothing keeps a stopped mock's state alive ---------------------------------------------


def populate(mock) -> None:
    """Give a mock's registry every kind of state: repositories, images, uploads, calls."""
    client = boto3.client("ecr-public", region_name="us-east-1")
    client.create_repository(repositoryName="app")
    digest = mock.push_image("app", tag="v1", layers=[b"one", b"two"])
    mock.push_index("app", tag="latest", images=[digest])
    client.initiate_layer_upload(repositoryName="app")  # left open
    mock.inject_fault("ThrottlingException", operation="PutImage", times=5)  # left pending
    with pytest.raises(client.exceptions.RepositoryNotFoundException):
        client.describe_images(repositoryName="missing")


def test_a_stopped_mocks_registry_is_collected_once_the_handle_is_dropped(baseline):
    mock = mock_ecr_public()
    mock.start()
    populate(mock)
    mock.stop()
    assert mock.repositories["app"].tags  # still readable on the handle
    registry = weakref.ref(mock._state)
    del mock
    gc.collect()
    assert registry() is None
    assert hooks() == baseline


def test_restarting_a_handle_releases_the_previous_registry(baseline):
    mock = mock_ecr_public()
    with mock:
        populate(mock)
    first = weakref.ref(mock._state)
    with mock:
        assert mock.repositories == {}
    gc.collect()
    assert first() is None


def test_a_registry_left_by_an_exception_is_collected_once_the_exception_is_dropped(baseline):
    registries = []

    @mock_ecr_public
    def test():
        registries.append(weakref.ref(_hook._active[-1]))
        populate_current()
        raise Boom

    def populate_current():
        client = boto3.client("ecr-public", region_name="us-east-1")
        client.create_repository(repositoryName="app")

    with pytest.raises(Boom) as excinfo:
        test()
    del excinfo
    gc.collect()
    assert registries[0]() is None
    assert hooks() == baseline


# -- decorating many functions --------------------------------------------------------------


@pytest.mark.slow
def test_decorating_many_functions_accumulates_no_state(baseline):
    shared = mock_ecr_public(account_id="111122223333")
    shared_state = dict(vars(shared))
    client = boto3.client("ecr-public", region_name="us-east-1")  # one, served by each call
    used = []

    def body(index: int):
        registry = _hook._active[-1]
        assert _hook._active == [registry]
        used.append(weakref.ref(registry))
        assert client.describe_repositories()["repositories"] == []
        client.create_repository(repositoryName="same")
        return registry.registry.account_id, index

    def make(index: int):
        def function():
            return body(index)

        function.__name__ = f"function_{index}"
        return function

    with_options = [shared(make(i)) for i in range(200)]
    bare = [mock_ecr_public(make(i)) for i in range(200)]
    assert hooks() == baseline  # decorating activates nothing
    assert vars(shared) == shared_state
    for _ in range(2):  # each call is a fresh activation, again and again
        assert [f() for f in with_options] == [("111122223333", i) for i in range(200)]
        assert [f() for f in bare] == [("123456789012", i) for i in range(200)]
    assert len(used) == 800
    gc.collect()
    assert [ref for ref in used if ref() is not None] == []  # no call's state is kept
    assert vars(shared) == shared_state  # the decorator's own handle is untouched
    assert not shared.active
    assert shared.repositories == {}
    assert hooks() == baseline


# -- no state crosses from one test to another ----------------------------------------------

INNER_TESTS = """
import boto3
import pytest

from ecrpublic_mock import mock_ecr_public
from ecrpublic_mock._activation import hook as _hook


@pytest.mark.parametrize("n", range(6))
def test_with_the_fixture(ecr_public, ecr_public_client, n):
    assert _hook._active == [ecr_public._state]
    assert ecr_public.repositories == {}
    assert ecr_public_client.describe_repositories()["repositories"] == []
    ecr_public_client.create_repository(repositoryName="same")
    ecr_public.push_image("same", tag="v1")


@pytest.mark.parametrize("n", range(6))
@mock_ecr_public
def test_with_the_decorator(n):
    assert len(_hook._active) == 1
    client = boto3.client("ecr-public", region_name="us-east-1")
    assert client.describe_repositories()["repositories"] == []
    client.create_repository(repositoryName="same")
    assert client.describe_images(repositoryName="same")["imageDetails"] == []


def test_last_nothing_active():
    assert _hook._active == []
"""


@pytest.fixture
def inner_tests(pytester, monkeypatch):
    """The inner module; under ``pytest -n``, the worker's variables are hidden from it."""
    for name in ("PYTEST_XDIST_WORKER", "PYTEST_XDIST_WORKER_COUNT", "PYTEST_XDIST_TESTRUNUID"):
        monkeypatch.delenv(name, raising=False)
    pytester.makepyfile(test_inner=INNER_TESTS)
    return pytester


@pytest.mark.slow
def test_no_state_leaks_between_tests_in_random_order(inner_tests):
    orders = set()
    for seed in (1, 2, 3):
        result = inner_tests.runpytest("-p", "randomly", f"--randomly-seed={seed}", "-v")
        result.assert_outcomes(passed=13)
        orders.add(tuple(line.split()[0] for line in result.outlines if " PASSED" in line))
    assert len(orders) > 1  # the order did change from seed to seed


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("xdist") is None, reason="needs pytest-xdist")
def test_no_state_leaks_between_tests_in_random_order_under_xdist(inner_tests):
    # pytest-benchmark, when installed, warns that xdist disables it: not ours to judge;
    # nor is old botocore's import of the deprecated cgi module (tox -e oldest).
    result = inner_tests.runpytest_subprocess(
        *("-p", "randomly", "--randomly-seed=7", "-p", "xdist", "-n", "2"),
        *("-p", "no:benchmark", "-W", "error"),
        *("-W", "ignore:'cgi' is deprecated:DeprecationWarning"),
    )
    result.assert_outcomes(passed=13)
    result.stdout.fnmatch_lines(["*2 workers*"])
