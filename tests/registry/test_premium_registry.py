"""Premium repositories over the registry protocol: the publisher's path, the buyer's.

AWS leaves the registry host, the token scope and the unentitled answer of premium pulls
undocumented; the mock chooses (docs/aws-behaviour.md, section "Premium repositories"):
``<host>/premium/<alias>/<name>`` is the publisher's (``PremiumRepository.repositoryUri``,
push and pull with the account's credentials, in any state), ``<host>/entitled/<alias>/<name>``
the buyer's (``EntitledRepository.repositoryUri``, pull only, with credentials and an
entitlement while the repository is AVAILABLE or HIDDEN). Every refusal is the registry
endpoint's 403 ``DENIED`` "Not Authorized" (the text docker prints for public.ecr.aws,
docker/login-action#38). A real client (skopeo) plays publisher and buyer.
"""

from __future__ import annotations

import base64
import http.client
import json

import pytest
from _clients import Skopeo, image, read_layout, start_target, write_layout
from _support import PREMIUM_OPTIONS, needs_premium

pytestmark = [
    pytest.mark.slow,
    needs_premium,
]

DENIED = {"errors": [{"code": "DENIED", "message": "Not Authorized"}]}


@pytest.fixture
def served():
    with start_target("in-process", **PREMIUM_OPTIONS) as target:
        client = target.client
        client.create_premium_repository(repositoryName="app", marketplaceProducts=["prod-1"])
        target.mock.push_image("app", "v1", repository_type="PREMIUM")
        yield target


def _request(target, method: str, path: str, token: str | None = None):
    host, port = target.host.rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    headers = {} if token is None else {"Authorization": f"Bearer {token}"}
    conn.request(method, path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, json.loads(body) if body else None


def _token(target, login: bool) -> str:
    username, password = target.login()
    credentials = base64.b64encode(f"{username}:{password}".encode()).decode()
    host, port = target.host.rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    conn.request(
        "GET", "/token/", headers={"Authorization": f"Basic {credentials}"} if login else {}
    )
    token = json.loads(conn.getresponse().read())["token"]
    conn.close()
    return token


def test_the_uris_name_the_premium_and_entitled_paths(served):
    """PremiumRepository.repositoryUri and EntitledRepository.repositoryUri name the served
    registry's two premium paths; premiumRegistryUri is the publisher's."""
    client, host = served.client, served.host
    registry = client.describe_registries()["registries"][0]
    assert registry["premiumRegistryUri"] == f"{host}/premium/acme"
    repo = client.describe_premium_repositories()["repositories"][0]
    assert repo["repositoryUri"] == f"{host}/premium/acme/app"
    client.set_repository_state(repositoryName="app", repositoryType="PREMIUM", state="AVAILABLE")
    served.mock.entitle("prod-1")
    entitled = client.describe_entitled_repositories()["repositories"][0]
    assert entitled["repositoryUri"] == f"{host}/entitled/acme/app"


@pytest.mark.parametrize(
    ("path", "login", "entitled", "state", "status"),
    [
        # The publisher's path: the account's credentials, any state.
        ("premium", True, False, "DRAFT", 200),
        ("premium", True, False, "AVAILABLE", 200),
        ("premium", False, False, "AVAILABLE", 403),
        # The buyer's path: credentials, an entitlement, AVAILABLE or HIDDEN.
        ("entitled", True, True, "AVAILABLE", 200),
        ("entitled", True, True, "HIDDEN", 200),
        ("entitled", True, True, "DRAFT", 403),
        ("entitled", True, False, "AVAILABLE", 403),
        ("entitled", False, True, "AVAILABLE", 403),
    ],
)
def test_who_may_pull_a_premium_manifest(served, path, login, entitled, state, status):
    client = served.client
    if state != "DRAFT":
        client.set_repository_state(
            repositoryName="app", repositoryType="PREMIUM", state="AVAILABLE"
        )
    if state == "HIDDEN":
        client.set_repository_state(repositoryName="app", repositoryType="PREMIUM", state="HIDDEN")
    if entitled:
        served.mock.entitle("prod-1")
    answer = _request(served, "GET", f"/v2/{path}/acme/app/manifests/v1", _token(served, login))
    assert answer[0] == status
    if status == 403:
        assert answer[1] == DENIED


def test_the_buyers_path_is_pull_only(served):
    """An entitled buyer cannot delete (or push) through the entitled path."""
    client = served.client
    client.set_repository_state(repositoryName="app", repositoryType="PREMIUM", state="AVAILABLE")
    served.mock.entitle("prod-1")
    token = _token(served, True)
    assert _request(served, "DELETE", "/v2/entitled/acme/app/manifests/v1", token) == (403, DENIED)
    status, _ = _request(served, "POST", "/v2/entitled/acme/app/blobs/uploads/", token)
    assert status == 403
    assert len(served.mock.premium_repositories["app"].images) == 1


def test_a_registry_delete_past_draft_is_refused_as_batch_delete_image_is(served):
    """BatchDeleteImage's DeletionNotAllowedException, under the registry's DENIED code."""
    client = served.client
    client.set_repository_state(repositoryName="app", repositoryType="PREMIUM", state="AVAILABLE")
    status, body = _request(
        served, "DELETE", "/v2/premium/acme/app/manifests/v1", _token(served, True)
    )
    assert status == 403
    assert body == {
        "errors": [
            {
                "code": "DENIED",
                "message": "The images in the repository with name 'app' can't be deleted "
                "directly because the premium repository is no longer in the DRAFT state; "
                "deprecate them with SetImageStatus",
            }
        ]
    }
    assert served.mock.calls[-1].params == {
        "repositoryName": "app",
        "repositoryType": "PREMIUM",
        "imageIds": [{"imageTag": "v1"}],
    }


def test_a_free_repository_of_the_same_name_is_another_repository(served):
    served.client.create_repository(repositoryName="app")
    token = _token(served, True)
    status, body = _request(served, "GET", "/v2/acme/app/manifests/v1", token)
    assert (status, body["errors"][0]["code"]) == (404, "MANIFEST_UNKNOWN")
    assert _request(served, "GET", "/v2/premium/acme/app/manifests/v1", token)[0] == 200


def test_skopeo_publishes_and_an_entitled_buyer_pulls(served, tmp_path):
    """skopeo pushes to the publisher's URI while DRAFT; once AVAILABLE, the buyer's pull
    is refused until the account is entitled, then gets the very image. (Without skopeo
    the test skips, or fails where ECRPUBLIC_MOCK_REQUIRE_CLIENTS=1, as CI sets it.)"""
    skopeo = Skopeo(tmp_path / "skopeo")
    client, mock, host = served.client, served.mock, served.host
    built = image("paid", layers=2)
    layout = write_layout(tmp_path / "up", "v2", built)
    result = skopeo.push(layout, "v2", f"{host}/premium/acme/app:v2", served.login())
    assert result.returncode == 0, result.stderr
    assert "v2" in mock.premium_repositories["app"].tags
    client.set_repository_state(repositoryName="app", repositoryType="PREMIUM", state="AVAILABLE")

    refused = skopeo.pull(f"{host}/entitled/acme/app:v2", tmp_path / "no", "v2", served.login())
    assert refused.returncode != 0
    assert "denied: Not Authorized" in refused.stderr

    mock.entitle("prod-1")
    pulled = skopeo.pull(f"{host}/entitled/acme/app:v2", tmp_path / "down", "v2", served.login())
    assert pulled.returncode == 0, pulled.stderr
    entries, blobs = read_layout(tmp_path / "down")
    assert [entry["digest"] for entry in entries] == [built.digest]
    assert blobs == built.blobs

    anonymous = skopeo.pull(f"{host}/entitled/acme/app:v2", tmp_path / "anon", "v2")
    assert anonymous.returncode != 0
