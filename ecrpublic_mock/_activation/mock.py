"""``mock_ecr_public``: one class that is a decorator, a context manager and the handle."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any, TypedDict, TypeVar, overload

from .._core.media_types import DOCKER_MANIFEST
from .._core.settings import Mutability, Settings, check_mutability
from .._harness.state import MockState
from . import hook
from .decorate import decorate_class, decorate_function

if TYPE_CHECKING:
    import datetime
    from collections.abc import Iterable, Mapping, Sequence
    from types import TracebackType

    from typing_extensions import Self, Unpack

    from .._harness.calls import Call
    from .._helpers.views import RepositoryView
    from .._sandbox.sandbox import Sandbox
    from .._server.runner import BackgroundServer

T = TypeVar("T")


class MockOptions(TypedDict, total=False):
    """The options of ``mock_ecr_public``; defaults are the real service's quotas."""

    account_id: str
    image_tag_mutability: Mutability
    max_repositories: int
    max_images_per_repository: int
    max_tags_per_image: int
    max_resource_tags: int
    max_layer_parts: int
    min_layer_part_size: int
    max_layer_part_size: int
    max_layer_size: int
    max_layers_per_image: int
    upload_expiry: int
    public_uris: bool
    registry_verified: bool
    registry_alias: str | None
    pull_rate_limits: bool


class EcrPublicMock:
    """An activation of the mock and the handle on its state.

    Every activation (``start()``, ``with``, each call of a decorated function) begins
    with fresh, empty state; the innermost active mock serves every ecr-public client.
    """

    def __init__(self, **options: Unpack[MockOptions]) -> None:
        self._settings = Settings.from_options(dict(options))
        self._state = MockState(self._settings)
        self._active = False
        self._sandboxes: list[Sandbox] = []

    @classmethod
    def _from_settings(cls, settings: Settings) -> EcrPublicMock:
        mock = cls.__new__(cls)
        mock._settings = settings
        mock._state = MockState(settings)
        mock._active = False
        mock._sandboxes = []
        return mock

    def __repr__(self) -> str:
        state = "active" if self._active else "inactive"
        return f"<EcrPublicMock account_id={self.account_id!r} {state}>"

    # -- activation -----------------------------------------------------------------------

    def start(self) -> Self:
        """Activate with fresh state; clients answer from it until ``stop()``."""
        if self._active:
            raise RuntimeError("this EcrPublicMock is already active")
        self._state = MockState(self._settings)
        self._active = True
        hook.activate(self._state)
        return self

    def stop(self) -> None:
        """Deactivate; the state stays readable on the handle.

        The servers of this activation (``serve()``) stop with it: their threads end and
        their ports close before this returns, so none outlives the test that forgot to
        stop it and none answers from a state no client of this process sees any more.
        A request that reaches one while it stops is refused (410, ``MockStopped``).
        """
        if not self._active:
            raise RuntimeError("this EcrPublicMock is not active")
        self._active = False
        hook.deactivate(self._state)
        self._state.stopped = True
        if self._state.serving:  # then the server module is loaded: it serves
            from .._server.runner import stop_servers

            stop_servers(self._state)
        for sandbox in self._sandboxes[::-1]:
            sandbox.stop()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    async def __aenter__(self) -> Self:
        return self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        self.stop()

    def __call__(self, target: T) -> T:
        """Decorate a function (plain, coroutine, generator or async generator), a
        classmethod or staticmethod, or a test class."""
        if isinstance(target, type):
            return decorate_class(self._fresh, target)  # type: ignore[return-value]
        if isinstance(target, (classmethod, staticmethod)):
            return type(target)(decorate_function(self._fresh, target.__func__))
        if not callable(target):
            raise TypeError(f"mock_ecr_public can decorate a function or a class, not {target!r}")
        return decorate_function(self._fresh, target)  # type: ignore[no-any-return]

    def _fresh(self) -> EcrPublicMock:
        return EcrPublicMock._from_settings(self._settings)

    # -- the handle -----------------------------------------------------------------------

    @property
    def active(self) -> bool:
        return self._active

    @property
    def account_id(self) -> str:
        return self._settings.account_id

    @property
    def registry_alias(self) -> str:
        """The registry's primary alias, as in ``public.ecr.aws/<alias>/<repository>``: the
        custom ``registry_alias`` where the mock has one, else the default alias."""
        return self._state.registry.alias

    def set_image_tag_mutability(self, repository_name: str, mutability: Mutability) -> None:
        """Make one repository's tags immutable (or mutable) for this activation.

        Real ECR Public has no such setting; the mock offers it so that a test can reach
        ``ImageTagAlreadyExistsException``.
        """
        check_mutability(mutability)
        with self._state.lock:
            repo = self._state.registry.repositories.get(repository_name)
            if repo is None:
                raise LookupError(f"no repository named {repository_name!r} in this mock")
            repo.mutability = mutability

    def inject_fault(
        self,
        code: str,
        *,
        operation: str | None = None,
        times: int = 1,
        message: str | None = None,
        status: int | None = None,
    ) -> None:
        """Make the next ``times`` calls (of ``operation``, or of any) fail with ``code``.

        Any code works (``ThrottlingException``, ``ServerException``, a modeled error);
        the status is 500 for server errors, 503 for unavailability, else 400. botocore's
        retry logic sees the answer as it would AWS's, but its back-off sleeps are skipped.
        """
        from .._harness.faults import Fault  # loaded on first use: most tests inject none

        fault = Fault.make(code, operation, times, message, status)
        with self._state.lock:
            self._state.faults.append(fault)

    @property
    def calls(self) -> tuple[Call, ...]:
        """Every call served so far, in order (the helpers' own calls are not counted)."""
        return tuple(self._state.calls)

    @property
    def repositories(self) -> Mapping[str, RepositoryView]:
        """A read-only snapshot of every (free) repository, its images, tags and layers."""
        from .._helpers import views  # loaded on first use: it costs every importer 4 ms otherwise

        return views.repositories(self._state.registry)

    @property
    def premium_repositories(self) -> Mapping[str, RepositoryView]:
        """The same snapshot of every premium repository (with its state and products)."""
        from .._helpers import views

        return views.repositories(self._state.registry, "PREMIUM")

    # -- premium repositories: what AWS Marketplace and Amazon Inspector would decide ------

    def entitle(self, product_id: str) -> None:
        """The account now holds an active AWS Marketplace agreement for ``product_id``:
        as a buyer it sees the AVAILABLE and HIDDEN premium repositories sold through it
        (DescribeEntitled*, and pulls from their entitled URI)."""
        from .._helpers import premium

        premium.entitle(self._state.registry, product_id, held=True)

    def revoke_entitlement(self, product_id: str) -> None:
        """The agreement for ``product_id`` has ended (no error if there was none)."""
        from .._helpers import premium

        premium.entitle(self._state.registry, product_id, held=False)

    def set_scan_findings(
        self,
        repository_name: str,
        image: str,
        findings: Iterable[Mapping[str, Any]] = (),
        *,
        status: str = "COMPLETE",
        description: str | None = None,
    ) -> None:
        """What the scan of a premium image (``image``: its digest or a tag) found: each
        finding a dict of the model's ImageScanFinding members (``severity``, ``title``,
        ``packageVulnerabilityDetails``, ...); the rest gets Inspector's usual values."""
        from .._helpers import premium

        premium.set_scan_findings(
            self._state.registry, repository_name, image, findings, status, description
        )

    def set_badges(
        self, repository_name: str, badges: Iterable[str], *, premium: bool = False
    ) -> None:
        """The catalog badges (FIPS, STIG, SIGNED, SBOM, CIS) AWS shows for a repository."""
        from .._helpers import premium as helpers

        helpers.set_badges(self._state.registry, repository_name, tuple(badges), premium)

    def add_publisher_report(
        self,
        start_date: datetime.date | str,
        csv: bytes,
        *,
        report_type: str = "SUMMARY",
        granularity: str = "MONTHLY",
    ) -> str:
        """A publisher report of the week (from a Monday) or month (from the 1st) that
        starts on ``start_date``, created now, holding ``csv``; its report id."""
        from .._helpers import premium

        return premium.add_publisher_report(
            self._state.registry, start_date, csv, report_type, granularity
        )

    def download(self, url: str) -> bytes:
        """The compressed report a GetDownloadUrlForPublisherReport URL links to, read
        without a server (the served mock answers the same URL over HTTP)."""
        from .._helpers import premium

        return premium.download(self._state.registry, url)

    def serve(self, host: str = "127.0.0.1", port: int = 0) -> BackgroundServer:
        """Serve this activation's state over HTTP from a background thread, until closed.

        Returns a started server (``.url``, ``.port``; ``stop()``, or use it in ``with``):
        the AWS CLI, other SDKs and ``curl`` (its control plane included) then see the
        very state in-process clients and this handle see. ``port`` 0 picks a free one.
        Needs the ``server`` extra (uvicorn): ``pip install 'ecrpublic-mock[server]'``.

        Serve as many times as you like: URIs name the newest server still serving, and
        AWS's host again once none does. ``stop()`` of this mock stops them all. Serving
        and stopping work under ``freezegun.freeze_time`` (the server keeps real time for
        its own timers; the mock's timestamps and expiries follow the freeze).
        """
        if not self._active:
            raise RuntimeError("serve() needs an active mock: its state is the activation's")
        try:
            from .._server.runner import BackgroundServer
        except ImportError as error:
            raise ImportError(
                f"EcrPublicMock.serve() needs uvicorn ({error}): "
                "pip install 'ecrpublic-mock[server]'"
            ) from error
        from .._server.runner import exposure

        warning = exposure(host)
        if warning is not None:
            warnings.warn(warning, UserWarning, stacklevel=2)
        return BackgroundServer(self._state, host, port).start()

    def sandbox(self, *, docker: bool = False) -> Sandbox:
        """Run commands where ``public.ecr.aws`` and the ECR Public API are this mock.

        Returns a started ``Sandbox`` (``run()``; ``stop()``, or use it in ``with``):
        Linux namespaces where AWS's hosts resolve to this mock, served over HTTPS with a
        CA made for the run that clients trust, and nothing else is reachable.
        ``docker=True`` starts a private dockerd there (root only). Needs the ``sandbox``
        extra: ``pip install 'ecrpublic-mock[sandbox]'``.
        """
        if not self._active:
            raise RuntimeError("sandbox() needs an active mock: its state is the activation's")
        try:
            from .._sandbox.sandbox import Sandbox
        except ImportError as error:
            raise ImportError(
                f"EcrPublicMock.sandbox() needs the sandbox extra ({error}): "
                "pip install 'ecrpublic-mock[sandbox]'"
            ) from error
        return Sandbox(self, self._state, docker=docker).start()

    def _sandboxed(self, sandbox: Sandbox, running: bool) -> None:
        """A sandbox of this mock started (or stopped): the mock stops it as it stops."""
        if running:
            self._sandboxes.append(sandbox)
        elif sandbox in self._sandboxes:
            self._sandboxes.remove(sandbox)

    def push_image(
        self,
        repository_name: str,
        tag: str | None = None,
        layers: Iterable[bytes] = (b"layer",),
        *,
        media_type: str = DOCKER_MANIFEST,
        platform: tuple[str, str] = ("linux", "amd64"),
        config: bytes | None = None,
        config_media_type: str | None = None,
        repository_type: str = "FREE",
    ) -> str:
        """Push a valid image (config and layers through the real upload path); its digest.

        ``media_type`` is Docker's v2 schema 2 or the OCI image manifest; ``platform`` is
        (os, architecture) for the generated config; ``config_media_type`` overrides the
        config's type (a helm chart's, say); ``repository_type`` PREMIUM pushes to the
        premium repository of that name. Errors are the ClientErrors the API would raise.
        """
        from .._helpers import push  # loaded on first use, with the core's rules

        target = push.Target(repository_name, repository_type)
        options = (media_type, platform, config, config_media_type)
        return push.push_image(self._state.registry, target, tag, layers, *options)

    def push_index(
        self,
        repository_name: str,
        tag: str | None = None,
        images: Sequence[str] = (),
        *,
        media_type: str | None = None,
        repository_type: str = "FREE",
    ) -> str:
        """Push a manifest list (OCI index when every image is OCI) over pushed images."""
        from .._helpers import push

        target = push.Target(repository_name, repository_type)
        return push.push_index(self._state.registry, target, tag, images, media_type)


@overload
def mock_ecr_public(target: T, /) -> T: ...


@overload
def mock_ecr_public(**options: Unpack[MockOptions]) -> EcrPublicMock: ...


def mock_ecr_public(target: Any = None, /, **options: Any) -> Any:
    """Mock Amazon ECR Public: ``@mock_ecr_public``, ``@mock_ecr_public(...)``, or ``with``."""
    if target is None:
        return EcrPublicMock(**options)
    if options:
        raise TypeError("mock_ecr_public takes either a target to decorate or options, not both")
    return EcrPublicMock()(target)
