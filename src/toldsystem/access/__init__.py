"""Access: who is calling — users of companies and officers' accounts with their roles per system, API tokens,
passwords (seed 000), SSH keys, web sessions, and the audit log every room writes to (docs/users.md)."""
