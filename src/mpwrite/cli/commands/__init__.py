"""One module per ``mpwrite`` command (or group of commands)."""
