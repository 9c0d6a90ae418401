"""Treatment of the limb: procedures, treated segments, grafts and their duplex surveillance."""
