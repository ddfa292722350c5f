"""The pytest plugin, run in throw-away pytest sessions (``pytester``).

No inner session has a conftest.py: the fixtures and marker must come from the
``pytest11`` entry point alone. Where a test must see the plugin's fixtures from outside
the inner session (to check they were stopped), it passes an in-process plugin object
that records their values through pytest's public ``pytest_fixture_setup`` hook.

Every test here but the first runs an inner pytest session, so the module is ``slow``.
"""

from __future__ import annotations

import importlib.resources
import importlib.util
import re

import pytest

pytest_plugins = ["pytester"]
pytestmark = pytest.mark.slow

NO_RANDOM = ("-p", "no:randomly")
SCOPED = ("class_ecr_public", "module_ecr_public", "package_ecr_public", "session_ecr_public")

# A fixture for the inner sessions: the options the plugin hands to mock_ecr_public.
SPY = """
import pytest_ecrpublic_mock


@pytest.fixture
def spy(monkeypatch):
    seen = []
    original = pytest_ecrpublic_mock.mock_ecr_public

    def recording(*args, **options):
        seen.append(options)
        return original(*args, **options)

    monkeypatch.setattr(pytest_ecrpublic_mock, "mock_ecr_public", recording)
    return seen
"""

HELPERS = """
import boto3
import pytest
from ecrpublic_mock import EcrPublicMock


def names(ecr):
    return sorted(r["repositoryName"] for r in ecr.describe_repositories()["repositories"])
"""


@pytest.fixture(autouse=True)
def _not_an_xdist_worker(monkeypatch):
    """Under ``pytest -n``, hide the worker's variables: inner sessions are not workers."""
    for name in ("PYTEST_XDIST_WORKER", "PYTEST_XDIST_WORKER_COUNT", "PYTEST_XDIST_TESTRUNUID"):
        monkeypatch.delenv(name, raising=False)


def make_tests(pytester: pytest.Pytester, body: str, name: str = "test_inner") -> None:
    pytester.makepyfile(**{name: HELPERS + body})


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest(*NO_RANDOM, *args)


class Events:
    """An in-process plugin logging, through pytest's public hooks, each start and stop of
    a ``*ecr_public`` fixture (whether its mock was still active when torn down) and each
    test run, in order, and keeping the fixtures' values."""

    def __init__(self) -> None:
        self.log: list[str] = []
        self.values: list[tuple[str, object]] = []

    @pytest.hookimpl(wrapper=True)
    def pytest_fixture_setup(self, fixturedef, request):
        value = yield
        if fixturedef.argname.endswith("ecr_public"):
            self.values.append((fixturedef.argname, value))
            self.log.append(f"start {fixturedef.argname}")
        return value

    def pytest_fixture_post_finalizer(self, fixturedef, request):
        if fixturedef.argname.endswith("ecr_public") and fixturedef.cached_result is not None:
            handle = fixturedef.cached_result[0]
            state = "STILL ACTIVE" if handle is not None and handle.active else "stop"
            self.log.append(f"{state} {fixturedef.argname}")

    def pytest_runtest_call(self, item):
        self.log.append(item.name)

    def handles(self, name: str) -> list:
        return [value for argname, value in self.values if argname == name]


def run_logging(pytester: pytest.Pytester, *args: str) -> tuple[pytest.RunResult, Events]:
    events = Events()
    return pytester.runpytest(*NO_RANDOM, *args, plugins=[events]), events


def test_plugin_module_is_typed():
    package = importlib.resources.files("pytest_ecrpublic_mock")
    assert package.joinpath("py.typed").is_file()


def test_fixtures_come_from_the_entry_point_without_conftest(pytester):
    make_tests(
        pytester,
        """
def test_handle(ecr_public):
    assert isinstance(ecr_public, EcrPublicMock)
    assert ecr_public.active
    assert ecr_public.account_id == "123456789012"


def test_client(ecr_public_client, ecr_public):
    repo = ecr_public_client.create_repository(repositoryName="repo")["repository"]
    assert repo["registryId"] == ecr_public.account_id
    assert names(ecr_public_client) == ["repo"]
""",
    )
    assert not list(pytester.path.glob("conftest.py"))
    # A fresh interpreter: nothing imported by this session helps the inner one.
    result = pytester.runpytest_subprocess(*NO_RANDOM, "-v")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*plugins:*ecrpublic*"])


def test_without_the_plugin_the_fixtures_are_missing(pytester):
    """Control for the test above: it is the plugin that provides the fixtures."""
    make_tests(pytester, "\ndef test_handle(ecr_public):\n    pass\n")
    result = run(pytester, "-p", "no:ecrpublic_mock")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*fixture 'ecr_public' not found*"])


def test_each_test_gets_fresh_state(pytester):
    make_tests(
        pytester,
        """
def test_first(ecr_public_client):
    assert names(ecr_public_client) == []
    ecr_public_client.create_repository(repositoryName="same")


def test_second(ecr_public_client):
    assert names(ecr_public_client) == []
    ecr_public_client.create_repository(repositoryName="same")


@pytest.mark.parametrize("n", range(3))
def test_parametrized(ecr_public_client, n):
    assert names(ecr_public_client) == []
    ecr_public_client.create_repository(repositoryName="same")


class TestInClass:
    def test_method(self, ecr_public_client):
        assert names(ecr_public_client) == []
        ecr_public_client.create_repository(repositoryName="same")
""",
    )
    run(pytester).assert_outcomes(passed=6)


def test_handle_is_stopped_after_the_test_even_when_it_fails(pytester):
    make_tests(
        pytester,
        """
handles = []


def test_fails(ecr_public):
    handles.append(ecr_public)
    assert False, "deliberate"


def test_passes(ecr_public):
    handles.append(ecr_public)


def test_after():
    assert len(handles) == 2
    assert handles[0] is not handles[1]
    assert not any(handle.active for handle in handles)
""",
    )
    run(pytester).assert_outcomes(passed=2, failed=1)


def test_marker_passes_options(pytester):
    make_tests(
        pytester,
        """
import pytest_ecrpublic_mock
from botocore.exceptions import ClientError


"""
        + SPY
        + """

@pytest.mark.ecr_public(account_id="111122223333", image_tag_mutability="IMMUTABLE")
def test_options(spy, ecr_public, ecr_public_client):
    assert spy == [{"account_id": "111122223333", "image_tag_mutability": "IMMUTABLE"}]
    assert ecr_public.account_id == "111122223333"
    repo = ecr_public_client.create_repository(repositoryName="repo")["repository"]
    assert repo["registryId"] == "111122223333"
    assert ":111122223333:" in repo["repositoryArn"]
    ecr_public.push_image("repo", "v1", layers=[b"one"])
    # The handle's helpers raise plain ClientErrors carrying the API's error code.
    with pytest.raises(ClientError) as excinfo:
        ecr_public.push_image("repo", "v1", layers=[b"two"])
    assert excinfo.value.response["Error"]["Code"] == "ImageTagAlreadyExistsException"


@pytest.mark.ecr_public(max_repositories=1)
def test_quota(spy, ecr_public_client):
    assert spy == [{"max_repositories": 1}]
    ecr_public_client.create_repository(repositoryName="one")
    with pytest.raises(ecr_public_client.exceptions.LimitExceededException):
        ecr_public_client.create_repository(repositoryName="two")


def test_no_marker_no_options(spy, ecr_public, ecr_public_client):
    assert spy == [{}]
    assert ecr_public.account_id == "123456789012"
    ecr_public_client.create_repository(repositoryName="repo")
    ecr_public.push_image("repo", "v1", layers=[b"one"])
    ecr_public.push_image("repo", "v1", layers=[b"two"])  # MUTABLE: the tag moves
""",
    )
    run(pytester).assert_outcomes(passed=3)


def test_a_closer_marker_overrides_an_option(pytester):
    make_tests(
        pytester,
        """
pytestmark = pytest.mark.ecr_public(account_id="999999999999")


def test_module_marker(ecr_public):
    assert ecr_public.account_id == "999999999999"


@pytest.mark.ecr_public(account_id="222222222222")
class TestClass:
    def test_class_marker(self, ecr_public):
        assert ecr_public.account_id == "222222222222"

    @pytest.mark.ecr_public(account_id="333333333333")
    def test_function_marker(self, ecr_public):
        assert ecr_public.account_id == "333333333333"

    @pytest.mark.parametrize(
        "n", [pytest.param(1, marks=pytest.mark.ecr_public(account_id="444444444444"))]
    )
    def test_param_marker(self, ecr_public, n):
        assert ecr_public.account_id == "444444444444"
""",
    )
    run(pytester).assert_outcomes(passed=4)


def test_marker_is_registered(pytester):
    make_tests(
        pytester,
        """
@pytest.mark.ecr_public(account_id="111122223333")
def test_marked(ecr_public):
    assert ecr_public.account_id == "111122223333"
""",
    )
    result = run(pytester, "--strict-markers", "-W", "error")
    result.assert_outcomes(passed=1)
    assert "warnings" not in result.parseoutcomes()


def test_unregistered_marker_fails_under_strict_markers(pytester):
    """Control for the test above: --strict-markers does reject a marker nobody registered."""
    make_tests(
        pytester,
        """
@pytest.mark.ecr_publik(account_id="111122223333")
def test_marked(ecr_public):
    pass
""",
    )
    result = run(pytester, "--strict-markers")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*'ecr_publik' not found in `markers` configuration option*"])


def test_markers_option_lists_the_marker(pytester):
    result = run(pytester, "--markers")
    assert result.ret == 0
    result.stdout.fnmatch_lines(
        [
            "@pytest.mark.ecr_public(**options): options for the ecr_public fixture "
            "(account_id, image_tag_mutability, quotas)"
        ]
    )


@pytest.mark.parametrize(
    ("marker_args", "expected"),
    [
        pytest.param('account_id="12345"', "*ValueError*account_id*", id="account_id"),
        pytest.param(
            'image_tag_mutability="SOMETIMES"',
            "*ValueError*image_tag_mutability*",
            id="image_tag_mutability",
        ),
        pytest.param("max_repositories=0", "*ValueError*max_repositories*", id="quota-zero"),
        pytest.param('max_layer_size="big"', "*TypeError*max_layer_size*", id="quota-type"),
        pytest.param("bogus=1", "*TypeError*bogus*", id="unknown"),
        pytest.param('"111122223333"', "*TypeError*keyword options only*", id="positional"),
    ],
)
def test_bad_marker_option_errors_the_test_naming_it(pytester, marker_args, expected):
    make_tests(
        pytester,
        f"""
@pytest.mark.ecr_public({marker_args})
def test_bad(ecr_public):
    raise AssertionError("the body must not run")


def test_bad_client_only(request):
    request.applymarker(pytest.mark.ecr_public({marker_args}))
    request.getfixturevalue("ecr_public_client")


def test_unaffected(ecr_public):
    assert ecr_public.active
""",
    )
    result = run(pytester)
    result.assert_outcomes(passed=1, errors=1, failed=1)
    result.stdout.fnmatch_lines([expected])
    result.stdout.no_fnmatch_line("*the body must not run*")


def test_client_fixture_is_us_east_1_and_served(pytester):
    make_tests(
        pytester,
        """
@pytest.mark.ecr_public(account_id="111122223333")
def test_client(ecr_public_client, ecr_public):
    assert ecr_public_client.meta.region_name == "us-east-1"
    assert ecr_public_client.meta.service_model.service_name == "ecr-public"
    repo = ecr_public_client.create_repository(repositoryName="repo")["repository"]
    assert repo["registryId"] == ecr_public.account_id == "111122223333"
    assert repo["repositoryUri"].endswith("/repo")
    assert names(ecr_public_client) == ["repo"]
    ecr_public_client.delete_repository(repositoryName="repo")
    assert names(ecr_public_client) == []


def test_other_clients_see_the_same_state(ecr_public_client):
    ecr_public_client.create_repository(repositoryName="shared")
    other = boto3.client("ecr-public", region_name="us-east-1")
    assert names(other) == ["shared"]
""",
    )
    run(pytester).assert_outcomes(passed=2)


def test_fixture_and_decorator_together(pytester):
    """An inner ``with`` inside a fixture-served test serves, then hands back."""
    make_tests(
        pytester,
        """
from ecrpublic_mock import mock_ecr_public


def test_nested(ecr_public_client):
    ecr_public_client.create_repository(repositoryName="outer")
    with mock_ecr_public():
        assert names(ecr_public_client) == []
    assert names(ecr_public_client) == ["outer"]
""",
    )
    run(pytester).assert_outcomes(passed=1)


@pytest.mark.skipif(importlib.util.find_spec("xdist") is None, reason="needs pytest-xdist")
def test_works_under_xdist(pytester):
    make_tests(
        pytester,
        """
@pytest.mark.parametrize("n", range(8))
def test_fresh(ecr_public_client, n):
    assert names(ecr_public_client) == []
    ecr_public_client.create_repository(repositoryName="same")


@pytest.mark.ecr_public(account_id="111122223333")
@pytest.mark.parametrize("n", range(4))
def test_marked(ecr_public, n):
    assert ecr_public.account_id == "111122223333"
""",
    )
    # pytest-benchmark, when installed, warns that xdist disables it: not ours to judge;
    # nor is old botocore's import of the deprecated cgi module (tox -e oldest).
    result = pytester.runpytest_subprocess(
        *NO_RANDOM,
        *("-p", "no:benchmark", "-n", "2", "--strict-markers", "-W", "error"),
        *("-W", "ignore:'cgi' is deprecated:DeprecationWarning"),
    )
    result.assert_outcomes(passed=12)
    result.stdout.fnmatch_lines(["*2 workers*"])


def test_ecr_public_server_serves_the_tests_mock_over_http(pytester):
    """``ecr_public_server``: the test's own mock on a loopback URL, stopped afterwards."""
    make_tests(
        pytester,
        """
import json
import threading
import urllib.request

TARGET = "SpencerFrontendService."
THREADS = []


def post(url, operation, body=b"{}"):
    request = urllib.request.Request(
        url, data=body, headers={"X-Amz-Target": TARGET + operation}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def test_served(ecr_public_server, ecr_public, ecr_public_client):
    THREADS.append(threading.active_count())
    assert ecr_public_server.url.startswith("http://127.0.0.1:")
    ecr_public_client.create_repository(repositoryName="app")
    answer = post(ecr_public_server.url, "DescribeRepositories")
    assert [r["repositoryName"] for r in answer["repositories"]] == ["app"]
    post(ecr_public_server.url, "CreateRepository", b'{"repositoryName": "web"}')
    assert names(ecr_public_client) == ["app", "web"]
    assert list(ecr_public.repositories) == ["app", "web"]


def test_fresh_each_time(ecr_public_server):
    answer = post(ecr_public_server.url, "DescribeRepositories")
    assert answer["repositories"] == []


def test_no_server_thread_left():
    # The two tests above each had one server thread more than this one has.
    assert threading.active_count() < THREADS[0]
""",
    )
    run(pytester).assert_outcomes(passed=3)


def test_markers_merge_outermost_first(pytester):
    """Every marker that applies counts: the module's, then the class's, then the test's
    (a parametrize mark is the test's), each updating the options before it."""
    make_tests(
        pytester,
        """
pytestmark = pytest.mark.ecr_public(account_id="999999999999", image_tag_mutability="IMMUTABLE")


def mutability(ecr_public):
    # whether a tag can move: pushes twice to a new repository "probe"
    client = boto3.client("ecr-public", region_name="us-east-1")
    client.create_repository(repositoryName="probe")
    ecr_public.push_image("probe", "v1", layers=[b"one"])
    try:
        ecr_public.push_image("probe", "v1", layers=[b"two"])
    except Exception as error:
        return error.response["Error"]["Code"]
    return "MUTABLE"


def quota(ecr_public):
    # how many repositories the registry holds once up to 5 more were tried
    client = boto3.client("ecr-public", region_name="us-east-1")
    for n in range(5):
        try:
            client.create_repository(repositoryName=f"q{n}")
        except client.exceptions.LimitExceededException:
            break
    return len(ecr_public.repositories)


def test_module_defaults(ecr_public):
    assert ecr_public.account_id == "999999999999"
    assert mutability(ecr_public) == "ImageTagAlreadyExistsException"


@pytest.mark.ecr_public(max_repositories=2)
def test_test_extends_the_module(ecr_public):
    assert ecr_public.account_id == "999999999999"
    assert mutability(ecr_public) == "ImageTagAlreadyExistsException"
    assert quota(ecr_public) == 2


@pytest.mark.ecr_public(image_tag_mutability="MUTABLE")
def test_test_overrides_one_module_option(ecr_public):
    assert ecr_public.account_id == "999999999999"
    assert mutability(ecr_public) == "MUTABLE"


@pytest.mark.ecr_public(account_id="222222222222", max_repositories=1)
class TestClass:
    def test_class_over_module(self, ecr_public):
        assert ecr_public.account_id == "222222222222"
        assert quota(ecr_public) == 1

    @pytest.mark.ecr_public(max_repositories=3)
    def test_test_over_class_over_module(self, ecr_public):
        assert ecr_public.account_id == "222222222222"
        assert quota(ecr_public) == 3

    @pytest.mark.parametrize(
        "n", [pytest.param(1, marks=pytest.mark.ecr_public(account_id="444444444444"))]
    )
    def test_param_over_class(self, ecr_public, n):
        assert ecr_public.account_id == "444444444444"
        assert mutability(ecr_public) == "ImageTagAlreadyExistsException"
        assert quota(ecr_public) == 1
""",
    )
    run(pytester).assert_outcomes(passed=6)


def test_merged_options_reach_mock_ecr_public_as_one_call(pytester):
    make_tests(
        pytester,
        """
import pytest_ecrpublic_mock

pytestmark = pytest.mark.ecr_public(account_id="999999999999", max_repositories=5)


"""
        + SPY
        + """

@pytest.mark.ecr_public(max_repositories=1)
class TestClass:
    @pytest.mark.ecr_public(image_tag_mutability="IMMUTABLE")
    def test_merged(self, spy, ecr_public):
        merged = {"account_id": "999999999999", "max_repositories": 1}
        assert spy == [{**merged, "image_tag_mutability": "IMMUTABLE"}]
""",
    )
    run(pytester).assert_outcomes(passed=1)


def test_marker_without_the_fixture_applies_it(pytester):
    """Like time-machine's marker: a marked test is served even if it never names the
    fixture, on a test, a class or a module; its own function fixtures run inside the mock,
    and the mock stops after it. An unmarked test gets nothing added."""
    make_tests(
        pytester,
        """
handles = []


@pytest.fixture
def made_repo():
    # a function-scoped fixture of a marked test runs inside its mock
    client = boto3.client("ecr-public", region_name="us-east-1")
    client.create_repository(repositoryName="from-fixture")
    return client


@pytest.mark.ecr_public(account_id="111122223333")
def test_marked(request, made_repo):
    assert "ecr_public" in request.fixturenames
    handle = request.getfixturevalue("ecr_public")
    handles.append(handle)
    assert handle.active and handle.account_id == "111122223333"
    repo = made_repo.describe_repositories()["repositories"][0]
    assert repo["repositoryName"] == "from-fixture"
    assert repo["registryId"] == "111122223333"


@pytest.mark.ecr_public(account_id="222222222222")
class TestMarkedClass:
    def test_method(self):
        client = boto3.client("ecr-public", region_name="us-east-1")
        repo = client.create_repository(repositoryName="app")["repository"]
        assert repo["registryId"] == "222222222222"


@pytest.mark.ecr_public()
def test_marked_without_options(request):
    assert request.getfixturevalue("ecr_public").account_id == "123456789012"
    client = boto3.client("ecr-public", region_name="us-east-1")
    assert names(client) == []


def test_unmarked(request):
    assert "ecr_public" not in request.fixturenames
    assert len(handles) == 1 and not handles[0].active
""",
    )
    module = pytester.makepyfile(
        test_module_marked=HELPERS
        + """
pytestmark = pytest.mark.ecr_public(account_id="333333333333")


def test_module_marked():
    client = boto3.client("ecr-public", region_name="us-east-1")
    assert client.create_repository(repositoryName="app")["repository"]["registryId"] == (
        "333333333333"
    )
"""
    )
    assert module.exists()
    result, events = run_logging(pytester, "-v")
    result.assert_outcomes(passed=5)
    applied = ("test_marked", "test_method", "test_marked_without_options", "test_module_marked")
    assert [line for line in events.log if line != "test_unmarked"] == [
        line for test in applied for line in ("start ecr_public", test, "stop ecr_public")
    ]


def test_marker_without_the_fixture_under_xdist_too(pytester):
    pytest.importorskip("xdist")
    make_tests(
        pytester,
        """
@pytest.mark.ecr_public(account_id="111122223333")
@pytest.mark.parametrize("n", range(4))
def test_marked(n):
    client = boto3.client("ecr-public", region_name="us-east-1")
    assert client.create_repository(repositoryName="app")["repository"]["registryId"] == (
        "111122223333"
    )
""",
    )
    result = pytester.runpytest_subprocess(
        *NO_RANDOM,
        *("-p", "no:benchmark", "-n", "2", "--strict-markers", "-W", "error"),
        *("-W", "ignore:'cgi' is deprecated:DeprecationWarning"),
    )
    result.assert_outcomes(passed=4)


@pytest.mark.parametrize(
    "where",
    [
        pytest.param("module", id="module"),
        pytest.param("class", id="class"),
        pytest.param("test", id="test"),
    ],
)
def test_positional_marker_args_error_naming_the_marker(pytester, where):
    """Wherever the bad marker is, and whether or not the test requests the fixture."""
    mark = 'pytest.mark.ecr_public("111122223333")'
    module = f"pytestmark = {mark}\n" if where == "module" else ""
    cls = f"@{mark}\n" if where == "class" else ""
    test = f"    @{mark}\n" if where == "test" else ""
    make_tests(
        pytester,
        f"""
{module}
{cls}class TestIt:
{test}    def test_requests_it(self, ecr_public):
        raise AssertionError("the body must not run")

{test}    def test_does_not_request_it(self):
        raise AssertionError("the body must not run")
""",
    )
    result = run(pytester)
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(
        ["*TypeError: @pytest.mark.ecr_public takes keyword options only*'111122223333'*"]
    )
    result.stdout.no_fnmatch_line("*the body must not run*")


def test_fixtures_option_lists_every_fixture(pytester):
    result = run(pytester, "--fixtures")
    assert result.ret == 0
    scopes = {name: f" [{name.split('_')[0]} scope]" for name in SCOPED}
    result.stdout.re_match_lines(
        [
            ".*fixtures defined from pytest_ecrpublic_mock.*",
            *(
                re.escape(f"{name}{scopes.get(name, '')} -- ") + r".*__init__\.py:\d+$"
                for name in ("ecr_public", "ecr_public_client", *SCOPED)
            ),
        ]
    )


def test_class_ecr_public_shares_state_within_a_class(pytester):
    make_tests(
        pytester,
        """
class TestFirst:
    def test_create(self, class_ecr_public):
        client = boto3.client("ecr-public", region_name="us-east-1")
        client.create_repository(repositoryName="first")

    def test_sees_it(self, class_ecr_public):
        assert class_ecr_public.active
        assert list(class_ecr_public.repositories) == ["first"]


class TestSecond:
    def test_fresh(self, class_ecr_public):
        assert list(class_ecr_public.repositories) == []
""",
    )
    result, events = run_logging(pytester)
    result.assert_outcomes(passed=3)
    assert events.log == [
        *("start class_ecr_public", "test_create", "test_sees_it", "stop class_ecr_public"),
        *("start class_ecr_public", "test_fresh", "stop class_ecr_public"),
    ]


def test_module_ecr_public_shares_state_within_a_module(pytester):
    body = """
def test_create_{name}(module_ecr_public):
    client = boto3.client("ecr-public", region_name="us-east-1")
    assert names(client) == []
    client.create_repository(repositoryName="{name}")


class TestInClass:
    def test_class_sees_{name}(self, module_ecr_public):
        assert list(module_ecr_public.repositories) == ["{name}"]


def test_sees_{name}(module_ecr_public):
    assert list(module_ecr_public.repositories) == ["{name}"]
"""
    pytester.makepyfile(
        test_one=HELPERS + body.format(name="one"), test_two=HELPERS + body.format(name="two")
    )
    result, events = run_logging(pytester)
    result.assert_outcomes(passed=6)
    assert events.log == [
        "start module_ecr_public",
        *("test_create_one", "test_class_sees_one", "test_sees_one"),
        "stop module_ecr_public",
        "start module_ecr_public",
        *("test_create_two", "test_class_sees_two", "test_sees_two"),
        "stop module_ecr_public",
    ]


PACKAGE_TESTS = (
    """
def test_create_{name}(package_ecr_public):
    client = boto3.client("ecr-public", region_name="us-east-1")
    client.create_repository(repositoryName="{name}")
""",
    """
def test_sees_{name}(package_ecr_public):
    assert "{name}" in package_ecr_public.repositories
""",
)


def make_packages(pytester: pytest.Pytester, conftest: str = "") -> None:
    for package in ("pkg_a", "pkg_b"):
        directory = pytester.mkpydir(package)
        for index, body in enumerate(PACKAGE_TESTS):
            path = directory / f"test_{index}_{package}.py"
            path.write_text(HELPERS + body.format(name=package))
        if conftest:
            directory.joinpath("conftest.py").write_text(conftest)


def test_package_ecr_public_shares_state_within_a_package(pytester):
    """pytest ties a package-scoped fixture to the package that defines it: re-exported
    from a package's conftest.py, ``package_ecr_public`` is one mock per package."""
    make_packages(pytester, conftest="from pytest_ecrpublic_mock import package_ecr_public\n")
    result, events = run_logging(pytester, "-p", "no:cacheprovider")
    result.assert_outcomes(passed=4)
    assert events.log == [
        *("start package_ecr_public", "test_create_pkg_a", "test_sees_pkg_a"),
        "stop package_ecr_public",
        *("start package_ecr_public", "test_create_pkg_b", "test_sees_pkg_b"),
        "stop package_ecr_public",
    ]
    first, second = events.handles("package_ecr_public")
    assert list(first.repositories) == ["pkg_a"]
    assert list(second.repositories) == ["pkg_b"]


def test_package_ecr_public_from_the_plugin_alone_spans_the_session(pytester):
    """A plugin's fixture is defined in no package, so pytest keeps a package-scoped one
    for the whole session (as pytest-mock's ``package_mocker``): documented, pinned here."""
    make_packages(pytester)
    result, events = run_logging(pytester, "-p", "no:cacheprovider")
    result.assert_outcomes(passed=4)
    assert events.log == [
        *("start package_ecr_public", "test_create_pkg_a", "test_sees_pkg_a"),
        *("test_create_pkg_b", "test_sees_pkg_b", "stop package_ecr_public"),
    ]
    (handle,) = events.handles("package_ecr_public")
    assert list(handle.repositories) == ["pkg_a", "pkg_b"]


def test_session_ecr_public_shares_state_across_the_session(pytester):
    pytester.makepyfile(
        test_1_create=HELPERS
        + """
def test_create(session_ecr_public):
    client = boto3.client("ecr-public", region_name="us-east-1")
    client.create_repository(repositoryName="everywhere")
""",
        test_2_check=HELPERS
        + """
def test_unrelated():
    pass


class TestIt:
    def test_sees_it(self, session_ecr_public):
        assert session_ecr_public.active
        assert list(session_ecr_public.repositories) == ["everywhere"]
""",
    )
    result, events = run_logging(pytester)
    result.assert_outcomes(passed=3)
    assert events.log == [
        *("start session_ecr_public", "test_create", "test_unrelated", "test_sees_it"),
        "stop session_ecr_public",
    ]


@pytest.mark.parametrize("scoped", SCOPED)
def test_the_function_mock_serves_inside_a_scoped_one(pytester, scoped):
    """Innermost serves: ``ecr_public``, by name or applied by the marker, shadows a
    scoped mock, even when the scoped one is first set up for the same test; the scoped
    one serves again afterwards."""
    make_tests(
        pytester,
        f"""
class TestIt:
    @pytest.mark.ecr_public(account_id="111122223333")
    def test_marked(self, {scoped}):
        client = boto3.client("ecr-public", region_name="us-east-1")
        repo = client.create_repository(repositoryName="inner")["repository"]
        assert repo["registryId"] == "111122223333"
        assert list({scoped}.repositories) == []

    def test_named(self, {scoped}, ecr_public):
        client = boto3.client("ecr-public", region_name="us-east-1")
        client.create_repository(repositoryName="inner")
        assert list(ecr_public.repositories) == ["inner"]
        assert list({scoped}.repositories) == []

    def test_scoped_alone(self, {scoped}):
        client = boto3.client("ecr-public", region_name="us-east-1")
        assert names(client) == []
        client.create_repository(repositoryName="outer")
        assert list({scoped}.repositories) == ["outer"]
""",
    )
    result, events = run_logging(pytester)
    result.assert_outcomes(passed=3)
    assert events.log == [
        *(f"start {scoped}", "start ecr_public", "test_marked", "stop ecr_public"),
        *("start ecr_public", "test_named", "stop ecr_public"),
        *("test_scoped_alone", f"stop {scoped}"),
    ]


def test_markers_do_not_configure_the_scoped_mocks(pytester):
    make_tests(
        pytester,
        """
pytestmark = pytest.mark.ecr_public(account_id="111122223333")


def test_scoped(module_ecr_public, ecr_public):
    assert module_ecr_public.account_id == "123456789012"
    assert ecr_public.account_id == "111122223333"
""",
    )
    run(pytester).assert_outcomes(passed=1)
