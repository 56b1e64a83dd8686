"""Where live networks are kept between requests, behind one small interface."""

from .base import SessionBusy, SessionConflict, SessionNotFound, SessionStore, StoreUnavailable
from .factory import make_store, store_kind
from .memory import MemoryStore

__all__ = ["MemoryStore", "SessionBusy", "SessionConflict", "SessionNotFound", "SessionStore", "StoreUnavailable",
           "make_store", "store_kind"]
