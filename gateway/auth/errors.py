"""Authentication failures: a stable kind per reason (the edge shows it as 401 problem+json)."""

from __future__ import annotations


class AuthError(Exception):
    """Why a bearer token was refused. `kind` is stable (it becomes the problem type and the audit field)."""

    def __init__(self, kind: str, description: str) -> None:
        super().__init__(description)
        self.kind = kind
        self.description = description
