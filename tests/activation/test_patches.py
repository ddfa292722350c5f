"""The reference-counted patch set: on with the first acquire, exactly undone by the last
release, whatever the attribute was (own, inherited, or on a module)."""

from __future__ import annotations

import types

import pytest

from ecrpublic_mock._activation.patches import Patch, PatchSet


class Base:
    def inherited(self):
        return "base"


class Child(Base):
    def own(self):
        return "own"


def wrap(original):
    def patched(self):
        return f"patched {original(self)}"

    return patched


def patch_set(*extra):
    module = types.SimpleNamespace(value=1)
    patches = PatchSet(
        lambda: [
            Patch(Child, "own", wrap),
            Patch(Child, "inherited", wrap),
            Patch(module, "value", lambda original: original + 1),
            *extra,
        ]
    )
    return patches, module


def test_first_acquire_installs_and_last_release_restores_exactly():
    patches, module = patch_set()
    own = vars(Child)["own"]
    patches.acquire()
    patches.acquire()
    assert (Child().own(), Child().inherited(), module.value) == (
        "patched own",
        "patched base",
        2,
    )
    patches.release()
    assert Child().own() == "patched own"  # still held once
    patches.release()
    assert vars(Child)["own"] is own
    assert "inherited" not in vars(Child)  # deleted again, not copied down
    assert (Child().inherited(), module.value) == ("base", 1)


def test_a_second_cycle_installs_afresh():
    patches, module = patch_set()
    for _ in range(2):
        patches.acquire()
        assert module.value == 2
        patches.release()
        assert module.value == 1


def test_release_without_acquire_is_an_error():
    patches, _ = patch_set()
    with pytest.raises(RuntimeError, match="released more often than acquired"):
        patches.release()


def test_a_patch_added_late_is_installed_once_and_removed_with_the_rest():
    patches, _ = patch_set()
    late = types.SimpleNamespace(clock="real")
    patch = Patch(late, "clock", lambda original: f"fake {original}")
    patches.add(patch)
    assert late.clock == "real"  # nothing is installed while not acquired
    patches.acquire()
    patches.add(patch)
    patches.add(patch)
    assert late.clock == "fake real"
    patches.release()
    assert late.clock == "real"
