"""Policy: ask Rego whether a request is allowed and in what form."""

from gateway.policy.decision import Decision, Obligations, Reason, RowFilter

__all__ = ["Decision", "Obligations", "Reason", "RowFilter"]
