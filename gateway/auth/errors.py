"""Authentication failures: a stable kind per reason, shown as 401 problem+json with WWW-Authenticate."""

from __future__ import annotations

from gateway.problems import ProblemError


class AuthError(Exception):
    """Why a bearer token was refused. `kind` is stable (it becomes the problem type and the audit field)."""

    def __init__(self, kind: str, description: str) -> None:
        super().__init__(description)
        self.kind = kind
        self.description = description

    def problem(self) -> ProblemError:
        # The description is ours (never token content), and quotes are stripped to keep the header valid.
        safe = self.description.replace('"', "'").replace("\\", "/")
        return ProblemError(
            401,
            self.kind,
            self.description,
            title="Unauthenticated",
            headers={"WWW-Authenticate": f'Bearer error="invalid_token", error_description="{safe}"'},
        )
