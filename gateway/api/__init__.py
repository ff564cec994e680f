"""Thin HTTP controllers; each route declares the policy action it needs (or that it is public)."""
