"""Staging snapshots: the engine's proposed staging of a limb, reviewed by a clinician."""
