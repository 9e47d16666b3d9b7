"""Placement use cases. Services query, mutate and flush; they never commit."""
