"""Published tables and cut-offs as versioned data, each with its source and how it was checked."""
