"""Pure clinical logic: classification, pathway rules and outcome maths (no web, no DB, no I/O)."""
