"""Real clients against the OCI 1.1 referrers API and the manifest conversion, on a served
mock (in-process; tests/registry/test_registry_clients.py covers both server modes).

- oras-py pushes an artifact whose ``subject`` is another it pushed: the PUT answers
  ``OCI-Subject``, and the referrers API (distribution-spec v1.1, "Listing Referrers",
  https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#listing-referrers)
  lists it. oras-py 0.2 cannot list referrers itself, so the listing is read over HTTP; no
  client installed here (skopeo 1.9, docker, podman) lists them either.
- skopeo pushes an OCI image; pulled by tag with a Docker-only Accept it comes back as a
  Docker v2 schema 2 manifest (AWS's "Amazon ECR image manifest conversion",
  https://docs.aws.amazon.com/AmazonECR/latest/public/image-manifest-formats.html). skopeo
  asks for every format when it pulls, so it never needs the conversion; what it checks
  here is the converted manifest, which it reads as schema 2 (containers/image validates
  the media types) and pushes back unchanged.
"""

from __future__ import annotations

import json
import urllib.request

import botocore.session
import pytest
from _clients import (
    DOCKER_CONFIG,
    DOCKER_MANIFEST,
    OCI_MANIFEST,
    Oras,
    Skopeo,
    image,
    start_target,
    write_layout,
)

pytestmark = pytest.mark.slow

OCI_INDEX = "application/vnd.oci.image.index.v1+json"
SUBJECT_MEMBER = "subjectManifestDigest" in (
    botocore.session.get_session().get_service_model("ecr-public").shape_for("ImageDetail").members
)


@pytest.fixture
def target():
    with start_target("in-process") as served:
        yield served


def ok(done):
    assert done.returncode == 0, f"exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def http_get(target, path: str, accept: str | None = None):
    """GET ``path`` with an anonymous (pull) token: (status, headers, body)."""
    with urllib.request.urlopen(f"{target.url}/token/") as answer:
        token = json.load(answer)["token"]
    headers = {"Authorization": f"Bearer {token}"}
    if accept is not None:
        headers["Accept"] = accept
    request = urllib.request.Request(f"{target.url}{path}", headers=headers)
    with urllib.request.urlopen(request) as answer:
        return answer.status, answer.headers, answer.read()


def test_oras_pushes_a_referrer_the_referrers_api_lists(target, tmp_path, monkeypatch):
    import oras.oci

    uri = target.create("oras-referrers")
    name = uri.split("/", 1)[1]
    client = Oras(target.host, tmp_path / "oras", monkeypatch)
    client.login(target.login())
    monkeypatch.chdir(tmp_path)
    (tmp_path / "app.txt").write_bytes(b"the subject\n")
    (tmp_path / "sbom.json").write_bytes(b'{"spdxVersion": "SPDX-2.3"}\n')
    base = client.client.push(target=f"{uri}:v1", files=["app.txt"])
    digest = base.headers["Docker-Content-Digest"]
    size = len(http_get(target, f"/v2/{name}/manifests/v1")[2])
    subject = oras.oci.Subject(mediaType=OCI_MANIFEST, digest=digest, size=size)
    annotations = {"org.example.kind": "sbom"}
    pushed = client.client.push(
        target=f"{uri}:sbom", files=["sbom.json"], subject=subject, manifest_annotations=annotations
    )
    assert pushed.status_code == 201
    assert pushed.headers["OCI-Subject"] == digest
    referrer = pushed.headers["Docker-Content-Digest"]
    manifest = client.client.get_manifest(f"{uri}:sbom")
    status, headers, body = http_get(target, f"/v2/{name}/referrers/{digest}")
    assert (status, headers["Content-Type"]) == (200, OCI_INDEX)
    stored = http_get(target, f"/v2/{name}/manifests/sbom")[2]
    assert json.loads(body) == {
        "schemaVersion": 2,
        "mediaType": OCI_INDEX,
        "manifests": [
            {
                "mediaType": OCI_MANIFEST,
                "size": len(stored),
                "digest": referrer,
                "artifactType": manifest["config"]["mediaType"],
                "annotations": annotations,
            }
        ],
    }
    details = target.client.describe_images(repositoryName="oras-referrers")["imageDetails"]
    subjects = {d["imageDigest"]: d.get("subjectManifestDigest") for d in details}
    # DescribeImages agrees, where the installed botocore's ImageDetail has the member.
    assert subjects[referrer] == (digest if SUBJECT_MEMBER else None)


def test_a_converted_manifest_is_docker_schema_2_to_skopeo(target, tmp_path):
    """An OCI image pulled by tag by a schema-2-only client: the converted manifest,
    written to a ``dir:`` with the image's blobs, is pushed back by skopeo as it is, and
    DescribeImages reports it as a Docker v2 schema 2 image with a Docker config."""
    skopeo = Skopeo(tmp_path / "skopeo")
    uri = target.create("converted")
    name = uri.split("/", 1)[1]
    built = image("conversion")
    layout = write_layout(tmp_path / "up", "v1", built)
    ok(skopeo.copy("dest", f"oci:{layout}:v1", f"docker://{uri}:v1", target.login()))
    status, headers, body = http_get(target, f"/v2/{name}/manifests/v1", DOCKER_MANIFEST)
    converted = json.loads(body)
    assert (status, headers["Content-Type"], converted["mediaType"]) == (
        200,
        DOCKER_MANIFEST,
        DOCKER_MANIFEST,
    )
    digest = headers["Docker-Content-Digest"]
    directory = tmp_path / "dir"
    directory.mkdir()
    (directory / "version").write_text("Directory Transport Version: 1.1\n")
    (directory / "manifest.json").write_bytes(body)
    for blob in (built.config, *built.layers):
        (directory / blob.digest.removeprefix("sha256:")).write_bytes(blob.data)
    ok(skopeo.copy("dest", f"dir:{directory}", f"docker://{uri}:docker", target.login()))
    assert ok(skopeo.inspect_raw(f"{uri}:docker")).encode() == body
    details = target.client.describe_images(repositoryName="converted")["imageDetails"]
    (detail,) = [d for d in details if "docker" in d.get("imageTags", [])]
    assert (detail["imageDigest"], detail["imageManifestMediaType"]) == (digest, DOCKER_MANIFEST)
    assert detail["artifactMediaType"] == DOCKER_CONFIG
