"""The session store interface. Routes only ever see this."""

from __future__ import annotations

import secrets
from abc import ABC, abstractmethod
from contextlib import AbstractContextManager

from ..nn import Trainer
from ..nn.history import StepNotKept, StepRecord


class SessionNotFound(LookupError):
    """No live network has this id (never created, deleted, or expired)."""


class SessionBusy(RuntimeError):
    """Another request held this network's lock for longer than we may wait (or outlived its lease)."""


class StoreUnavailable(RuntimeError):
    """The shared store (a database file or Redis) cannot be reached just now."""


def new_session_id() -> str:
    return secrets.token_urlsafe(24)  # 192 random bits: unguessable


class SessionStore(ABC):
    @abstractmethod
    def create(self, trainer: Trainer) -> str:
        """Keep a new network; return its id."""

    @abstractmethod
    def open(self, session_id: str, *, write: bool = True) -> AbstractContextManager[Trainer]:
        """The network, locked against concurrent writers for the `with` block; saved after
        the block when `write` (and not saved if the block raised). Raises SessionNotFound."""

    @abstractmethod
    def delete(self, session_id: str) -> bool:
        """Forget a network; False if there was none."""

    def kept_step(self, session_id: str, trainer: Trainer, step: int | None = None) -> StepRecord:
        """A kept step of the network open as `trainer` (the newest, its current step, by default).
        Raises StepNotKept. Here: the trainer's own records (a store whose workers share networks
        reads the others' records too)."""
        step = trainer.step_count if step is None else step
        record = trainer.kept.find(step)
        if record is None:
            raise StepNotKept(step, trainer.step_count)
        return record

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release resources (connections, files)."""
