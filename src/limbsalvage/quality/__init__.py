"""Data-quality reports over the registry (completeness of follow-up, staging and perfusion)."""
