"""Access: who is calling. API tokens for companies and customs officers (users and roles come later)."""
