"""``CommandGuard``: the store-position check's retry loop, on its own."""

from __future__ import annotations

from uuid import UUID, uuid4

import pytest

from domain.concurrency import ATTEMPTS, CommandGuard
from domain.errors import ConflictError, NotFoundError, StoreMovedError


class Store:
    """Where the store ends, moving on by one each time it is asked (another writer)."""

    def __init__(self, checks: bool = True) -> None:
        self.end = 10
        self.checks = checks
        self.forgotten: list[UUID] = []

    def store_end(self) -> int | None:
        if not self.checks:
            return None
        self.end += 1
        return self.end


def guard_for(store: Store) -> CommandGuard:
    return CommandGuard(store.store_end, store.forgotten.append)


def test_a_write_that_finds_the_store_moved_runs_again_at_the_new_end() -> None:
    store = Store()
    guard = guard_for(store)
    seen: list[dict[str, object]] = []
    touched = uuid4()

    def command() -> str:
        guard.noted(touched)
        seen.append(guard.write_kwargs())
        if len(seen) == 1:
            raise StoreMovedError
        return "saved"

    assert guard.run(command) == "saved"
    assert seen == [{"expected_position": 11}, {"expected_position": 12}]
    assert store.forgotten == [touched]  # what the failed attempt read is not trusted again


def test_a_store_that_keeps_moving_is_given_up_on_plainly() -> None:
    guard = guard_for(Store())
    attempts: list[int] = []

    def command() -> None:
        attempts.append(1)
        raise StoreMovedError

    with pytest.raises(ConflictError, match="nothing was stored"):
        guard.run(command)
    assert len(attempts) == ATTEMPTS


def test_a_refusal_is_not_retried_and_forgets_what_was_read() -> None:
    store = Store()
    guard = guard_for(store)
    touched = uuid4()
    attempts: list[int] = []

    def command() -> None:
        attempts.append(1)
        guard.noted(touched)
        raise NotFoundError("Activity 'X' is not registered.")

    with pytest.raises(NotFoundError):
        guard.run(command)
    assert attempts == [1]
    assert store.forgotten == [touched]


def test_a_command_inside_a_command_is_part_of_it() -> None:
    guard = guard_for(Store())
    inner: list[dict[str, object]] = []

    def outer() -> None:
        before = guard.write_kwargs()
        guard.run(lambda: inner.append(guard.write_kwargs()))
        assert guard.write_kwargs() == before

    guard.run(outer)
    assert inner == [{"expected_position": 11}]


def test_nothing_is_expected_outside_a_command_or_where_the_store_does_not_check() -> None:
    assert guard_for(Store()).write_kwargs() == {}
    unchecked = guard_for(Store(checks=False))
    assert unchecked.run(unchecked.write_kwargs) == {}
    store = Store()
    checked = guard_for(store)
    checked.noted(uuid4())  # outside a command: nothing to forget later
    assert checked.read == []
