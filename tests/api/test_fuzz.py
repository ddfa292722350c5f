"""Property-based robustness tests over every operation of the installed botocore's model
(23 in botocore 1.29.0, 42 in 1.44.18), with requests built from the model.

For every operation of botocore's ``ecr-public`` model a Hypothesis strategy is derived from
the operation's input shape: members of the right JSON types (text with unicode, empty and
boundary-length strings, strings matching and violating the model's patterns, mostly the
model's values for an enum, integers inside and outside their ranges, lists of many sizes,
random blobs, booleans, nested structures), required members always present. Many members
are biased towards values the seeded state knows (repository ``app``, its image digests,
open uploads, real pagination tokens, the repository ARN), so that calls reach the
handlers' real code paths; half the requests are focused (every such member drawn from
the seeded values).

The mock runs with premium repositories enabled (a verified registry with the custom alias
``acme``); where the installed model has the premium operations the seed adds a premium
``app`` (AVAILABLE, products, images under a manifest list, deprecations, scan findings,
associated with the free ``app``), a premium ``draft`` (DRAFT), an entitlement and
publisher reports, and the hints draw their names, products, report ids, images, types,
states, statuses and deprecation periods. Random sequences of focused premium calls meet
the states earlier calls make (test_fuzz_premium_sequences).

The property, for every call: it succeeds with a body of the output shape the model gives
it, or it raises a ``ClientError`` whose code the operation's model declares (or one of
the service-wide InvalidParameterException, SerializationException,
UnsupportedCommandException, ServerException) - never another exception, in particular
never ``EcrPublicMockBug`` - and a failed call leaves the state exactly as it was (the
README: "A failed call never changes the state"). The state is the handle's read-only
views (free and premium repositories) plus DescribeRegistries, GetRegistryCatalogData and,
with the premium operations, each premium image's scan, DescribeEntitledRepositories and
ListPublisherReports.

Client-side rejections (botocore's ``ParamValidationError`` for values under a model
minimum) never reach the mock; half of the examples use a client without parameter
validation, so the mock's own server-side checks see those values too.

Inputs that once broke the mock (deeply nested JSON in a policy or manifest, lone
surrogates in a manifest, a tag named "None") are pinned by the tests at the end.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import hashlib
import json
import re
import uuid
from collections.abc import Mapping
from functools import cache
from typing import Any

import boto3
import botocore.session
import pytest
from _manifests import (
    DOCKER_LIST,
    DOCKER_MANIFEST,
    DOCKER_SCHEMA1,
    DOCKER_SCHEMA1_SIGNED,
    OCI_INDEX,
    OCI_MANIFEST,
)
from _shapes import violations
from _support import MODEL as SERVICE
from _support import PREMIUM_MODEL, PREMIUM_OPTIONS
from botocore.config import Config
from botocore.exceptions import ClientError, ParamValidationError
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from ecrpublic_mock import EcrPublicMockBug, mock_ecr_public

OPERATIONS = list(SERVICE.operation_names)
GENERIC_ERRORS = frozenset(
    {
        "InvalidParameterException",
        "SerializationException",
        "UnsupportedCommandException",
        "ServerException",
    }
)
ERROR_SHAPES = {shape.name: shape for shape in SERVICE.error_shapes}
ACCOUNT = "123456789012"

# The premium operations (botocore 1.44.18's; an older model has none of them: the
# mock runs with premium enabled (a verified registry with an approved custom alias) on
# every model, and the premium state is seeded only where the installed model has them.
CUSTOM_ALIAS = "acme"
PREMIUM = "PREMIUM"
# Marketplace products: the premium ``app`` is sold through the first two, ``draft`` through
# the first and third; the account is entitled to the first.
PRODUCTS = ("prod-a", "prod-b")
DRAFT_PRODUCTS = ("prod-a", "prod-c")
ENTITLED = "prod-a"


def premium_only(*values: Any) -> list[Any]:
    """``values`` where the installed model has the premium operations, else none."""
    return list(values) if PREMIUM_MODEL else []


def fuzz_mock(**options: Any):
    """The mock every seeded test runs: premium enabled."""
    return mock_ecr_public(**PREMIUM_OPTIONS, **options)


DOCKER_V1_SIGNED, DOCKER_V1 = DOCKER_SCHEMA1_SIGNED, DOCKER_SCHEMA1
MANIFEST_TYPES = (
    DOCKER_MANIFEST,
    DOCKER_LIST,
    OCI_MANIFEST,
    OCI_INDEX,
    DOCKER_V1_SIGNED,
    DOCKER_V1,
)
BLOB_TYPES = (
    "application/vnd.docker.container.image.v1+json",
    "application/vnd.docker.image.rootfs.diff.tar.gzip",
    "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
    "application/vnd.oci.image.config.v1+json",
    "application/vnd.oci.image.layer.v1.tar+gzip",
    "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
)

FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)


def allowed_errors(operation: str) -> frozenset[str]:
    declared = {shape.name for shape in SERVICE.operation_model(operation).error_shapes}
    return GENERIC_ERRORS | declared


# -- clients: made once (a client costs ~30 ms), served by whichever mock is active ----------

_raw: dict[str, bytes] = {}


def _keep_body(http_response, **kwargs) -> None:
    _raw["last"] = http_response.content


@cache
def clients() -> dict[str, Any]:
    # One attempt per call: the property is about one request and its one answer (newer
    # botocores default to the standard retry mode, which retries LimitExceededException).
    once = {"total_max_attempts": 1}
    made = {
        "east": boto3.client("ecr-public", region_name="us-east-1", config=Config(retries=once)),
        "unvalidated": boto3.client(
            "ecr-public",
            region_name="us-east-1",
            config=Config(parameter_validation=False, retries=once),
        ),
        "west": boto3.client("ecr-public", region_name="us-west-2", config=Config(retries=once)),
    }
    for client in made.values():
        client.meta.events.register("after-call.ecr-public.*", _keep_body)
    return made


# -- state snapshots -------------------------------------------------------------------------


def plain(value: Any) -> Any:
    """Views as plain data: dataclasses and mappings become dicts, sequences tuples."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return tuple(plain(item) for item in value)
    return value


def _body(response: dict) -> dict:
    return {key: value for key, value in response.items() if key != "ResponseMetadata"}


def _pages(method, key: str, **params) -> tuple:
    """Every item of a paged listing (all its pages)."""
    items: list = []
    while True:
        response = method(**params)
        items += response[key]
        if "nextToken" not in response:
            return tuple(items)
        params = {**params, "nextToken": response["nextToken"]}


def _scan(client, name: str, digest: str) -> Any:
    """A premium image's scan (status, counts, findings: the handle sets at most a page
    of them), or the error code."""
    try:
        response = client.describe_image_scan_findings(
            repositoryName=name, repositoryType=PREMIUM, imageId={"imageDigest": digest}
        )
    except ClientError as error:
        return error.response["Error"]["Code"]
    return {key: value for key, value in _body(response).items() if key != "nextToken"}


def snapshot(ecr) -> dict:
    """Everything a failed call must leave unchanged (none of it changes by being read).

    With the premium operations: the premium repositories (state, products, images and
    their status, policy, catalog, tags, associations), each premium image's scan, what
    the account sees as a buyer, and the publisher reports. The entitlements themselves
    are set only by the handle; they show in DescribeEntitledRepositories.
    """
    client = clients()["east"]
    state = {
        "repositories": plain(ecr.repositories),
        "registries": _body(client.describe_registries()),
        "catalog": _body(client.get_registry_catalog_data()),
    }
    if PREMIUM_MODEL:
        premium = ecr.premium_repositories
        state["premium_repositories"] = plain(premium)
        state["scans"] = {
            (name, digest): _scan(client, name, digest)
            for name, repo in premium.items()
            for digest in repo.images
        }
        state["entitled"] = _pages(client.describe_entitled_repositories, "repositories")
        state["reports"] = _pages(client.list_publisher_reports, "reports")
    return state


# -- references to the seeded state, resolved once the state exists ---------------------------


@dataclasses.dataclass(frozen=True)
class Ref:
    """A value of the seeded state (an upload id, a digest, a token), filled in per example."""

    name: str


def resolve(value: Any, refs: dict[str, Any]) -> Any:
    if isinstance(value, Ref):
        return refs[value.name]
    if isinstance(value, dict):
        return {key: resolve(item, refs) for key, item in value.items()}
    if isinstance(value, list):
        return [resolve(item, refs) for item in value]
    return value


def sha256(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode()
    return "sha256:" + hashlib.sha256(data).hexdigest()


POLICY_ALLOW = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "pull", "Effect": "Allow", "Principal": "*", "Action": ["ecr-public:*"]}
        ],
    }
)
POLICY_LOCKOUT = json.dumps(
    {"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "ecr-public:Set*"}]}
)


def seed(ecr, client, *, premium: bool = PREMIUM_MODEL) -> dict[str, Any]:
    """Repositories ``app`` (an image, an index, uploads, policy, tags, catalog) and ``other``;
    with ``premium`` (and a model that has the premium operations), ``seed_premium``'s too."""
    client.create_repository(
        repositoryName="app",
        tags=[{"Key": "team", "Value": "core"}],
        catalogData={"description": "the app", "architectures": ["x86-64"]},
    )
    client.create_repository(repositoryName="other")
    image = ecr.push_image("app", tag="v1", layers=[b"x"])
    index = ecr.push_index("app", tag="latest", images=[image])
    app = ecr.repositories["app"]
    manifest = json.loads(app.images[image].manifest)
    fresh = client.initiate_layer_upload(repositoryName="app")["uploadId"]
    partial = client.initiate_layer_upload(repositoryName="app")["uploadId"]
    client.upload_layer_part(
        repositoryName="app", uploadId=partial, partFirstByte=0, partLastByte=1, layerPartBlob=b"ab"
    )
    elsewhere = client.initiate_layer_upload(repositoryName="other")["uploadId"]
    client.set_repository_policy(repositoryName="app", policyText=POLICY_ALLOW)
    client.put_registry_catalog_data(displayName="Seeded")
    tokens = {
        "token_repos": client.describe_repositories(maxResults=1)["nextToken"],
        "token_images": client.describe_images(repositoryName="app", maxResults=1)["nextToken"],
        "token_tags": client.describe_image_tags(repositoryName="app", maxResults=1)["nextToken"],
    }
    refs = {
        "alias": ecr.registry_alias,
        "image": image,
        "index": index,
        "config": manifest["config"]["digest"],
        "layer": manifest["layers"][0]["digest"],
        "manifest": app.images[image].manifest,
        "index_manifest": app.images[index].manifest,
        "upload_fresh": fresh,
        "upload_partial": partial,
        "upload_other": elsewhere,
        "arn": app.arn,
        "arn_other": ecr.repositories["other"].arn,
        **tokens,
    }
    if premium and PREMIUM_MODEL:
        refs.update(seed_premium(ecr, client))
    return refs


def seed_premium(ecr, client) -> dict[str, Any]:
    """Premium repositories: ``app`` (the free one's name; AVAILABLE, sold through PRODUCTS,
    associated with the free ``app``; tags, a catalog, a policy, an open upload, images
    ``v1`` (amd64, two scan findings) and ``v2`` (arm64, DEPRECATED in 365 days) under the
    list ``latest`` (DEPRECATED in 180 days)) and ``draft`` (DRAFT, empty); an entitlement
    to ENTITLED; two publisher reports. The images' deprecations reach every rule of
    SetImageStatus: list and image orders, re-deprecation, and reactivation."""
    client.create_premium_repository(
        repositoryName="app",
        marketplaceProducts=list(PRODUCTS),
        tags=[{"Key": "team", "Value": "core"}],
        catalogData={"description": "the premium app", "architectures": ["x86-64", "ARM 64"]},
    )
    push = functools.partial(ecr.push_image, repository_type=PREMIUM)
    amd = push("app", tag="v1", layers=[b"premium amd"])
    arm = push("app", tag="v2", layers=[b"premium arm"], platform=("linux", "arm64"))
    index = ecr.push_index("app", tag="latest", images=[amd, arm], repository_type=PREMIUM)
    upload = client.initiate_layer_upload(repositoryName="app", repositoryType=PREMIUM)
    ecr.set_scan_findings(
        "app", amd, [{"severity": "HIGH", "title": "CVE-2024-0001"}, {"severity": "LOW"}]
    )
    client.set_premium_repository_policy(repositoryName="app", policyText=POLICY_ALLOW)
    client.set_repository_state(repositoryName="app", repositoryType=PREMIUM, state="AVAILABLE")
    for digest, days in ((index, 180), (arm, 365)):
        client.set_image_status(
            repositoryName="app",
            repositoryType=PREMIUM,
            imageId={"imageDigest": digest},
            status="DEPRECATED",
            deprecationPeriodDays=days,
        )
    client.associate_repositories(
        repositoryName="app",
        repositoryType="FREE",
        associatedRepositoryName="app",
        associatedRepositoryType=PREMIUM,
    )
    client.create_premium_repository(
        repositoryName="draft", marketplaceProducts=list(DRAFT_PRODUCTS)
    )
    ecr.entitle(ENTITLED)
    report = ecr.add_publisher_report("2024-01-01", b"product,subscribers\nprod-a,3\n")
    weekly = ecr.add_publisher_report(
        "2024-01-01", b"week,pulls\n1,10\n", report_type="TRENDS", granularity="WEEKLY"
    )
    app = ecr.premium_repositories["app"]
    manifest = json.loads(app.images[amd].manifest)
    entitled = {"repositoryName": "app", "registryAlias": CUSTOM_ALIAS, "maxResults": 1}
    return {
        "premium_image": amd,
        "premium_image2": arm,
        "premium_index": index,
        "premium_config": manifest["config"]["digest"],
        "premium_layer": manifest["layers"][0]["digest"],
        "premium_manifest": app.images[amd].manifest,
        "premium_index_manifest": app.images[index].manifest,
        "upload_premium": upload["uploadId"],
        "arn_premium": app.arn,
        "arn_draft": ecr.premium_repositories["draft"].arn,
        "report": report,
        "report_weekly": weekly,
        "token_premium_repos": client.describe_premium_repositories(maxResults=1)["nextToken"],
        "token_premium_images": client.describe_images(
            repositoryName="app", repositoryType=PREMIUM, maxResults=1
        )["nextToken"],
        "token_entitled_images": client.describe_entitled_images(**entitled)["nextToken"],
        "token_entitled_tags": client.describe_entitled_image_tags(**entitled)["nextToken"],
        "token_findings": client.describe_image_scan_findings(
            repositoryName="app",
            repositoryType=PREMIUM,
            imageId={"imageDigest": amd},
            maxResults=1,
        )["nextToken"],
        "token_reports": client.list_publisher_reports(maxResults=1)["nextToken"],
    }


# -- strategies derived from the model ---------------------------------------------------------

# Any code point, lone surrogates included (botocore sends them as JSON \\u escapes).
ANY_CHAR = st.one_of(st.characters(), st.characters(categories=["Cs"]))
TEXT = st.one_of(
    st.text(max_size=12),
    st.text(alphabet=ANY_CHAR, max_size=12),
    st.text(alphabet="abc019._-/:", max_size=12),
    st.just(""),
)
HEX64 = st.text("0123456789abcdef", min_size=64, max_size=64)
ABSENT_DIGEST = HEX64.map(lambda h: "sha256:" + h)


# from_regex is slow (~40 ms an example) on the repository name's nested repetitions.
NAME_PATTERN = SERVICE.shape_for("RepositoryName").metadata["pattern"]
# The separators the installed model allows inside a name's component: ".", "_" and "-" in
# every model; later models' pattern (``(\.|_|__|-+)``) also allows "__" and runs of "-".
NAME_SEPARATORS = [
    sep for sep in (".", "_", "-", "__", "--", "---") if re.fullmatch(NAME_PATTERN, f"a{sep}a")
]
_ALNUM = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=4)
_COMPONENT = st.tuples(
    _ALNUM, st.lists(st.tuples(st.sampled_from(NAME_SEPARATORS), _ALNUM), max_size=2)
).map(lambda t: t[0] + "".join(sep + part for sep, part in t[1]))
MATCHING = {
    NAME_PATTERN: st.lists(_COMPONENT, min_size=1, max_size=3).map("/".join),
}


def _boundaries(low: int | None, high: int | None) -> list[int]:
    found = {0, 1}
    for bound in (low, high):
        if bound is not None:
            found |= {bound - 1, bound, bound + 1}
    return sorted(n for n in found if n >= 0)


def string_strategy(shape) -> st.SearchStrategy[str]:
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    pattern = shape.metadata.get("pattern")
    options = [TEXT]
    enum = getattr(shape, "enum", None)
    if enum:
        options.append(st.sampled_from(enum))
    if pattern is not None:
        matching = (
            MATCHING[pattern] if pattern in MATCHING else st.from_regex(pattern, fullmatch=True)
        )
        options.append(matching)
        # Matching the pattern but with a character outside it, or too long for the model.
        options.append(st.tuples(matching, TEXT).map("".join))
    sizes = st.sampled_from(_boundaries(low, high))
    fill = st.sampled_from(["a", "é", "🐳", "0", ".", "["])
    options.append(st.tuples(fill, sizes).map(lambda t: t[0] * t[1]))
    return st.one_of(options)


def integer_strategy(shape) -> st.SearchStrategy[int]:
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    edges = [n for b in (low, high) if b is not None for n in (b - 1, b, b + 1)]
    return st.one_of(
        st.sampled_from(edges or [0]),
        st.integers(min_value=-3, max_value=40),
        st.integers(min_value=-(2**63), max_value=2**63 - 1),
    )


def blob_strategy(shape) -> st.SearchStrategy[bytes]:
    sizes = _boundaries(shape.metadata.get("min"), shape.metadata.get("max"))
    return st.one_of(
        st.binary(max_size=40),
        st.just(b"x"),
        st.sampled_from(sizes).map(lambda n: b"\x00" * n),
    )


def list_strategy(shape, member: st.SearchStrategy) -> st.SearchStrategy[list]:
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    return st.one_of(
        st.lists(member, max_size=4),
        st.tuples(member, st.sampled_from(_boundaries(low, high))).map(lambda t: [t[0]] * t[1]),
    )


def _weighted(hint: st.SearchStrategy, generic: st.SearchStrategy) -> st.SearchStrategy:
    """The hint four times in five: most calls reach the handlers past the lookups."""
    return st.one_of(hint, hint, hint, hint, generic)


# Member name -> values the seeded state knows.
# "app" is both a free and a premium repository, "other" only free, "draft" only premium.
REPOSITORY_NAMES = st.sampled_from(
    ["app", "app", "app", "other", "missing", *premium_only("draft", "draft")]
)
DIGESTS = st.one_of(
    st.sampled_from([Ref("image"), Ref("index"), Ref("config"), Ref("layer")]),
    *premium_only(
        st.sampled_from(
            [
                Ref("premium_image"),
                Ref("premium_image2"),
                Ref("premium_index"),
                Ref("premium_config"),
                Ref("premium_layer"),
            ]
        )
    ),
    ABSENT_DIGEST,
)
IMAGE_TAGS = st.sampled_from(["v1", "v2", "latest", "new", "None"])
REPOSITORY_TYPES = st.sampled_from([PREMIUM, PREMIUM, "FREE"])
HINTS: dict[str, st.SearchStrategy] = {
    "repositoryName": REPOSITORY_NAMES,
    "associatedRepositoryName": REPOSITORY_NAMES,
    "registryAlias": st.sampled_from([Ref("alias"), CUSTOM_ALIAS, CUSTOM_ALIAS, "not-the-alias"]),
    # The registry's id (most operations) or one of its aliases too (the layer and image
    # operations' RegistryIdOrAlias).
    "registryId": st.sampled_from([ACCOUNT, ACCOUNT, ACCOUNT, "210987654321", Ref("alias")]),
    "registryId:RegistryIdOrAlias": st.sampled_from(
        [ACCOUNT, Ref("alias"), CUSTOM_ALIAS, "210987654321", "alias-that-is-not"]
    ),
    "uploadId": st.one_of(
        st.sampled_from(
            [
                Ref("upload_fresh"),
                Ref("upload_partial"),
                Ref("upload_other"),
                *premium_only(Ref("upload_premium")),
            ]
        ),
        st.builds(lambda: str(uuid.uuid4())),
    ),
    "resourceArn": st.sampled_from(
        [
            Ref("arn"),
            Ref("arn_other"),
            f"arn:aws:ecr-public::{ACCOUNT}:repository/missing",
            "arn:aws:ecr-public::210987654321:repository/app",
            f"arn:aws:ecr:us-east-1:{ACCOUNT}:repository/app",
            *premium_only(
                Ref("arn_premium"),
                Ref("arn_draft"),
                f"arn:aws:ecr-public::{ACCOUNT}:premium-repository/missing",
                f"arn:aws:ecr-public:::entitled-repository/{CUSTOM_ALIAS}/app",
            ),
        ]
    ),
    "imageDigest": DIGESTS,
    "imageTag": IMAGE_TAGS,
    # An image named by digest, by tag, by both (they may disagree) or by neither.
    "imageId": st.one_of(
        st.fixed_dictionaries({"imageDigest": DIGESTS}),
        st.fixed_dictionaries({"imageTag": IMAGE_TAGS}),
        st.fixed_dictionaries({}, optional={"imageDigest": DIGESTS, "imageTag": IMAGE_TAGS}),
    ),
    "nextToken": st.sampled_from(
        [
            Ref("token_repos"),
            Ref("token_images"),
            Ref("token_tags"),
            *premium_only(
                Ref("token_premium_repos"),
                Ref("token_premium_images"),
                Ref("token_entitled_images"),
                Ref("token_entitled_tags"),
                Ref("token_findings"),
                Ref("token_reports"),
            ),
        ]
    ),
    "policyText": st.sampled_from([POLICY_ALLOW, POLICY_LOCKOUT, "{}", '{"Statement": []}']),
    "imageManifest": st.sampled_from(
        [
            Ref("manifest"),
            Ref("index_manifest"),
            *premium_only(Ref("premium_manifest"), Ref("premium_index_manifest")),
        ]
    ),
    "imageManifestMediaType": st.sampled_from(MANIFEST_TYPES),
    "Key": st.sampled_from(["team", "aws:reserved", "AWS:x", "new"]),
    "maxResults": st.sampled_from([1, 2, 100, 1000]),
    "partFirstByte": st.sampled_from([0, 2]),
    "partLastByte": st.sampled_from([0, 1, 2, 3]),
    # The premium members (later models): the seeded repositories' type, the states and
    # statuses the rules tell apart, deprecation periods against the seeded ones (180, 365).
    "repositoryType": REPOSITORY_TYPES,
    "associatedRepositoryType": REPOSITORY_TYPES,
    "state": st.sampled_from(["AVAILABLE", "HIDDEN", "DRAFT"]),
    "status": st.sampled_from(["DEPRECATED", "DEPRECATED", "ACTIVE"]),
    "deprecationPeriodDays": st.sampled_from([90, 180, 364, 365]),
    "reportId": st.sampled_from([Ref("report"), Ref("report_weekly"), "0" * 32, "missing"]),
}
LIST_HINTS: dict[str, st.SearchStrategy] = {
    "layerDigests": st.lists(DIGESTS, min_size=1, max_size=3),
    "repositoryNames": st.lists(REPOSITORY_NAMES, min_size=1, max_size=3),
    "imageIds": st.lists(
        st.fixed_dictionaries({}, optional={"imageDigest": DIGESTS, "imageTag": IMAGE_TAGS}),
        min_size=1,
        max_size=3,
    ),
    "tagKeys": st.lists(HINTS["Key"], max_size=3),
    # The seeded lists, reordered, shortened (a product removed past DRAFT), extended, or
    # with a duplicate.
    "marketplaceProducts": st.one_of(
        st.sampled_from(
            [list(PRODUCTS), list(PRODUCTS[::-1]), [PRODUCTS[0]], [*PRODUCTS, "prod-c"]]
        ),
        st.lists(st.sampled_from(["prod-a", "prod-b", "prod-c", "prod-d"]), min_size=1, max_size=5),
    ),
}


def _hint(name: str, shape) -> st.SearchStrategy | None:
    return HINTS.get(f"{name}:{shape.name}", HINTS.get(name))


def shape_strategy(shape, name: str = "", *, focused: bool = False) -> st.SearchStrategy:
    """Values of ``shape`` (the member ``name``): the hint four times in five, else any of
    the shape's type; ``focused``, the hint (or one of the enum's values) alone."""
    kind = shape.type_name
    hint = _hint(name, shape)
    if kind == "list":
        hint = LIST_HINTS.get(name)
    if focused and hint is not None:
        return hint
    if kind == "structure":
        members = {n: shape_strategy(m, n, focused=focused) for n, m in shape.members.items()}
        required = {n: s for n, s in members.items() if n in shape.required_members}
        optional = {n: s for n, s in members.items() if n not in shape.required_members}
        generic = st.fixed_dictionaries(required, optional=optional)
    elif kind == "list":
        generic = list_strategy(shape, shape_strategy(shape.member, name, focused=focused))
    elif kind == "string":
        generic = string_strategy(shape)
        if getattr(shape, "enum", None):
            # Enum members (repositoryType, status, state, ... in later models): mostly one
            # of the model's values, so that calls get past validation.
            values = st.sampled_from(shape.enum)
            generic = values if focused else _weighted(values, generic)
    elif kind in ("integer", "long"):
        generic = integer_strategy(shape)
    elif kind == "boolean":
        generic = st.booleans()
    elif kind == "blob":
        generic = blob_strategy(shape)
    else:  # pragma: no cover - the ecr-public inputs use no other types
        raise AssertionError(f"no strategy for {kind}")
    return _weighted(hint, generic) if hint is not None else generic


@cache
def focused_strategy(operation: str) -> st.SearchStrategy[dict]:
    """Requests whose members with a hint are all drawn from it."""
    return shape_strategy(SERVICE.operation_model(operation).input_shape, focused=True)


@cache
def request_strategy(operation: str) -> st.SearchStrategy[dict]:
    """Half the requests are focused: the chance that all of a request's members are hinted
    falls fast with their number otherwise, and the premium rules (states, statuses,
    products, associations) are past the lookups."""
    shape = SERVICE.operation_model(operation).input_shape
    return st.one_of(focused_strategy(operation), shape_strategy(shape))


def test_every_operation_is_fuzzed():
    """test_fuzz_operation runs for every operation of the installed botocore's model."""
    installed = botocore.session.Session().get_service_model("ecr-public").operation_names
    (fuzzed,) = [mark.args for mark in test_fuzz_operation.pytestmark if mark.name == "parametrize"]
    assert fuzzed[0] == "operation"
    assert sorted(fuzzed[1]) == sorted(installed)
    print(f"{len(fuzzed[1])} operations fuzzed")


@pytest.mark.parametrize("operation", OPERATIONS)
@settings(FUZZ, max_examples=10)
@given(data=st.data())
def test_every_request_names_the_required_members(operation, data):
    """Each operation's strategy draws its input shape's required members, and members of
    that shape only."""
    shape = SERVICE.operation_model(operation).input_shape
    params = data.draw(request_strategy(operation), label="request")
    assert set(shape.required_members) <= set(params) <= set(shape.members)


@FUZZ
@given(name=MATCHING[NAME_PATTERN])
def test_names_drawn_as_matching_match_the_model(name):
    """The hand-built strategy for repository names draws only names the installed
    model's pattern accepts (it stands in for ``from_regex``, which is slow on it)."""
    assert re.fullmatch(NAME_PATTERN, name), name


# -- the property ------------------------------------------------------------------------------


def check_call(ecr, client, operation: str, params: dict) -> tuple[str, dict | None]:
    """Make the call and assert the property; returns the outcome and the response (if any).

    The outcome is ``"success"``, the error code, or ``"refused"`` (botocore's own check).
    """
    method = getattr(client, botocore.xform_name(operation))
    before = snapshot(ecr)
    served = len(ecr.calls)
    _raw.pop("last", None)
    outcome, response = _call(ecr, method, operation, params, before, served)
    event(f"{operation}: {outcome}")
    return outcome, response


def _call(ecr, method, operation: str, params: dict, before: dict, served: int):
    failure: dict | None = None
    try:
        response = method(**params)
    except ParamValidationError:
        # Refused by botocore before sending: the mock saw nothing.
        assert len(ecr.calls) == served
        assert snapshot(ecr) == before
        return "refused", None
    except ClientError as error:
        failure = error.response["Error"]
    except EcrPublicMockBug as bug:  # pragma: no cover - the property's failure
        pytest.fail(f"{operation}({params!r}) hit a mock bug: {bug.__cause__!r}")
    if failure is None:
        assert [call.outcome for call in ecr.calls[served:]] == ["success"]
        # botocore's parser drops what the model does not define: check the body as sent.
        output = SERVICE.operation_model(operation).output_shape
        body = json.loads(_raw["last"] or b"{}")
        problems = (
            violations(output, body, raw=True)
            if output is not None
            else ([] if not body else [body])
        )
        assert not problems, (operation, problems, params)
        return "success", response
    code = failure["Code"]
    assert code in allowed_errors(operation), (operation, failure, params)
    assert [call.outcome for call in ecr.calls[served:]] == [code]
    raw = json.loads(_raw["last"])
    assert raw["__type"] == code
    assert isinstance(raw["message"], str)
    assert raw["message"]
    modeled = set(ERROR_SHAPES[code].members) if code in ERROR_SHAPES else set()
    assert set(raw) <= {"__type", "message"} | modeled, raw
    if code in _ENDS_ITS_UPLOAD:
        # A completion failing once its upload is found ends the upload all the same
        # (docs/aws-behaviour.md, "Layer upload"): that upload is gone, nothing else changed.
        before = _without_upload(before, params.get("uploadId"))
    assert snapshot(ecr) == before, f"{operation} failed with {code} but changed the state"
    return code, None


_ENDS_ITS_UPLOAD = {
    "EmptyUploadException",
    "LayerPartTooSmallException",
    "InvalidLayerException",
    "LayerAlreadyExistsException",
}


def _without_upload(state: dict, upload_id: object) -> dict:
    """``state`` with the open upload ``upload_id`` closed."""
    state = copy.deepcopy(state)
    for repo in state["repositories"].values():
        repo["uploads"].pop(upload_id, None)
    return state


def test_reading_the_state_does_not_change_it():
    with fuzz_mock() as ecr:
        seed(ecr, clients()["east"])
        first = snapshot(ecr)
        assert snapshot(ecr) == first
        assert snapshot(ecr) == first


@pytest.mark.skipif(not PREMIUM_MODEL, reason="the installed model has no premium operations")
def test_the_premium_seed_is_what_the_hints_assume():
    """The fuzz's premium state: the seeded names, products, states and statuses its hints
    draw, and everything the snapshot compares non-empty."""
    client = clients()["east"]
    with fuzz_mock() as ecr:
        refs = seed(ecr, client)
        state = snapshot(ecr)
        premium = ecr.premium_repositories
        assert list(premium) == ["app", "draft"]
        app, draft = premium["app"], premium["draft"]
        assert (app.state, app.marketplace_products) == ("AVAILABLE", PRODUCTS)
        assert (draft.state, draft.marketplace_products, dict(draft.images)) == (
            "DRAFT",
            DRAFT_PRODUCTS,
            {},
        )
        assert app.associated_repository == ("app", "FREE")
        assert ecr.repositories["app"].associated_repository == ("app", PREMIUM)
        assert {digest: image.status for digest, image in app.images.items()} == {
            refs["premium_image"]: "ACTIVE",
            refs["premium_image2"]: "DEPRECATED",
            refs["premium_index"]: "DEPRECATED",
        }
        assert app.images[refs["premium_index"]].references == (
            refs["premium_image"],
            refs["premium_image2"],
        )
        assert json.loads(app.policy) == json.loads(POLICY_ALLOW)
        assert [(r["repositoryName"], r["entitledViaProductId"]) for r in state["entitled"]] == [
            ("app", ENTITLED)
        ]
        assert {r["reportId"] for r in state["reports"]} == {refs["report"], refs["report_weekly"]}
        assert state["scans"][("app", refs["premium_image"])]["imageScanFindings"][
            "findingSeverityCounts"
        ] == {"HIGH": 1, "LOW": 1}
        assert state["registries"]["registries"][0]["premiumStatus"] == "ENABLED"


@pytest.mark.skipif(not PREMIUM_MODEL, reason="the installed model has no premium operations")
def test_the_snapshot_sees_every_premium_change():
    """Each kind of premium state a call (or the handle) can change shows in the snapshot:
    a repository's state, an association, an image's status, a scan, an entitlement, a
    report."""
    client = clients()["east"]
    premium = {"repositoryType": PREMIUM}
    with fuzz_mock() as ecr:
        refs = seed(ecr, client)
        changes = [
            lambda: client.set_repository_state(
                repositoryName="draft", state="AVAILABLE", **premium
            ),
            lambda: client.disassociate_repositories(
                repositoryName="app",
                repositoryType="FREE",
                associatedRepositoryName="app",
                associatedRepositoryType=PREMIUM,
            ),
            lambda: client.set_image_status(
                repositoryName="app", imageId={"imageTag": "v2"}, status="ACTIVE", **premium
            ),
            lambda: ecr.set_scan_findings("app", refs["premium_image"], []),
            lambda: ecr.entitle(DRAFT_PRODUCTS[1]),
            lambda: ecr.add_publisher_report("2024-02-01", b"product,subscribers\n"),
        ]
        for change in changes:
            before = snapshot(ecr)
            change()
            assert snapshot(ecr) != before


@pytest.mark.slow
@pytest.mark.parametrize("operation", OPERATIONS)
@FUZZ
@given(data=st.data())
def test_fuzz_operation(operation, data):
    params = data.draw(request_strategy(operation), label="request")
    which = data.draw(
        st.sampled_from(["east", "unvalidated", "east", "unvalidated", "west"]), label="client"
    )
    with fuzz_mock() as ecr:
        refs = seed(ecr, clients()["east"])
        params = resolve(params, refs)
        check_call(ecr, clients()[which], operation, params)


# -- premium: random sequences of calls on the seeded premium state ---------------------------

# The operations whose answers depend on the premium state (a state the sequences change:
# repository states, products, image statuses, associations, images, repositories); the
# ones with the most rules more often.
SEQUENCE_OPERATIONS = [
    operation
    for operation in (
        *["SetImageStatus"] * 4,
        *["SetRepositoryState"] * 2,
        *["PutPremiumRepositoryProducts"] * 2,
        *["AssociateRepositories", "DisassociateRepositories"] * 2,
        *["BatchDeleteImage"] * 2,
        "DeletePremiumRepository",
        "DeleteRepository",
        "CreatePremiumRepository",
        "PutImage",
        "DescribeImages",
        "DescribeImageScanFindings",
        "DescribeEntitledImages",
        "DescribeEntitledImageTags",
        "DescribeEntitledRepositories",
        "PutPremiumRepositoryCatalogData",
        "GetPremiumRepositoryCatalogData",
        "DeletePremiumRepositoryPolicy",
    )
    if operation in OPERATIONS
]
TYPE_PAIRS = st.sampled_from([("FREE", PREMIUM), (PREMIUM, "FREE")])
PREMIUM_NAMES = st.sampled_from(["app", "app", "draft"])
PREMIUM_IMAGE_IDS = st.one_of(
    st.fixed_dictionaries(
        {
            "imageDigest": st.sampled_from(
                [Ref("premium_image"), Ref("premium_image2"), Ref("premium_index")]
            )
        }
    ),
    st.fixed_dictionaries({"imageTag": st.sampled_from(["v1", "v2", "latest"])}),
)


def coherent(operation: str, params: dict, data) -> dict:
    """``params`` made consistent with the premium rules' preconditions: the registry's
    id, the premium namespace (a premium repository, one of its images), two repository
    types that differ, a deprecation period iff DEPRECATED."""
    params = dict(params)
    members = SERVICE.operation_model(operation).input_shape.members
    if "registryId" in params:
        params["registryId"] = ACCOUNT
    if "associatedRepositoryType" in members:
        pair = data.draw(TYPE_PAIRS, label="types")
        params["repositoryType"], params["associatedRepositoryType"] = pair
    elif "repositoryType" in members:
        params["repositoryType"] = PREMIUM
        params["repositoryName"] = data.draw(PREMIUM_NAMES, label="premium repository")
        if "imageId" in members:
            params["imageId"] = data.draw(PREMIUM_IMAGE_IDS, label="premium image")
    if operation == "SetImageStatus":
        if params["status"] == "ACTIVE":
            params.pop("deprecationPeriodDays", None)
        elif "deprecationPeriodDays" not in params:
            params["deprecationPeriodDays"] = data.draw(HINTS["deprecationPeriodDays"])
    return params


@pytest.mark.slow
@pytest.mark.skipif(not PREMIUM_MODEL, reason="the installed model has no premium operations")
@settings(FUZZ, max_examples=60)
@given(data=st.data())
def test_fuzz_premium_sequences(data):
    """The property over sequences of focused calls (most of them made coherent), so that
    calls meet the states earlier ones made: ``draft`` made AVAILABLE, the association
    removed, a product list shortened, images deprecated in every order, repositories
    deleted. A success of SetRepositoryState, PutPremiumRepositoryProducts or SetImageStatus
    did what it answers."""
    client = clients()["east"]
    with fuzz_mock() as ecr:
        refs = seed(ecr, client)
        for _ in range(data.draw(st.integers(min_value=1, max_value=8), label="steps")):
            operation = data.draw(st.sampled_from(SEQUENCE_OPERATIONS), label="operation")
            params = data.draw(focused_strategy(operation), label="request")
            if data.draw(st.sampled_from([True, True, True, False]), label="coherent"):
                params = coherent(operation, params, data)
            params = resolve(params, refs)
            _, response = check_call(ecr, client, operation, params)
            if response is None:
                continue
            name = params.get("repositoryName")
            if operation == "SetRepositoryState":
                assert ecr.premium_repositories[name].state == params["state"]
            elif operation == "PutPremiumRepositoryProducts":
                products = ecr.premium_repositories[name].marketplace_products
                assert products == tuple(params["marketplaceProducts"])
            elif operation == "SetImageStatus":
                digest = response["imageId"]["imageDigest"]
                image = ecr.premium_repositories[name].images[digest]
                assert image.status == params["status"] == response["status"]
                assert (image.scheduled_deletion_at is None) == (params["status"] == "ACTIVE")


# -- PutImage: random manifests ------------------------------------------------------------------

MEDIA_TYPES = st.one_of(st.sampled_from(MANIFEST_TYPES + BLOB_TYPES), st.text(max_size=20))
BLOB_DIGESTS = st.one_of(
    st.sampled_from([Ref("config"), Ref("layer"), Ref("config"), Ref("layer")]),
    ABSENT_DIGEST,
    st.from_regex(r"[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+", fullmatch=True),
    st.text(max_size=10),
)
IMAGE_DIGESTS = st.one_of(st.sampled_from([Ref("image"), Ref("index")]), BLOB_DIGESTS)
SIZES = st.one_of(
    st.integers(min_value=0, max_value=10**6),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=3),
    st.none(),
)
# Lone surrogates included: botocore sends them as JSON escapes, and the mock must cope.
SAFE_TEXT = st.text(st.characters(exclude_categories=()), max_size=10)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | SAFE_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(SAFE_TEXT, inner, max_size=3),
    max_leaves=8,
)


def descriptors(digests: st.SearchStrategy) -> st.SearchStrategy:
    extras = {
        "mediaType": MEDIA_TYPES,
        "size": SIZES,
        "urls": st.lists(SAFE_TEXT, max_size=2),
        "annotations": st.dictionaries(SAFE_TEXT, SAFE_TEXT, max_size=2),
        "platform": st.fixed_dictionaries(
            {"architecture": st.sampled_from(["amd64", "arm64"]), "os": st.just("linux")}
        ),
    }
    return st.one_of(
        st.fixed_dictionaries(
            {"mediaType": MEDIA_TYPES, "digest": digests, "size": SIZES},
            optional={k: v for k, v in extras.items() if k not in ("mediaType", "size")},
        ),
        st.fixed_dictionaries({}, optional={"digest": digests, **extras}),
        JSON_VALUES,
    )


def _schema(version: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(version, st.integers(), SAFE_TEXT)


IMAGE_MANIFESTS = st.fixed_dictionaries(
    {
        "schemaVersion": _schema(st.just(2)),
        "config": descriptors(BLOB_DIGESTS),
        "layers": st.one_of(st.lists(descriptors(BLOB_DIGESTS), max_size=4), JSON_VALUES),
    },
    optional={
        "mediaType": st.one_of(st.sampled_from([DOCKER_MANIFEST, OCI_MANIFEST]), MEDIA_TYPES),
        "annotations": st.dictionaries(SAFE_TEXT, SAFE_TEXT, max_size=2),
        "subject": descriptors(IMAGE_DIGESTS),
    },
)
LIST_MANIFESTS = st.fixed_dictionaries(
    {
        "schemaVersion": _schema(st.just(2)),
        "manifests": st.one_of(st.lists(descriptors(IMAGE_DIGESTS), max_size=4), JSON_VALUES),
    },
    optional={"mediaType": st.one_of(st.sampled_from([DOCKER_LIST, OCI_INDEX]), MEDIA_TYPES)},
)
SCHEMA1_MANIFESTS = st.fixed_dictionaries(
    {
        "schemaVersion": _schema(st.just(1)),
        "name": st.just("app"),
        "tag": SAFE_TEXT,
        "fsLayers": st.one_of(
            st.lists(st.fixed_dictionaries({"blobSum": BLOB_DIGESTS}), max_size=3),
            st.lists(JSON_VALUES, max_size=2),
        ),
    },
    optional={
        "mediaType": st.sampled_from([DOCKER_V1_SIGNED, DOCKER_V1]),
        "signatures": st.lists(JSON_VALUES, max_size=1),
    },
)
# Well-formed documents, whose blobs and images are mostly present: these reach the checks
# after parsing (digest, layers, references, tags, quotas) and succeed.
GOOD_BLOBS = st.one_of(st.sampled_from([Ref("config"), Ref("layer")]), ABSENT_DIGEST)
GOOD_DESCRIPTORS = st.fixed_dictionaries(
    {
        "mediaType": st.sampled_from(BLOB_TYPES),
        "size": st.integers(min_value=0, max_value=10**6),
        "digest": st.one_of(GOOD_BLOBS, GOOD_BLOBS, GOOD_BLOBS, ABSENT_DIGEST),
    }
)
GOOD_IMAGES = st.fixed_dictionaries(
    {
        "schemaVersion": st.just(2),
        "mediaType": st.sampled_from([DOCKER_MANIFEST, OCI_MANIFEST]),
        "config": GOOD_DESCRIPTORS,
        "layers": st.lists(GOOD_DESCRIPTORS, max_size=3),
    },
    optional={"annotations": st.dictionaries(SAFE_TEXT, SAFE_TEXT, max_size=2)},
)
GOOD_LISTS = st.fixed_dictionaries(
    {
        "schemaVersion": st.just(2),
        "mediaType": st.sampled_from([DOCKER_LIST, OCI_INDEX]),
        "manifests": st.lists(
            st.fixed_dictionaries(
                {
                    "mediaType": st.sampled_from([DOCKER_MANIFEST, OCI_MANIFEST]),
                    "size": st.integers(min_value=0, max_value=10**4),
                    "digest": st.one_of(
                        st.sampled_from([Ref("image"), Ref("index")]), ABSENT_DIGEST
                    ),
                }
            ),
            max_size=3,
        ),
    },
)
DOCUMENTS = st.one_of(
    GOOD_IMAGES,
    GOOD_LISTS,
    IMAGE_MANIFESTS,
    LIST_MANIFESTS,
    SCHEMA1_MANIFESTS,
    JSON_VALUES,
)
OPTIONS = st.sampled_from(
    [
        {},
        {},
        {"image_tag_mutability": "IMMUTABLE"},
        {"max_images_per_repository": 2},
        {"max_tags_per_image": 1},
        {"max_layers_per_image": 1},
    ]
)
# The premium ``app`` holds three images: a quota of three is reached by a new one.
PREMIUM_OPTIONS_PUT = st.sampled_from(
    [
        {},
        {},
        {"image_tag_mutability": "IMMUTABLE"},
        {"max_images_per_repository": 3},
        {"max_tags_per_image": 1},
        {"max_layers_per_image": 1},
    ]
)
# Where the seeded premium ``app`` keeps what the free one's references name.
PREMIUM_REFS = {
    "image": "premium_image",
    "index": "premium_index",
    "config": "premium_config",
    "layer": "premium_layer",
    "manifest": "premium_manifest",
    "index_manifest": "premium_index_manifest",
}


@pytest.mark.slow
@settings(FUZZ, max_examples=150)
@given(data=st.data())
def test_fuzz_put_image_manifests(data):
    document = data.draw(DOCUMENTS, label="document")
    indent = data.draw(st.sampled_from([None, 3, 0]), label="indent")
    form = data.draw(
        st.sampled_from(["json", "json", "json", "json", "text", "manifest", "index_manifest"]),
        label="form",
    )
    media = data.draw(st.sampled_from(["none", "none", "match", "other"]), label="mediaType")
    given_digest = data.draw(st.sampled_from(["none", "none", "right", "other"]), label="digest")
    tag = data.draw(st.one_of(st.none(), st.sampled_from(["v1", "latest", "new"])), label="tag")
    # The free ``app`` (repositoryType absent or FREE) or the premium one (AVAILABLE).
    kind = data.draw(
        st.sampled_from(["absent", "absent", *premium_only("FREE", PREMIUM, PREMIUM)]),
        label="repositoryType",
    )
    options = data.draw(PREMIUM_OPTIONS_PUT if kind == PREMIUM else OPTIONS, label="options")
    other_type = data.draw(MEDIA_TYPES, label="other media type")
    other_digest = data.draw(IMAGE_DIGESTS, label="other digest")
    random_text = data.draw(SAFE_TEXT.filter(bool), label="text")
    with fuzz_mock(**options) as ecr:
        client = clients()["east"]
        refs = seed(ecr, client, premium=kind == PREMIUM)
        if kind == PREMIUM:
            refs.update({name: refs[premium] for name, premium in PREMIUM_REFS.items()})
        document = resolve(document, refs)
        if form == "json":
            text = json.dumps(document, indent=indent)
        elif form == "text":
            text = random_text
        else:  # a manifest the repository already has
            text = refs[form]
            document = json.loads(text)
        params: dict[str, Any] = {"repositoryName": "app", "imageManifest": text}
        if kind != "absent":
            params["repositoryType"] = kind
        if media == "match" and isinstance(document, dict) and "mediaType" in document:
            params["imageManifestMediaType"] = resolve(document["mediaType"], refs)
        elif media == "other":
            params["imageManifestMediaType"] = other_type
        if given_digest == "right":
            params["imageDigest"] = sha256(text)
        elif given_digest == "other":
            params["imageDigest"] = resolve(other_digest, refs)
        if tag is not None:
            params["imageTag"] = tag
        _, response = check_call(ecr, client, "PutImage", params)
        if response is None:
            return
        digest = sha256(text)
        assert response["image"]["imageId"]["imageDigest"] == digest
        stored = (ecr.premium_repositories if kind == PREMIUM else ecr.repositories)["app"]
        assert stored.images[digest].manifest == text
        assert response["image"]["imageManifestMediaType"] == stored.images[digest].media_type
        if tag is not None:
            assert stored.tags[tag] == digest


# -- layer uploads: random part/complete sequences, against a model --------------------------------

# Small limits, so that random sequences reach every limit; the seeded config (~160 bytes)
# must still fit in one part.
UPLOAD_OPTIONS = {
    "min_layer_part_size": 4,
    "max_layer_part_size": 200,
    "max_layer_parts": 4,
    "max_layer_size": 450,
}
PART = st.fixed_dictionaries(
    {
        "step": st.just("part"),
        "first": st.one_of(*[st.just("right")] * 4, st.integers(min_value=0, max_value=50)),
        "last": st.one_of(*[st.just("right")] * 4, st.integers(min_value=0, max_value=50)),
        "blob": st.one_of(
            st.binary(max_size=20), st.just(b"x"), st.binary(min_size=190, max_size=201)
        ),
        "target": st.sampled_from(["own", "own", "own", "unknown", "other repository"]),
    }
)
COMPLETE = st.fixed_dictionaries(
    {
        "step": st.just("complete"),
        "digests": st.sampled_from(["right", "wrong", "both", "right"]),
        "target": st.sampled_from(["own", "own", "own", "unknown", "other repository"]),
    }
)
STEPS = st.lists(st.one_of(PART, PART, COMPLETE), min_size=1, max_size=8)


@dataclasses.dataclass
class UploadModel:
    """What the upload should hold: the accepted parts, and whether it is still open."""

    parts: list[bytes] = dataclasses.field(default_factory=list)
    open: bool = True

    @property
    def received(self) -> int:
        return sum(len(p) for p in self.parts)

    @property
    def digest(self) -> str:
        return sha256(b"".join(self.parts))


def _part_problems(model: UploadModel, first: int, last: int, blob: bytes) -> set[str]:
    if not model.open:
        return {"UploadNotFoundException"}
    problems = set()
    if first != model.received or last != first + len(blob) - 1:
        problems.add("InvalidLayerPartException")
    if len(blob) > UPLOAD_OPTIONS["max_layer_part_size"]:
        problems.add("InvalidLayerPartException")
    if len(model.parts) >= UPLOAD_OPTIONS["max_layer_parts"]:
        problems.add("LimitExceededException")
    if model.received + len(blob) > UPLOAD_OPTIONS["max_layer_size"]:
        problems.add("LimitExceededException")
    return problems


def _complete_problems(model: UploadModel, digests: list[str], stored: set[str]) -> set[str]:
    if not model.open:
        return {"UploadNotFoundException"}
    if not model.parts:
        return {"EmptyUploadException"}
    problems = set()
    if any(len(p) < UPLOAD_OPTIONS["min_layer_part_size"] for p in model.parts[:-1]):
        problems.add("LayerPartTooSmallException")
    if model.digest not in digests:
        problems.add("InvalidLayerException")
    if model.digest in stored:
        problems.add("LayerAlreadyExistsException")
    return problems


@pytest.mark.slow
@settings(FUZZ, max_examples=120)
@given(steps=STEPS)
@example(  # a part under the minimum that is not the last: LayerPartTooSmallException
    steps=[
        {"step": "part", "first": "right", "last": "right", "blob": b"ab", "target": "own"},
        {"step": "part", "first": "right", "last": "right", "blob": b"cdef", "target": "own"},
        {"step": "complete", "digests": "right", "target": "own"},
    ]
)
@example(  # the seeded layer again: LayerAlreadyExistsException
    steps=[
        {"step": "part", "first": "right", "last": "right", "blob": b"x", "target": "own"},
        {"step": "complete", "digests": "both", "target": "own"},
    ]
)
def test_fuzz_layer_upload_sequences(steps):
    client = clients()["east"]
    with fuzz_mock(**UPLOAD_OPTIONS) as ecr:
        refs = seed(ecr, client, premium=False)
        upload_id = client.initiate_layer_upload(repositoryName="app")["uploadId"]
        model = UploadModel()
        for step in steps:
            target = step["target"]
            repo = "other" if target == "other repository" else "app"
            uid = str(uuid.uuid4()) if target == "unknown" else upload_id
            names = {"repositoryName": repo, "uploadId": uid}
            stored = set(ecr.repositories["app"].layers)
            if step["step"] == "part":
                blob = step["blob"]
                first = model.received if step["first"] == "right" else step["first"]
                last = first + len(blob) - 1 if step["last"] == "right" else step["last"]
                problems = (
                    _part_problems(model, first, last, blob)
                    if target == "own"
                    else {"UploadNotFoundException"}
                )
                params = {
                    **names,
                    "partFirstByte": first,
                    "partLastByte": last,
                    "layerPartBlob": blob,
                }
                if last < 0:  # under the model's minimum: botocore refuses it
                    check_call(ecr, client, "UploadLayerPart", params)
                    continue
                response = _expect(ecr, client, "UploadLayerPart", params, problems)
                if response is not None:
                    model.parts.append(blob)
                    assert response["lastByteReceived"] == model.received - 1
            else:
                digests = {
                    "right": [model.digest],
                    "wrong": [sha256(b"not it")],
                    "both": [sha256(b"not it"), model.digest],
                }[step["digests"]]
                problems = (
                    _complete_problems(model, digests, stored)
                    if target == "own"
                    else {"UploadNotFoundException"}
                )
                params = {**names, "layerDigests": digests}
                response = _expect(ecr, client, "CompleteLayerUpload", params, problems)
                if target == "own":
                    # Completing ends the upload, whether it succeeds or fails
                    # (docs/aws-behaviour.md, section "Layer upload").
                    model.open = False
                if response is not None:
                    assert response["layerDigest"] == model.digest
                    layer = ecr.repositories["app"].layers[model.digest]
                    assert layer.size == model.received
        assert refs["upload_partial"] != upload_id


def _expect(ecr, client, operation: str, params: dict, problems: set[str]) -> dict | None:
    """The call succeeds iff the model sees no problem, else fails with one of them."""
    outcome, response = check_call(ecr, client, operation, params)
    if problems:
        assert outcome in problems, (operation, outcome, problems)
    else:
        assert outcome == "success", (operation, outcome)
    return response


# -- bugs the fuzzers found, pinned ---------------------------------------------------------------


def _seeded_call(method: str, **params):
    client = clients()["east"]
    with fuzz_mock() as ecr:
        refs = seed(ecr, client)
        before = snapshot(ecr)
        with pytest.raises(ClientError) as excinfo:
            getattr(client, method)(**resolve(params, refs))
        assert snapshot(ecr) == before
    return excinfo.value.response["Error"]


def test_deeply_nested_policy_is_an_invalid_policy():
    error = _seeded_call("set_repository_policy", repositoryName="app", policyText="[" * 2000)
    assert error["Code"] == "InvalidParameterException"


def test_deeply_nested_manifest_is_invalid_json():
    error = _seeded_call("put_image", repositoryName="app", imageManifest="[" * 5000)
    assert error["Code"] == "InvalidParameterException"


def test_manifest_with_a_lone_surrogate_is_refused():
    client = clients()["east"]
    with fuzz_mock() as ecr:
        seed(ecr, client)
        manifest = json.loads(
            ecr.repositories["app"].images[ecr.repositories["app"].tags["v1"]].manifest
        )
        manifest["annotations"] = {"note": "\ud800"}
        before = snapshot(ecr)
        with pytest.raises(ClientError) as excinfo:
            client.put_image(
                repositoryName="app", imageManifest=json.dumps(manifest, ensure_ascii=False)
            )
        assert excinfo.value.response["Error"]["Code"] == "InvalidParameterException"
        assert snapshot(ecr) == before


def test_image_not_found_message_keeps_a_tag_named_none():
    error = _seeded_call("describe_images", repositoryName="app", imageIds=[{"imageTag": "None"}])
    assert error["Code"] == "ImageNotFoundException"
    assert "imageTag:'None'" in error["Message"]
