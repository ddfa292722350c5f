"""The pieces that let aiobotocore share the hook, checked without aiobotocore installed.

The real aiobotocore round trip is in ``test_aiobotocore.py`` (``tox -e aio``); these tests
pin the mechanism in every environment: answers whose content can be awaited, and the
asyncio back-off sleep that is skipped for the mock's own retryable answers.
"""

import asyncio
import sys
import types

import pytest

from ecrpublic_mock import mock_ecr_public
from ecrpublic_mock._activation import hook as _hook


def test_answer_content_is_bytes_and_awaitable(monkeypatch):
    """Awaitable once aiobotocore is loaded (an aiobotocore client reads it so)."""
    monkeypatch.setitem(sys.modules, "aiobotocore", types.ModuleType("aiobotocore"))
    answer = _hook._Answer("https://example", 200, {"a": "b"}, b'{"x": 1}')
    assert answer.content == b'{"x": 1}'
    assert isinstance(answer.content, bytes)

    async def read():
        return await answer.content

    assert asyncio.run(read()) == b'{"x": 1}'


def test_answer_content_is_the_body_itself_without_aiobotocore(monkeypatch):
    """No aiobotocore loaded, no client awaits it: the body is not copied."""
    monkeypatch.delitem(sys.modules, "aiobotocore", raising=False)
    body = b'{"x": 1}' * 1000
    assert _hook._Answer("https://example", 200, {}, body).content is body


@pytest.fixture
def fake_aiobotocore(monkeypatch):
    module = types.ModuleType("aiobotocore.endpoint")
    module.asyncio = asyncio
    monkeypatch.setitem(sys.modules, "aiobotocore.endpoint", module)
    return module


def test_aiobotocore_sleep_is_patched_once_loaded(fake_aiobotocore):
    """Patched while a mock is active (once, however often asked), restored after."""
    with mock_ecr_public():
        _hook._patch_aiobotocore()
        clock = fake_aiobotocore.asyncio
        assert isinstance(clock, _hook._AsyncClock)
        _hook._patch_aiobotocore()
        assert fake_aiobotocore.asyncio is clock
        assert clock.get_event_loop_policy is asyncio.get_event_loop_policy
    assert fake_aiobotocore.asyncio is asyncio


def test_aiobotocore_is_not_patched_while_no_mock_is_active(fake_aiobotocore):
    _hook._patch_aiobotocore()
    assert fake_aiobotocore.asyncio is asyncio


def test_nothing_is_patched_while_aiobotocore_is_not_loaded(monkeypatch):
    monkeypatch.delitem(sys.modules, "aiobotocore.endpoint", raising=False)
    _hook._patch_aiobotocore()
    assert "aiobotocore.endpoint" not in sys.modules


@pytest.mark.parametrize("pending", [True, False])
def test_async_sleep_skipped_only_while_a_mocked_call_is_in_progress(monkeypatch, pending):
    slept = []
    real_sleep = asyncio.sleep

    async def recording(seconds):
        slept.append(seconds)
        await real_sleep(0)

    monkeypatch.setattr(asyncio, "sleep", recording)

    async def scenario():
        _hook._skip_sleep.set(pending)
        await _hook._AsyncClock.sleep(1.5)

    asyncio.run(scenario())
    assert slept == ([] if pending else [1.5])
