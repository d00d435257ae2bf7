"""Fallback procedures (nødprocedurer): permissions, paper documents, follow-up and recovery."""
