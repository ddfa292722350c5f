"""Serving ecr-public inside moto's ``mock_aws`` when no ecrpublic_mock is active.

moto answers ecr-public "Not yet implemented". With this package installed, a test that
only uses ``@mock_aws`` gets ecr-public served too: from state kept per moto account id
(``MOTO_ACCOUNT_ID``, else moto's default) and dropped whenever moto resets its backends.
Set ``ECRPUBLIC_MOCK_WITH_MOTO=0`` to leave moto alone. moto is never imported here: when
it is not loaded, this costs one dictionary lookup.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from .._core.settings import Settings
from .._harness.state import MockState

SWITCH = "ECRPUBLIC_MOCK_WITH_MOTO"
_OFF = frozenset({"0", "false", "no", "off"})

_states: dict[str, MockState] = {}


class _ResetWatch:
    """Sits in moto's list of backends, so that moto's reset also forgets our state.

    moto's ``BackendDict.reset`` calls ``values()`` and ``clear()`` on every registered
    backend, then empties the list; the watch is registered again with the next state.
    """

    def values(self) -> tuple[()]:
        return ()

    def clear(self) -> None:
        _states.clear()


_WATCH = _ResetWatch()


def moto_state() -> MockState | None:
    """The state serving ecr-public for moto's active ``mock_aws``, if any."""
    models: Any = sys.modules.get("moto.core.models")
    if models is None or not models.botocore_stubber.enabled:
        return None
    if os.environ.get(SWITCH, "").strip().lower() in _OFF:
        return None
    account = os.environ.get("MOTO_ACCOUNT_ID") or models.DEFAULT_ACCOUNT_ID
    state = _states.get(account)
    if state is None:
        from moto.core.base_backend import BackendDict

        state = _states[account] = MockState(Settings(account_id=account))
        instances: list[Any] = BackendDict._instances  # type: ignore[misc]
        if not any(item is _WATCH for item in instances):
            instances.append(_WATCH)
    return state
