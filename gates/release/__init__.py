"""Release-manager tooling: next version, changelog writing, release, metrics."""
