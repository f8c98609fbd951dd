"""Branch names every team has that no person chose: bots and merge queues.

Their own module, so that the policy's declarations (`branches.extra`) and the git-flow
rules share them without loading the rules on the commit-msg hook."""

BOT_BRANCHES = (
    "^dependabot/.+$",
    "^renovate/.+$",
    "^release-please--.+$",
    "^changeset-release/.+$",
    "^pre-commit-ci-update-config$",
    "^gh-readonly-queue/.+$",
)
