"""Standard codes for our coded values, as versioned data with a verification status per code."""
