"""Every kind of callable a test suite decorates runs entirely inside the mock: generator
and async generator functions (yield fixtures), methods, classmethods and staticmethods,
and the class-level set-up of decorated classes."""

from __future__ import annotations

import asyncio
import inspect
import unittest

import boto3
import pytest

from ecrpublic_mock import mock_ecr_public
from ecrpublic_mock._activation import hook as _hook

pytest_plugins = ["pytester"]


def repository_names() -> list[str]:
    client = boto3.client("ecr-public", region_name="us-east-1")
    return [r["repositoryName"] for r in client.describe_repositories()["repositories"]]


def create(name: str) -> None:
    boto3.client("ecr-public", region_name="us-east-1").create_repository(repositoryName=name)


def serving() -> bool:
    return _hook.current() is not None


# -- generators ---------------------------------------------------------------------------


def test_a_generator_runs_inside_the_mock_from_first_next_to_close():
    @mock_ecr_public
    def steps():
        create("app")
        received = yield repository_names()
        yield received, repository_names()

    assert inspect.isgeneratorfunction(steps)
    gen = steps()
    assert not serving()  # nothing happens before the first next()
    assert next(gen) == ["app"]
    assert serving()  # still active between the values
    assert gen.send("hello") == ("hello", ["app"])
    gen.close()
    assert not serving()


def test_a_generator_returns_its_value_and_stops_the_mock():
    @mock_ecr_public
    def counted():
        yield 1
        return "done"

    gen = counted()
    next(gen)
    with pytest.raises(StopIteration) as stop:
        next(gen)
    assert stop.value.value == "done"
    assert not serving()


def test_an_exception_thrown_into_a_generator_reaches_it_inside_the_mock():
    seen = []

    @mock_ecr_public
    def catching():
        try:
            yield 1
        except KeyError:
            seen.append(serving())
            yield 2

    gen = catching()
    next(gen)
    assert gen.throw(KeyError("x")) == 2
    gen.close()
    assert seen == [True]
    assert not serving()


def test_async_generator_runs_inside_the_mock_with_asend_athrow_aclose():
    seen = []

    @mock_ecr_public
    async def steps():
        create("app")
        received = yield repository_names()
        try:
            yield received
        except KeyError:
            seen.append(("thrown", serving()))
            yield "recovered"
        finally:
            seen.append(("closing", serving()))

    assert inspect.isasyncgenfunction(steps)

    async def drive():
        gen = steps()
        assert not serving()
        assert await gen.__anext__() == ["app"]
        assert serving()
        assert await gen.asend("hello") == "hello"
        assert await gen.athrow(KeyError("x")) == "recovered"
        await gen.aclose()
        return serving()

    assert asyncio.run(drive()) is False
    assert seen == [("thrown", True), ("closing", True)]


def test_an_exhausted_async_generator_stops_the_mock():
    @mock_ecr_public
    async def one():
        yield 1

    async def drive():
        return [item async for item in one()], serving()

    assert asyncio.run(drive()) == ([1], False)


@pytest.mark.slow
def test_sync_yield_fixture_keeps_the_mock_for_the_whole_test(pytester):
    pytester.makepyfile(
        """
        import boto3, pytest
        from ecrpublic_mock import mock_ecr_public
        from ecrpublic_mock._activation import hook as _hook

        @pytest.fixture
        @mock_ecr_public
        def client(tmp_path):
            c = boto3.client("ecr-public", region_name="us-east-1")
            c.create_repository(repositoryName="from-fixture")
            yield c
            assert _hook.current() is not None  # teardown is still mocked

        def test_uses_it(client):
            names = [r["repositoryName"] for r in client.describe_repositories()["repositories"]]
            assert names == ["from-fixture"]

        def test_after():
            assert _hook.current() is None
        """
    )
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=2)


@pytest.mark.slow
def test_async_yield_fixture_keeps_the_mock_for_the_whole_test(pytester):
    """Under anyio's pytest plugin (the test extra has it)."""
    pytester.makepyfile(
        """
        import boto3, pytest
        from ecrpublic_mock import mock_ecr_public
        from ecrpublic_mock._activation import hook as _hook

        @pytest.fixture
        def anyio_backend():
            return "asyncio"

        @pytest.fixture
        @mock_ecr_public
        async def client():
            c = boto3.client("ecr-public", region_name="us-east-1")
            c.create_repository(repositoryName="from-fixture")
            yield c
            assert _hook.current() is not None

        @pytest.mark.anyio
        async def test_uses_it(client):
            names = [r["repositoryName"] for r in client.describe_repositories()["repositories"]]
            assert names == ["from-fixture"]
        """
    )
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=1)


# -- methods, classmethods, staticmethods -------------------------------------------------


class Holder:
    @mock_ecr_public
    def method(self, name):
        create(name)
        return repository_names()

    @mock_ecr_public
    @classmethod
    def outer_classmethod(cls, name):
        create(name)
        return cls.__name__, repository_names()

    @classmethod
    @mock_ecr_public
    def inner_classmethod(cls, name):
        create(name)
        return cls.__name__, repository_names()

    @mock_ecr_public
    @staticmethod
    def outer_staticmethod(name):
        create(name)
        return repository_names()

    @staticmethod
    @mock_ecr_public
    def inner_staticmethod(name):
        create(name)
        return repository_names()


class Child(Holder):
    pass


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda: Holder().method("mm"), ["mm"]),
        (lambda: Holder.outer_classmethod("cc"), ("Holder", ["cc"])),
        (lambda: Child.outer_classmethod("cc"), ("Child", ["cc"])),
        (lambda: Child().inner_classmethod("cc"), ("Child", ["cc"])),
        (lambda: Holder.outer_staticmethod("ss"), ["ss"]),
        (lambda: Holder().inner_staticmethod("ss"), ["ss"]),
    ],
    ids=[
        "method",
        "outer-classmethod",
        "subclass",
        "inner-classmethod",
        "outer-static",
        "inner-static",
    ],
)
def test_methods_in_either_decorator_order(call, expected):
    assert call() == expected
    assert not serving()


@pytest.mark.parametrize(
    "func",
    [Holder.method, Holder.outer_classmethod, Holder.inner_classmethod, Holder.outer_staticmethod],
)
def test_signatures_stay_visible(func):
    """pytest injects fixtures by the signature; the wrapper must not hide it."""
    assert "name" in inspect.signature(func).parameters


def test_a_generator_signature_stays_visible():
    @mock_ecr_public
    def fixture_like(tmp_path, request):
        yield

    assert list(inspect.signature(fixture_like).parameters) == ["tmp_path", "request"]


# -- class-level set-up -----------------------------------------------------------------


def test_unittest_set_up_class_runs_inside_a_mock_and_tests_stay_independent():
    seen = {}

    @mock_ecr_public
    class Case(unittest.TestCase):
        @classmethod
        def setUpClass(cls):
            create("made-in-set-up-class")
            seen["setUpClass"] = repository_names()

        @classmethod
        def tearDownClass(cls):
            seen["tearDownClass"] = serving()

        def test_one(self):
            seen["one"] = repository_names()
            create("one")

        def test_two(self):
            seen["two"] = repository_names()

    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(Case).run(result)
    assert result.wasSuccessful(), result.errors + result.failures
    assert seen == {
        "setUpClass": ["made-in-set-up-class"],
        "one": [],
        "two": [],
        "tearDownClass": True,
    }
    assert not serving()


def test_unittest_failing_set_up_class_stops_its_mock():
    @mock_ecr_public
    class Case(unittest.TestCase):
        @classmethod
        def setUpClass(cls):
            raise RuntimeError("set-up fails")

        def test_never(self):
            pass  # pragma: no cover - set-up failed

    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(Case).run(result)
    assert len(result.errors) == 1
    assert not serving()


def test_unittest_class_without_its_own_set_up_class_is_fine():
    @mock_ecr_public
    class Case(unittest.TestCase):
        def test_served(self):
            assert serving()

    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(Case).run(result)
    assert result.wasSuccessful()
    assert not serving()


@pytest.mark.slow
def test_pytest_setup_class_and_teardown_class_run_inside_a_mock(pytester):
    pytester.makepyfile(
        """
        import boto3
        from ecrpublic_mock import mock_ecr_public
        from ecrpublic_mock._activation import hook as _hook

        def names():
            c = boto3.client("ecr-public", region_name="us-east-1")
            return [r["repositoryName"] for r in c.describe_repositories()["repositories"]]

        SEEN = {}

        @mock_ecr_public
        class TestClassLevel:
            @classmethod
            def setup_class(cls):
                boto3.client("ecr-public", region_name="us-east-1").create_repository(
                    repositoryName="class-level")
                SEEN["setup"] = names()

            def teardown_class(cls):
                SEEN["teardown"] = _hook.current() is not None

            def test_independent(self):
                assert names() == []

        @mock_ecr_public
        class TestStaticSetup:
            @staticmethod
            def setup_class():
                SEEN["static"] = _hook.current() is not None

            def test_a(self):
                assert _hook.current() is not None

        @mock_ecr_public
        class TestOnlyTeardown:
            @classmethod
            def teardown_class(cls, *args):
                SEEN["only-teardown"] = _hook.current() is not None

            def test_a(self):
                pass

        def test_zz_after_all():
            assert SEEN == {"setup": ["class-level"], "teardown": True, "static": True,
                            "only-teardown": True}
            assert _hook.current() is None
        """
    )
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=4)


@pytest.mark.slow
def test_pytest_failing_setup_class_stops_its_mock(pytester):
    pytester.makepyfile(
        """
        from ecrpublic_mock import mock_ecr_public
        from ecrpublic_mock._activation import hook as _hook

        @mock_ecr_public
        class TestBroken:
            def setup_class(cls):
                raise RuntimeError("set-up fails")

            def test_never(self):
                pass

        def test_nothing_left_active():
            assert _hook._active == []
        """
    )
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=1, errors=1)
