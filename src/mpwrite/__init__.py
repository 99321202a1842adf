"""mpwrite: letters from supporters to their Members of Parliament."""

__version__ = "0.1.0"
