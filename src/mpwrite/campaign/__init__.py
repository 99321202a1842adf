"""Campaign folders: the manifest, its templates and the sandbox they render in."""
