"""Attacks by the change under review: the release repository of the deploy tests, reused."""

from tests.deploy.conftest import POLICY, release  # noqa: F401 - fixtures shared with deploy
