"""The policy: schema, presets, loading, validation and digest."""

from gates.policy.loader import Policy, load_policy, load_preset

__all__ = ["Policy", "load_policy", "load_preset"]
