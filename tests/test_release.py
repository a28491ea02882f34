"""Releases: CHANGELOG.md by package, one git tag per package version, and published versions
that never change (tools/release.py), on this repository and on a toy one made here."""

import os
import subprocess
import sys

import pytest
import toyrepo
from runtimes import ROOT

sys.path.insert(0, os.path.join(ROOT, "tools"))

import release  # noqa: E402

IDENTITY = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.invalid",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.invalid",
}

TOY_CHANGELOG = """# Changelog

## toycore

### 0.1.0

- First.

## toydriver

### 1.0.0

- First.
"""


def test_this_repository_can_be_released():
    """Every package has a CHANGELOG entry for its version, newest first, and no tagged
    version's files changed."""
    assert release.problems(ROOT) == []


def _git(root, *args):
    env = dict(os.environ, **IDENTITY)
    proc = subprocess.run(["git"] + list(args), cwd=root, capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def _commit(root, message):
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", message)


def _tool(root, command):
    env = dict(os.environ, **IDENTITY)
    tool = os.path.join(ROOT, "tools", "release.py")
    return subprocess.run(
        [sys.executable, tool, command, "--root", root],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


@pytest.fixture
def repo(tmp_path):
    root = toyrepo.make(tmp_path / "repo", {"CHANGELOG.md": TOY_CHANGELOG})
    _git(root, "init", "-q")
    _commit(root, "toy: First.")
    return root


def _set(root, rel, old, new):
    path = os.path.join(root, rel)
    with open(path) as f:
        text = f.read()
    assert old in text
    with open(path, "w") as f:
        f.write(text.replace(old, new))


def test_tag_each_version_once_and_refuse_a_changed_published_version(repo):
    proc = _tool(repo, "tag")
    assert proc.returncode == 0, proc.stderr
    assert sorted(_git(repo, "tag").split()) == ["toycore-0.1.0", "toydriver-1.0.0"]
    assert "toycore 0.1.0" in _git(repo, "tag", "-n1", "toycore-0.1.0")
    assert _tool(repo, "tag").returncode == 0  # nothing new: nothing tagged again
    assert len(_git(repo, "tag").split()) == 2

    # A shipped file changes under the published version: refused, nothing tagged.
    _set(repo, "python-ecosys/toycore/toycore/__init__.py", "VALUE = 1", "VALUE = 5")
    _commit(repo, "toycore: Change without a bump.")
    proc = _tool(repo, "check")
    assert proc.returncode == 1
    assert "toycore/__init__.py changed since tag toycore-0.1.0" in proc.stderr, proc.stderr
    assert _tool(repo, "tag").returncode == 1

    # The bump alone is not enough: the CHANGELOG must say what changed.
    _set(repo, "python-ecosys/toycore/manifest.py", 'version="0.1.0"', 'version="0.2.0"')
    _commit(repo, "toycore: Bump.")
    proc = _tool(repo, "check")
    assert "newest entry is 0.1.0, the manifest says 0.2.0" in proc.stderr, proc.stderr

    _set(repo, "CHANGELOG.md", "## toycore\n", "## toycore\n\n### 0.2.0\n\n- Five.\n")
    _commit(repo, "toycore: Say what 0.2.0 changes.")
    proc = _tool(repo, "tag")
    assert proc.returncode == 0, proc.stderr
    assert "tagged toycore-0.2.0" in proc.stdout
    assert "toydriver" not in proc.stdout
    tags = sorted(_git(repo, "tag").split())
    assert tags == ["toycore-0.1.0", "toycore-0.2.0", "toydriver-1.0.0"]
    # The tag names the commit that has the version's files.
    assert _git(repo, "show", "toycore-0.2.0:python-ecosys/toycore/toycore/__init__.py") == (
        "VALUE = 5\n"
    )


def test_missing_or_unordered_changelog_entries_are_reported(repo):
    _set(repo, "CHANGELOG.md", "## toydriver\n\n### 1.0.0\n", "## toydriver\n\n### 0.9.0\n")
    _set(repo, "CHANGELOG.md", "## toycore\n", "## toycore\n\n### 0.0.1\n")
    found = release.problems(repo)
    assert any("toycore: CHANGELOG.md's newest entry is 0.0.1" in p for p in found), found
    assert any("toydriver: CHANGELOG.md's newest entry is 0.9.0" in p for p in found), found
    _set(repo, "CHANGELOG.md", "## toydriver", "## other")
    assert any("toydriver: no `## toydriver` section" in p for p in release.problems(repo))


def test_tag_refuses_uncommitted_changes(repo):
    _set(repo, "python-ecosys/toycore/toycore/extra.py", "2 * x", "3 * x")
    proc = _tool(repo, "tag")
    assert proc.returncode == 1 and "uncommitted changes" in proc.stderr
    assert _git(repo, "tag") == ""
