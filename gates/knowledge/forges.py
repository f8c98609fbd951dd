"""Web links for a git remote: commit, compare and tag pages on known hosts.

GitHub, GitLab (gitlab.com and hosts named gitlab.*), Bitbucket Cloud and
Google Cloud Source Repositories. Pure: the remote URL in, links out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

# scp-like `user@host:path`, or a URL `scheme://[user@]host[:port]/path`.
_SCP = re.compile(r"^(?:[^@/]+@)?(?P<host>[^:/]+):(?!//)(?P<path>.+)$")
_URL = re.compile(r"^(?P<scheme>[a-z+]+)://(?:[^@/]+@)?(?P<host>[^:/]+)(?::\d+)?/(?P<path>.+)$")
_CSR = re.compile(r"^p/(?P<project>[^/]+)/r/(?P<repo>[^/]+)$")


@dataclass(frozen=True)
class Forge:
    kind: str  # github | gitlab | bitbucket | csr
    web: str  # https://host/owner/repo (for csr: https://source.cloud.google.com/PROJECT/REPO)

    def commit_url(self, sha: str) -> str:
        if self.kind == "gitlab":
            return f"{self.web}/-/commit/{sha}"
        if self.kind == "bitbucket":
            return f"{self.web}/commits/{sha}"
        if self.kind == "csr":
            return f"{self.web}/+/{sha}"
        return f"{self.web}/commit/{sha}"

    def compare_url(self, old: str, new: str) -> str:
        if self.kind == "gitlab":
            return f"{self.web}/-/compare/{old}...{new}"
        if self.kind == "bitbucket":
            return f"{self.web}/branches/compare/{quote(new, safe='')}%0D{quote(old, safe='')}"
        if self.kind == "csr":
            # Cloud Source Repositories has no compare page; the newer revision is the closest.
            return f"{self.web}/+/{new}"
        return f"{self.web}/compare/{old}...{new}"

    def tag_url(self, tag: str) -> str:
        if self.kind == "gitlab":
            return f"{self.web}/-/tags/{tag}"
        if self.kind == "bitbucket":
            return f"{self.web}/src/{tag}"
        if self.kind == "csr":
            return f"{self.web}/+/{tag}"
        return f"{self.web}/releases/tag/{tag}"


def forge_for(remote_url: str | None) -> Forge | None:
    """The forge of a remote URL (https, ssh or scp-like), or None for an unknown host."""
    if not remote_url:
        return None
    url = remote_url.strip()
    match = _URL.match(url) or _SCP.match(url)
    if not match:
        return None
    host = match.group("host").lower()
    path = match.group("path").strip("/")
    if path.endswith(".git"):
        path = path[:-4]
    if host == "source.developers.google.com":
        csr = _CSR.match(path)
        if not csr:
            return None
        return Forge(
            "csr", f"https://source.cloud.google.com/{csr.group('project')}/{csr.group('repo')}"
        )
    if "/" not in path:
        return None
    if host in ("github.com", "www.github.com") or host.startswith("github."):
        return Forge("github", f"https://{host.removeprefix('www.')}/{path}")
    if host == "gitlab.com" or host.startswith("gitlab."):
        return Forge("gitlab", f"https://{host}/{path}")
    if host in ("bitbucket.org", "www.bitbucket.org"):
        return Forge("bitbucket", f"https://bitbucket.org/{path}")
    return None
