"""What a sandbox lays out for its commands: the names, the CA, the environment.

One home for each fact of the sandbox's world: which hosts are the mock, where clients
look for a CA, which daemons outside are hidden, which variables a command gets.
"""

from __future__ import annotations

import os
import socket
from typing import TYPE_CHECKING

import trustme

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

# The hosts the mock answers for: the registry endpoint (docs/aws-behaviour.md, "Registry
# protocol"), and the API's endpoints in botocore's endpoint data for ecr-public.
HOSTS = (
    "public.ecr.aws",
    "api.ecr-public.us-east-1.amazonaws.com",
    "api.ecr-public.us-west-2.amazonaws.com",
)
# Where clients look for a CA to trust: the AWS CLI and SDKs (AWS_CA_BUNDLE), OpenSSL and
# Go (SSL_CERT_FILE), requests, Node.js (added to its own), curl.
CA_VARIABLES = (
    "AWS_CA_BUNDLE",
    "SSL_CERT_FILE",
    "REQUESTS_CA_BUNDLE",
    "NODE_EXTRA_CA_CERTS",
    "CURL_CA_BUNDLE",
)
# Where docker (dockerd) and the containers tools (podman, skopeo, buildah) look for a
# registry's CA, in the namespace's view of /etc.
CERT_DIRS = tuple(f"/etc/{tool}/certs.d/public.ecr.aws" for tool in ("docker", "containers"))
# The daemons outside the namespace, hidden inside: they would pull and push from the
# machine's own network. Their folders are emptied (a tmpfs over each): dockerd takes an
# existing /run/containerd/containerd.sock for a running containerd, where it must start
# its own. docker's socket, in /run itself, is /dev/null inside (connecting is refused).
HIDDEN_FOLDERS = ("/run/containerd", "/run/podman", "/run/buildkit")
HIDDEN_SOCKETS = ("/run/docker.sock", "/var/run/docker.sock")
# Variables that would send clients elsewhere than AWS's hosts (botocore's and the CLI's
# endpoint overrides): the mock answers there, and nothing else is reachable.
ENDPOINT_VARIABLES = ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_ECR_PUBLIC")
# AWS's own placeholder keys (its documentation's example credentials): set unless the
# caller set credentials, since SDKs refuse to sign without any.
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE",
    "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
}
REGION = "us-east-1"
# A proxy would be unreachable from the namespace, and clients would try it first.
PROXY_VARIABLES = tuple(
    case(name)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")
    for case in (str.upper, str.lower)
)


def hosts_file() -> str:
    """The namespace's /etc/hosts: loopback, this machine's name, and AWS's hosts."""
    names = (*HOSTS, socket.gethostname())
    lines = ["127.0.0.1\tlocalhost", "::1\tlocalhost ip6-localhost ip6-loopback"]
    lines += [f"127.0.0.1\t{name}" for name in names]
    return "\n".join(lines) + "\n"


def write_tls(root: Path) -> tuple[Path, Path, Path]:
    """A CA made for this sandbox and a certificate for AWS's hosts (and loopback) signed
    by it, in PEM files: (CA, certificate, key). trustme: the well-kept test-CA maker."""
    ca = trustme.CA(organization_name="ecrpublic-mock sandbox")
    issued = ca.issue_cert(*HOSTS, "localhost", "127.0.0.1")
    paths = root / "ca.pem", root / "cert.pem", root / "key.pem"
    ca.cert_pem.write_to_path(str(paths[0]))
    issued.cert_chain_pems[0].write_to_path(str(paths[1]))
    issued.private_key_pem.write_to_path(str(paths[2]))
    return paths


def environment(base: Mapping[str, str], root: Path, docker_host: str | None) -> dict[str, str]:
    """The variables a sandbox's command gets: ``base`` with the CA trusted, placeholder
    credentials and the region unless ``base`` has them, no proxy or endpoint override,
    the sandbox's own
    credential stores (a login never lands in the machine's), and DOCKER_HOST naming the
    sandbox's dockerd (or none: a daemon outside is out of reach)."""
    dropped = (*PROXY_VARIABLES, *ENDPOINT_VARIABLES)
    env = {name: value for name, value in base.items() if name not in dropped}
    env.pop("DOCKER_HOST", None)
    ca = str(root / "ca.pem")
    env.update(dict.fromkeys(CA_VARIABLES, ca))
    if "AWS_ACCESS_KEY_ID" not in env:
        env.update(CREDENTIALS)
        env.pop("AWS_SESSION_TOKEN", None)
    region = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or REGION
    env.setdefault("AWS_REGION", region)
    env.setdefault("AWS_DEFAULT_REGION", region)
    env["DOCKER_CONFIG"] = str(root / "docker-config")
    env["REGISTRY_AUTH_FILE"] = str(root / "containers-auth.json")
    env["HELM_REGISTRY_CONFIG"] = str(root / "helm-registry.json")
    if docker_host is not None:
        env["DOCKER_HOST"] = docker_host
    return env


def hidden_sockets(base: Mapping[str, str]) -> list[str]:
    """The daemon sockets to hide: docker's, and the one DOCKER_HOST names."""
    hidden = list(HIDDEN_SOCKETS)
    docker_host = base.get("DOCKER_HOST", "")
    if docker_host.startswith("unix://"):
        hidden.append(docker_host.removeprefix("unix://"))
    return list(dict.fromkeys(map(os.path.realpath, hidden)))
