"""Every timestamp the mock reports follows ``freezegun.freeze_time``.

The timestamps: a repository's ``createdAt`` (CreateRepository, DescribeRepositories,
DeleteRepository), an image's ``imagePushedAt`` (DescribeImages and DescribeImageTags'
``imageDetail``), a tag's ``createdAt`` (DescribeImageTags) and a token's ``expiresAt``
(GetAuthorizationToken: now + 12 hours, to the millisecond), and the handle's state
views (``created_at``, ``pushed_at``).

botocore parses them into tz-aware datetimes in the local zone; they are compared in UTC.
The JSON protocol sends epoch seconds as a float, which carries microseconds exactly for
these dates. Each timestamp is the frozen instant at AWS's precision (the AWS CLI's
``ecr-public`` examples; docs/aws-behaviour.md, section "Renderings"): a repository's
``createdAt`` to the millisecond, ``imagePushedAt`` and a tag's ``createdAt`` to the second
(truncated), ``expiresAt`` (now + 12 hours) to the microsecond: AWS sends it with its
fraction too (the AWS CLI's ECR examples show ``"expiresAt": 1470951892.432``).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import subprocess
import sys
import textwrap
import unittest

import boto3
import pytest
from freezegun import freeze_time

from ecrpublic_mock import mock_ecr_public

UTC = dt.timezone.utc
TWELVE_HOURS = dt.timedelta(hours=12)

T0 = dt.datetime(2021, 3, 4, 5, 6, 7, 123456, tzinfo=UTC)
T1 = dt.datetime(2022, 8, 9, 10, 11, 12, 654321, tzinfo=UTC)
T2 = dt.datetime(2023, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
T3 = dt.datetime(2024, 2, 29, 12, 0, tzinfo=UTC)


def client(region: str = "us-east-1"):
    return boto3.client("ecr-public", region_name=region)


def utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(UTC)


def ms(moment: dt.datetime) -> dt.datetime:
    """A repository's ``createdAt``: the instant to the millisecond (truncated)."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def sec(moment: dt.datetime) -> dt.datetime:
    """An image's ``imagePushedAt`` and a tag's ``createdAt``: the instant to the second."""
    return moment.replace(microsecond=0)


def real_now() -> dt.datetime:
    return dt.datetime.now(UTC)


def assert_expires(actual: dt.datetime, now: dt.datetime) -> None:
    """``expiresAt`` is exactly now + 12 h, in whole milliseconds."""
    assert utc(actual) == ms(now) + TWELVE_HOURS


def token_expiry() -> dt.datetime:
    return client().get_authorization_token()["authorizationData"]["expiresAt"]


def repo_created(ecr_client, name: str) -> dt.datetime:
    [repo] = ecr_client.describe_repositories(repositoryNames=[name])["repositories"]
    return utc(repo["createdAt"])


def pushed_at(ecr_client, repo: str, digest: str) -> dt.datetime:
    [image] = ecr_client.describe_images(repositoryName=repo, imageIds=[{"imageDigest": digest}])[
        "imageDetails"
    ]
    return utc(image["imagePushedAt"])


def tag_times(ecr_client, repo: str) -> dict[str, tuple[dt.datetime, dt.datetime, str]]:
    """tag -> (tag createdAt, its image's imagePushedAt, its image's digest)."""
    details = ecr_client.describe_image_tags(repositoryName=repo)["imageTagDetails"]
    return {
        d["imageTag"]: (
            utc(d["createdAt"]),
            utc(d["imageDetail"]["imagePushedAt"]),
            d["imageDetail"]["imageDigest"],
        )
        for d in details
    }


# -- frozen at one instant -----------------------------------------------------------------

INSTANTS = [
    pytest.param("2001-02-03 04:05:06", dt.datetime(2001, 2, 3, 4, 5, 6, tzinfo=UTC), id="2001"),
    pytest.param(
        "2024-02-29 23:59:59.999999",
        dt.datetime(2024, 2, 29, 23, 59, 59, 999999, tzinfo=UTC),
        id="leap-day-last-microsecond",
    ),
    pytest.param(
        dt.datetime(
            2024, 6, 1, 9, 30, 15, 250000, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30))
        ),
        dt.datetime(2024, 6, 1, 4, 0, 15, 250000, tzinfo=UTC),
        id="aware-datetime-plus-0530",
    ),
    pytest.param(
        "2019-07-04T18:00:00.000001-07:00",
        dt.datetime(2019, 7, 5, 1, 0, 0, 1, tzinfo=UTC),
        id="aware-string-minus-0700",
    ),
    pytest.param(dt.date(2010, 10, 10), dt.datetime(2010, 10, 10, tzinfo=UTC), id="date"),
    pytest.param(
        "2038-01-19 03:14:08", dt.datetime(2038, 1, 19, 3, 14, 8, tzinfo=UTC), id="past-int32"
    ),
    pytest.param(
        "2099-12-31 12:34:56.000001",
        dt.datetime(2099, 12, 31, 12, 34, 56, 1, tzinfo=UTC),
        id="2099-one-microsecond",
    ),
]


@pytest.mark.parametrize(("frozen", "expected"), INSTANTS)
def test_every_timestamp_is_the_frozen_instant(frozen, expected):
    with freeze_time(frozen), mock_ecr_public() as ecr:
        c = client()
        created = c.create_repository(repositoryName="repo")["repository"]["createdAt"]
        assert utc(created) == ms(expected)
        assert repo_created(c, "repo") == ms(expected)
        [listed] = c.describe_repositories()["repositories"]
        assert utc(listed["createdAt"]) == ms(expected)

        digest = ecr.push_image("repo", tag="v1", layers=[b"x"])
        [image] = c.describe_images(repositoryName="repo")["imageDetails"]
        assert utc(image["imagePushedAt"]) == sec(expected)
        assert pushed_at(c, "repo", digest) == sec(expected)
        [by_tag] = c.describe_images(repositoryName="repo", imageIds=[{"imageTag": "v1"}])[
            "imageDetails"
        ]
        assert utc(by_tag["imagePushedAt"]) == sec(expected)
        assert tag_times(c, "repo") == {"v1": (sec(expected), sec(expected), digest)}
        view = ecr.repositories["repo"]  # the handle's state view holds the same instants
        assert view.created_at == ms(expected)
        assert view.images[digest].pushed_at == sec(expected)

        assert_expires(token_expiry(), expected)
        if expected.microsecond == 0:
            assert utc(token_expiry()) == ms(expected) + TWELVE_HOURS

        deleted = c.delete_repository(repositoryName="repo", force=True)["repository"]
        assert utc(deleted["createdAt"]) == ms(expected)


def test_tz_offset_timestamps_follow_the_aware_clock():
    """Timestamps are freezegun's ``datetime.now(timezone.utc)``.

    Under ``tz_offset`` freezegun (1.5.5) shifts the aware clock too (spulec/freezegun#348,
    #553): ``now(timezone.utc)`` is 2019-12-31 16:30Z here, while ``time.time()`` and
    ``utcnow()`` say 2020-01-01 00:30Z. The mock reads the aware clock, so it follows the
    shift; this test holds whichever way freezegun settles it.
    """
    with freeze_time("2020-01-01 00:30:00", tz_offset=-8), mock_ecr_public() as ecr:
        expected = dt.datetime.now(UTC)
        c = client()
        c.create_repository(repositoryName="repo")
        ecr.push_image("repo", tag="v1")
        assert repo_created(c, "repo") == ms(expected)
        assert tag_times(c, "repo")["v1"][:2] == (expected, expected)
        assert utc(token_expiry()) == ms(expected) + TWELVE_HOURS


def test_auth_token_expiry_is_to_the_millisecond():
    """``expiresAt`` carries whole milliseconds, as the AWS CLI's get-authorization-token
    example shows it (``2021-03-03T21:37:26.301000-04:00``)."""
    with freeze_time(T0), mock_ecr_public():
        assert T0.microsecond % 1000
        assert utc(token_expiry()) == ms(T0) + TWELVE_HOURS


# -- the clock moving between calls --------------------------------------------------------


def test_move_to_and_tick_between_calls():
    with freeze_time(T0) as frozen, mock_ecr_public() as ecr:
        c = client()
        c.create_repository(repositoryName="repo")
        first = ecr.push_image("repo", tag="v1", layers=[b"x"])

        frozen.move_to(T1)
        c.create_repository(repositoryName="later")
        second = ecr.push_image("repo", tag="v2", layers=[b"y"])
        assert utc(token_expiry()) == ms(T1) + TWELVE_HOURS

        frozen.tick(dt.timedelta(minutes=5, microseconds=7))
        t_tick = T1 + dt.timedelta(minutes=5, microseconds=7)
        third = ecr.push_image("repo", tag="v3", layers=[b"z"])
        assert_expires(token_expiry(), t_tick)

        frozen.tick()  # one second
        c.create_repository(repositoryName="ticked")

        assert repo_created(c, "repo") == ms(T0)
        assert repo_created(c, "later") == ms(T1)
        assert repo_created(c, "ticked") == ms(t_tick + dt.timedelta(seconds=1))
        assert pushed_at(c, "repo", first) == sec(T0)
        assert pushed_at(c, "repo", second) == sec(T1)
        assert pushed_at(c, "repo", third) == sec(t_tick)
        view = ecr.repositories["repo"]
        assert [i.pushed_at for i in view.images.values()] == [sec(T0), sec(T1), sec(t_tick)]
        assert tag_times(c, "repo") == {
            "v1": (sec(T0), sec(T0), first),
            "v2": (sec(T1), sec(T1), second),
            "v3": (sec(t_tick), sec(t_tick), third),
        }


def test_moved_tag_gets_the_new_time_and_the_others_keep_theirs():
    with freeze_time(T0) as frozen, mock_ecr_public() as ecr:
        c = client()
        c.create_repository(repositoryName="repo")
        a = ecr.push_image("repo", tag="v1", layers=[b"a"])
        frozen.move_to(T1)
        b = ecr.push_image("repo", tag="v2", layers=[b"b"])

        frozen.move_to(T2)
        # Pushing B's manifest again, tagged v1, moves v1 from A to B.
        assert ecr.push_image("repo", tag="v1", layers=[b"b"]) == b

        assert tag_times(c, "repo") == {"v1": (sec(T2), sec(T1), b), "v2": (sec(T1), sec(T1), b)}
        # The images keep their push times: B existed already, A is now untagged.
        assert pushed_at(c, "repo", a) == sec(T0)
        assert pushed_at(c, "repo", b) == sec(T1)
        images = {
            i["imageDigest"]: i for i in c.describe_images(repositoryName="repo")["imageDetails"]
        }
        assert "imageTags" not in images[a]
        assert images[b]["imageTags"] == ["v2", "v1"]

        # An image tagged again later: the new tag has the new time, the image its old one.
        frozen.move_to(T3)
        assert ecr.push_image("repo", tag="v3", layers=[b"a"]) == a
        times = tag_times(c, "repo")
        assert times["v3"] == (sec(T3), sec(T0), a)
        assert times["v1"] == (sec(T2), sec(T1), b)


def test_deleted_and_recreated_repository_gets_the_new_time():
    with freeze_time(T0) as frozen, mock_ecr_public() as ecr:
        c = client()
        c.create_repository(repositoryName="repo")
        digest = ecr.push_image("repo", tag="v1")
        frozen.move_to(T1)
        deleted = c.delete_repository(repositoryName="repo", force=True)["repository"]
        assert utc(deleted["createdAt"]) == ms(T0)
        c.create_repository(repositoryName="repo")
        assert repo_created(c, "repo") == ms(T1)
        assert ecr.push_image("repo", tag="v1") == digest
        assert tag_times(c, "repo") == {"v1": (sec(T1), sec(T1), digest)}


def test_tick_true_clock_moves_forward_from_the_start():
    start = dt.datetime(2022, 1, 1, tzinfo=UTC)
    with freeze_time(start, tick=True), mock_ecr_public() as ecr:
        c = client()
        c.create_repository(repositoryName="first")
        first = repo_created(c, "first")
        c.create_repository(repositoryName="second")
        second = repo_created(c, "second")
        assert start <= first < second
        assert second - start < dt.timedelta(minutes=5)  # the ticking clock, not the real one

        d1 = ecr.push_image("first", tag="v1", layers=[b"1"])
        d2 = ecr.push_image("first", tag="v2", layers=[b"2"])
        p1, p2 = pushed_at(c, "first", d1), pushed_at(c, "first", d2)
        # Whole seconds: images pushed within the same second tie.
        assert sec(second) <= p1 <= p2
        times = tag_times(c, "first")
        assert sec(second) <= times["v1"][0] <= times["v2"][0]

        e1 = utc(token_expiry())
        e2 = utc(token_expiry())
        assert start + TWELVE_HOURS <= e1 <= e2 < start + TWELVE_HOURS + dt.timedelta(minutes=5)


def test_tick_true_with_move_to():
    with freeze_time(T0, tick=True) as frozen, mock_ecr_public():
        c = client()
        c.create_repository(repositoryName="before")
        frozen.move_to(T1)
        c.create_repository(repositoryName="after")
        before, after = repo_created(c, "before"), repo_created(c, "after")
        assert ms(T0) <= before < T0 + dt.timedelta(minutes=5)
        assert ms(T1) <= after < T1 + dt.timedelta(minutes=5)


def test_auto_tick_seconds():
    """``auto_tick_seconds``: each clock read advances the clock."""
    with freeze_time(T3, auto_tick_seconds=10), mock_ecr_public() as ecr:
        c = client()
        c.create_repository(repositoryName="aa")
        c.create_repository(repositoryName="bb")
        a, b = repo_created(c, "aa"), repo_created(c, "bb")
        assert T3 <= a < b
        assert (b - a) % dt.timedelta(seconds=10) == dt.timedelta(0)
        digest = ecr.push_image("aa", tag="v1")
        assert pushed_at(c, "aa", digest) > b


# -- where freeze_time starts relative to the mock and the clients ---------------------------


def test_mock_and_client_created_before_freeze_follow_it():
    mock = mock_ecr_public()
    mock.start()
    try:
        c = client()
        c.create_repository(repositoryName="real")
        with freeze_time(T0) as frozen:
            c.create_repository(repositoryName="frozen")
            digest = mock.push_image("frozen", tag="v1")
            assert_expires(token_expiry(), T0)
            frozen.move_to(T1)
            mock.push_image("frozen", tag="v2")
            assert tag_times(c, "frozen") == {
                "v1": (sec(T0), sec(T0), digest),
                "v2": (sec(T1), sec(T0), digest),
            }
        before_after = real_now()
        c.create_repository(repositoryName="after")
        assert repo_created(c, "frozen") == ms(T0)
        assert pushed_at(c, "frozen", digest) == sec(T0)
        # Outside the freeze, the real clock again.
        assert abs(repo_created(c, "real") - before_after) < dt.timedelta(minutes=5)
        assert ms(before_after) <= repo_created(c, "after") <= real_now()
        assert before_after + TWELVE_HOURS - dt.timedelta(seconds=1) <= utc(token_expiry())
    finally:
        mock.stop()


def test_client_created_before_the_mock_and_the_freeze():
    c = client()
    with mock_ecr_public(), freeze_time(T2):
        c.create_repository(repositoryName="repo")
        assert repo_created(c, "repo") == ms(T2)


def test_freeze_inside_the_mock_then_outside_another_mock():
    with freeze_time(T0), mock_ecr_public():
        c = client()
        c.create_repository(repositoryName="repo")
        assert repo_created(c, "repo") == ms(T0)
        with mock_ecr_public():  # the innermost mock answers, under the same freeze
            c.create_repository(repositoryName="repo")
            assert repo_created(c, "repo") == ms(T0)
    with mock_ecr_public() as ecr, freeze_time(T1):
        c.create_repository(repositoryName="repo")
        ecr.push_image("repo", tag="v1")
        assert repo_created(c, "repo") == ms(T1)
        assert tag_times(c, "repo")["v1"][:2] == (sec(T1), sec(T1))


def test_nested_freezes():
    with freeze_time(T0), mock_ecr_public():
        c = client()
        c.create_repository(repositoryName="outer")
        with freeze_time(T1):
            c.create_repository(repositoryName="inner")
            assert_expires(token_expiry(), T1)
        c.create_repository(repositoryName="outer-again")
        assert repo_created(c, "outer") == ms(T0)
        assert repo_created(c, "inner") == ms(T1)
        assert repo_created(c, "outer-again") == ms(T0)
        assert_expires(token_expiry(), T0)


@freeze_time(T1)
@mock_ecr_public
def test_freeze_time_decorator_outside_mock_decorator():
    c = client()
    c.create_repository(repositoryName="repo")
    assert repo_created(c, "repo") == ms(T1)
    assert utc(token_expiry()) == ms(T1) + TWELVE_HOURS


@mock_ecr_public
@freeze_time("2005-05-05 05:05:05")
def test_freeze_time_decorator_inside_mock_decorator():
    c = client()
    c.create_repository(repositoryName="repo")
    assert repo_created(c, "repo") == ms(dt.datetime(2005, 5, 5, 5, 5, 5, tzinfo=UTC))


def test_freeze_time_as_kwarg_around_mock_with_options():
    # Called directly: pytest would take ``frozen`` for a fixture. (``as_arg`` is broken in
    # freezegun 1.5.5: it calls the function a second time without the argument.)
    @freeze_time(T3, as_kwarg="frozen")
    @mock_ecr_public(account_id="111122223333")
    def scenario(frozen):
        c = client()
        repo = c.create_repository(repositoryName="repo")["repository"]
        assert repo["registryId"] == "111122223333"
        frozen.tick(dt.timedelta(hours=1))
        c.create_repository(repositoryName="later")
        return repo_created(c, "repo"), repo_created(c, "later")

    assert scenario() == (T3, T3 + dt.timedelta(hours=1))


def test_freeze_time_around_async_decorated_function():
    @mock_ecr_public
    async def scenario():
        c = client()
        c.create_repository(repositoryName="repo")
        return repo_created(c, "repo")

    with freeze_time(T2):
        assert asyncio.run(scenario()) == ms(T2)


@freeze_time(T0)
@mock_ecr_public
class TestFrozenClass:
    """Both class decorators: every test method runs frozen, on a fresh mock."""

    def test_repository(self):
        c = client()
        c.create_repository(repositoryName="repo")
        assert repo_created(c, "repo") == ms(T0)

    def test_token(self):
        assert_expires(token_expiry(), T0)


@freeze_time(T1)
@mock_ecr_public
class FrozenTestCase(unittest.TestCase):
    def test_image(self):
        c = client()
        c.create_repository(repositoryName="repo")
        assert repo_created(c, "repo") == ms(T1)
        assert_expires(token_expiry(), T1)


# -- nothing caches a clock at import ---------------------------------------------------------

FRESH_INTERPRETER = """
import datetime as dt
from freezegun import freeze_time

UTC = dt.timezone.utc
T0 = dt.datetime(2003, 3, 3, 3, 3, 3, 303000, tzinfo=UTC)  # createdAt: to the millisecond
T1 = dt.datetime(2013, 1, 1, tzinfo=UTC)

def created(c, name):
    [r] = c.describe_repositories(repositoryNames=[name])["repositories"]
    return r["createdAt"].astimezone(UTC)

# Import the package (and boto3) for the first time while time is frozen.
with freeze_time(T0):
    import boto3
    from ecrpublic_mock import mock_ecr_public
    with mock_ecr_public():
        c = boto3.client("ecr-public", region_name="us-east-1")
        c.create_repository(repositoryName="during")
        assert created(c, "during") == T0, created(c, "during")

with mock_ecr_public() as ecr:
    c = boto3.client("ecr-public", region_name="us-east-1")
    before = dt.datetime.now(UTC).replace(microsecond=0)  # pushes: to the second
    c.create_repository(repositoryName="after")
    ecr.push_image("after", tag="v1")
    [d] = c.describe_image_tags(repositoryName="after")["imageTagDetails"]
    # The real clock, not the instant the import saw.
    assert created(c, "after") >= before, created(c, "after")
    assert d["createdAt"].astimezone(UTC) >= before
    assert d["imageDetail"]["imagePushedAt"].astimezone(UTC) >= before
    with freeze_time(T1):
        c.create_repository(repositoryName="again")
        assert created(c, "again") == T1, created(c, "again")
print("ok")
"""


@pytest.mark.slow
def test_importing_under_freeze_caches_no_clock():
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(FRESH_INTERPRETER)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
