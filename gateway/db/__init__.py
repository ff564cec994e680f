"""Database access: embedded or external PostgreSQL, the async pool, and migrations."""

from gateway.db.urls import DatabaseUrls, resolve_database

__all__ = ["DatabaseUrls", "resolve_database"]
