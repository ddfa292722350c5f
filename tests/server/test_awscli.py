"""The AWS CLI in-process: ``aws ecr-public ...`` answered by an active mock.

The CLI builds its botocore session the way boto3 does, so the mock's handlers serve it
with no endpoint and no network. Every operation of the installed model (23 until botocore
1.44.8, 42 since 1.44.18) is run through the CLI at least once, with its real argument
syntax (``fileb://`` blobs, ``file://`` manifests, shorthand). The mock may hold premium
repositories (a verified registry with a custom alias). awscli pins botocore exactly, so it
is not a test extra: ``tox -e cli`` runs this module in an env of its own, and elsewhere it
is skipped when awscli is missing.
"""

import base64
import gzip
import hashlib
import json

import boto3
import pytest
from _support import upload_layer
from botocore import xform_name

from ecrpublic_mock import mock_ecr_public
from ecrpublic_mock._model import service_model

clidriver = pytest.importorskip(
    "awscli.clidriver", reason="awscli is not installed (it pins botocore); run `tox -e cli`"
)

ACCOUNT = "123456789012"
ARN = f"arn:aws:ecr-public::{ACCOUNT}:repository/app"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
CATALOG = {
    "description": "The app",
    "architectures": ["x86-64"],
    "operatingSystems": ["Linux"],
    "aboutText": "# app",
    "usageText": "docker pull it",
}
POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "Push",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                "Action": ["ecr-public:BatchCheckLayerAvailability", "ecr-public:PutImage"],
            }
        ],
    }
)


class Cli:
    """Runs ``aws ecr-public <args>`` in-process; remembers the commands it ran."""

    def __init__(self, capsys, tmp_path):
        self.capsys = capsys
        self.tmp_path = tmp_path
        self.commands = []

    def run(self, *args):
        """(exit code, stdout, stderr) of one command."""
        self.capsys.readouterr()
        self.commands.append(args[0])
        code = clidriver.create_clidriver().main(["ecr-public", *args])
        captured = self.capsys.readouterr()
        return code, captured.out, captured.err

    def ok(self, *args):
        """The command's JSON output (None when it prints nothing); it must succeed."""
        code, out, err = self.run(*args)
        assert code == 0, err
        assert err == ""
        return json.loads(out) if out.strip() else None

    def file(self, name, data):
        """A file the CLI reads: ``file://`` for text, ``fileb://`` for bytes."""
        path = self.tmp_path / name
        if isinstance(data, bytes):
            path.write_bytes(data)
            return f"fileb://{path}"
        path.write_text(data, encoding="utf-8")
        return f"file://{path}"


@pytest.fixture
def cli(monkeypatch, capsys, tmp_path):
    """An AWS CLI with dummy credentials and us-east-1, reading no config file, under a mock."""
    missing = tmp_path / "missing"
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_DEFAULT_OUTPUT": "json",
        "AWS_CONFIG_FILE": str(missing / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(missing / "credentials"),
    }.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    with mock_ecr_public(registry_verified=True, registry_alias="acme") as ecr:
        cli = Cli(capsys, tmp_path)
        cli.mock = ecr
        yield cli


@pytest.fixture
def client(cli):
    """A boto3 client of the same mock, for setting up and checking state."""
    return boto3.client("ecr-public", region_name="us-east-1")


def sha256(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def upload(client, data, repo="app"):
    return {"digest": upload_layer(client, repo, data), "size": len(data)}


def manifest(config, layers):
    return json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": DOCKER_MANIFEST,
            "config": {"mediaType": "application/vnd.docker.container.image.v1+json", **config},
            "layers": [
                {"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", **layer}
                for layer in layers
            ],
        }
    )


def push(client, tag="v1"):
    """An image pushed with boto3: its manifest digest."""
    text = manifest(
        upload(client, b'{"os": "linux", "architecture": "amd64"}'), [upload(client, b"x")]
    )
    client.put_image(repositoryName="app", imageManifest=text, imageTag=tag)
    return sha256(text.encode())


# -- a realistic session ------------------------------------------------------------------


def test_a_session(cli):
    created = cli.ok(
        "create-repository", "--repository-name", "app", "--catalog-data", json.dumps(CATALOG)
    )
    assert created["repository"]["repositoryArn"] == ARN
    assert created["catalogData"] == CATALOG
    uri = created["repository"]["repositoryUri"]

    put = cli.ok(
        "put-repository-catalog-data",
        "--repository-name",
        "app",
        "--catalog-data",
        "description=Now with shorthand,architectures=ARM 64",
    )
    assert put["catalogData"] == {"description": "Now with shorthand", "architectures": ["ARM 64"]}

    repos = cli.ok("describe-repositories")["repositories"]
    assert [(r["repositoryName"], r["repositoryUri"]) for r in repos] == [("app", uri)]

    (registry,) = cli.ok("describe-registries")["registries"]
    assert registry["registryId"] == ACCOUNT
    assert uri.startswith(registry["registryUri"] + "/")

    got = cli.ok("get-repository-catalog-data", "--repository-name", "app")
    assert got["catalogData"] == put["catalogData"]

    code, password, err = cli.run("get-login-password")
    assert (code, err) == (0, "")
    token = cli.ok("get-authorization-token")["authorizationData"]["authorizationToken"]
    # A fresh token per call: the password has the shape of the token's secret part.
    user, _, secret = base64.b64decode(token).decode().partition(":")
    assert user == "AWS"
    assert len(password.strip()) == len(secret)

    assert cli.ok("describe-images", "--repository-name", "app")["imageDetails"] == []

    deleted = cli.ok("delete-repository", "--repository-name", "app")
    assert deleted["repository"]["repositoryArn"] == ARN
    assert cli.ok("describe-repositories")["repositories"] == []


def test_an_error_is_the_cli_s_error(cli):
    code, out, err = cli.run("describe-repositories", "--repository-names", "missing")
    # awscli v1 (PyPI's awscli) exits 255 on a service error; v2 would exit 254.
    assert code == 255
    assert out == ""
    assert err.strip() == (
        "An error occurred (RepositoryNotFoundException) when calling the DescribeRepositories "
        f"operation: The repository with name 'missing' does not exist in the registry with id "
        f"'{ACCOUNT}'"
    )


def test_us_west_2_serves_nothing_not_even_the_login_password(cli):
    """docs/aws-behaviour.md, "Regions": the AWS CLI prints what codeship-library/
    aws-utilities#117 and aws/aws-cdk#24244 quote."""
    code, _, err = cli.run("describe-repositories", "--region", "us-west-2")
    assert code == 255
    assert "(UnsupportedCommandException)" in err
    assert "DescribeRepositories command is only supported in us-east-1." in err
    code, password, err = cli.run("get-login-password", "--region", "us-west-2")
    assert (code, password) == (255, "")
    assert err.strip() == (
        "An error occurred (UnsupportedCommandException) when calling the "
        "GetAuthorizationToken operation: GetAuthorizationToken command is only supported "
        "in us-east-1."
    )


def test_a_region_without_endpoint_cannot_be_reached(cli):
    code, _, err = cli.run("describe-registries", "--region", "eu-west-1")
    assert code == 255
    assert "Could not connect to the endpoint URL" in err


# -- every operation ----------------------------------------------------------------------

CASES = {}


def case(operation):
    def register(func):
        CASES[operation] = func
        return func

    return register


@case("CreateRepository")
def create_repository(cli, client):
    out = cli.ok(
        "create-repository",
        "--repository-name",
        "app",
        "--catalog-data",
        json.dumps(CATALOG),
        "--tags",
        "Key=team,Value=web",
    )
    assert out["repository"]["repositoryName"] == "app"
    assert out["catalogData"] == CATALOG
    assert client.list_tags_for_resource(resourceArn=ARN)["tags"] == [
        {"Key": "team", "Value": "web"}
    ]


@case("DescribeRepositories")
def describe_repositories(cli, client):
    client.create_repository(repositoryName="app")
    client.create_repository(repositoryName="web")
    out = cli.ok("describe-repositories", "--repository-names", "web")
    assert [r["repositoryName"] for r in out["repositories"]] == ["web"]


@case("DeleteRepository")
def delete_repository(cli, client):
    client.create_repository(repositoryName="app")
    push(client)
    assert (
        cli.ok("delete-repository", "--repository-name", "app", "--force")["repository"][
            "repositoryName"
        ]
        == "app"
    )
    assert client.describe_repositories()["repositories"] == []


@case("BatchCheckLayerAvailability")
def batch_check_layer_availability(cli, client):
    client.create_repository(repositoryName="app")
    layer = upload(client, b"layer")
    missing = "sha256:" + "0" * 64
    out = cli.ok(
        "batch-check-layer-availability",
        "--repository-name",
        "app",
        "--layer-digests",
        layer["digest"],
        missing,
    )
    # A well-formed digest never uploaded is UNAVAILABLE; only malformed ones are failures.
    assert [(x["layerDigest"], x["layerAvailability"]) for x in out["layers"]] == [
        (layer["digest"], "AVAILABLE"),
        (missing, "UNAVAILABLE"),
    ]
    assert out["failures"] == []


@case("InitiateLayerUpload")
def initiate_layer_upload(cli, client):
    client.create_repository(repositoryName="app")
    out = cli.ok("initiate-layer-upload", "--repository-name", "app")
    assert out["uploadId"]
    assert out["partSize"] > 0


@case("UploadLayerPart")
def upload_layer_part(cli, client):
    client.create_repository(repositoryName="app")
    upload_id = client.initiate_layer_upload(repositoryName="app")["uploadId"]
    data = bytes(range(256)) * 4  # every byte value: the blob must arrive unchanged
    out = cli.ok(
        "upload-layer-part",
        "--repository-name",
        "app",
        "--upload-id",
        upload_id,
        "--part-first-byte",
        "0",
        "--part-last-byte",
        str(len(data) - 1),
        "--layer-part-blob",
        cli.file("part", data),
    )
    assert (out["uploadId"], out["lastByteReceived"]) == (upload_id, len(data) - 1)
    done = client.complete_layer_upload(
        repositoryName="app", uploadId=upload_id, layerDigests=[sha256(data)]
    )
    assert done["layerDigest"] == sha256(data)


@case("CompleteLayerUpload")
def complete_layer_upload(cli, client):
    client.create_repository(repositoryName="app")
    upload_id = client.initiate_layer_upload(repositoryName="app")["uploadId"]
    client.upload_layer_part(
        repositoryName="app",
        uploadId=upload_id,
        partFirstByte=0,
        partLastByte=4,
        layerPartBlob=b"12345",
    )
    out = cli.ok(
        "complete-layer-upload",
        "--repository-name",
        "app",
        "--upload-id",
        upload_id,
        "--layer-digests",
        sha256(b"12345"),
    )
    assert out["layerDigest"] == sha256(b"12345")


@case("PutImage")
def put_image(cli, client):
    client.create_repository(repositoryName="app")
    text = manifest(upload(client, b'{"os": "linux"}'), [upload(client, b"rootfs")])
    out = cli.ok(
        "put-image",
        "--repository-name",
        "app",
        "--image-manifest",
        cli.file("manifest.json", text),
        "--image-tag",
        "v1",
    )
    image = out["image"]
    assert image["imageId"] == {"imageTag": "v1", "imageDigest": sha256(text.encode())}
    assert image["imageManifest"] == text


@case("DescribeImages")
def describe_images(cli, client):
    client.create_repository(repositoryName="app")
    digest = push(client)
    (image,) = cli.ok("describe-images", "--repository-name", "app")["imageDetails"]
    assert (image["imageDigest"], image["imageTags"]) == (digest, ["v1"])


@case("DescribeImageTags")
def describe_image_tags(cli, client):
    client.create_repository(repositoryName="app")
    digest = push(client)
    (detail,) = cli.ok("describe-image-tags", "--repository-name", "app")["imageTagDetails"]
    assert detail["imageTag"] == "v1"
    assert detail["imageDetail"]["imageDigest"] == digest


@case("BatchDeleteImage")
def batch_delete_image(cli, client):
    client.create_repository(repositoryName="app")
    digest = push(client)
    out = cli.ok("batch-delete-image", "--repository-name", "app", "--image-ids", "imageTag=v1")
    assert out["imageIds"] == [{"imageDigest": digest, "imageTag": "v1"}]
    assert client.describe_images(repositoryName="app")["imageDetails"] == []


@case("GetRepositoryCatalogData")
def get_repository_catalog_data(cli, client):
    client.create_repository(repositoryName="app", catalogData=CATALOG)
    out = cli.ok("get-repository-catalog-data", "--repository-name", "app")
    assert out["catalogData"] == CATALOG


@case("PutRepositoryCatalogData")
def put_repository_catalog_data(cli, client):
    client.create_repository(repositoryName="app")
    out = cli.ok(
        "put-repository-catalog-data",
        "--repository-name",
        "app",
        "--catalog-data",
        json.dumps(CATALOG),
    )
    assert out["catalogData"] == CATALOG
    assert client.get_repository_catalog_data(repositoryName="app")["catalogData"] == CATALOG


@case("GetRegistryCatalogData")
def get_registry_catalog_data(cli, client):
    client.put_registry_catalog_data(displayName="Team")
    assert cli.ok("get-registry-catalog-data")["registryCatalogData"] == {"displayName": "Team"}


@case("PutRegistryCatalogData")
def put_registry_catalog_data(cli, client):
    out = cli.ok("put-registry-catalog-data", "--display-name", "Team")
    assert out["registryCatalogData"] == {"displayName": "Team"}


@case("DescribeRegistries")
def describe_registries(cli, client):
    (registry,) = cli.ok("describe-registries")["registries"]
    assert registry["registryArn"] == f"arn:aws:ecr-public::{ACCOUNT}:registry/{ACCOUNT}"


@case("GetAuthorizationToken")
def get_authorization_token(cli, client):
    data = cli.ok("get-authorization-token")["authorizationData"]
    assert data["authorizationToken"]
    assert data["expiresAt"]
    code, password, _ = cli.run("get-login-password")
    assert code == 0
    assert password.strip()


@case("SetRepositoryPolicy")
def set_repository_policy(cli, client):
    client.create_repository(repositoryName="app")
    out = cli.ok(
        "set-repository-policy",
        "--repository-name",
        "app",
        "--policy-text",
        cli.file("policy.json", POLICY),
    )
    assert json.loads(out["policyText"]) == json.loads(POLICY)


@case("GetRepositoryPolicy")
def get_repository_policy(cli, client):
    client.create_repository(repositoryName="app")
    client.set_repository_policy(repositoryName="app", policyText=POLICY)
    out = cli.ok("get-repository-policy", "--repository-name", "app")
    assert json.loads(out["policyText"]) == json.loads(POLICY)


@case("DeleteRepositoryPolicy")
def delete_repository_policy(cli, client):
    client.create_repository(repositoryName="app")
    client.set_repository_policy(repositoryName="app", policyText=POLICY)
    out = cli.ok("delete-repository-policy", "--repository-name", "app")
    assert json.loads(out["policyText"]) == json.loads(POLICY)
    with pytest.raises(client.exceptions.RepositoryPolicyNotFoundException):
        client.get_repository_policy(repositoryName="app")


@case("TagResource")
def tag_resource(cli, client):
    client.create_repository(repositoryName="app")
    out = cli.ok(
        "tag-resource", "--resource-arn", ARN, "--tags", "Key=team,Value=web", "Key=tier,Value=1"
    )
    assert out is None  # the answer is empty: the CLI prints nothing
    assert client.list_tags_for_resource(resourceArn=ARN)["tags"] == [
        {"Key": "team", "Value": "web"},
        {"Key": "tier", "Value": "1"},
    ]


@case("UntagResource")
def untag_resource(cli, client):
    client.create_repository(repositoryName="app", tags=[{"Key": "team", "Value": "web"}])
    assert cli.ok("untag-resource", "--resource-arn", ARN, "--tag-keys", "team") is None
    assert client.list_tags_for_resource(resourceArn=ARN)["tags"] == []


@case("ListTagsForResource")
def list_tags_for_resource(cli, client):
    client.create_repository(repositoryName="app", tags=[{"Key": "team", "Value": "web"}])
    out = cli.ok("list-tags-for-resource", "--resource-arn", ARN)
    assert out["tags"] == [{"Key": "team", "Value": "web"}]


# The cases of the operations every supported model has.
ORIGINAL = frozenset(CASES)


# -- the operations botocore 1.44.18 added (premium repositories) ------------------------

PREMIUM = ("--repository-type", "PREMIUM")


def premium_with_image(cli, client, name="pro", products=("prod-1",), state="DRAFT"):
    client.create_premium_repository(repositoryName=name, marketplaceProducts=list(products))
    digest = cli.mock.push_image(name, "v1", repository_type="PREMIUM")
    for step in {"DRAFT": (), "AVAILABLE": ("AVAILABLE",), "HIDDEN": ("AVAILABLE", "HIDDEN")}[
        state
    ]:
        client.set_repository_state(repositoryName=name, repositoryType="PREMIUM", state=step)
    return digest


@case("CreatePremiumRepository")
def create_premium_repository(cli, client):
    out = cli.ok(
        "create-premium-repository",
        "--repository-name",
        "pro",
        "--marketplace-products",
        "prod-1",
        "prod-2",
        "--catalog-data",
        json.dumps({**CATALOG, "categories": ["AI_ML"]}),
    )
    assert out["premiumRepository"]["state"] == "DRAFT"
    assert out["premiumRepository"]["marketplaceProducts"] == ["prod-1", "prod-2"]
    assert out["catalogData"] == {**CATALOG, "categories": ["AI_ML"]}


@case("DescribePremiumRepositories")
def describe_premium_repositories(cli, client):
    premium_with_image(cli, client)
    out = cli.ok("describe-premium-repositories")
    assert [r["repositoryName"] for r in out["repositories"]] == ["pro"]


@case("DeletePremiumRepository")
def delete_premium_repository(cli, client):
    client.create_premium_repository(repositoryName="pro", marketplaceProducts=["prod-1"])
    out = cli.ok("delete-premium-repository", "--repository-name", "pro")
    assert out["premiumRepository"]["repositoryArn"].endswith(":premium-repository/pro")
    assert client.describe_premium_repositories()["repositories"] == []


@case("SetRepositoryState")
def set_repository_state(cli, client):
    premium_with_image(cli, client)
    out = cli.ok(
        "set-repository-state", "--repository-name", "pro", *PREMIUM, "--state", "AVAILABLE"
    )
    assert out["state"] == "AVAILABLE"


@case("PutPremiumRepositoryProducts")
def put_premium_repository_products(cli, client):
    premium_with_image(cli, client)
    out = cli.ok(
        "put-premium-repository-products",
        "--repository-name",
        "pro",
        "--marketplace-products",
        "prod-1",
        "prod-3",
    )
    assert out["marketplaceProducts"] == ["prod-1", "prod-3"]


@case("GetPremiumRepositoryCatalogData")
def get_premium_repository_catalog_data(cli, client):
    client.create_premium_repository(
        repositoryName="pro", marketplaceProducts=["prod-1"], catalogData={"description": "d"}
    )
    out = cli.ok("get-premium-repository-catalog-data", "--repository-name", "pro")
    assert out["catalogData"] == {"description": "d"}


@case("PutPremiumRepositoryCatalogData")
def put_premium_repository_catalog_data(cli, client):
    client.create_premium_repository(
        repositoryName="pro", marketplaceProducts=["prod-1"], catalogData={"description": "d"}
    )
    out = cli.ok(
        "put-premium-repository-catalog-data",
        "--repository-name",
        "pro",
        "--catalog-data",
        "usageText=use it",
    )
    assert out["catalogData"] == {"description": "d", "usageText": "use it"}


@case("SetPremiumRepositoryPolicy")
def set_premium_repository_policy(cli, client):
    client.create_premium_repository(repositoryName="pro", marketplaceProducts=["prod-1"])
    out = cli.ok(
        "set-premium-repository-policy",
        "--repository-name",
        "pro",
        "--policy-text",
        cli.file("policy.json", POLICY),
    )
    assert json.loads(out["policyText"]) == json.loads(POLICY)


@case("GetPremiumRepositoryPolicy")
def get_premium_repository_policy(cli, client):
    client.create_premium_repository(repositoryName="pro", marketplaceProducts=["prod-1"])
    client.set_premium_repository_policy(repositoryName="pro", policyText=POLICY)
    out = cli.ok("get-premium-repository-policy", "--repository-name", "pro")
    assert json.loads(out["policyText"]) == json.loads(POLICY)


@case("DeletePremiumRepositoryPolicy")
def delete_premium_repository_policy(cli, client):
    client.create_premium_repository(repositoryName="pro", marketplaceProducts=["prod-1"])
    client.set_premium_repository_policy(repositoryName="pro", policyText=POLICY)
    out = cli.ok("delete-premium-repository-policy", "--repository-name", "pro")
    assert json.loads(out["policyText"]) == json.loads(POLICY)


ASSOCIATION = (
    "--repository-name",
    "app",
    "--repository-type",
    "FREE",
    "--associated-repository-name",
    "pro",
    "--associated-repository-type",
    "PREMIUM",
)


@case("AssociateRepositories")
def associate_repositories(cli, client):
    client.create_repository(repositoryName="app")
    client.create_premium_repository(repositoryName="pro", marketplaceProducts=["prod-1"])
    out = cli.ok("associate-repositories", *ASSOCIATION)
    assert out["associatedRepositoryName"] == "pro"
    (repo,) = client.describe_repositories()["repositories"]
    assert repo["associatedRepositories"] == [
        {"repositoryName": "pro", "repositoryType": "PREMIUM"}
    ]


@case("DisassociateRepositories")
def disassociate_repositories(cli, client):
    client.create_repository(repositoryName="app")
    client.create_premium_repository(repositoryName="pro", marketplaceProducts=["prod-1"])
    client.associate_repositories(
        repositoryName="app",
        repositoryType="FREE",
        associatedRepositoryName="pro",
        associatedRepositoryType="PREMIUM",
    )
    out = cli.ok("disassociate-repositories", *ASSOCIATION)
    assert out["repositoryType"] == "FREE"
    (repo,) = client.describe_repositories()["repositories"]
    assert "associatedRepositories" not in repo


@case("SetImageStatus")
def set_image_status(cli, client):
    digest = premium_with_image(cli, client, state="AVAILABLE")
    out = cli.ok(
        "set-image-status",
        "--repository-name",
        "pro",
        *PREMIUM,
        "--image-id",
        "imageTag=v1",
        "--status",
        "DEPRECATED",
        "--deprecation-period-days",
        "90",
    )
    assert (out["status"], out["imageId"]) == (
        "DEPRECATED",
        {"imageTag": "v1", "imageDigest": digest},
    )
    assert "scheduledDeletionAt" in out


@case("DescribeImageScanFindings")
def describe_image_scan_findings(cli, client):
    premium_with_image(cli, client)
    cli.mock.set_scan_findings("pro", "v1", [{"severity": "HIGH", "title": "CVE-2024-0001"}])
    out = cli.ok(
        "describe-image-scan-findings", "--repository-name", "pro", *PREMIUM,
        "--image-id", "imageTag=v1",
    )  # fmt: skip
    assert out["imageScanStatus"] == {"status": "COMPLETE"}
    assert out["imageScanFindings"]["findingSeverityCounts"] == {"HIGH": 1}
    assert [f["title"] for f in out["imageScanFindings"]["findings"]] == ["CVE-2024-0001"]


@case("DescribeEntitledRepositories")
def describe_entitled_repositories(cli, client):
    premium_with_image(cli, client, state="AVAILABLE")
    cli.mock.entitle("prod-1")
    out = cli.ok("describe-entitled-repositories")
    assert [(r["repositoryName"], r["entitledViaProductId"]) for r in out["repositories"]] == [
        ("pro", "prod-1")
    ]


@case("DescribeEntitledImages")
def describe_entitled_images(cli, client):
    digest = premium_with_image(cli, client, state="AVAILABLE")
    cli.mock.entitle("prod-1")
    out = cli.ok("describe-entitled-images", "--registry-alias", "acme", "--repository-name", "pro")
    assert [(i["imageDigest"], i["imageTags"]) for i in out["imageDetails"]] == [(digest, ["v1"])]


@case("DescribeEntitledImageTags")
def describe_entitled_image_tags(cli, client):
    digest = premium_with_image(cli, client, state="HIDDEN")
    cli.mock.entitle("prod-1")
    out = cli.ok(
        "describe-entitled-image-tags", "--registry-alias", "acme", "--repository-name", "pro"
    )
    assert [(t["imageTag"], t["imageDetail"]["imageDigest"]) for t in out["imageTagDetails"]] == [
        ("v1", digest)
    ]


@case("ListPublisherReports")
def list_publisher_reports(cli, client):
    report_id = cli.mock.add_publisher_report("2024-04-01", b"image,pulls\n")
    out = cli.ok("list-publisher-reports", "--report-type", "SUMMARY")
    assert [(r["reportId"], r["period"]) for r in out["reports"]] == [
        (report_id, {"startDate": "2024-04-01", "endDate": "2024-04-30"})
    ]


@case("GetDownloadUrlForPublisherReport")
def get_download_url_for_publisher_report(cli, client):
    report_id = cli.mock.add_publisher_report("2024-04-01", b"image,pulls\n")
    out = cli.ok("get-download-url-for-publisher-report", "--report-id", report_id)
    assert out["reportId"] == report_id
    assert cli.mock.download(out["downloadUrl"]) == gzip.compress(b"image,pulls\n", mtime=0)


def test_every_operation_has_a_case():
    """Every operation of the installed model (the premium ones only where it has them)."""
    assert set(CASES) >= set(service_model().operation_names)
    assert set(CASES) - set(service_model().operation_names) <= set(PREMIUM_CASES)


PREMIUM_CASES = [op for op in CASES if op not in ORIGINAL]


@pytest.mark.parametrize("operation", sorted(set(CASES) & set(service_model().operation_names)))
def test_operation_through_the_cli(cli, client, operation):
    CASES[operation](cli, client)
    assert xform_name(operation, "-") in cli.commands
