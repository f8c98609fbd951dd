"""Reporters: turn a Report into console, JSON, JUnit, SARIF, GitHub, GitLab and Markdown."""
