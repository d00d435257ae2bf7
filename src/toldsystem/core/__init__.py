"""Shared by every room: identifiers, money, clock, errors, calendar."""
