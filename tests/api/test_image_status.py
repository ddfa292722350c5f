"""SetImageStatus: deprecation of images in premium repositories, its cancellation, the
deletion when the deprecation period ends (on the mock's clock, which freezegun moves),
the manifest-list ordering rules, and imageStatus/scheduledDeletionAt in DescribeImages
and DescribeImageTags.

Sources: botocore 1.44.18's model (SetImageStatus and its members' documentation,
ImageDetail.imageStatus/scheduledDeletionAt, quoted per test), and where AWS leaves a
point undocumented (every text: the model names the codes only), the mock's choice
(docs/aws-behaviour.md, section "Premium repositories"; the
texts in ecrpublic_mock/_core/messages.py, copied here as literals).
"""

from __future__ import annotations

import datetime as dt

import boto3
import pytest
from _support import (
    ACCOUNT,
    PREMIUM_MODULE,
    assert_error,
    body,
    invalid,
    make_premium,
    repo_not_found,
)
from botocore.config import Config
from botocore.exceptions import ClientError
from freezegun import freeze_time

pytestmark = PREMIUM_MODULE

UTC = dt.timezone.utc
PREMIUM = {"repositoryType": "PREMIUM"}
T0 = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
DAY = dt.timedelta(days=1)
SECOND = dt.timedelta(seconds=1)

MUST_BE_PREMIUM = invalid("repositoryType", "must be PREMIUM")
PERIOD_MISSING = invalid("deprecationPeriodDays", "must not be null when status is DEPRECATED")
PERIOD_UNEXPECTED = invalid("deprecationPeriodDays", "must be null when status is ACTIVE")


@pytest.fixture(autouse=True)
def frozen():
    """Every test runs on a frozen clock at T0 (a time in the past: deprecated images
    would be deleted by the real clock); a test moves it with ``tick`` or ``move_to``."""
    with freeze_time(T0) as clock:
        yield clock


def status_in_draft(name: str) -> str:
    return (
        f"The image status can't be set while the repository with name '{name}' is in the "
        "DRAFT state"
    )


def list_not_deprecated_first(digest: str, list_digest: str) -> str:
    return (
        f"The image '{digest}' is referenced by manifest list '{list_digest}', which must be "
        "deprecated with an earlier deletion time first"
    )


def list_deleted_after_image(list_digest: str, digest: str) -> str:
    return (
        f"The manifest list '{list_digest}' must be deleted before the image '{digest}' it "
        "references"
    )


def list_references_deprecated(list_digest: str) -> str:
    return (
        f"The manifest list '{list_digest}' references deprecated images and can't be set to ACTIVE"
    )


def image_not_found(digest: str | None, tag: str | None, name: str = "app") -> str:
    def quoted(value):
        return f"'{value}'" if value is not None else "'null'"

    return (
        f"The image with imageId {{imageDigest:{quoted(digest)}, imageTag:{quoted(tag)}}} does "
        f"not exist within the repository with name '{name}' in the registry with id '{ACCOUNT}'"
    )


def push(ecr, tag: str | None, name: str = "app", salt: str | None = None) -> str:
    layer = f"layer {salt or tag}".encode()
    return ecr.push_image(name, tag, layers=[layer], repository_type="PREMIUM")


def set_status(client, image_id: dict, status: str, days: int | None = None, name: str = "app"):
    extra = {} if days is None else {"deprecationPeriodDays": days}
    return client.set_image_status(
        repositoryName=name,
        repositoryType="PREMIUM",
        imageId=image_id,
        status=status,
        **extra,
    )


def deprecate(client, digest: str, days: int):
    return set_status(client, {"imageDigest": digest}, "DEPRECATED", days)


def details(client, name: str = "app") -> dict[str, dict]:
    found = client.describe_images(repositoryName=name, **PREMIUM)["imageDetails"]
    return {d["imageDigest"]: d for d in found}


def tag_details(client, name: str = "app") -> dict[str, dict]:
    found = client.describe_image_tags(repositoryName=name, **PREMIUM)["imageTagDetails"]
    return {d["imageTag"]: d["imageDetail"] for d in found}


# --------------------------------------------------------------------------------------
# The request's own rules
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("free_exists", [False, True])
@pytest.mark.parametrize(("status", "days"), [("DEPRECATED", 90), ("ACTIVE", None)])
def test_free_repository_type(ecr, client, free_exists, status, days):
    """botocore 1.44.18's model, repositoryType: "You can set the image status only in a
    PREMIUM repository" (InvalidParameterException, the mock's text), whether or not a
    free repository holds the image."""
    image_id = {"imageTag": "v1"}
    if free_exists:
        client.create_repository(repositoryName="app")
        ecr.push_image("app", "v1")
    extra = {} if days is None else {"deprecationPeriodDays": days}
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        client.set_image_status(
            repositoryName="app", repositoryType="FREE", imageId=image_id, status=status, **extra
        )
    assert_error(excinfo, "InvalidParameterException", MUST_BE_PREMIUM)


@pytest.mark.parametrize(("status", "days"), [("DEPRECATED", 90), ("ACTIVE", None)])
def test_draft_repository(ecr, client, status, days):
    """botocore 1.44.18's model: "You can't use this operation while the repository is in
    the DRAFT state" (ValidationException, the mock's text); the image stays ACTIVE."""
    make_premium(client, state="DRAFT")
    digest = push(ecr, "v1")
    with pytest.raises(client.exceptions.ValidationException) as excinfo:
        set_status(client, {"imageTag": "v1"}, status, days)
    assert_error(excinfo, "ValidationException", status_in_draft("app"))
    assert details(client)[digest]["imageStatus"] == "ACTIVE"


@pytest.mark.parametrize("state", ["AVAILABLE", "HIDDEN"])
def test_available_and_hidden_repositories(ecr, client, state):
    """botocore 1.44.18's model: past DRAFT the status can be set, in either state."""
    make_premium(client, state=state)
    digest = push(ecr, "v1")
    assert set_status(client, {"imageDigest": digest}, "DEPRECATED", 90)["status"] == "DEPRECATED"


def test_period_missing(ecr, client):
    """botocore 1.44.18's model, deprecationPeriodDays: "This parameter is required when
    you set status to DEPRECATED" (InvalidParameterException, the mock's text)."""
    make_premium(client)
    digest = push(ecr, "v1")
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        set_status(client, {"imageTag": "v1"}, "DEPRECATED")
    assert_error(excinfo, "InvalidParameterException", PERIOD_MISSING)
    assert details(client)[digest]["imageStatus"] == "ACTIVE"


@pytest.mark.parametrize("days", [90, 200, 365])
def test_period_with_active(ecr, client, days):
    """botocore 1.44.18's model, deprecationPeriodDays: "Don't specify it when you set
    status to ACTIVE" (InvalidParameterException, the mock's text); a pending deletion
    stays pending."""
    make_premium(client)
    digest = push(ecr, "v1")
    deprecate(client, digest, 100)
    before = details(client)[digest]
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        set_status(client, {"imageTag": "v1"}, "ACTIVE", days)
    assert_error(excinfo, "InvalidParameterException", PERIOD_UNEXPECTED)
    assert details(client)[digest] == before


def test_period_under_the_range(ecr):
    """botocore 1.44.18's model: DeprecationPeriodDays is 90-365. botocore checks the
    minimum itself; a client that skips its checks gets the service's
    InvalidParameterException (docs/aws-behaviour.md, section "Validation", as
    tests/api/test_validation.py asserts range messages)."""
    raw = boto3.client(
        "ecr-public", region_name="us-east-1", config=Config(parameter_validation=False)
    )
    make_premium(raw)
    push(ecr, "v1")
    with pytest.raises(raw.exceptions.InvalidParameterException) as excinfo:
        set_status(raw, {"imageTag": "v1"}, "DEPRECATED", 89)
    assert_error(
        excinfo,
        "InvalidParameterException",
        invalid("deprecationPeriodDays", "Member must have value greater than or equal to 90"),
    )


def test_period_over_the_range(ecr, client):
    """botocore 1.44.18's model: DeprecationPeriodDays is 90-365; botocore does not check
    maximums, the service does (docs/aws-behaviour.md, section "Validation")."""
    make_premium(client)
    digest = push(ecr, "v1")
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        set_status(client, {"imageTag": "v1"}, "DEPRECATED", 366)
    assert_error(
        excinfo,
        "InvalidParameterException",
        invalid("deprecationPeriodDays", "Member must have value less than or equal to 365"),
    )
    assert details(client)[digest]["imageStatus"] == "ACTIVE"


def test_unknown_image(ecr, client):
    """botocore 1.44.18's model declares ImageNotFoundException (the usual text)."""
    make_premium(client)
    push(ecr, "v1")
    with pytest.raises(client.exceptions.ImageNotFoundException) as excinfo:
        set_status(client, {"imageTag": "nope"}, "DEPRECATED", 90)
    assert_error(excinfo, "ImageNotFoundException", image_not_found(None, "nope"))
    missing = "sha256:" + "0" * 64
    with pytest.raises(client.exceptions.ImageNotFoundException) as excinfo:
        set_status(client, {"imageDigest": missing}, "ACTIVE")
    assert_error(excinfo, "ImageNotFoundException", image_not_found(missing, None))


def test_unknown_repository(ecr, client):
    """botocore 1.44.18's model declares RepositoryNotFoundException; a free repository
    of the name does not count."""
    client.create_repository(repositoryName="app")
    with pytest.raises(client.exceptions.RepositoryNotFoundException) as excinfo:
        set_status(client, {"imageTag": "v1"}, "DEPRECATED", 90)
    assert_error(excinfo, "RepositoryNotFoundException", repo_not_found("app"))


# --------------------------------------------------------------------------------------
# Deprecating: the answer and the scheduled time
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("by", "echoed"),
    [
        ({"imageTag": "v1"}, ("imageTag",)),
        ({"imageDigest": None}, ()),
        ({"imageDigest": None, "imageTag": "v1"}, ("imageTag",)),
    ],
    ids=["tag", "digest", "both"],
)
@pytest.mark.parametrize("days", [90, 180, 365])
def test_deprecate_answer(ecr, client, by, echoed, days, frozen):
    """botocore 1.44.18's model: the answer is repositoryName, repositoryType, imageId,
    status, scheduledDeletionAt ("the time of the SetImageStatus request plus the
    deprecation period"). The imageId is the request's, with the digest the tag resolved
    to (the mock's choice); the time is in whole seconds on the mock's clock."""
    make_premium(client)
    digest = push(ecr, "v1")
    image_id = {k: (digest if k == "imageDigest" else v) for k, v in by.items()}
    frozen.move_to("2024-05-06 07:08:09.654321")
    answer = set_status(client, image_id, "DEPRECATED", days)
    assert body(answer) == {
        "repositoryName": "app",
        "repositoryType": "PREMIUM",
        "imageId": {"imageDigest": digest, **{k: image_id[k] for k in echoed}},
        "status": "DEPRECATED",
        "scheduledDeletionAt": T0 + days * DAY,
    }


def test_tag_resolves_to_the_image_it_names_now(ecr, client):
    """botocore 1.44.18's model, imageId: "If you specify a tag, the tag is resolved to
    the digest of the image that it currently points to, and the status is set on that
    image." A tag moved later does not carry the status along."""
    make_premium(client)
    old = push(ecr, "latest", salt="old")
    answer = set_status(client, {"imageTag": "latest"}, "DEPRECATED", 90)
    assert answer["imageId"] == {"imageTag": "latest", "imageDigest": old}
    new = push(ecr, "latest", salt="new")
    found = details(client)
    assert found[old]["imageStatus"] == "DEPRECATED"
    assert found[new]["imageStatus"] == "ACTIVE"


def test_deprecation_shows_in_describe_images_and_tags(ecr, client):
    """botocore 1.44.18's model: ImageDetail and ReferencedImageDetail gained imageStatus
    and scheduledDeletionAt ("Amazon ECR returns this value only when the image status is
    DEPRECATED"); every premium image has imageStatus."""
    make_premium(client)
    deprecated = push(ecr, "old")
    active = push(ecr, "new")
    deprecate(client, deprecated, 120)
    when = T0 + 120 * DAY
    found = details(client)
    assert found[deprecated]["imageStatus"] == "DEPRECATED"
    assert found[deprecated]["scheduledDeletionAt"] == when
    assert found[active]["imageStatus"] == "ACTIVE"
    assert "scheduledDeletionAt" not in found[active]
    tags = tag_details(client)
    assert tags["old"]["imageStatus"] == "DEPRECATED"
    assert tags["old"]["scheduledDeletionAt"] == when
    assert tags["new"]["imageStatus"] == "ACTIVE"
    assert "scheduledDeletionAt" not in tags["new"]
    view = ecr.premium_repositories["app"].images
    assert (view[deprecated].status, view[deprecated].scheduled_deletion_at) == (
        "DEPRECATED",
        when,
    )
    assert (view[active].status, view[active].scheduled_deletion_at) == ("ACTIVE", None)


def test_free_images_have_no_status(ecr, client):
    """The mock answers imageStatus only for premium images (docs/aws-behaviour.md,
    section "Premium repositories"): a free image, the premium namesake's twin included,
    has neither member."""
    make_premium(client)
    client.create_repository(repositoryName="app")
    digest = ecr.push_image("app", "v1", layers=[b"layer v1"])
    assert push(ecr, "v1") == digest
    deprecate(client, digest, 90)
    [free] = client.describe_images(repositoryName="app")["imageDetails"]
    assert "imageStatus" not in free
    assert "scheduledDeletionAt" not in free
    [tag] = client.describe_image_tags(repositoryName="app")["imageTagDetails"]
    assert "imageStatus" not in tag["imageDetail"]
    assert "scheduledDeletionAt" not in tag["imageDetail"]
    view = ecr.repositories["app"].images[digest]
    assert (view.status, view.scheduled_deletion_at) == (None, None)
    assert details(client)[digest]["imageStatus"] == "DEPRECATED"


def test_redeprecating_sets_a_new_time(ecr, client, frozen):
    """docs/aws-behaviour.md, section "Premium repositories": re-deprecating sets a new
    time, from now (longer or shorter)."""
    make_premium(client)
    digest = push(ecr, "v1")
    first = deprecate(client, digest, 365)["scheduledDeletionAt"]
    frozen.tick(10 * DAY)
    second = deprecate(client, digest, 90)["scheduledDeletionAt"]
    assert details(client)[digest]["scheduledDeletionAt"] == second
    assert first == T0 + 365 * DAY
    assert second == T0 + 100 * DAY


# --------------------------------------------------------------------------------------
# Cancelling, and the deletion when the time comes
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("by", ["tag", "digest"])
def test_active_cancels_before_the_time(ecr, client, by, frozen):
    """botocore 1.44.18's model, status: "ACTIVE: Cancels a pending deletion. You can do
    this only before the scheduled deletion time." The answer has no scheduledDeletionAt;
    the image outlives its former time."""
    make_premium(client)
    digest = push(ecr, "v1")
    image_id = {"imageTag": "v1"} if by == "tag" else {"imageDigest": digest}
    deprecate(client, digest, 90)
    frozen.tick(89 * DAY)
    answer = set_status(client, image_id, "ACTIVE")
    assert body(answer) == {
        "repositoryName": "app",
        "repositoryType": "PREMIUM",
        "imageId": {**image_id, "imageDigest": digest},
        "status": "ACTIVE",
    }
    frozen.move_to(T0 + 400 * DAY)
    found = details(client)[digest]
    assert found["imageStatus"] == "ACTIVE"
    assert "scheduledDeletionAt" not in found


def test_active_on_active_is_a_no_op(ecr, client):
    """docs/aws-behaviour.md, section "Premium repositories": ACTIVE on an ACTIVE image
    succeeds and changes nothing."""
    make_premium(client)
    digest = push(ecr, "v1")
    before = details(client)[digest]
    answer = set_status(client, {"imageTag": "v1"}, "ACTIVE")
    assert answer["status"] == "ACTIVE"
    assert "scheduledDeletionAt" not in answer
    assert details(client)[digest] == before


@pytest.mark.parametrize("days", [90, 365])
def test_image_is_deleted_when_the_time_comes(ecr, client, days, frozen):
    """botocore 1.44.18's model: "When you deprecate an image, Amazon ECR deletes it after
    the deprecation period ends" ("within 24 hours"); the mock deletes it the moment its
    clock reaches scheduledDeletionAt (docs/aws-behaviour.md, section "Premium
    repositories"): gone from DescribeImages, DescribeImageTags and the handle's view,
    its tags with it; the other images stay."""
    make_premium(client)
    doomed = push(ecr, "old")
    kept = push(ecr, "new")
    deprecate(client, doomed, days)
    frozen.move_to(T0 + days * DAY - SECOND)
    assert set(details(client)) == {doomed, kept}
    assert set(tag_details(client)) == {"old", "new"}
    assert set(ecr.premium_repositories["app"].images) == {doomed, kept}
    frozen.tick(SECOND)
    assert set(details(client)) == {kept}
    assert set(tag_details(client)) == {"new"}
    view = ecr.premium_repositories["app"]
    assert set(view.images) == {kept}
    assert dict(view.tags) == {"new": kept}
    with pytest.raises(client.exceptions.ImageNotFoundException) as excinfo:
        client.describe_images(repositoryName="app", imageIds=[{"imageTag": "old"}], **PREMIUM)
    assert_error(excinfo, "ImageNotFoundException", image_not_found(None, "old"))


def test_status_cannot_change_after_the_time(ecr, client, frozen):
    """botocore 1.44.18's model, status: "After the scheduled deletion time, you can't
    change the status of the image": the image is gone (ImageNotFoundException)."""
    make_premium(client)
    digest = push(ecr, "v1")
    deprecate(client, digest, 90)
    frozen.move_to(T0 + 91 * DAY)
    with pytest.raises(client.exceptions.ImageNotFoundException) as excinfo:
        set_status(client, {"imageDigest": digest}, "ACTIVE")
    assert_error(excinfo, "ImageNotFoundException", image_not_found(digest, None))


def test_deleted_image_frees_the_repository(ecr, client, frozen):
    """Once its images are deleted by time, a premium repository is empty: it can be
    deleted (DeletePremiumRepository needs an empty repository)."""
    make_premium(client)
    digest = push(ecr, "v1")
    deprecate(client, digest, 90)
    with pytest.raises(client.exceptions.RepositoryNotEmptyException):
        client.delete_premium_repository(repositoryName="app")
    frozen.move_to(T0 + 90 * DAY)
    client.delete_premium_repository(repositoryName="app")
    assert client.describe_premium_repositories()["repositories"] == []


# --------------------------------------------------------------------------------------
# Manifest lists
# --------------------------------------------------------------------------------------


@pytest.fixture
def listed(ecr, client):
    """A premium AVAILABLE repository with two images and a manifest list over them:
    (list digest, first image, second image)."""
    make_premium(client)
    first = ecr.push_image(
        "app", "amd64", layers=[b"amd"], platform=("linux", "amd64"), repository_type="PREMIUM"
    )
    second = ecr.push_image(
        "app", "arm64", layers=[b"arm"], platform=("linux", "arm64"), repository_type="PREMIUM"
    )
    index = ecr.push_index("app", "multi", [first, second], repository_type="PREMIUM")
    return index, first, second


def test_image_of_an_active_list(client, listed):
    """botocore 1.44.18's model, status: "To deprecate an image that a manifest list
    references, deprecate the manifest list first" (ValidationException; the text is the
    mock's); nothing changes."""
    index, first, _ = listed
    with pytest.raises(client.exceptions.ValidationException) as excinfo:
        deprecate(client, first, 90)
    assert_error(excinfo, "ValidationException", list_not_deprecated_first(first, index))
    assert {d["imageStatus"] for d in details(client).values()} == {"ACTIVE"}


@pytest.mark.parametrize(("list_days", "image_days"), [(200, 100), (100, 100)])
def test_image_of_a_list_deleted_later(client, listed, list_days, image_days):
    """botocore 1.44.18's model, status: deprecate the manifest list first "with a
    scheduled deletion time before the image's"; a list scheduled at or after the image's
    new time is a ValidationException (the mock's text)."""
    index, first, _ = listed
    deprecate(client, index, list_days)
    with pytest.raises(client.exceptions.ValidationException) as excinfo:
        deprecate(client, first, image_days)
    assert_error(excinfo, "ValidationException", list_not_deprecated_first(first, index))
    assert details(client)[first]["imageStatus"] == "ACTIVE"


def test_image_of_a_list_deleted_earlier(client, listed):
    """botocore 1.44.18's model, status: a list deprecated with an earlier time first,
    then the image."""
    index, first, second = listed
    deprecate(client, index, 90)
    answer = deprecate(client, first, 91)
    assert answer["scheduledDeletionAt"] == T0 + 91 * DAY
    found = details(client)
    assert found[index]["scheduledDeletionAt"] == T0 + 90 * DAY
    assert found[first]["imageStatus"] == "DEPRECATED"
    assert found[second]["imageStatus"] == "ACTIVE"


@pytest.mark.parametrize("new_list_days", [100, 101, 365])
def test_list_deleted_after_its_image(client, listed, new_list_days):
    """botocore 1.44.18's model, status: "Amazon ECR requires that a manifest list is
    deleted before the images that it references": re-deprecating a list to a time at or
    after a deprecated image's is a ValidationException (the mock's text); the list keeps
    its time."""
    index, first, _ = listed
    deprecate(client, index, 90)
    deprecate(client, first, 100)
    with pytest.raises(client.exceptions.ValidationException) as excinfo:
        deprecate(client, index, new_list_days)
    assert_error(excinfo, "ValidationException", list_deleted_after_image(index, first))
    assert details(client)[index]["scheduledDeletionAt"] == T0 + 90 * DAY


def test_list_earlier_than_its_images_can_move(client, listed):
    """A list re-deprecated to a time still before its deprecated images' is accepted."""
    index, first, _ = listed
    deprecate(client, index, 90)
    deprecate(client, first, 200)
    answer = deprecate(client, index, 150)
    assert answer["scheduledDeletionAt"] == T0 + 150 * DAY


def test_active_list_with_deprecated_images(client, listed):
    """botocore 1.44.18's model, status: "You can't set a manifest list to ACTIVE while
    it references deprecated images" (ValidationException; the mock's text); the list
    stays deprecated. Once the image is ACTIVE again, the list can be."""
    index, first, _ = listed
    deprecate(client, index, 90)
    deprecate(client, first, 100)
    with pytest.raises(client.exceptions.ValidationException) as excinfo:
        set_status(client, {"imageTag": "multi"}, "ACTIVE")
    assert_error(excinfo, "ValidationException", list_references_deprecated(index))
    assert details(client)[index]["imageStatus"] == "DEPRECATED"
    set_status(client, {"imageDigest": first}, "ACTIVE")
    assert set_status(client, {"imageTag": "multi"}, "ACTIVE")["status"] == "ACTIVE"
    assert {d["imageStatus"] for d in details(client).values()} == {"ACTIVE"}


def test_list_deleted_before_its_images(ecr, client, listed, frozen):
    """botocore 1.44.18's model: a manifest list is deleted before the images it
    references; when the clock passes the list's time only the list goes, then the image
    at its own time."""
    index, first, second = listed
    deprecate(client, index, 90)
    deprecate(client, first, 100)
    frozen.move_to(T0 + 95 * DAY)
    assert set(details(client)) == {first, second}
    assert set(tag_details(client)) == {"amd64", "arm64"}
    frozen.move_to(T0 + 100 * DAY)
    assert set(details(client)) == {second}
    assert set(ecr.premium_repositories["app"].images) == {second}


def test_list_and_images_due_together(ecr, client, listed, frozen):
    """The clock passing every time at once deletes the list and then its images (lists
    before their images, docs/aws-behaviour.md, section "Premium repositories"), with no
    error on the way."""
    index, first, second = listed
    deprecate(client, index, 90)
    deprecate(client, first, 91)
    deprecate(client, second, 92)
    frozen.move_to(T0 + 365 * DAY)
    assert details(client) == {}
    assert tag_details(client) == {}
    assert dict(ecr.premium_repositories["app"].images) == {}


DEPRECATED_IN_LIST = (
    "A manifest list can't reference the deprecated images '[{digest}]': a list is deleted "
    "before the images it references"
)


def test_a_new_list_cannot_name_a_deprecated_image(ecr, client, listed):
    """botocore 1.44.18's model: a manifest list "must be deleted before the images it
    references", and PutImage declares ValidationException without naming its cases. A
    list pushed over a deprecated image would outlive it: the mock refuses the push with
    ValidationException (its own text; docs/aws-behaviour.md, section "Premium
    repositories") and stores nothing; the handle's push_index raises the same error."""
    index, first, second = listed
    deprecate(client, index, 90)
    deprecate(client, second, 100)
    before = ecr.premium_repositories["app"].images
    manifest = before[index].manifest.replace('"amd64"', '"amd64", "variant": "v8"')
    with pytest.raises(ClientError) as excinfo:
        client.put_image(repositoryName="app", imageManifest=manifest, **PREMIUM)
    assert_error(excinfo, "ValidationException", DEPRECATED_IN_LIST.format(digest=second))
    with pytest.raises(ClientError) as helper:
        ecr.push_index("app", "new", [first, second], repository_type="PREMIUM")
    assert helper.value.response["Error"] == {
        "Code": "ValidationException",
        "Message": DEPRECATED_IN_LIST.format(digest=second),
    }
    assert ecr.premium_repositories["app"].images == before
