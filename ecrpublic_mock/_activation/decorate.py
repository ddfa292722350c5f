"""How ``mock_ecr_public`` decorates: each kind of callable gets the body that keeps a fresh
mock active for as long as it runs, and test classes get a fresh mock per test."""

from __future__ import annotations

import inspect
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from .mock import EcrPublicMock

    # A new, inactive mock with the decorator's options.
    Fresh = Callable[[], EcrPublicMock]


def decorate_function(fresh: Fresh, func: Any) -> Any:
    """A wrapt wrapper of ``func``: it looks like ``func`` to pytest and ``inspect``
    (kind, signature, ``__wrapped__``), binds as ``func`` would (functions, methods),
    and runs ``func`` inside a fresh mock with the body its kind needs."""
    import wrapt  # loaded on first decoration: importing it costs 10 ms or more

    body = _body(func)

    @wrapt.decorator
    def inside_a_fresh_mock(wrapped: Any, instance: Any, args: Any, kwargs: Any) -> Any:
        return body(fresh, wrapped, args, kwargs)

    return inside_a_fresh_mock(func)


def decorate_class(fresh: Fresh, cls: type) -> type:
    """Every test of the class runs in a fresh mock; class-level set-up and tear-down
    run inside a mock of their own, active from set-up to tear-down. The tests do not
    see the class mock's state: each test stays independent of the others (a
    class-scoped fixture is the way to share state)."""
    # A TestCase class exists only once unittest is imported (importing it costs 20 ms).
    unittest = sys.modules.get("unittest")
    if unittest is not None and issubclass(cls, unittest.TestCase):
        testcase: Any = cls
        # run() wraps setUp, the test and tearDown: one fresh mock per test method.
        testcase.run = decorate_function(fresh, testcase.run)
        set_up_class = inspect.getattr_static(cls, "setUpClass").__func__

        def setUpClass(klass: Any) -> None:
            # Class cleanups run after tearDownClass, and after a failed setUpClass.
            klass.addClassCleanup(fresh().start().stop)
            set_up_class(klass)

        testcase.setUpClass = classmethod(setUpClass)
        return cls
    _wrap_xunit_methods(fresh, cls)
    return cls


def _wrap_xunit_methods(fresh: Fresh, cls: type) -> None:
    """pytest-style classes: setup_method starts a fresh mock, teardown_method stops it;
    setup_class/teardown_class, where the class has them, run inside a class mock."""
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
