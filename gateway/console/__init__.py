"""The web console: sign-in by OpenID Connect, server-side sessions, and GOV.UK Design System pages."""
