"""Batch classification of CSV and JSON Lines files (registry-scale restaging)."""
