"""Manifest: arrivals, departures and temporary storage of means of transport."""
