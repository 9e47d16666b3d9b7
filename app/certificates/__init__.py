"""Signed competency certificates."""
