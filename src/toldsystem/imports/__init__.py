"""Import: declarations and express clearance (DMS Import)."""
