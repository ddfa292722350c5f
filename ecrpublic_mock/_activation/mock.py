"""``mock_ecr_public``: one class that is a decorator, a context manager and the handle."""

from __future__ import annotations

import inspect
import sys
from typing import TYPE_CHECKING, Any, TypeAlias, TypedDict, TypeVar, overload

from .._core.media_types import DOCKER_MANIFEST
from .._core.settings import Mutability, Settings, check_mutability
from .._harness.service import Service
from . import hook

if TYPE_CHECKING:
    import datetime
    from collections.abc import Callable, Iterable, Mapping, Sequence
    from types import TracebackType

    from typing_extensions import Self, Unpack

    from .._harness.calls import Call
    from .._helpers.views import RepositoryView
    from .._server.runner import BackgroundServer

T = TypeVar("T")
Fresh: TypeAlias = "Callable[[], EcrPublicMock]"


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
    public_uris: bool
    registry_verified: bool
    registry_alias: str | None


class EcrPublicMock:
    """An activation of the mock and the handle on its state.

    Every activation (``start()``, ``with``, each call of a decorated function) begins
    with fresh, empty state; the innermost active mock serves every ecr-public client.
    """

    def __init__(self, **options: Unpack[MockOptions]) -> None:
        self._settings = Settings.from_options(dict(options))
        self._service = Service(self._settings)
        self._active = False

    @classmethod
    def _from_settings(cls, settings: Settings) -> EcrPublicMock:
        mock = cls.__new__(cls)
        mock._settings = settings
        mock._service = Service(settings)
        mock._active = False
        return mock

    def __repr__(self) -> str:
        state = "active" if self._active else "inactive"
        return f"<EcrPublicMock account_id={self.account_id!r} {state}>"

    # -- activation -----------------------------------------------------------------------

    def start(self) -> Self:
        """Activate with fresh state; clients answer from it until ``stop()``."""
        if self._active:
            raise RuntimeError("this EcrPublicMock is already active")
        self._service = Service(self._settings)
        self._active = True
        hook.activate(self._service)
        return self

    def stop(self) -> None:
        """Deactivate; the state stays readable on the handle."""
        if not self._active:
            raise RuntimeError("this EcrPublicMock is not active")
        self._active = False
        hook.deactivate(self._service)

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
            return self._decorate_class(target)  # type: ignore[return-value]
        if isinstance(target, (classmethod, staticmethod)):
            return type(target)(self._decorate_function(target.__func__))
        if not callable(target):
            raise TypeError(f"mock_ecr_public can decorate a function or a class, not {target!r}")
        return self._decorate_function(target)  # type: ignore[no-any-return]

    def _fresh(self) -> EcrPublicMock:
        return EcrPublicMock._from_settings(self._settings)

    def _decorate_function(self, func: Any) -> Any:
        """A wrapt wrapper of ``func``: it looks like ``func`` to pytest and ``inspect``
        (kind, signature, ``__wrapped__``), binds as ``func`` would (functions, methods),
        and runs ``func`` inside a fresh mock with the body its kind needs."""
        import wrapt  # loaded on first decoration: importing it costs 10 ms or more

        fresh = self._fresh
        body = _body(func)

        @wrapt.decorator
        def inside_a_fresh_mock(wrapped: Any, instance: Any, args: Any, kwargs: Any) -> Any:
            return body(fresh, wrapped, args, kwargs)

        return inside_a_fresh_mock(func)

    def _decorate_class(self, cls: type) -> type:
        """Every test of the class runs in a fresh mock; class-level set-up and tear-down
        run inside a mock of their own, active from set-up to tear-down. The tests do not
        see the class mock's state: each test stays independent of the others (a
        class-scoped fixture is the way to share state)."""
        # A TestCase class exists only once unittest is imported (importing it costs 20 ms).
        unittest = sys.modules.get("unittest")
        if unittest is not None and issubclass(cls, unittest.TestCase):
            testcase: Any = cls
            # run() wraps setUp, the test and tearDown: one fresh mock per test method.
            testcase.run = self._decorate_function(testcase.run)
            set_up_class = inspect.getattr_static(cls, "setUpClass").__func__
            fresh = self._fresh

            def setUpClass(klass: Any) -> None:
                # Class cleanups run after tearDownClass, and after a failed setUpClass.
                klass.addClassCleanup(fresh().start().stop)
                set_up_class(klass)

            testcase.setUpClass = classmethod(setUpClass)
            return cls
        self._wrap_xunit_methods(cls)
        return cls

    def _wrap_xunit_methods(self, cls: type) -> None:
        """pytest-style classes: setup_method starts a fresh mock, teardown_method stops it;
        setup_class/teardown_class, where the class has them, run inside a class mock."""
        fresh = self._fresh
        setup = _xunit(cls, "setup_method")
        teardown = _xunit(cls, "teardown_method")

        def setup_method(instance: Any, method: Any = None) -> None:
            mock = fresh().start()
            instance._ecrpublic_mock = mock
            if setup is not None:
                try:
                    setup(instance, method)
                except BaseException:
                    mock.stop()
                    raise

        def teardown_method(instance: Any, method: Any = None) -> None:
            try:
                if teardown is not None:
                    teardown(instance, method)
            finally:
                instance._ecrpublic_mock.stop()

        cls.setup_method = setup_method  # type: ignore[attr-defined]
        cls.teardown_method = teardown_method  # type: ignore[attr-defined]
        setup_class = _xunit(cls, "setup_class")
        teardown_class = _xunit(cls, "teardown_class")
        if setup_class is None and teardown_class is None:
            return
        mocks: dict[type, EcrPublicMock] = {}  # per class: a subclass runs its own

        def setup_class_(klass: Any) -> None:
            mock = mocks[klass] = fresh().start()
            if setup_class is not None:
                try:
                    setup_class(klass, klass)
                except BaseException:
                    mocks.pop(klass)
                    mock.stop()
                    raise

        def teardown_class_(klass: Any) -> None:
            try:
                if teardown_class is not None:
                    teardown_class(klass, klass)
            finally:
                mocks.pop(klass).stop()

        cls.setup_class = classmethod(setup_class_)  # type: ignore[attr-defined]
        cls.teardown_class = classmethod(teardown_class_)  # type: ignore[attr-defined]

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
        return self._service.registry.alias

    def set_image_tag_mutability(self, repository_name: str, mutability: Mutability) -> None:
        """Make one repository's tags immutable (or mutable) for this activation.

        Real ECR Public has no such setting; the mock offers it so that a test can reach
        ``ImageTagAlreadyExistsException``.
        """
        check_mutability(mutability)
        with self._service.lock:
            repo = self._service.registry.repositories.get(repository_name)
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
        with self._service.lock:
            self._service.faults.append(fault)

    @property
    def calls(self) -> tuple[Call, ...]:
        """Every call served so far, in order (the helpers' own calls are not counted)."""
        return tuple(self._service.calls)

    @property
    def repositories(self) -> Mapping[str, RepositoryView]:
        """A read-only snapshot of every (free) repository, its images, tags and layers."""
        from .._helpers import views  # loaded on first use: it costs every importer 4 ms otherwise

        return views.repositories(self._service.registry)

    @property
    def premium_repositories(self) -> Mapping[str, RepositoryView]:
        """The same snapshot of every premium repository (with its state and products)."""
        from .._helpers import views

        return views.repositories(self._service.registry, "PREMIUM")

    # -- premium repositories: what AWS Marketplace and Amazon Inspector would decide ------

    def entitle(self, product_id: str) -> None:
        """The account now holds an active AWS Marketplace agreement for ``product_id``:
        as a buyer it sees the AVAILABLE and HIDDEN premium repositories sold through it
        (DescribeEntitled*, and pulls from their entitled URI)."""
        from .._helpers import premium

        premium.entitle(self._service.registry, product_id, held=True)

    def revoke_entitlement(self, product_id: str) -> None:
        """The agreement for ``product_id`` has ended (no error if there was none)."""
        from .._helpers import premium

        premium.entitle(self._service.registry, product_id, held=False)

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
            self._service.registry, repository_name, image, findings, status, description
        )

    def set_badges(
        self, repository_name: str, badges: Iterable[str], *, premium: bool = False
    ) -> None:
        """The catalog badges (FIPS, STIG, SIGNED, SBOM, CIS) AWS shows for a repository."""
        from .._helpers import premium as helpers

        helpers.set_badges(self._service.registry, repository_name, tuple(badges), premium)

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
            self._service.registry, start_date, csv, report_type, granularity
        )

    def download(self, url: str) -> bytes:
        """The compressed report a GetDownloadUrlForPublisherReport URL links to, read
        without a server (the served mock answers the same URL over HTTP)."""
        from .._helpers import premium

        return premium.download(self._service.registry, url)

    def serve(self, host: str = "127.0.0.1", port: int = 0) -> BackgroundServer:
        """Serve this activation's state over HTTP from a background thread, until closed.

        Returns a started server (``.url``, ``.port``; ``stop()``, or use it in ``with``):
        the AWS CLI, other SDKs and ``curl`` (its control plane included) then see the
        very state in-process clients and this handle see. ``port`` 0 picks a free one.
        Needs the ``server`` extra (uvicorn): ``pip install 'ecrpublic-mock[server]'``.
        """
        if not self._active:
            raise RuntimeError("serve() needs an active mock: its state is the activation's")
        try:
            from .._server.control import Backend
            from .._server.runner import BackgroundServer
        except ImportError as error:
            raise ImportError(
                f"EcrPublicMock.serve() needs uvicorn ({error}): "
                "pip install 'ecrpublic-mock[server]'"
            ) from error
        return BackgroundServer(Backend(self._service), host, port).start()

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

        return push.push_image(
            self._service.registry,
            push.Target(repository_name, repository_type),
            tag,
            layers,
            media_type,
            platform,
            config,
            config_media_type,
        )

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

        return push.push_index(
            self._service.registry,
            push.Target(repository_name, repository_type),
            tag,
            images,
            media_type,
        )


def _run(fresh: Fresh, func: Any, args: Any, kwargs: Any) -> Any:
    with fresh():
        return func(*args, **kwargs)


def _run_generator(fresh: Fresh, func: Any, args: Any, kwargs: Any) -> Any:
    """Active from the first ``next`` to the close (a yield fixture's whole life)."""
    with fresh():
        return (yield from func(*args, **kwargs))


async def _run_coroutine(fresh: Fresh, func: Any, args: Any, kwargs: Any) -> Any:
    async with fresh():
        return await func(*args, **kwargs)


async def _run_async_generator(fresh: Fresh, func: Any, args: Any, kwargs: Any) -> Any:
    """Active from the first ``__anext__`` to the close, values sent and exceptions thrown
    passed through (an async yield fixture's whole life)."""
    async with fresh():
        inner = func(*args, **kwargs)
        try:
            item = await inner.__anext__()
            while True:
                try:
                    sent = yield item
                except GeneratorExit:
                    raise
                except BaseException as error:
                    item = await inner.athrow(error)
                else:
                    item = await inner.asend(sent)
        except StopAsyncIteration:
            return
        finally:
            await inner.aclose()


def _body(func: Any) -> Callable[[Fresh, Any, Any, Any], Any]:
    """The body that keeps a mock active for as long as ``func``'s kind runs."""
    if inspect.isasyncgenfunction(func):
        return _run_async_generator
    if inspect.isgeneratorfunction(func):
        return _run_generator
    if inspect.iscoroutinefunction(func):
        return _run_coroutine
    return _run


def _xunit(cls: type, name: str) -> Callable[[Any, Any], None] | None:
    """The class's xunit method ``name`` as ``call(owner, arg)``, or None if it has none.

    pytest passes the optional argument (the test method, or the class) only to a method
    that declares it; how many it declares is read once, here, not on every call.
    """
    raw = inspect.getattr_static(cls, name, None)
    if raw is None:
        return None
    func = raw.__func__ if isinstance(raw, (classmethod, staticmethod)) else raw
    # A classmethod or plain method receives its owner; a staticmethod does not.
    receives_owner = not isinstance(raw, staticmethod)
    takes_arg = func.__code__.co_argcount > int(receives_owner)

    def call(owner: Any, arg: Any) -> None:
        args = ((owner,) if receives_owner else ()) + ((arg,) if takes_arg else ())
        func(*args)

    return call


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
