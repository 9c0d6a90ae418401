"""Pure care-coordination logic: task due times and owners, recommendation fingerprints and
recompute plans, conference dates and triggers, time-to-treatment against cited targets."""
