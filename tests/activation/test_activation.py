"""Every way of switching the mock on and off, and what each leaves behind.

"Served" is shown by state the mock keeps (a repository created then described back);
"not served" by a probe handler on the client that answers only if the mock did not.
"""

from __future__ import annotations

import asyncio
import dataclasses
import inspect
import io
import unittest

import boto3
import pytest
from _support import answered_by_probe, assert_not_served, probed_client
from botocore.exceptions import ClientError

from ecrpublic_mock import EcrPublicMock, mock_ecr_public
from ecrpublic_mock._core.settings import Settings

pytest_plugins = ["pytester"]

OTHER_ACCOUNT = "111122223333"
# Every numeric option, from the one place options are declared.
QUOTAS = tuple(field.name for field in dataclasses.fields(Settings) if field.type == "int")


def client():
    return boto3.client("ecr-public", region_name="us-east-1")


def names(ecr) -> list[str]:
    return sorted(r["repositoryName"] for r in ecr.describe_repositories()["repositories"])


def create(ecr, name: str) -> dict:
    return ecr.create_repository(repositoryName=name)["repository"]


class Boom(Exception):
    pass


class BaseBoom(BaseException):
    pass


# --- the probe itself -------------------------------------------------------------------


def test_probe_is_not_consulted_while_a_mock_serves():
    """Control for assert_not_served: an active mock answers before the probe."""
    with mock_ecr_public():
        ecr, _ = probed_client()
        create(ecr, "seen")
        response = ecr.describe_repositories()
        assert not answered_by_probe(response)
        assert [r["repositoryName"] for r in response["repositories"]] == ["seen"]
    assert_not_served()


# --- the forms ------------------------------------------------------------------------------


def test_bare_decorator_on_sync_function():
    calls = []

    @mock_ecr_public
    def work(name):
        ecr = client()
        repo = create(ecr, name)
        calls.append(name)
        return repo["registryId"], names(ecr)

    assert work("first") == ("123456789012", ["first"])
    assert work("second") == ("123456789012", ["second"])  # fresh state per call
    assert calls == ["first", "second"]
    assert_not_served()


def test_decorator_with_options():
    @mock_ecr_public(account_id=OTHER_ACCOUNT, image_tag_mutability="IMMUTABLE")
    def work():
        ecr = client()
        repo = create(ecr, "repo")
        return repo["registryId"], repo["repositoryArn"]

    registry_id, arn = work()
    assert registry_id == OTHER_ACCOUNT
    assert f":{OTHER_ACCOUNT}:" in arn
    assert work()[0] == OTHER_ACCOUNT  # a second call works, again fresh
    assert_not_served()


@pytest.mark.parametrize(
    ("options", "retag_allowed"),
    [
        ({}, True),
        ({"image_tag_mutability": "MUTABLE"}, True),
        ({"image_tag_mutability": "IMMUTABLE"}, False),
    ],
    ids=["default", "mutable", "immutable"],
)
def test_image_tag_mutability_option_reaches_new_repositories(options, retag_allowed):
    with mock_ecr_public(**options) as handle:
        ecr = client()
        create(ecr, "repo")
        handle.push_image("repo", "v1", layers=[b"one"])
        if retag_allowed:
            handle.push_image("repo", "v1", layers=[b"two"])
        else:
            # The handle's helpers raise plain ClientErrors carrying the API's error code.
            with pytest.raises(ClientError) as excinfo:
                handle.push_image("repo", "v1", layers=[b"two"])
            assert excinfo.value.response["Error"]["Code"] == "ImageTagAlreadyExistsException"


def test_decorator_handle_is_reusable():
    handle = mock_ecr_public(account_id=OTHER_ACCOUNT)
    assert isinstance(handle, EcrPublicMock)
    assert handle.account_id == OTHER_ACCOUNT
    assert handle.active is False

    @handle
    def work():
        ecr = client()
        assert create(ecr, "repo")["registryId"] == OTHER_ACCOUNT
        return names(ecr)

    assert work() == ["repo"]
    assert work() == ["repo"]
    assert handle.active is False
    assert_not_served()


def test_async_function_decorated():
    @mock_ecr_public
    async def work(name):
        await asyncio.sleep(0)
        ecr = client()
        create(ecr, name)
        await asyncio.sleep(0)
        return names(ecr)

    assert inspect.iscoroutinefunction(work)
    assert asyncio.run(work("first")) == ["first"]
    assert asyncio.run(work("second")) == ["second"]
    assert_not_served()


def test_async_function_is_active_only_while_the_coroutine_runs():
    handle = mock_ecr_public(account_id=OTHER_ACCOUNT)

    @handle
    async def work():
        return create(client(), "repo")["registryId"]

    coroutine = work()
    try:
        assert handle.active is False
        assert_not_served()
        assert asyncio.run(coroutine) == OTHER_ACCOUNT
    finally:
        coroutine.close()
    assert handle.active is False
    assert_not_served()


def test_async_with():
    async def main():
        async with mock_ecr_public(account_id=OTHER_ACCOUNT) as ecr_mock:
            assert isinstance(ecr_mock, EcrPublicMock)
            assert ecr_mock.active
            await asyncio.sleep(0)
            ecr = client()
            repo = create(ecr, "repo")
            assert names(ecr) == ["repo"]
        assert not ecr_mock.active
        return repo["registryId"]

    assert asyncio.run(main()) == OTHER_ACCOUNT
    assert_not_served()


def test_context_manager():
    handle = mock_ecr_public(account_id=OTHER_ACCOUNT)
    with handle as entered:
        assert entered is handle
        assert handle.active
        ecr = client()
        assert create(ecr, "repo")["registryId"] == OTHER_ACCOUNT
        assert names(ecr) == ["repo"]
    assert not handle.active
    assert_not_served()
    with handle:  # re-entering after exit starts fresh
        assert names(client()) == []
    assert not handle.active


def test_start_stop():
    handle = mock_ecr_public()
    assert handle.start() is handle
    try:
        assert handle.active
        ecr = client()
        create(ecr, "repo")
        assert names(ecr) == ["repo"]
    finally:
        handle.stop()
    assert not handle.active
    assert_not_served()
    handle.start()
    try:
        assert names(client()) == []  # restarting gives fresh state
    finally:
        handle.stop()


def test_client_created_before_activation_is_served():
    ecr = client()
    with mock_ecr_public():
        create(ecr, "repo")
        assert names(ecr) == ["repo"]


# --- classes ------------------------------------------------------------------------------


def _run_unittest(case: type[unittest.TestCase]) -> unittest.TestResult:
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(case)
    return unittest.TextTestRunner(stream=io.StringIO(), verbosity=0).run(suite)


def test_unittest_testcase_each_method_fresh_and_shared_with_setup_teardown():
    seen: dict[str, list] = {"setUp": [], "test": [], "tearDown": []}

    @mock_ecr_public(account_id=OTHER_ACCOUNT)
    class Case(unittest.TestCase):
        def setUp(self):
            self.ecr = client()
            seen["setUp"].append(names(self.ecr))
            create(self.ecr, "from-setup")

        def tearDown(self):
            seen["tearDown"].append(names(self.ecr))

        def test_one(self):
            assert create(self.ecr, "same")["registryId"] == OTHER_ACCOUNT
            seen["test"].append(names(self.ecr))

        def test_two(self):
            assert create(self.ecr, "same")["registryId"] == OTHER_ACCOUNT
            seen["test"].append(names(self.ecr))

    result = _run_unittest(Case)
    assert result.testsRun == 2
    assert result.wasSuccessful(), result.errors + result.failures
    assert seen == {
        "setUp": [[], []],
        "test": [["from-setup", "same"]] * 2,
        "tearDown": [["from-setup", "same"]] * 2,
    }
    assert_not_served()


def test_unittest_testcase_failure_is_reported_and_mock_stopped():
    @mock_ecr_public
    class Case(unittest.TestCase):
        def test_fails(self):
            create(client(), "repo")
            self.fail("deliberate")

        def test_errors(self):
            raise Boom

    result = _run_unittest(Case)
    assert result.testsRun == 2
    assert len(result.failures) == 1
    assert len(result.errors) == 1
    assert_not_served()


@pytest.mark.slow
def test_unittest_testcase_under_pytest(pytester):
    pytester.makepyfile(
        """
        import unittest
        import boto3
        from ecrpublic_mock import mock_ecr_public

        def names(ecr):
            return sorted(r["repositoryName"] for r in ecr.describe_repositories()["repositories"])

        @mock_ecr_public
        class TestCase(unittest.TestCase):
            def setUp(self):
                self.ecr = boto3.client("ecr-public", region_name="us-east-1")
                assert names(self.ecr) == []
                self.ecr.create_repository(repositoryName="setup")

            def tearDown(self):
                assert names(self.ecr) == ["same", "setup"]

            def test_a(self):
                self.ecr.create_repository(repositoryName="same")

            def test_b(self):
                self.ecr.create_repository(repositoryName="same")
        """
    )
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=2)


@pytest.mark.slow
def test_plain_class_setup_method_teardown_method(pytester):
    pytester.makepyfile(
        """
        import boto3
        import pytest
        from ecrpublic_mock import mock_ecr_public

        def names(ecr):
            return sorted(r["repositoryName"] for r in ecr.describe_repositories()["repositories"])

        @mock_ecr_public(account_id="111122223333")
        class TestPlain:
            def setup_method(self, method):
                self.ecr = boto3.client("ecr-public", region_name="us-east-1")
                assert names(self.ecr) == []
                self.ecr.create_repository(repositoryName="setup")

            def teardown_method(self, method):
                assert names(self.ecr) == ["same", "setup"]

            def test_a(self):
                repo = self.ecr.create_repository(repositoryName="same")["repository"]
                assert repo["registryId"] == "111122223333"

            def test_b(self, tmp_path):
                assert tmp_path.is_dir()
                self.ecr.create_repository(repositoryName="same")

            @pytest.mark.parametrize("n", [1, 2])
            def test_c(self, n):
                self.ecr.create_repository(repositoryName="same")


        @mock_ecr_public
        class TestWithoutSetup:
            def test_a(self):
                ecr = boto3.client("ecr-public", region_name="us-east-1")
                assert names(ecr) == []
                ecr.create_repository(repositoryName="same")

            def test_b(self):
                ecr = boto3.client("ecr-public", region_name="us-east-1")
                assert names(ecr) == []
                ecr.create_repository(repositoryName="same")
        """
    )
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=6)


@pytest.mark.slow
def test_plain_class_teardown_failure_is_visible(pytester):
    """Control: the teardown assertion above can fail, and then the test errors."""
    pytester.makepyfile(
        """
        import boto3
        from ecrpublic_mock import mock_ecr_public

        @mock_ecr_public
        class TestPlain:
            def setup_method(self, method):
                self.ecr = boto3.client("ecr-public", region_name="us-east-1")

            def teardown_method(self, method):
                assert self.ecr.describe_repositories()["repositories"] == []

            def test_a(self):
                self.ecr.create_repository(repositoryName="left-behind")
        """
    )
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=1, errors=1)


# --- nesting --------------------------------------------------------------------------------


def test_nesting_restores_outer_state():
    ecr = client()
    with mock_ecr_public() as outer:
        create(ecr, "r1")
        with mock_ecr_public(account_id=OTHER_ACCOUNT) as inner:
            assert inner.active
            assert names(ecr) == []
            assert create(ecr, "r2")["registryId"] == OTHER_ACCOUNT
            assert names(ecr) == ["r2"]
        assert not inner.active
        assert outer.active
        assert names(ecr) == ["r1"]
        assert create(ecr, "r3")["registryId"] == "123456789012"
        assert names(ecr) == ["r1", "r3"]
    assert not outer.active
    assert_not_served()


@pytest.mark.parametrize("inner_form", ["with", "start_stop", "decorator", "async"])
def test_nesting_inner_forms(inner_form):
    ecr = client()

    def inner_work():
        assert names(ecr) == []
        create(ecr, "inner")
        return names(ecr)

    with mock_ecr_public():
        create(ecr, "outer")
        if inner_form == "with":
            with mock_ecr_public():
                assert inner_work() == ["inner"]
        elif inner_form == "start_stop":
            handle = mock_ecr_public().start()
            try:
                assert inner_work() == ["inner"]
            finally:
                handle.stop()
        elif inner_form == "decorator":
            assert mock_ecr_public(inner_work)() == ["inner"]
        else:

            @mock_ecr_public
            async def inner_async():
                return inner_work()

            assert asyncio.run(inner_async()) == ["inner"]
        assert names(ecr) == ["outer"]
    assert_not_served()


def test_three_levels():
    ecr = client()
    with mock_ecr_public():
        create(ecr, "level-1")
        with mock_ecr_public():
            create(ecr, "level-2")
            with mock_ecr_public():
                assert names(ecr) == []
                create(ecr, "level-3")
            assert names(ecr) == ["level-2"]
        assert names(ecr) == ["level-1"]
    assert_not_served()


def test_same_decorated_function_called_recursively_nests():
    ecr = client()

    @mock_ecr_public
    def level(depth):
        assert names(ecr) == []
        create(ecr, f"d{depth}")
        if depth < 3:
            level(depth + 1)
        return names(ecr)

    assert level(0) == ["d0"]
    assert_not_served()


# --- exceptions stop the mock -------------------------------------------------------------


def _raise_in_decorated(handle, error):
    @handle
    def work():
        create(client(), "repo")
        raise error

    work()


def _raise_in_with(handle, error):
    with handle:
        create(client(), "repo")
        raise error


def _raise_in_async_decorated(handle, error):
    @handle
    async def work():
        create(client(), "repo")
        await asyncio.sleep(0)
        raise error

    asyncio.run(work())


def _raise_in_async_with(handle, error):
    async def main():
        async with handle:
            create(client(), "repo")
            await asyncio.sleep(0)
            raise error

    asyncio.run(main())


def _raise_in_method(handle, error):
    class Service:
        @handle
        def work(self):
            create(client(), "repo")
            raise error

    Service().work()


@pytest.mark.parametrize(
    "form",
    [
        _raise_in_decorated,
        _raise_in_with,
        _raise_in_async_decorated,
        _raise_in_async_with,
        _raise_in_method,
    ],
    ids=lambda f: f.__name__.removeprefix("_raise_in_"),
)
@pytest.mark.parametrize("error_type", [Boom, BaseBoom, KeyError])
def test_exception_stops_the_mock_and_propagates_unchanged(form, error_type):
    handle = mock_ecr_public()
    error = error_type("deliberate")
    with pytest.raises(error_type) as excinfo:
        form(handle, error)
    assert excinfo.value is error
    assert not handle.active
    assert_not_served()


def test_exception_in_bare_decorated_function_stops_the_mock():
    @mock_ecr_public
    def work():
        create(client(), "repo")
        raise Boom("x")

    with pytest.raises(Boom, match=r"^x$"):
        work()
    assert_not_served()


def test_exception_in_decorated_unittest_method_stops_the_mock():
    @mock_ecr_public
    class Case(unittest.TestCase):
        def setUp(self):
            raise Boom("in setUp")

        def test_a(self):
            pass

    result = _run_unittest(Case)
    assert len(result.errors) == 1
    assert_not_served()


# --- the decorator keeps the function's face --------------------------------------------


def _documented(a, b=2, *args, c, d: int = 4, **kwargs) -> int:
    """Documented."""
    return a


async def _documented_async(a, *, b=1) -> int:
    """Async doc."""
    return a


@pytest.mark.parametrize(
    "decorate",
    [mock_ecr_public, mock_ecr_public(), mock_ecr_public(account_id=OTHER_ACCOUNT)],
    ids=["bare", "called", "options"],
)
@pytest.mark.parametrize("func", [_documented, _documented_async], ids=["sync", "async"])
def test_decorator_preserves_metadata(decorate, func):
    wrapped = decorate(func)
    assert wrapped is not func
    assert wrapped.__name__ == func.__name__
    assert wrapped.__qualname__ == func.__qualname__
    assert wrapped.__doc__ == func.__doc__
    assert wrapped.__module__ == func.__module__
    assert wrapped.__wrapped__ is func
    assert inspect.signature(wrapped) == inspect.signature(func)
    assert inspect.iscoroutinefunction(wrapped) == inspect.iscoroutinefunction(func)


def test_decorated_function_returns_and_passes_arguments():
    @mock_ecr_public
    def work(a, b=2, *args, c, **kwargs):
        return a, b, args, c, kwargs

    assert work(1, c=3) == (1, 2, (), 3, {})
    assert work(1, 5, 6, 7, c=3, e=8) == (1, 5, (6, 7), 3, {"e": 8})


@pytest.mark.parametrize("name", ["alpha", "beta", "gamma"])
@mock_ecr_public
def test_decorated_test_gets_fixtures_and_parameters(tmp_path, name):
    assert tmp_path.is_dir()
    ecr = client()
    create(ecr, name)
    assert names(ecr) == [name]  # no parameter sees another's repository


@pytest.fixture
def token():
    return "tok"


@pytest.mark.parametrize("n", [1, 2])
@mock_ecr_public(account_id=OTHER_ACCOUNT)
def test_decorated_test_with_options_gets_fixtures(token, n):
    assert token == "tok"
    ecr = client()
    assert create(ecr, f"r{n}")["registryId"] == OTHER_ACCOUNT
    assert names(ecr) == [f"r{n}"]


def test_decorator_works_on_methods():
    class Service:
        prefix = "svc"

        @mock_ecr_public
        def make(self, n):
            ecr = client()
            create(ecr, f"{self.prefix}-{n}")
            return names(ecr)

        @classmethod
        @mock_ecr_public(account_id=OTHER_ACCOUNT)
        def account(cls):
            return create(client(), f"{cls.prefix}-account")["registryId"]

        @staticmethod
        @mock_ecr_public
        def static():
            return names(client())

    service = Service()
    assert service.make(1) == ["svc-1"]
    assert service.make(2) == ["svc-2"]
    assert Service.account() == OTHER_ACCOUNT
    assert Service.static() == []
    assert Service.make.__name__ == "make"
    assert list(inspect.signature(Service.make).parameters) == ["self", "n"]
    assert list(inspect.signature(service.make).parameters) == ["n"]
    assert_not_served()


# --- options are checked at decoration time ----------------------------------------------

BAD_OPTIONS = [
    pytest.param({"bogus": 1}, TypeError, "bogus", id="unknown"),
    pytest.param({"account": "123456789012"}, TypeError, "account", id="unknown-near-miss"),
    pytest.param({"account_id": "12345"}, ValueError, "account_id", id="account-short"),
    pytest.param({"account_id": "1234567890123"}, ValueError, "account_id", id="account-long"),
    pytest.param({"account_id": "12345678901a"}, ValueError, "account_id", id="account-letter"),
    pytest.param({"account_id": ""}, ValueError, "account_id", id="account-empty"),
    pytest.param({"account_id": 123456789012}, TypeError, "account_id", id="account-int"),
    pytest.param(
        {"image_tag_mutability": "SOMETIMES"}, ValueError, "image_tag_mutability", id="mutability"
    ),
    pytest.param({"image_tag_mutability": ""}, ValueError, "image_tag_mutability", id="mut-empty"),
    *(
        pytest.param({quota: bad}, ValueError, quota, id=f"{quota}={bad}")
        for quota in QUOTAS
        for bad in (0, -1)
    ),
    *(
        pytest.param({quota: bad}, TypeError, quota, id=f"{quota}={bad!r}")
        for quota in QUOTAS
        for bad in ("10", 1.5, True, None)
    ),
    *(
        pytest.param(
            {"public_uris": bad}, TypeError, "public_uris must be a bool", id=f"public_uris={bad!r}"
        )
        for bad in (1, "yes", None)
    ),
]


@pytest.mark.parametrize(("options", "error", "option"), BAD_OPTIONS)
def test_bad_option_raises_at_decoration_time(options, error, option):
    ran = []
    with pytest.raises(error, match=option):

        @mock_ecr_public(**options)
        def never():  # pragma: no cover - must not run
            ran.append(1)

    assert ran == []
    with pytest.raises(error, match=option):
        mock_ecr_public(**options)


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"account_id": "000000000000"},
        {"image_tag_mutability": "IMMUTABLE"},
        {"image_tag_mutability": "MUTABLE"},
        dict.fromkeys(QUOTAS, 1),
        dict.fromkeys(QUOTAS, 10**12),
    ],
    ids=["none", "zero-account", "immutable", "mutable", "quotas-1", "quotas-huge"],
)
def test_good_options_are_accepted(options):
    with mock_ecr_public(**options) as handle:
        assert handle.account_id == options.get("account_id", "123456789012")
        assert names(client()) == []


# --- start/stop errors and cycles ---------------------------------------------------------


def test_start_twice_raises():
    handle = mock_ecr_public()
    handle.start()
    try:
        with pytest.raises(RuntimeError):
            handle.start()
        assert handle.active
        create(client(), "still-served")
    finally:
        handle.stop()
    assert not handle.active
    assert_not_served()


def test_enter_active_handle_raises():
    handle = mock_ecr_public()
    with handle:
        with pytest.raises(RuntimeError), handle:
            pass  # pragma: no cover
        assert handle.active
    assert not handle.active


def test_stop_inactive_raises():
    handle = mock_ecr_public()
    with pytest.raises(RuntimeError):
        handle.stop()
    handle.start()
    handle.stop()
    with pytest.raises(RuntimeError):
        handle.stop()
    assert not handle.active
    assert_not_served()


@pytest.mark.parametrize("reuse_handle", [True, False], ids=["same-handle", "new-handles"])
def test_thousand_start_stop_cycles_leave_nothing_active(reuse_handle):
    ecr = client()
    handle = mock_ecr_public()
    for cycle in range(1000):
        if not reuse_handle:
            handle = mock_ecr_public()
        assert handle.start() is handle
        assert handle.active
        if cycle % 250 == 0:
            assert names(ecr) == []
            create(ecr, "repo")
        handle.stop()
        assert not handle.active
    assert_not_served()


# --- moto ---------------------------------------------------------------------------------


def _moto_and_ours_work():
    ecr = client()
    repo = create(ecr, "with-moto")
    assert repo["registryId"] == OTHER_ACCOUNT
    assert names(ecr) == ["with-moto"]
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="moto-bucket")
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["moto-bucket"]
    return "done"


@pytest.mark.parametrize("outer", ["moto", "ours"])
@pytest.mark.parametrize("form", ["with", "decorator"])
def test_moto_mock_aws_either_order(outer, form):
    moto = pytest.importorskip("moto")
    ours = mock_ecr_public(account_id=OTHER_ACCOUNT)
    if form == "with":
        first, second = (moto.mock_aws(), ours) if outer == "moto" else (ours, moto.mock_aws())
        with first, second:
            result = _moto_and_ours_work()
    else:
        if outer == "moto":
            work = moto.mock_aws(ours(_moto_and_ours_work))
        else:
            work = ours(moto.mock_aws(_moto_and_ours_work))
        result = work()
    assert result == "done"
    assert not ours.active
    assert_not_served()


def test_moto_inside_ours_leaves_ours_serving():
    moto = pytest.importorskip("moto")
    ecr = client()
    with mock_ecr_public():
        create(ecr, "before")
        with moto.mock_aws():
            create(ecr, "during")
        assert names(ecr) == ["before", "during"]


def test_ours_inside_moto_ends_before_moto():
    moto = pytest.importorskip("moto")
    with moto.mock_aws():
        with mock_ecr_public() as ours:
            create(client(), "repo")
        assert not ours.active
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="after")
        assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["after"]


@pytest.mark.slow
def test_plain_class_setup_failure_stops_the_mock_and_argless_xunit_methods(pytester):
    """A setup_method that raises leaves no mock active; setup/teardown methods without the
    ``method`` argument are called as pytest calls them."""
    pytester.makepyfile(
        """
        import boto3
        from ecrpublic_mock import mock_ecr_public
        from ecrpublic_mock._activation import hook as _hook

        @mock_ecr_public
        class TestBrokenSetup:
            def setup_method(self):
                raise RuntimeError("setup broke")

            def test_never_runs(self):
                raise AssertionError("unreachable")

        @mock_ecr_public
        class TestArgless:
            def setup_method(self):
                self.ecr = boto3.client("ecr-public", region_name="us-east-1")
                self.ecr.create_repository(repositoryName="argless")

            def teardown_method(self):
                assert len(self.ecr.describe_repositories()["repositories"]) == 1

            def test_served(self):
                assert _hook._active

        def test_nothing_left_active():
            assert _hook._active == []
        """
    )
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(["*RuntimeError: setup broke*"])


def test_min_part_size_above_max_is_refused():
    with pytest.raises(
        ValueError, match=r"min_layer_part_size \(11\) must not exceed max_layer_part_size \(10\)"
    ):
        mock_ecr_public(min_layer_part_size=11, max_layer_part_size=10)


def test_decorating_something_that_is_not_callable():
    with pytest.raises(TypeError, match="can decorate a function or a class, not 42"):
        mock_ecr_public()(42)


def test_target_and_options_together_are_refused():
    with pytest.raises(TypeError, match="either a target to decorate or options, not both"):
        mock_ecr_public(lambda: None, account_id="111122223333")  # type: ignore[call-overload]


def test_set_image_tag_mutability_errors():
    with mock_ecr_public() as ecr:
        with pytest.raises(LookupError, match="no repository named 'missing'"):
            ecr.set_image_tag_mutability("missing", "IMMUTABLE")
        with pytest.raises(ValueError, match="image_tag_mutability must be"):
            ecr.set_image_tag_mutability("missing", "SOMETIMES")  # type: ignore[arg-type]


def test_repr_says_account_and_state():
    handle = mock_ecr_public(account_id="111122223333")
    assert repr(handle) == "<EcrPublicMock account_id='111122223333' inactive>"
    with handle:
        assert repr(handle) == "<EcrPublicMock account_id='111122223333' active>"
