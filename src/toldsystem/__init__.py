"""toldsystem — an open-source implementation of the Danish customs systems."""

__version__ = "0.1.0"
