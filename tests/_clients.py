"""Real registry clients for the registry-protocol tests: where each one is, a private
environment for it, the images they push, and the servers they push to.

skopeo, podman and docker run as subprocesses, each with a timeout and a private HOME,
auth file, registries.conf, policy and storage, so that nothing of the machine's own
configuration (a login left in ~/.docker, a mirror in /etc/containers) takes part and
nothing they write outlives the test. docker talks to a dockerd of its own (one per test
session, per xdist worker), whose data, exec root and socket are in a private directory.
oras-py runs in this process with HOME and DOCKER_CONFIG pointed at a private directory
(its login writes ``~/.docker/config.json``). One thing stays shared: skopeo and podman,
run as root, keep their blob-info cache in /var/lib/containers/cache with no option to
move it; it only suggests where a blob may already be, and each push still asks the
server (HEAD, or a mount answered with an ordinary upload).

A client that is not installed skips its tests, unless ``ECRPUBLIC_MOCK_REQUIRE_CLIENTS=1``
(``.ci/run`` sets it) makes that a failure.

Images are built here, byte for byte: layers are gzip-compressed tars (mtime 0), configs
name their layers' uncompressed digests as ``rootfs.diff_ids`` (docker and podman check
them on pull), and an OCI image layout on disk is what skopeo copies from and to.
"""

from __future__ import annotations

import base64
import contextlib
import ctypes
import dataclasses
import gzip
import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import boto3
import pytest
from _manifests import upload
from botocore.config import Config

if TYPE_CHECKING:
    from collections.abc import Iterator

REQUIRE_ENV = "ECRPUBLIC_MOCK_REQUIRE_CLIENTS"
# Seconds any one client command may take before the test fails (a hung client, or a
# server that never answers, must not hang CI).
TIMEOUT = 120

DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json"
DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"
REF_NAME = "org.opencontainers.image.ref.name"

SERVING = "ecrpublic_mock serving on "
CREDENTIALS = {"aws_access_key_id": "x", "aws_secret_access_key": "y"}


# -- finding the clients --------------------------------------------------------------------


def required() -> bool:
    """Whether a missing client fails its tests (CI) instead of skipping them."""
    return os.environ.get(REQUIRE_ENV) == "1"


def missing(what: str) -> None:
    """Skip the test for a missing ``what``; fail it when the clients are required."""
    if required():
        pytest.fail(f"{what}, and {REQUIRE_ENV}=1 requires it", pytrace=False)
    pytest.skip(what)


def find(name: str) -> str:
    """The path of executable ``name``; skips (or, when required, fails) without it."""
    path = shutil.which(name)
    if path is None:
        missing(f"{name} is not installed")
    assert path is not None
    return path


# tests/js: the JavaScript SDK v3 (``npm ci`` installs it there).
JS = Path(__file__).parent / "js"


def node_with_sdk() -> str:
    """node, with ``@aws-sdk/client-ecr-public`` in tests/js; skips without them, unless
    ``ECRPUBLIC_MOCK_REQUIRE_JS=1`` (CI) makes that a failure."""
    executable = shutil.which("node")
    problem = None
    if executable is None:
        problem = "node is not installed"
    elif not (JS / "node_modules" / "@aws-sdk" / "client-ecr-public").is_dir():
        problem = "the JavaScript SDK is not installed: run `npm ci` in tests/js"
    if problem is not None:
        if os.environ.get("ECRPUBLIC_MOCK_REQUIRE_JS") == "1":
            pytest.fail(problem, pytrace=False)
        pytest.skip(problem)
    assert executable is not None
    return executable


def oras_client_class() -> Any:
    """``oras.client.OrasClient``; skips (or, when required, fails) without oras-py."""
    try:
        import oras.client
    except ImportError:
        missing("oras-py is not installed (pip install 'oras>=0.2')")
    return oras.client.OrasClient


# -- content ------------------------------------------------------------------------------


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


@dataclasses.dataclass(frozen=True)
class Blob:
    """Bytes and the media type a descriptor gives them."""

    media_type: str
    data: bytes

    @property
    def digest(self) -> str:
        return sha256(self.data)

    @property
    def size(self) -> int:
        return len(self.data)

    def descriptor(self, **extra: Any) -> dict[str, Any]:
        return {"mediaType": self.media_type, "digest": self.digest, "size": self.size, **extra}


def tar_of(files: dict[str, bytes]) -> bytes:
    """A tar of regular files (mode 0644, mtime 0, in name order): the same bytes each time."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name, data in sorted(files.items()):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def gz(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


@dataclasses.dataclass(frozen=True)
class Image:
    """An image manifest with its config and layers (``files``: each layer's tar content)."""

    manifest: Blob
    config: Blob
    layers: tuple[Blob, ...]
    files: tuple[dict[str, bytes], ...]
    platform: dict[str, str]

    @property
    def digest(self) -> str:
        return self.manifest.digest

    @property
    def blobs(self) -> dict[str, bytes]:
        """Every blob the image is made of, manifest included, by digest."""
        parts = (self.manifest, self.config, *self.layers)
        return {blob.digest: blob.data for blob in parts}

    @property
    def size(self) -> int:
        """ECR's imageSizeInBytes: the sum of the (compressed) layer sizes."""
        return sum(layer.size for layer in self.layers)


def image(salt: str, layers: int = 2, arch: str = "amd64", media_type: str = OCI_MANIFEST) -> Image:
    """A ``layers``-layer linux/``arch`` image whose content depends on ``salt``: OCI by
    default, Docker v2 schema 2 with ``media_type=DOCKER_MANIFEST``."""
    oci = media_type == OCI_MANIFEST
    files = tuple(
        {f"layer{i}/{salt}.txt": f"{salt} layer {i} {arch}\n".encode() * (i + 1)}
        for i in range(layers)
    )
    tars = [tar_of(content) for content in files]
    layer_blobs = tuple(Blob(OCI_LAYER if oci else DOCKER_LAYER, gz(t)) for t in tars)
    config = {
        "architecture": arch,
        "os": "linux",
        "config": {"Labels": {"salt": salt}},
        "rootfs": {"type": "layers", "diff_ids": [sha256(t) for t in tars]},
    }
    config_blob = Blob(OCI_CONFIG if oci else DOCKER_CONFIG, json.dumps(config).encode())
    manifest = {
        "schemaVersion": 2,
        "mediaType": media_type,
        "config": config_blob.descriptor(),
        "layers": [blob.descriptor() for blob in layer_blobs],
    }
    return Image(
        manifest=Blob(media_type, json.dumps(manifest, indent=3).encode()),
        config=config_blob,
        layers=layer_blobs,
        files=files,
        platform={"architecture": arch, "os": "linux"},
    )


@dataclasses.dataclass(frozen=True)
class Index:
    """An OCI image index over ``images`` (one per platform)."""

    manifest: Blob
    images: tuple[Image, ...]

    @property
    def digest(self) -> str:
        return self.manifest.digest

    @property
    def blobs(self) -> dict[str, bytes]:
        found = {self.manifest.digest: self.manifest.data}
        for each in self.images:
            found.update(each.blobs)
        return found


def index(salt: str, arches: tuple[str, ...] = ("amd64", "arm64")) -> Index:
    """A multi-platform OCI index: one single-layer OCI image per architecture."""
    images = tuple(image(f"{salt}-{arch}", layers=1, arch=arch) for arch in arches)
    doc = {
        "schemaVersion": 2,
        "mediaType": OCI_INDEX,
        "manifests": [each.manifest.descriptor(platform=each.platform) for each in images],
    }
    return Index(Blob(OCI_INDEX, json.dumps(doc, indent=3).encode()), images)


def write_layout(directory: Path, tag: str, top: Image | Index) -> Path:
    """An OCI image layout holding ``top`` under the reference name ``tag``."""
    blobs = directory / "blobs" / "sha256"
    blobs.mkdir(parents=True)
    (directory / "oci-layout").write_text(json.dumps({"imageLayoutVersion": "1.0.0"}))
    for digest, data in top.blobs.items():
        (blobs / digest.removeprefix("sha256:")).write_bytes(data)
    entry = top.manifest.descriptor(annotations={REF_NAME: tag})
    (directory / "index.json").write_text(json.dumps({"schemaVersion": 2, "manifests": [entry]}))
    return directory


def read_layout(directory: Path) -> tuple[list[dict[str, Any]], dict[str, bytes]]:
    """An OCI image layout's index.json entries and every blob in it, by digest."""
    entries = json.loads((directory / "index.json").read_text())["manifests"]
    blobs = {
        "sha256:" + path.name: path.read_bytes()
        for path in (directory / "blobs" / "sha256").iterdir()
    }
    return entries, blobs


def docker_tarball(path: Path, salt: str) -> Path:
    """A tarball for ``docker import``: two small files whose content depends on ``salt``."""
    path.write_bytes(
        tar_of({"hello.txt": f"hello from {salt}\n".encode(), "etc/salt": salt.encode()})
    )
    return path


# -- the API side -------------------------------------------------------------------------


def credentials(client: Any) -> tuple[str, str]:
    """(username, password) for a registry login, as ``aws ecr-public get-login-password``
    derives it: GetAuthorizationToken's token, base64-decoded, split at the first ':'."""
    token = client.get_authorization_token()["authorizationData"]["authorizationToken"]
    user, _, password = base64.b64decode(token).decode().partition(":")
    return user, password


def put_through_api(client: Any, repo: str, built: Image, tag: str) -> str:
    """Push ``built`` with boto3 alone (blob uploads, then PutImage); its digest."""
    for blob in (built.config, *built.layers):
        upload(client, repo, blob.data)
    answer = client.put_image(
        repositoryName=repo,
        imageManifest=built.manifest.data.decode(),
        imageManifestMediaType=built.manifest.media_type,
        imageTag=tag,
    )
    return answer["image"]["imageId"]["imageDigest"]


def http_client(url: str) -> Any:
    """A boto3 ecr-public client of the server at ``url`` (one attempt: no retry hides an
    answer)."""
    return boto3.client(
        "ecr-public",
        region_name="us-east-1",
        endpoint_url=url,
        config=Config(retries={"total_max_attempts": 1}),
        **CREDENTIALS,
    )


# -- child processes ----------------------------------------------------------------------

# Looked up here, not in the forked child (which must not dlopen: other threads may hold
# the loader's locks).
_PRCTL = ctypes.CDLL(None, use_errno=True).prctl
PR_SET_PDEATHSIG = 1


def _terminated_with_parent() -> None:
    """Run in the child before exec: SIGTERM when the process that started it dies, so a
    killed test worker leaves no dockerd or ``serve`` process behind."""
    _PRCTL(PR_SET_PDEATHSIG, signal.SIGTERM)


# -- servers ------------------------------------------------------------------------------


@dataclasses.dataclass
class Target:
    """A served mock: its URL, a boto3 client that sees its state, and (in-process) the
    handle. ``mode`` is "in-process" (``mock.serve()``) or "subprocess" (``python -m
    ecrpublic_mock serve``)."""

    mode: str
    url: str
    client: Any
    mock: Any = None
    log: Path | None = None

    @property
    def host(self) -> str:
        """The registry's host:port, as image references name it."""
        return self.url.removeprefix("http://")

    def create(self, name: str) -> str:
        """Create repository ``name``; its repositoryUri (``host/<alias>/<name>``)."""
        return self.client.create_repository(repositoryName=name)["repository"]["repositoryUri"]

    def login(self) -> tuple[str, str]:
        return credentials(self.client)

    def server_log(self) -> str:
        """What the ``serve`` subprocess wrote to stderr so far (for failure messages)."""
        return self.log.read_text() if self.log is not None else ""


def serve_flags(options: dict[str, Any]) -> list[str]:
    """``serve`` flags for mock options: ``image_tag_mutability`` is
    ``--image-tag-mutability``."""
    flags: list[str] = []
    for name, value in options.items():
        flags += ["--" + name.replace("_", "-"), str(value)]
    return flags


@contextlib.contextmanager
def serve_subprocess(*argv: str) -> Iterator[tuple[subprocess.Popen[str], str, Path]]:
    """``python -m ecrpublic_mock serve --port 0 *argv``: (process, URL, stderr log), until
    SIGTERM. stderr goes to a file: a pipe nobody reads could fill up and stall the server."""
    directory = Path(tempfile.mkdtemp(prefix="ecrpm-serve-"))
    log = directory / "stderr.log"
    env = {**os.environ, "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"}
    with log.open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "ecrpublic_mock", "serve", "--port", "0", *argv],
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            env=env,
            preexec_fn=_terminated_with_parent,
        )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith(SERVING + "http://127.0.0.1:"), (line, log.read_text())
        yield process, line.removeprefix(SERVING).strip(), log
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
        assert process.stdout is not None
        process.stdout.close()
        shutil.rmtree(directory)


@contextlib.contextmanager
def start_target(mode: str, **options: Any) -> Iterator[Target]:
    """A served mock with ``options`` in ``mode`` ("in-process" or "subprocess")."""
    if mode == "in-process":
        from ecrpublic_mock import mock_ecr_public

        with mock_ecr_public(**options) as mock, mock.serve() as server:
            client = boto3.client("ecr-public", region_name="us-east-1")
            yield Target(mode, server.url, client, mock=mock)
    else:
        assert mode == "subprocess", mode
        with serve_subprocess(*serve_flags(options)) as (_, url, log):
            yield Target(mode, url, http_client(url), log=log)


# -- running the clients ------------------------------------------------------------------


POLICY = {"default": [{"type": "insecureAcceptAnything"}]}
REGISTRIES_CONF = 'unqualified-search-registries = []\nshort-name-mode = "disabled"\n'


def private_env(root: Path) -> dict[str, str]:
    """An environment whose every config and state location is under ``root``."""
    home = root / "home"
    run = root / "run"
    tmp = root / "tmp"
    for directory in (home, run, tmp, root / "docker"):
        directory.mkdir(parents=True, exist_ok=True)
    run.chmod(0o700)
    (root / "registries.conf").write_text(REGISTRIES_CONF)
    (root / "policy.json").write_text(json.dumps(POLICY))
    (root / "containers.conf").write_text("")
    # podman refuses an auth file that does not exist.
    (root / "auth.json").write_text(json.dumps({"auths": {}}))
    return {
        "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"),
        "LANG": "C.UTF-8",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_RUNTIME_DIR": str(run),
        "TMPDIR": str(tmp),
        "DOCKER_CONFIG": str(root / "docker"),
        "REGISTRY_AUTH_FILE": str(root / "auth.json"),
        "CONTAINERS_REGISTRIES_CONF": str(root / "registries.conf"),
        "CONTAINERS_CONF": str(root / "containers.conf"),
        "NO_PROXY": "127.0.0.1",
        "no_proxy": "127.0.0.1",
    }


class Tool:
    """One client executable with a private environment under ``root``."""

    name = ""

    def __init__(self, root: Path) -> None:
        self.exe = find(self.name)
        self.root = root
        self.env = private_env(root)

    def prefix(self) -> list[str]:
        return []

    def __call__(
        self, *args: str, input: str | None = None, timeout: float = TIMEOUT
    ) -> subprocess.CompletedProcess[str]:
        """Run the client; its CompletedProcess (exit status, stdout, stderr), never raising
        on a non-zero exit."""
        return subprocess.run(
            [self.exe, *self.prefix(), *args],
            env=self.env,
            input=input,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


def creds(login: tuple[str, str]) -> str:
    return f"{login[0]}:{login[1]}"


# Every platform of an index, and the digests as they are.
EVERYTHING = ("--all", "--preserve-digests")


class Skopeo(Tool):
    """skopeo, with its own policy, registries.d and temporary directory."""

    name = "skopeo"

    def prefix(self) -> list[str]:
        registries_d = self.root / "registries.d"
        registries_d.mkdir(exist_ok=True)
        return [
            "--policy",
            str(self.root / "policy.json"),
            "--registries.d",
            str(registries_d),
            "--tmpdir",
            self.env["TMPDIR"],
        ]

    def copy(
        self, side: str, source: str, destination: str, login: tuple[str, str] | None, *options: str
    ) -> subprocess.CompletedProcess[str]:
        """``skopeo copy`` with no retries, plain HTTP and ``login`` (None: anonymously) on
        the registry side, ``side`` ("src" or "dest")."""
        auth = [f"--{side}-no-creds"] if login is None else [f"--{side}-creds", creds(login)]
        return self(
            "copy",
            "--retry-times",
            "0",
            f"--{side}-tls-verify=false",
            *auth,
            *options,
            source,
            destination,
        )

    def push(
        self, layout: Path, tag: str, reference: str, login: tuple[str, str] | None, *extra: str
    ) -> subprocess.CompletedProcess[str]:
        """Copy ``oci:layout:tag`` to ``docker://reference``, every platform, digests kept;
        anonymously when ``login`` is None."""
        source, destination = f"oci:{layout}:{tag}", f"docker://{reference}"
        return self.copy("dest", source, destination, login, *EVERYTHING, *extra)

    def pull(
        self, reference: str, layout: Path, tag: str, login: tuple[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        """Copy ``docker://reference`` (every platform) to ``oci:layout:tag``."""
        return self.copy("src", f"docker://{reference}", f"oci:{layout}:{tag}", login, *EVERYTHING)

    def inspect_raw(
        self, reference: str, login: tuple[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        """``skopeo inspect --raw``: the manifest's bytes as the registry serves them."""
        auth = ["--no-creds"] if login is None else ["--creds", creds(login)]
        return self("inspect", "--raw", "--tls-verify=false", *auth, f"docker://{reference}")


class Podman(Tool):
    """podman with private storage (vfs), run root, tmpdir and configuration; ``close()``
    removes the storage."""

    name = "podman"

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        # podman refuses a run root longer than 50 characters: a short directory in /tmp.
        self.state = Path(tempfile.mkdtemp(prefix="ecrpm-podman-"))
        storage = root / "storage.conf"
        storage.write_text(
            "[storage]\n"
            'driver = "vfs"\n'
            f'graphroot = "{self.state / "storage"}"\n'
            f'runroot = "{self.state / "run"}"\n'
        )
        self.env["CONTAINERS_STORAGE_CONF"] = str(storage)

    def close(self) -> None:
        shutil.rmtree(self.state)

    def prefix(self) -> list[str]:
        return [
            "--root",
            str(self.state / "storage"),
            "--runroot",
            str(self.state / "run"),
            "--storage-driver",
            "vfs",
            "--tmpdir",
            str(self.state / "libpod"),
            "--cgroup-manager",
            "cgroupfs",
            "--events-backend",
            "none",
        ]

    def policy(self) -> list[str]:
        return ["--signature-policy", str(self.root / "policy.json")]


class Dockerd:
    """A private dockerd: its data root, exec root and socket under one directory."""

    def __init__(self) -> None:
        self.exe = find("dockerd")
        find("docker")
        # A short path: containerd's sockets live under the exec root (108-byte limit).
        self.root = Path(tempfile.mkdtemp(prefix="ecrpm-dockerd-"))
        self.socket = self.root / "docker.sock"
        self.host = f"unix://{self.socket}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Dockerd:
        (self.root / "daemon.json").write_text("{}")
        env = private_env(self.root / "env")
        namespace = f"ecrpm-{os.getpid()}"
        self.log = (self.root / "dockerd.log").open("wb")
        self.process = subprocess.Popen(
            [
                self.exe,
                "--config-file",
                str(self.root / "daemon.json"),
                "--data-root",
                str(self.root / "data"),
                "--exec-root",
                str(self.root / "exec"),
                "--pidfile",
                str(self.root / "dockerd.pid"),
                "-H",
                self.host,
                "--storage-driver",
                "vfs",
                "--bridge=none",
                "--iptables=false",
                "--ip-forward=false",
                "--ip-masq=false",
                "--ip6tables=false",
                "--containerd-namespace",
                namespace,
                "--containerd-plugins-namespace",
                namespace + "-plugins",
                # A pull gives up at the first failed layer download (the default retries
                # five times, with back-off): a refusal is reported, not waited out.
                "--max-download-attempts",
                "1",
                "--log-level",
                "warn",
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            env=env,
            preexec_fn=_terminated_with_parent,
        )
        deadline = time.monotonic() + 60
        while True:
            probe = subprocess.run(
                [find("docker"), "-H", self.host, "version", "--format", "{{.Server.Version}}"],
                capture_output=True,
                text=True,
                env=env,
                timeout=30,
                check=False,
            )
            if probe.returncode == 0:
                return self
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"dockerd did not start: {self.output()}", pytrace=False)
            time.sleep(0.1)

    def output(self) -> str:
        return (self.root / "dockerd.log").read_text(errors="replace")

    def stop(self) -> None:
        if self.process is not None:
            if self.process.poll() is None:
                self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
            self.log.close()
            self.process = None
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def dockerd() -> Iterator[Dockerd]:
    """One private dockerd for the session (each xdist worker has its own)."""
    daemon = Dockerd().start()
    try:
        yield daemon
    finally:
        daemon.stop()


class Docker(Tool):
    """The docker CLI, against the private dockerd, with a private DOCKER_CONFIG."""

    name = "docker"

    def __init__(self, root: Path, daemon: Dockerd) -> None:
        super().__init__(root)
        self.daemon = daemon

    def prefix(self) -> list[str]:
        return ["-H", self.daemon.host]

    def login(self, host: str, login: tuple[str, str]) -> subprocess.CompletedProcess[str]:
        return self("login", "-u", login[0], "--password-stdin", host, input=login[1])


class Oras:
    """oras-py's client in this process, HOME and DOCKER_CONFIG private for its login."""

    def __init__(self, host: str, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        home = root / "home"
        (home / ".docker").mkdir(parents=True)
        monkeypatch.setenv("HOME", str(home))
        monkeypatch.setenv("DOCKER_CONFIG", str(home / ".docker"))
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        self.host = host
        self.client = oras_client_class()(hostname=host, insecure=True)
        self.config = home / ".docker" / "config.json"

    def login(self, login: tuple[str, str]) -> Any:
        user, password = login
        return self.client.login(user, password, hostname=self.host, config_path=str(self.config))
