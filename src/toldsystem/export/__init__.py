"""Export: declarations, presentation, exit (DMS Export / e-Export)."""
