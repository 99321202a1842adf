"""Bulk letters: one letter per supporter row, and a report on every row."""
