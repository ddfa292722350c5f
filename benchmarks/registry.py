"""skopeo push and pull: the served mock against the distribution registry."""

from __future__ import annotations

import base64
import contextlib
import gzip
import hashlib
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import boto3
from _common import MIB, OCI_MANIFEST, REGION, Row

if TYPE_CHECKING:
    from collections.abc import Iterator


OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
# Where skopeo, run as root, remembers which blobs it has seen where: left in place, a
# push skips blobs it believes the destination has, and a pull may reuse them.
BLOB_INFO_CACHE = Path("/var/lib/containers/cache/blob-info-cache-v1.boltdb")
SERVING = "ecrpublic_mock serving on "
TAG = "bench"
# Seconds one skopeo copy may take (a 1 GiB image moves in well under a minute).
COPY_TIMEOUT = 600


class _Hashing:
    """A file object for GzipFile: writes through to ``out`` and hashes what it writes."""

    def __init__(self, out: Any) -> None:
        self.out, self.hasher, self.size = out, hashlib.sha256(), 0

    def write(self, data: bytes) -> int:
        self.hasher.update(data)
        self.size += len(data)
        return int(self.out.write(data))

    def flush(self) -> None:
        self.out.flush()


def oci_layout(root: Path, layers: int, layer_size: int) -> int:
    """An OCI image layout at ``root`` tagged ``TAG``: ``layers`` layers of ``layer_size``
    random bytes each, every one a real gzip stream (level 0: stored, so the bytes on the
    wire are about the random bytes); the bytes a registry stores for it (layers, config,
    manifest)."""
    blobs = root / "blobs" / "sha256"
    blobs.mkdir(parents=True)
    descriptors, diff_ids = [], []
    chunk = MIB
    for n in range(layers):
        partial = blobs / f"layer{n}.partial"
        plain = hashlib.sha256()
        with partial.open("wb") as out:
            hashing = _Hashing(out)
            with gzip.GzipFile(fileobj=hashing, mode="wb", compresslevel=0, mtime=0) as stream:
                for _ in range(layer_size // chunk):
                    data = os.urandom(chunk)
                    plain.update(data)
                    stream.write(data)
        digest = hashing.hasher.hexdigest()
        partial.rename(blobs / digest)
        descriptors.append(
            {"mediaType": OCI_LAYER, "digest": f"sha256:{digest}", "size": hashing.size}
        )
        diff_ids.append(f"sha256:{plain.hexdigest()}")

    def blob(data: bytes) -> dict[str, Any]:
        digest = hashlib.sha256(data).hexdigest()
        (blobs / digest).write_bytes(data)
        return {"digest": f"sha256:{digest}", "size": len(data)}

    config = json.dumps(
        {
            "architecture": "amd64",
            "os": "linux",
            "rootfs": {"type": "layers", "diff_ids": diff_ids},
        }
    ).encode()
    config_descriptor = {"mediaType": OCI_CONFIG, **blob(config)}
    manifest_bytes = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": OCI_MANIFEST,
            "config": config_descriptor,
            "layers": descriptors,
        }
    ).encode()
    manifest_descriptor = {
        "mediaType": OCI_MANIFEST,
        **blob(manifest_bytes),
        "annotations": {"org.opencontainers.image.ref.name": TAG},
    }
    (root / "oci-layout").write_text(json.dumps({"imageLayoutVersion": "1.0.0"}))
    (root / "index.json").write_text(
        json.dumps({"schemaVersion": 2, "manifests": [manifest_descriptor]})
    )
    return sum(d["size"] for d in descriptors) + len(config) + len(manifest_bytes)


class _Skopeo:
    """skopeo with a private HOME, XDG dirs, policy, registries.conf and tmpdir, so that
    nothing of the machine's configuration takes part."""

    def __init__(self, exe: str, root: Path) -> None:
        self.exe, self.root = exe, root
        home, tmp = root / "home", root / "tmp"
        for directory in (home, tmp, root / "registries.d"):
            directory.mkdir(parents=True)
        (root / "policy.json").write_text(
            json.dumps({"default": [{"type": "insecureAcceptAnything"}]})
        )
        (root / "registries.conf").write_text("")
        (root / "auth.json").write_text(json.dumps({"auths": {}}))
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_DATA_HOME": str(home / ".local" / "share"),
            "XDG_CACHE_HOME": str(home / ".cache"),
            "XDG_RUNTIME_DIR": str(tmp),
            "TMPDIR": str(tmp),
            "REGISTRY_AUTH_FILE": str(root / "auth.json"),
            "CONTAINERS_REGISTRIES_CONF": str(root / "registries.conf"),
            "NO_PROXY": "127.0.0.1",
            "no_proxy": "127.0.0.1",
        }

    def copy(self, *args: str) -> float:
        """``skopeo copy ARGS``, timed (seconds), with no blob-info cache to consult."""
        BLOB_INFO_CACHE.unlink(missing_ok=True)
        command = [
            self.exe,
            "--policy",
            str(self.root / "policy.json"),
            "--registries.d",
            str(self.root / "registries.d"),
            "--registries-conf",
            str(self.root / "registries.conf"),
            "--tmpdir",
            str(self.root / "tmp"),
            "copy",
            "--retry-times",
            "0",
            *args,
        ]
        start = time.perf_counter()
        done = subprocess.run(
            command, env=self.env, capture_output=True, text=True, timeout=COPY_TIMEOUT
        )
        elapsed = time.perf_counter() - start
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr}")
        if "skipped" in done.stdout:  # a blob not copied: the timing would not be a full copy
            raise RuntimeError(f"{' '.join(command)} skipped blobs:\n{done.stdout}")
        return elapsed


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _stop(process: subprocess.Popen[Any]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(20)


def _memory(pid: int, field: str) -> int:
    """``VmRSS``/``VmHWM`` of a process, in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) * 1024
    raise LookupError(field)


def _report_errors(log: Path, round_: int) -> None:
    """Whatever the server wrote to stderr (nothing, when all went well)."""
    lines = [line for line in log.read_text(errors="replace").splitlines() if line.strip()]
    if lines:
        print(f"server stderr (round {round_}):", *lines, sep="\n", file=sys.stderr)


@dataclass
class _Target:
    """A running registry: where to push, the credentials, the process."""

    reference: str  # host:port/name:tag
    process: subprocess.Popen[Any]
    creds: str | None
    log: Path


@contextlib.contextmanager
def _ours(work: Path) -> Iterator[_Target]:
    """``python -m ecrpublic_mock serve`` in a process of its own, a repository created
    through boto3, and a password from GetAuthorizationToken."""
    log = work / "ours.log"
    with log.open("wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "ecrpublic_mock", "serve", "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
        )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line.startswith(SERVING):
            raise RuntimeError(f"the server did not start: {line!r}\n{log.read_text()}")
        client = boto3.client(
            "ecr-public",
            endpoint_url=line[len(SERVING) :].strip(),
            region_name=REGION,
            aws_access_key_id="x",
            aws_secret_access_key="y",
        )
        uri = client.create_repository(repositoryName="bench")["repository"]["repositoryUri"]
        token = client.get_authorization_token()["authorizationData"]["authorizationToken"]
        password = base64.b64decode(token).decode().removeprefix("AWS:")
        yield _Target(f"{uri}:{TAG}", process, f"AWS:{password}", log)
    finally:
        _stop(process)


@contextlib.contextmanager
def _reference(exe: str, work: Path) -> Iterator[_Target]:
    """The CNCF distribution registry on loopback, storing on disk under ``work``."""
    port = _free_port()
    config = work / "registry.yml"
    config.write_text(
        "version: 0.1\n"
        "log:\n  level: warn\n  accesslog:\n    disabled: true\n"
        f"storage:\n  filesystem:\n    rootdirectory: {work / 'registry-data'}\n"
        f"http:\n  addr: 127.0.0.1:{port}\n"
    )
    log = work / "registry.log"
    with log.open("wb") as err:
        process = subprocess.Popen([exe, "serve", str(config)], stdout=err, stderr=err)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/v2/", timeout=2):
                    break
            except (urllib.error.URLError, ConnectionError) as error:
                if process.poll() is not None or time.monotonic() > deadline:
                    message = f"docker-registry did not start:\n{log.read_text()}"
                    raise RuntimeError(message) from error
                time.sleep(0.05)
        yield _Target(f"127.0.0.1:{port}/bench/bench:{TAG}", process, None, log)
    finally:
        _stop(process)


def bench_registry(rows: list[Row], layers: int, layer_size: int, rounds: int = 3) -> None:
    """skopeo push and pull of one image (``layers`` gzip layers of random bytes) to
    ``python -m ecrpublic_mock serve`` and to docker-registry, in alternating rounds,
    each against a fresh server; the server's peak memory during the pushes."""
    skopeo_exe, registry_exe = shutil.which("skopeo"), shutil.which("docker-registry")
    if skopeo_exe is None or registry_exe is None:
        print("registry benchmark skipped: skopeo or docker-registry not found", file=sys.stderr)
        return
    root = Path(tempfile.mkdtemp(prefix="ecrpublic-bench-registry-"))
    try:
        layout = root / "layout"
        stored = oci_layout(layout, layers, layer_size)
        skopeo = _Skopeo(skopeo_exe, root / "skopeo")
        times: dict[str, dict[str, list[float]]] = {
            "ours": {"push": [], "pull": []},
            "reference": {"push": [], "pull": []},
        }
        memory: list[float] = []
        for n in range(rounds):
            order = ("ours", "reference") if n % 2 == 0 else ("reference", "ours")
            for which in order:
                work = root / f"{which}{n}"
                work.mkdir()
                with _ours(work) if which == "ours" else _reference(registry_exe, work) as target:
                    pid = target.process.pid
                    before = _memory(pid, "VmRSS")
                    dest = ["--dest-creds", target.creds] if target.creds else []
                    times[which]["push"].append(
                        skopeo.copy(
                            "--dest-tls-verify=false",
                            *dest,
                            f"oci:{layout}:{TAG}",
                            f"docker://{target.reference}",
                        )
                    )
                    if which == "ours":
                        memory.append((_memory(pid, "VmHWM") - before) / stored)
                    pulled = work / "pulled"
                    times[which]["pull"].append(
                        skopeo.copy(
                            "--src-tls-verify=false",
                            f"docker://{target.reference}",
                            f"oci:{pulled}:{TAG}",
                        )
                    )
                    received = sum(f.stat().st_size for f in pulled.glob("blobs/*/*"))
                    if received != stored:
                        raise RuntimeError(f"pulled {received} bytes of {stored}")
                    if which == "ours":
                        _report_errors(target.log, n)
                shutil.rmtree(work)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    if os.environ.get("BENCH_VERBOSE"):
        print(json.dumps(times), file=sys.stderr)
    mb = stored / 1e6
    size = f"{layers} x {layer_size // MIB} MiB image"
    for direction in ("push", "pull"):
        t_ours = statistics.median(times["ours"][direction])
        t_ref = statistics.median(times["reference"][direction])
        rows.append(
            Row(
                f"skopeo {direction}, {size}: serve vs docker-registry (throughput)",
                f"{mb / t_ours:,.0f} MB/s",
                f"{mb / t_ref:,.0f} MB/s",
                t_ref / t_ours,
                ">= 0.8",
                t_ref / t_ours >= 0.8,
            )
        )
    peak = statistics.median(memory)
    rows.append(
        Row(
            f"skopeo push, {size}: serve's peak RSS growth / bytes stored",
            f"{peak * stored / MIB:,.0f} MiB",
            f"{stored / MIB:,.0f} MiB",
            peak,
            "<= 1.3",
            peak <= 1.3,
        )
    )
