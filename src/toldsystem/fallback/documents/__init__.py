"""The fallback procedures' paper: the red stamps at their true size as PDFs (reportlab)."""
