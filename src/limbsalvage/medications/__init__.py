"""Best medical therapy: drugs with start and stop dates."""
