"""Adapters: the one place each outside thing (git, files, CI, tools) is touched."""
