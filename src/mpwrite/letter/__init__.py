"""Composing a letter: who writes, to whom, about what, in whose words."""
