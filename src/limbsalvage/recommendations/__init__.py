"""Stored recommendations per episode: accept or override, and recompute without churn."""
