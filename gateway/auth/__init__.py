"""Authentication: verify bearer JWTs from trusted issuers and turn them into a Principal."""

from gateway.auth.principal import OrganisationType, Principal

__all__ = ["OrganisationType", "Principal"]
