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
import threading
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

    def command(self, *args: str) -> list[str]:
        """The command line of ``skopeo copy ARGS`` with this configuration."""
        return [
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

    def copy(self, *args: str) -> float:
        """``skopeo copy ARGS``, timed (seconds), with no blob-info cache to consult."""
        BLOB_INFO_CACHE.unlink(missing_ok=True)
        command = self.command(*args)
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


def _cpu(pid: int) -> float:
    """The CPU seconds (user + system) a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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


class _PeakRss:
    """A process's peak RSS from ``__enter__`` to ``__exit__``, in bytes: its ``VmHWM``
    reset on entry (``clear_refs``) and read on exit, and its ``VmRSS`` sampled every
    ``interval`` seconds meanwhile (the peak where the kernel refuses the reset)."""

    def __init__(self, pid: int, interval: float = 0.01) -> None:
        self.pid, self.interval = pid, interval
        self.sampled = self.peak = 0
        self.reset = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while True:
            with contextlib.suppress(OSError, LookupError, ValueError):
                self.sampled = max(self.sampled, _memory(self.pid, "VmRSS"))
            if self._stop.wait(self.interval):
                return

    def __enter__(self) -> _PeakRss:
        try:
            Path(f"/proc/{self.pid}/clear_refs").write_text("5")
            self.reset = True
        except OSError:
            self.reset = False
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        if exc[0] is None:
            self.peak = max(self.sampled, _memory(self.pid, "VmHWM") if self.reset else 0)


def _pull_dir(root: Path, needed: int) -> Path:
    """Where the concurrent pulls write: tmpfs (``/dev/shm``) when it has room, since
    skopeo syncs every blob it writes and a disk would then set the pace; else ``root``."""
    shm = Path("/dev/shm")
    if shm.is_dir() and shutil.disk_usage(shm).free > 2 * needed:
        return Path(tempfile.mkdtemp(prefix="ecrpublic-bench-load-", dir=shm))
    return Path(tempfile.mkdtemp(prefix="ecrpublic-bench-load-", dir=root))


def _pull_many(
    skopeo: _Skopeo, target: _Target, into: Path, pulls: int, stored: int
) -> tuple[float, list[float]]:
    """``pulls`` skopeo pulls of ``target`` at once, each into an OCI layout of its own
    under ``into`` with a blob-info cache of its own; the wall time from the first start
    to the last exit, and each pull's own time. Every pull must succeed, copy every blob
    and bring back every byte; whatever is still running on the way out is killed."""
    source = ["--src-creds", target.creds] if target.creds else []
    started: list[tuple[subprocess.Popen[Any], Path, float]] = []
    took: dict[int, float] = {}
    try:
        start = time.perf_counter()
        for n in range(pulls):
            work = into / f"pull{n}"
            (work / "cache").mkdir(parents=True)
            # With _CONTAINERS_ROOTLESS_UID set, skopeo (as root) keeps its blob-info cache
            # under XDG_DATA_HOME instead of one file under /var/lib that every pull locks.
            env = {
                **skopeo.env,
                "_CONTAINERS_ROOTLESS_UID": "1",
                "XDG_DATA_HOME": str(work / "cache"),
            }
            command = skopeo.command(
                "--src-tls-verify=false",
                *source,
                f"docker://{target.reference}",
                f"oci:{work / 'image'}:{TAG}",
            )
            with (work / "output").open("wb") as output:
                process = subprocess.Popen(
                    command, env=env, stdout=output, stderr=subprocess.STDOUT
                )
            started.append((process, work, time.perf_counter()))
        deadline = time.monotonic() + COPY_TIMEOUT
        while len(took) < pulls:
            for n, (process, _, began) in enumerate(started):
                if n not in took and process.poll() is not None:
                    took[n] = time.perf_counter() - began
            if time.monotonic() > deadline:
                raise RuntimeError(f"{pulls - len(took)} of {pulls} pulls still running")
            time.sleep(0.005)
        wall = time.perf_counter() - start
    finally:
        for process, _, _ in started:
            if process.poll() is None:
                process.kill()
                process.wait()
    for process, work, _ in started:
        output = (work / "output").read_text(errors="replace")
        if process.returncode != 0:
            raise RuntimeError(f"a pull of {target.reference} failed:\n{output}")
        if "skipped" in output:
            raise RuntimeError(f"a pull of {target.reference} skipped blobs:\n{output}")
        received = sum(f.stat().st_size for f in (work / "image").glob("blobs/*/*"))
        if received != stored:
            raise RuntimeError(f"a pull brought back {received} bytes of {stored}")
    return wall, [took[n] for n in range(pulls)]


def bench_registry_load(
    rows: list[Row], layers: int, layer_size: int, pulls: int = 50, rounds: int = 3
) -> None:
    """``pulls`` concurrent skopeo pulls of one image (``layers`` gzip layers of random
    bytes) from ``python -m ecrpublic_mock serve`` and from docker-registry, in
    alternating rounds, each against a fresh server that the image was pushed to first:
    the wall time of all the pulls, their throughput together and the server's peak RSS
    while they ran."""
    skopeo_exe, registry_exe = shutil.which("skopeo"), shutil.which("docker-registry")
    if skopeo_exe is None or registry_exe is None:
        print("load benchmark skipped: skopeo or docker-registry not found", file=sys.stderr)
        return
    root = Path(tempfile.mkdtemp(prefix="ecrpublic-bench-load-"))
    into: Path | None = None
    results: dict[str, dict[str, list[Any]]] = {
        which: {"wall": [], "each": [], "peak": [], "before": [], "cpu": []}
        for which in ("ours", "reference")
    }
    try:
        layout = root / "layout"
        stored = oci_layout(layout, layers, layer_size)
        skopeo = _Skopeo(skopeo_exe, root / "skopeo")
        into = _pull_dir(root, pulls * stored)
        for n in range(rounds):
            order = ("ours", "reference") if n % 2 == 0 else ("reference", "ours")
            for which in order:
                work = root / f"{which}{n}"
                work.mkdir()
                with _ours(work) if which == "ours" else _reference(registry_exe, work) as target:
                    dest = ["--dest-creds", target.creds] if target.creds else []
                    skopeo.copy(
                        "--dest-tls-verify=false",
                        *dest,
                        f"oci:{layout}:{TAG}",
                        f"docker://{target.reference}",
                    )
                    pid = target.process.pid
                    results[which]["before"].append(_memory(pid, "VmRSS"))
                    batch = into / f"{which}{n}"
                    cpu = _cpu(pid)
                    with _PeakRss(pid) as rss:
                        wall, each = _pull_many(skopeo, target, batch, pulls, stored)
                    results[which]["cpu"].append(_cpu(pid) - cpu)
                    if target.process.poll() is not None:
                        raise RuntimeError(f"the {which} server exited during the pulls")
                    results[which]["wall"].append(wall)
                    results[which]["each"].append(each)
                    results[which]["peak"].append(rss.peak)
                    if which == "ours":
                        _report_errors(target.log, n)
                shutil.rmtree(batch)
                shutil.rmtree(work)
    finally:
        if into is not None:
            shutil.rmtree(into, ignore_errors=True)
        shutil.rmtree(root, ignore_errors=True)
    if os.environ.get("BENCH_VERBOSE"):
        for which, r in results.items():
            for n, each in enumerate(r["each"]):
                print(
                    f"{which} round {n}: wall {r['wall'][n]:.2f} s, each pull "
                    f"{min(each):.2f} / {statistics.median(each):.2f} / {max(each):.2f} s "
                    f"(min / median / max), RSS {r['before'][n] / MIB:,.0f} MiB before, "
                    f"{r['peak'][n] / MIB:,.0f} MiB peak, server CPU {r['cpu'][n]:.1f} s",
                    file=sys.stderr,
                )
    wall = {which: statistics.median(r["wall"]) for which, r in results.items()}
    peak = {which: statistics.median(r["peak"]) for which, r in results.items()}
    mib = pulls * stored / MIB
    what = f"{pulls} concurrent skopeo pulls, {layers} x {layer_size // MIB} MiB image"
    rows.append(
        Row(
            f"{what}: serve vs docker-registry (wall time)",
            f"{wall['ours']:,.2f} s",
            f"{wall['reference']:,.2f} s",
            wall["ours"] / wall["reference"],
            "(info)",
            True,
        )
    )
    rows.append(
        Row(
            f"{what}: serve vs docker-registry (throughput)",
            f"{mib / wall['ours']:,.0f} MiB/s",
            f"{mib / wall['reference']:,.0f} MiB/s",
            wall["reference"] / wall["ours"],
            ">= 0.8",
            wall["reference"] / wall["ours"] >= 0.8,
        )
    )
    rows.append(
        Row(
            f"{what}: serve vs docker-registry (server's peak RSS)",
            f"{peak['ours'] / MIB:,.0f} MiB",
            f"{peak['reference'] / MIB:,.0f} MiB",
            peak["ours"] / peak["reference"],
            "(info)",
            True,
        )
    )
