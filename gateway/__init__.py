"""Privacy-governed data-sharing gateway for England's school attendance data."""

__version__ = "0.1.0"
