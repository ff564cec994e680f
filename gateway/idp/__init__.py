"""The development identity provider: OpenID Connect discovery, JWKS, authorization code + PKCE for the
personas, client credentials for the departments' service clients. Development and tests only."""
