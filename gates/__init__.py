"""gates: policy and quality gates for git-flow delivery."""

__version__ = "0.1.0"
