"""``mock_ecr_public``: one class that is a decorator, a context manager and the handle."""

from __future__ import annotations

import functools
import inspect
import sys
from typing import TYPE_CHECKING, Any, TypedDict, TypeVar, overload

from . import _hook, _push
from ._faults import Call, Fault
from ._manifests import DOCKER_MANIFEST
from ._settings import Mutability, Settings, check_mutability
from ._state import Registry

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence
    from types import TracebackType

    from typing_extensions import Self, Unpack

    from ._server.runner import BackgroundServer
    from ._views import RepositoryView

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


class EcrPublicMock:
    """An activation of the mock and the handle on its state.

    Every activation (``start()``, ``with``, each call of a decorated function) begins
    with fresh, empty state; the innermost active mock serves every ecr-public client.
    """

    def __init__(self, **options: Unpack[MockOptions]) -> None:
        self._settings = Settings.from_options(dict(options))
        self._registry = Registry(self._settings)
        self._active = False

    @classmethod
    def _from_settings(cls, settings: Settings) -> EcrPublicMock:
        mock = cls.__new__(cls)
        mock._settings = settings
        mock._registry = Registry(settings)
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
        self._registry = Registry(self._settings)
        self._active = True
        _hook.activate(self._registry)
        return self

    def stop(self) -> None:
        """Deactivate; the state stays readable on the handle."""
        if not self._active:
            raise RuntimeError("this EcrPublicMock is not active")
        self._active = False
        _hook.deactivate(self._registry)

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

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def __call__(self, target: T) -> T:
        """Decorate a function, coroutine function or test class."""
        if isinstance(target, type):
            return self._decorate_class(target)  # type: ignore[return-value]
        if not callable(target):
            raise TypeError(f"mock_ecr_public can decorate a function or a class, not {target!r}")
        return self._decorate_function(target)  # type: ignore[no-any-return]

    def _fresh(self) -> EcrPublicMock:
        return EcrPublicMock._from_settings(self._settings)

    def _decorate_function(self, func: Any) -> Any:
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def run_async(*args: Any, **kwargs: Any) -> Any:
                async with self._fresh():
                    return await func(*args, **kwargs)

            return run_async

        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> Any:
            with self._fresh():
                return func(*args, **kwargs)

        return run

    def _decorate_class(self, cls: type) -> type:
        # A TestCase class exists only once unittest is imported (importing it costs 20 ms).
        unittest = sys.modules.get("unittest")
        if unittest is not None and issubclass(cls, unittest.TestCase):
            # run() wraps setUp, the test and tearDown: one fresh mock per test method.
            testcase: Any = cls
            testcase.run = self._decorate_function(testcase.run)
            return cls
        self._wrap_xunit_methods(cls)
        return cls

    def _wrap_xunit_methods(self, cls: type) -> None:
        """pytest-style classes: setup_method starts a fresh mock, teardown_method stops it."""
        fresh = self._fresh
        setup = getattr(cls, "setup_method", None)
        teardown = getattr(cls, "teardown_method", None)

        def setup_method(instance: Any, method: Any = None) -> None:
            mock = fresh().start()
            instance._ecrpublic_mock = mock
            if setup is not None:
                try:
                    _call_xunit(setup, instance, method)
                except BaseException:
                    mock.stop()
                    raise

        def teardown_method(instance: Any, method: Any = None) -> None:
            try:
                if teardown is not None:
                    _call_xunit(teardown, instance, method)
            finally:
                instance._ecrpublic_mock.stop()

        cls.setup_method = setup_method  # type: ignore[attr-defined]
        cls.teardown_method = teardown_method  # type: ignore[attr-defined]

    # -- the handle -----------------------------------------------------------------------

    @property
    def active(self) -> bool:
        return self._active

    @property
    def account_id(self) -> str:
        return self._settings.account_id

    @property
    def registry_alias(self) -> str:
        """The registry's default alias, as in ``public.ecr.aws/<alias>/<repository>``."""
        return self._registry.alias

    def set_image_tag_mutability(self, repository_name: str, mutability: Mutability) -> None:
        """Make one repository's tags immutable (or mutable) for this activation.

        Real ECR Public has no such setting; the mock offers it so that a test can reach
        ``ImageTagAlreadyExistsException``.
        """
        check_mutability(mutability)
        with self._registry.lock:
            repo = self._registry.repositories.get(repository_name)
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
        fault = Fault.make(code, operation, times, message, status)
        with self._registry.lock:
            self._registry.faults.append(fault)

    @property
    def calls(self) -> tuple[Call, ...]:
        """Every call served so far, in order (the helpers' own calls are not counted)."""
        return tuple(self._registry.calls)

    @property
    def repositories(self) -> Mapping[str, RepositoryView]:
        """A read-only snapshot of every repository, its images, tags and layers."""
        from . import _views  # loaded on first use: it costs every importer 4 ms otherwise

        return _views.repositories(self._registry)

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
            from ._server.control import Backend
            from ._server.runner import BackgroundServer
        except ImportError as error:
            raise ImportError(
                f"EcrPublicMock.serve() needs uvicorn ({error}): "
                "pip install 'ecrpublic-mock[server]'"
            ) from error
        return BackgroundServer(Backend(self._registry), host, port).start()

    def push_image(
        self,
        repository_name: str,
        tag: str | None = None,
        layers: Iterable[bytes] = (b"layer",),
        *,
        media_type: str = DOCKER_MANIFEST,
        platform: tuple[str, str] = ("linux", "amd64"),
        config: bytes | None = None,
    ) -> str:
        """Push a valid image (config and layers through the real upload path); its digest.

        ``media_type`` is Docker's v2 schema 2 or the OCI image manifest; ``platform`` is
        (os, architecture) for the generated config. Errors are the ClientErrors the API
        would raise.
        """
        return _push.push_image(
            self._registry, repository_name, tag, layers, media_type, platform, config
        )

    def push_index(
        self,
        repository_name: str,
        tag: str | None = None,
        images: Sequence[str] = (),
        *,
        media_type: str | None = None,
    ) -> str:
        """Push a manifest list (OCI index when every image is OCI) over pushed images."""
        return _push.push_index(self._registry, repository_name, tag, images, media_type)


def _call_xunit(method: Any, instance: Any, arg: Any) -> None:
    """Call setup_method/teardown_method with or without the method argument, like pytest."""
    if len(inspect.signature(method).parameters) > 1:
        method(instance, arg)
    else:
        method(instance)


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
