"""Guarantee management system (GMS): comprehensive and individual guarantees, vouchers, access codes, reservations."""
