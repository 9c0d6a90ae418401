"""The weekly multidisciplinary conference: flagged and added cases, outcomes, the agenda."""
