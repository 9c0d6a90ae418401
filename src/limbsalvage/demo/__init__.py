"""The synthetic demonstration cohort (docs/registry/demo-cohort.md)."""
