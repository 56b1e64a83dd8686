"""Where live networks are kept between requests, behind one small interface."""

from .base import SessionNotFound, SessionStore
from .memory import MemoryStore

__all__ = ["MemoryStore", "SessionNotFound", "SessionStore"]
