"""Wounds and their serial measurements."""
