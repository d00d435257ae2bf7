"""Transit — DMS Forsendelse (NCTS phase 5): declarations, their rules and movements (SPEC T, seed 003)."""
