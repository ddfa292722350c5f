"""Real registry clients against the served mock's registry protocol (``/v2/``, ``/token/``).

skopeo, oras-py, docker (a private dockerd) and podman push and pull through the
registry API of the served mock, in both server modes: in-process (``mock_ecr_public()``
and ``mock.serve()``, checked with boto3 clients served in-process) and ``python -m
ecrpublic_mock serve`` (checked with boto3 over HTTP). What the clients push is what the
ECR Public API then reports (DescribeImages), BatchDeleteImage (or a registry DELETE, from
``skopeo delete``) takes it away from them, and an image pushed through the API is what
they pull. An OCI index pushed by skopeo is pulled whole by skopeo and one platform at a
time by docker.

The refusals are ECR Public's (docs/aws-behaviour.md): a repository is never created by a
push (NAME_UNKNOWN), an anonymous token pulls but does not push, a password is good for 12
hours, a tag of an immutable repository is not moved (TAG_INVALID). Each is asserted
through the exit status and the text the client prints.

Not here: a blob whose content does not match its digest, and a manifest naming a layer
never uploaded. The clients check both before anything is sent (skopeo verifies every blob
it reads against its descriptor and uploads every layer a manifest names), so the
protocol-level tests cover those answers.

The clients are found on PATH; a missing one skips its tests unless
``ECRPUBLIC_MOCK_REQUIRE_CLIENTS=1`` (CI) fails them. See tests/_clients.py.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import urllib.request
from pathlib import Path

import _clients
import boto3
import pytest
from _clients import (
    DOCKER_CONFIG,
    DOCKER_LAYER,
    DOCKER_MANIFEST,
    OCI_CONFIG,
    OCI_INDEX,
    OCI_MANIFEST,
    Docker,
    Oras,
    Podman,
    Skopeo,
    Target,
    creds,
    docker_tarball,
    gz,
    image,
    index,
    put_through_api,
    read_layout,
    sha256,
    start_target,
    tar_of,
    write_layout,
)
from _support import ACCOUNT, repo_not_found
from freezegun import freeze_time

pytestmark = pytest.mark.slow

MODES = ["in-process", "subprocess"]
EXPIRED = "denied: Your authorization token has expired. Reauthenticate and try again."
NOT_AUTHORIZED = "denied: Not Authorized"
MANIFEST_UNKNOWN = "manifest unknown: Requested image not found"
# skopeo's report of a token request that the token endpoint refused (DENIED is a 403).
TOKEN_REFUSED = "Requesting bearer token: invalid status code from registry 403 (Forbidden)"


@pytest.fixture(scope="module", params=MODES)
def mode(request):
    """The server mode; the tests of a mode run together."""
    return request.param


@pytest.fixture(scope="module")
def shared_subprocess(mode):
    """In subprocess mode, one ``serve`` subprocess for the module's tests (each uses
    repositories of its own); None in-process."""
    if mode != "subprocess":
        yield None
        return
    with start_target(mode) as served:
        yield served


@pytest.fixture
def target(mode, shared_subprocess):
    """The served mock of the test's mode. In-process, a mock and server of the test's
    own: no in-process mock outlives a test, so that none answers a subprocess-mode test's
    clients, and no event loop is running when a test starts freezegun (see
    test_an_expired_password_is_refused)."""
    if shared_subprocess is not None:
        seen = len(shared_subprocess.server_log())
        yield shared_subprocess
        # Shown with a failure's captured output: what the server wrote during the test.
        print(shared_subprocess.server_log()[seen:], file=sys.stderr)
        return
    with start_target(mode) as served:
        yield served


# The session's private dockerd (one per xdist worker).
dockerd = _clients.dockerd


@pytest.fixture
def skopeo(tmp_path):
    return Skopeo(tmp_path / "skopeo")


@pytest.fixture
def docker(tmp_path, dockerd):
    return Docker(tmp_path / "docker", dockerd)


@pytest.fixture
def podman(tmp_path):
    client = Podman(tmp_path / "podman")
    yield client
    client.close()


def alias_of(target):
    return target.client.describe_registries()["registries"][0]["aliases"][0]["name"]


def ok(done):
    """Assert a client run succeeded; its stdout."""
    assert done.returncode == 0, f"exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def failed(done):
    """Assert a client run failed with exit status 1 (each client's for a refused
    operation); its stderr."""
    assert done.returncode == 1, f"exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stderr


def images_of(target, repo):
    details = target.client.describe_images(repositoryName=repo)["imageDetails"]
    return {d["imageDigest"]: d for d in details}


def assert_detail(detail, repo, digest, tags, media_type, artifact_type, size):
    assert detail["registryId"] == ACCOUNT
    assert detail["repositoryName"] == repo
    assert detail["imageDigest"] == digest
    assert sorted(detail.get("imageTags", [])) == sorted(tags)
    assert detail["imageManifestMediaType"] == media_type
    if artifact_type is None:
        assert "artifactMediaType" not in detail
    else:
        assert detail["artifactMediaType"] == artifact_type
    assert detail["imageSizeInBytes"] == size
    pushed = detail["imagePushedAt"]
    assert abs(dt.datetime.now(dt.timezone.utc) - pushed) < dt.timedelta(minutes=5)


def delete_tag(target, repo, tag, digest):
    answer = target.client.batch_delete_image(repositoryName=repo, imageIds=[{"imageTag": tag}])
    assert answer["imageIds"] == [{"imageDigest": digest, "imageTag": tag}]
    assert answer["failures"] == []


# -- skopeo -------------------------------------------------------------------------------


def test_the_repository_uri_names_the_served_registry(target):
    uri = target.create("uri-check")
    assert uri == f"{target.host}/{alias_of(target)}/uri-check"


def round_trip(target, skopeo, tmp_path, repo, tag, built):
    """Push ``built`` to a new repository with a login, pull it back anonymously (ECR
    Public serves pulls to anyone): the layout comes back with the same top manifest and
    every blob byte for byte. The repository's URI."""
    uri = target.create(repo)
    ok(skopeo.push(write_layout(tmp_path / "up", tag, built), tag, f"{uri}:{tag}", target.login()))
    ok(skopeo.pull(f"{uri}:{tag}", tmp_path / "down", tag))
    entries, blobs = read_layout(tmp_path / "down")
    kind = OCI_INDEX if isinstance(built, _clients.Index) else OCI_MANIFEST
    assert [(e["mediaType"], e["digest"]) for e in entries] == [(kind, built.digest)]
    assert blobs == built.blobs
    return uri


def test_skopeo_copies_a_multi_layer_image_up_and_back(target, skopeo, tmp_path):
    repo = "skopeo-image"
    built = image(repo, layers=3)
    uri = round_trip(target, skopeo, tmp_path, repo, "v1", built)
    assert ok(skopeo.inspect_raw(f"{uri}@{built.digest}")).encode() == built.manifest.data

    (detail,) = images_of(target, repo).values()
    assert_detail(detail, repo, built.digest, ["v1"], OCI_MANIFEST, OCI_CONFIG, built.size)
    layers = target.client.batch_check_layer_availability(
        repositoryName=repo, layerDigests=[layer.digest for layer in built.layers]
    )["layers"]
    assert [(x["layerDigest"], x["layerAvailability"], x["layerSize"]) for x in layers] == [
        (layer.digest, "AVAILABLE", layer.size) for layer in built.layers
    ]

    delete_tag(target, repo, "v1", built.digest)
    assert images_of(target, repo) == {}
    for reference in (f"{uri}:v1", f"{uri}@{built.digest}"):
        assert MANIFEST_UNKNOWN in failed(skopeo.inspect_raw(reference))
        assert MANIFEST_UNKNOWN in failed(skopeo.pull(reference, tmp_path / "gone", "v1"))


def test_skopeo_copies_a_multi_platform_index_with_all(target, skopeo, tmp_path):
    repo = "skopeo-index"
    built = index(repo)
    uri = round_trip(target, skopeo, tmp_path, repo, "multi", built)

    found = images_of(target, repo)
    assert set(found) == {built.digest, *(each.digest for each in built.images)}
    size = max(each.size for each in built.images)
    assert_detail(found[built.digest], repo, built.digest, ["multi"], OCI_INDEX, None, size)
    for each in built.images:
        assert_detail(
            found[each.digest], repo, each.digest, [], OCI_MANIFEST, OCI_CONFIG, each.size
        )

    delete_tag(target, repo, "multi", built.digest)
    assert set(images_of(target, repo)) == {each.digest for each in built.images}
    assert MANIFEST_UNKNOWN in failed(skopeo.inspect_raw(f"{uri}:multi"))
    # The platform images stay pullable by digest.
    arm = built.images[1]
    assert ok(skopeo.inspect_raw(f"{uri}@{arm.digest}")).encode() == arm.manifest.data


def test_skopeo_pushing_an_index_without_its_images_is_refused(target, skopeo, tmp_path):
    """``--multi-arch index-only`` sends the index alone: like PutImage, the registry
    refuses a list whose images are not in the repository, and stores nothing."""
    repo = "skopeo-index-only"
    uri = target.create(repo)
    built = index(repo)
    layout = write_layout(tmp_path / "up", "multi", built)
    done = skopeo.copy(
        "dest",
        f"oci:{layout}:multi",
        f"docker://{uri}:multi",
        target.login(),
        "--multi-arch",
        "index-only",
    )
    missing = ", ".join(each.digest for each in built.images)
    assert (
        f"manifest blob unknown: Images with digests '[{missing}]' required for pushing image "
        f"into repository with name '{repo}' in the registry with id '{ACCOUNT}' do not exist"
    ) in failed(done)
    assert images_of(target, repo) == {}


def test_a_fault_injected_for_put_image_fails_a_skopeo_push(target, skopeo, tmp_path):
    """A fault injected through the control plane (``inject_fault`` in-process) fails the
    manifest push as a test would have the registry fail; the next push lands."""
    repo = "skopeo-fault"
    uri = target.create(repo)
    built = image(repo, layers=1)
    layout = write_layout(tmp_path / "up", "v1", built)
    fault = {
        "code": "TOOMANYREQUESTS",
        "operation": "PutImage",
        "message": "try again later",
        "status": 429,
    }
    request = urllib.request.Request(
        f"{target.url}/_ecrpublic_mock/faults", json.dumps(fault).encode(), method="POST"
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert answer.status == 201
    assert "toomanyrequests: try again later" in failed(
        skopeo.push(layout, "v1", f"{uri}:v1", target.login())
    )
    assert images_of(target, repo) == {}
    ok(skopeo.push(layout, "v1", f"{uri}:v1", target.login()))
    assert list(images_of(target, repo)) == [built.digest]


def test_docker_pulls_one_platform_of_an_index(target, skopeo, docker, tmp_path):
    """docker resolves a tag naming an OCI index to the platform it asks for, then pulls
    that image by digest."""
    repo = "docker-platform"
    uri = target.create(repo)
    built = index(repo)
    ok(
        skopeo.push(
            write_layout(tmp_path / "up", "multi", built), "multi", f"{uri}:multi", target.login()
        )
    )
    for each in built.images:
        platform = f"linux/{each.platform['architecture']}"
        pulled = ok(docker("pull", "--platform", platform, f"{uri}:multi"))
        assert f"Digest: {built.digest}" in pulled
        assert ok(
            docker("image", "inspect", "--format", "{{.Id}} {{.Architecture}}", f"{uri}:multi")
        ).split() == [each.config.digest, each.platform["architecture"]]
        ok(docker("rmi", f"{uri}:multi"))
    arm = built.images[1]
    pulled = ok(docker("pull", f"{uri}@{arm.digest}"))
    assert f"Digest: {arm.digest}" in pulled
    ok(docker("rmi", f"{uri}@{arm.digest}"))


def test_the_plugins_served_fixture_is_a_registry(ecr_public, ecr_public_server, skopeo, tmp_path):
    """The pytest plugin's ``ecr_public_server`` serves the registry protocol, for the
    state of ``ecr_public`` (the handle sees what skopeo pushed)."""
    target = Target(
        "in-process", ecr_public_server.url, boto3.client("ecr-public", region_name="us-east-1")
    )
    uri = target.create("plugin-served")
    built = image("plugin-served", layers=1)
    ok(skopeo.push(write_layout(tmp_path / "up", "v1", built), "v1", f"{uri}:v1", target.login()))
    view = ecr_public.repositories["plugin-served"]
    assert view.uri == uri
    assert view.tags == {"v1": built.digest}
    assert view.images[built.digest].manifest == built.manifest.data.decode()
    assert set(view.layers) == {built.config.digest, built.layers[0].digest}
    ok(skopeo.pull(f"{uri}:v1", tmp_path / "down", "v1"))
    assert read_layout(tmp_path / "down")[1] == built.blobs


# -- oras-py ------------------------------------------------------------------------------


def test_oras_pushes_and_pulls_an_artifact(target, tmp_path, monkeypatch):
    repo = "oras-artifact"
    uri = target.create(repo)
    oras = Oras(target.host, tmp_path / "oras", monkeypatch)
    assert oras.login(target.login()) == {"Status": "Login Succeeded"}
    assert list(json.loads(oras.config.read_text())["auths"]) == [target.host]
    monkeypatch.chdir(tmp_path)
    content = b"an artifact, not an image\n" * 20
    (tmp_path / "notes.txt").write_bytes(content)

    pushed = oras.client.push(target=f"{uri}:v1", files=["notes.txt"])
    assert pushed.status_code == 201
    digest = pushed.headers["Docker-Content-Digest"]

    out = tmp_path / "out"
    assert oras.client.pull(target=f"{uri}:v1", outdir=str(out)) == [str(out / "notes.txt")]
    assert (out / "notes.txt").read_bytes() == content

    (detail,) = images_of(target, repo).values()
    manifest = oras.client.get_manifest(f"{uri}:v1")
    (layer,) = manifest["layers"]
    assert layer["annotations"]["org.opencontainers.image.title"] == "notes.txt"
    assert_detail(
        detail,
        repo,
        digest,
        ["v1"],
        OCI_MANIFEST,
        manifest["config"]["mediaType"],
        layer["size"],
    )


def test_oras_chunked_uploads_follow_ecrs_5_mib_rule(target, tmp_path, monkeypatch):
    """A streaming client whose chunks but the last are under 5 MiB fails as on ECR, which
    "require[s] all chunked uploads to be at least 5MB in size, except the last chunk"
    (dotnet/sdk#33019) and refuses them with BLOB_UPLOAD_INVALID (dotnet/sdk-container-builds
    #472); with 5 MiB chunks the same push succeeds. oras-py uploads in chunks on request."""
    repo = "oras-chunked"
    uri = target.create(repo)
    oras = Oras(target.host, tmp_path / "oras", monkeypatch)
    oras.login(target.login())
    monkeypatch.chdir(tmp_path)
    mib = 1024 * 1024
    (tmp_path / "big.bin").write_bytes(bytes(range(256)) * (6 * mib // 256))
    # oras-py raises on the closing PUT's 400 (its body: test_registry_aws_rules.py).
    with pytest.raises(ValueError, match=r"/blobs/uploads/.*\?digest=.*: Bad Request"):
        oras.client.push(target=f"{uri}:small", files=["big.bin"], do_chunked=True, chunk_size=mib)
    assert images_of(target, repo) == {}
    pushed = oras.client.push(
        target=f"{uri}:v1", files=["big.bin"], do_chunked=True, chunk_size=5 * mib
    )
    assert pushed.status_code == 201
    (detail,) = images_of(target, repo).values()
    assert detail["imageTags"] == ["v1"]


# -- docker -------------------------------------------------------------------------------


def test_docker_pushes_pulls_and_inspects(target, docker, tmp_path):
    repo = "docker-image"
    uri = target.create(repo)
    ref = f"{uri}:v1"
    image_id = ok(docker("import", str(docker_tarball(tmp_path / "rootfs.tar", repo)), ref))
    assert "Login Succeeded" in ok(docker.login(target.host, target.login()))

    pushed = ok(docker("push", ref))
    (digest,) = re.search(r"v1: digest: (sha256:[0-9a-f]{64}) size: \d+", pushed).groups()
    ok(docker("rmi", ref))
    pulled = ok(docker("pull", ref))
    assert f"Digest: {digest}" in pulled
    assert f"Status: Downloaded newer image for {ref}" in pulled
    assert ok(docker("image", "inspect", "--format", "{{.Id}}", ref)).strip() == image_id.strip()

    manifest = json.loads(ok(docker("manifest", "inspect", "--insecure", ref)))
    assert manifest["mediaType"] == DOCKER_MANIFEST
    assert manifest["config"]["mediaType"] == DOCKER_CONFIG
    assert manifest["config"]["digest"] == image_id.strip()
    (layer,) = manifest["layers"]
    assert layer["mediaType"] == DOCKER_LAYER

    (detail,) = images_of(target, repo).values()
    assert_detail(detail, repo, digest, ["v1"], DOCKER_MANIFEST, DOCKER_CONFIG, layer["size"])

    delete_tag(target, repo, "v1", digest)
    ok(docker("rmi", ref))
    stderr = failed(docker("pull", ref))
    assert f"manifest for {ref} not found: {MANIFEST_UNKNOWN}" in stderr


def test_an_image_pushed_through_the_api_is_pulled_by_skopeo_and_docker(
    target, skopeo, docker, tmp_path
):
    repo = "api-pushed"
    uri = target.create(repo)
    built = image(repo, layers=2, media_type=DOCKER_MANIFEST)
    digest = put_through_api(target.client, repo, built, "v1")
    assert digest == built.digest

    ok(skopeo.pull(f"{uri}:v1", tmp_path / "down", "v1"))
    entries, blobs = read_layout(tmp_path / "down")
    assert [e["digest"] for e in entries] == [digest]
    assert blobs == built.blobs

    pulled = ok(docker("pull", f"{uri}:v1"))
    assert f"Digest: {digest}" in pulled
    assert ok(docker("image", "inspect", "--format", "{{.Id}}", f"{uri}:v1")).strip() == (
        built.config.digest
    )
    ok(docker("rmi", f"{uri}:v1"))


@pytest.mark.parametrize("mode", ["in-process"], indirect=True)
def test_the_handles_push_image_is_pulled_by_skopeo_and_docker(target, skopeo, docker, tmp_path):
    """``mock.push_image`` with gzip-compressed tar layers and the config it generates."""
    repo = "handle-pushed"
    uri = target.create(repo)
    tars = [tar_of({f"f{i}.txt": f"handle layer {i}\n".encode()}) for i in range(2)]
    layers = [gz(t) for t in tars]
    digest = target.mock.push_image(repo, "v1", layers=layers)

    ok(skopeo.pull(f"{uri}:v1", tmp_path / "down", "v1"))
    entries, blobs = read_layout(tmp_path / "down")
    assert [e["digest"] for e in entries] == [digest]
    manifest = json.loads(blobs[digest])
    assert manifest["mediaType"] == DOCKER_MANIFEST
    assert [x["digest"] for x in manifest["layers"]] == [sha256(layer) for layer in layers]
    config = json.loads(blobs[manifest["config"]["digest"]])
    assert set(blobs) == {digest, manifest["config"]["digest"], *map(sha256, layers)}
    # What docker and podman check on pull: the config's diff_ids are the digests of the
    # uncompressed layers.
    assert config["rootfs"] == {"type": "layers", "diff_ids": [sha256(t) for t in tars]}

    pulled = ok(docker("pull", f"{uri}:v1"))
    assert f"Digest: {digest}" in pulled
    ok(docker("rmi", f"{uri}:v1"))


# -- podman -------------------------------------------------------------------------------


def test_podman_pushes_and_pulls(target, podman, skopeo, tmp_path):
    repo = "podman-image"
    uri = target.create(repo)
    ref = f"{uri}:v1"
    user, password = target.login()
    ok(podman("import", str(docker_tarball(tmp_path / "rootfs.tar", repo)), ref))
    digest_file = tmp_path / "digest"
    flags = [*podman.policy(), "--tls-verify=false", "--creds", f"{user}:{password}"]
    ok(podman("push", *flags, "--format", "oci", "--digestfile", str(digest_file), ref))
    digest = digest_file.read_text().strip()
    ok(podman("rmi", ref))
    ok(podman("pull", *flags, ref))
    assert ok(podman("image", "inspect", "--format", "{{.Digest}}", ref)).strip() == digest

    (detail,) = images_of(target, repo).values()
    raw = ok(skopeo.inspect_raw(ref)).encode()
    assert sha256(raw) == digest
    manifest = json.loads(raw)
    size = sum(layer["size"] for layer in manifest["layers"])
    assert_detail(detail, repo, digest, ["v1"], OCI_MANIFEST, OCI_CONFIG, size)


# -- refusals -----------------------------------------------------------------------------


def test_a_push_never_creates_a_repository(target, skopeo, docker, tmp_path):
    uri = f"{target.host}/{alias_of(target)}/never-created"
    name_unknown = "name unknown: " + repo_not_found("never-created")
    layout = write_layout(tmp_path / "up", "v1", image("never-created", layers=1))
    assert name_unknown in failed(skopeo.push(layout, "v1", f"{uri}:v1", target.login()))

    ok(docker("import", str(docker_tarball(tmp_path / "rootfs.tar", "never")), f"{uri}:v1"))
    ok(docker.login(target.host, target.login()))
    assert name_unknown in failed(docker("push", f"{uri}:v1"))
    ok(docker("rmi", f"{uri}:v1"))

    with pytest.raises(target.client.exceptions.RepositoryNotFoundException):
        target.client.describe_repositories(repositoryNames=["never-created"])


def test_a_pull_from_a_missing_repository_is_name_unknown(target, skopeo, docker, tmp_path):
    """A pull names the registry by the alias of its path, logged in or not (a push names
    the account id: test_a_push_never_creates_a_repository). docs/aws-behaviour.md,
    "Registry protocol", after aws-samples/amazon-eks-cdk-blue-green-cicd#24."""
    alias = alias_of(target)
    ref = f"{target.host}/{alias}/not-there:v1"
    name_unknown = "name unknown: " + repo_not_found("not-there", registry=alias)
    stderr = failed(skopeo.pull(ref, tmp_path / "anonymous", "v1"))
    assert name_unknown in stderr
    stderr = failed(skopeo.pull(ref, tmp_path / "logged-in", "v1", target.login()))
    assert name_unknown in stderr
    ok(docker.login(target.host, target.login()))
    stderr = failed(docker("pull", ref))
    assert f"repository {target.host}/{alias}/not-there not found: {name_unknown}" in stderr


def test_skopeo_delete_removes_the_image(target, skopeo, tmp_path):
    """A manifest DELETE (``skopeo delete``, which asks for a ``*`` scope) is
    BatchDeleteImage: by digest, the image goes with its tags."""
    repo = "skopeo-delete"
    uri = target.create(repo)
    built = image(repo, layers=1)
    login = target.login()
    ok(skopeo.push(write_layout(tmp_path / "up", "v1", built), "v1", f"{uri}:v1", login))
    ok(
        skopeo(
            "copy",
            "--src-tls-verify=false",
            "--dest-tls-verify=false",
            "--src-no-creds",
            "--dest-creds",
            creds(login),
            f"docker://{uri}:v1",
            f"docker://{uri}:v2",
        )
    )
    assert sorted(images_of(target, repo)[built.digest]["imageTags"]) == ["v1", "v2"]

    # An anonymous token only pulls; skopeo shows the error body as JSON in its message.
    stderr = failed(skopeo("delete", "--tls-verify=false", "--no-creds", f"docker://{uri}:v1"))
    assert f"Failed to delete /v2/{uri.split('/', 1)[1]}/manifests/{built.digest}: " in stderr
    assert (
        '\\"code\\":\\"DENIED\\",\\"message\\":\\"Not Authorized\\"}]}\\n (403 Forbidden)' in stderr
    )
    assert set(images_of(target, repo)) == {built.digest}

    ok(skopeo("delete", "--tls-verify=false", "--creds", creds(login), f"docker://{uri}:v1"))
    assert images_of(target, repo) == {}
    for tag in ("v1", "v2"):
        assert MANIFEST_UNKNOWN in failed(skopeo.inspect_raw(f"{uri}:{tag}"))


def test_an_anonymous_push_is_denied(target, skopeo, docker, tmp_path):
    repo = "anonymous-push"
    uri = target.create(repo)
    layout = write_layout(tmp_path / "up", "v1", image(repo, layers=1))
    # skopeo first asks whether each blob is there (HEAD): with an anonymous token
    # public.ecr.aws answers that 401 (aws/containers-roadmap#2671), and skopeo stops there.
    refused = failed(skopeo.push(layout, "v1", f"{uri}:v1", None))
    assert "unauthorized: authentication required" in refused

    ok(docker("import", str(docker_tarball(tmp_path / "rootfs.tar", repo)), f"{uri}:v1"))
    assert NOT_AUTHORIZED in failed(docker("push", f"{uri}:v1"))
    ok(docker("rmi", f"{uri}:v1"))
    assert images_of(target, repo) == {}


def test_a_wrong_password_is_refused(target, skopeo, docker, tmp_path):
    repo = "wrong-password"
    uri = target.create(repo)
    user, password = target.login()
    wrong = (user, password.swapcase())
    login_refused = f'Error response from daemon: Get "{target.url}/v2/": {NOT_AUTHORIZED}'
    assert login_refused in failed(docker.login(target.host, wrong))
    # The username is AWS, always.
    assert login_refused in failed(docker.login(target.host, ("admin", password)))
    assert not (Path(docker.env["DOCKER_CONFIG"]) / "config.json").exists()

    layout = write_layout(tmp_path / "up", "v1", image(repo, layers=1))
    # skopeo shows the token endpoint's status, not its message.
    assert TOKEN_REFUSED in failed(skopeo.push(layout, "v1", f"{uri}:v1", wrong))
    assert images_of(target, repo) == {}


def test_an_expired_password_is_refused(skopeo, docker, tmp_path):
    """A password is good for 12 hours of the mock's clock (freezegun's, in-process).

    The server starts under the freeze: freezegun fakes ``time.monotonic`` before it
    gives event loops their real clock back (``real_asyncio``), and a loop already running
    can schedule a timer on the fake clock in between, which then never fires. ``tick``
    keeps the clients' timeouts running.
    """
    start = dt.datetime.now(dt.timezone.utc)
    with (
        freeze_time(start, tick=True, real_asyncio=True) as clock,
        start_target("in-process") as target,
    ):
        repo = "expiring"
        uri = target.create(repo)
        login = target.login()
        first = image("expiring-1", layers=1)
        ok(skopeo.push(write_layout(tmp_path / "one", "v1", first), "v1", f"{uri}:v1", login))
        ok(docker("import", str(docker_tarball(tmp_path / "rootfs.tar", repo)), f"{uri}:v2"))
        ok(docker.login(target.host, login))
        ok(docker("tag", f"{uri}:v2", f"{uri}:v3"))

        clock.move_to(start + dt.timedelta(hours=11, minutes=59))
        ok(docker("push", f"{uri}:v2"))

        second = image("expiring-2", layers=1)
        layout = write_layout(tmp_path / "two", "v4", second)
        clock.move_to(start + dt.timedelta(hours=13))
        assert EXPIRED in failed(docker("push", f"{uri}:v3"))
        assert TOKEN_REFUSED in failed(skopeo.push(layout, "v4", f"{uri}:v4", login))
        assert EXPIRED in failed(docker.login(target.host, login))
        tags = sorted(d["imageTags"] for d in images_of(target, repo).values())
        assert tags == [["v1"], ["v2"]]
        # A new password works again.
        ok(skopeo.push(layout, "v4", f"{uri}:v4", target.login()))
    ok(docker("rmi", f"{uri}:v2", f"{uri}:v3"))


def test_an_immutable_tag_is_not_moved(mode, skopeo, docker, tmp_path):
    """Its own server (the option is the mock's), in the mode of the module's server."""
    with start_target(mode, image_tag_mutability="IMMUTABLE") as target:
        repo = "immutable"
        uri = target.create(repo)
        login = target.login()
        first = image("immutable-1", layers=1)
        second = image("immutable-2", layers=1)
        one = write_layout(tmp_path / "one", "v1", first)
        two = write_layout(tmp_path / "two", "v1", second)
        ok(skopeo.push(one, "v1", f"{uri}:v1", login))

        tag_invalid = (
            "tag invalid: The image tag 'v1' already exists in the 'immutable' repository "
            "and cannot be overwritten because the repository is immutable."
        )
        assert tag_invalid in failed(skopeo.push(two, "v1", f"{uri}:v1", login))
        # The same manifest again is refused too, as ECR does (aws/containers-roadmap#2179,
        # moby/buildkit#3776: re-pushing an unchanged image to an immutable tag fails).
        assert tag_invalid in failed(skopeo.push(one, "v1", f"{uri}:v1", login))

        ok(docker("import", str(docker_tarball(tmp_path / "rootfs.tar", repo)), f"{uri}:v1"))
        ok(docker.login(target.host, login))
        assert tag_invalid in failed(docker("push", f"{uri}:v1"))
        ok(docker("rmi", f"{uri}:v1"))

        found = images_of(target, repo)
        assert list(found) == [first.digest]
        assert found[first.digest]["imageTags"] == ["v1"]
