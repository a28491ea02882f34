#!/usr/bin/env python3
"""Check and tag releases: one git tag per package version, `<package>-<version>`.

    python3 tools/release.py check    every package's version has a CHANGELOG.md entry, and no
                                      tagged version's shipped files have changed since
    python3 tools/release.py tag      check, then tag each package version not tagged yet
                                      (at HEAD; annotated, message "<package> <version>")

Published versions never change (docs/PACKAGING.md, "Versions"): a tag `<package>-<version>`
records what that version shipped, and `check` refuses a working tree whose shipped files
differ from the tagged ones under the same version. A commit that changes what a package
ships bumps its version in manifest.py and adds the entry to CHANGELOG.md in the same commit.

CHANGELOG.md has one `## <package>` section per package, each with `### <version>` entries,
newest first; the first entry is the manifest's version. Exit status 1 with one line per
problem.
"""

import argparse
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from build import BuildError, parse_version  # noqa: E402
from manifest import ROOT, ManifestError, discover  # noqa: E402

CHANGELOG = "CHANGELOG.md"


class ReleaseError(Exception):
    pass


def tag_name(package):
    return "%s-%s" % (package.name, package.version)


def changelog_versions(root):
    """{package name: [versions, in the order listed]} from CHANGELOG.md."""
    path = os.path.join(root, CHANGELOG)
    if not os.path.isfile(path):
        raise ReleaseError("no %s at %s" % (CHANGELOG, root))
    found, current = {}, None
    with open(path) as f:
        for line in f:
            m = re.match(r"^## (\S+)\s*$", line)
            if m:
                current = found.setdefault(m.group(1), [])
                continue
            m = re.match(r"^### (\S+)", line)
            if m and current is not None:
                current.append(m.group(1))
    return found


def _git(root, *args, check=True):
    proc = subprocess.run(["git"] + list(args), cwd=root, capture_output=True, text=True)
    if check and proc.returncode:
        raise ReleaseError("git %s: %s" % (" ".join(args), proc.stderr.strip()))
    return proc


def existing_tags(root):
    return set(_git(root, "tag", "--list").stdout.split())


def problems(root=ROOT):
    """Every reason the repository cannot be released as it is, one line each."""
    found = []
    packages = discover(root)
    listed = changelog_versions(root)
    tags = existing_tags(root)
    for name, package in packages.items():
        versions = listed.get(name)
        if not versions:
            found.append("%s: no `## %s` section in %s" % (name, name, CHANGELOG))
        elif versions[0] != package.version:
            found.append(
                "%s: %s's newest entry is %s, the manifest says %s"
                % (name, CHANGELOG, versions[0], package.version)
            )
        elif versions != sorted(versions, key=parse_version, reverse=True):
            found.append("%s: %s entries are not newest first" % (name, CHANGELOG))
        tag = tag_name(package)
        if tag in tags:
            for file in package.files:
                rel = os.path.relpath(file.full_path, root).replace(os.sep, "/")
                then = _git(root, "show", "%s:%s" % (tag, rel), check=False)
                with open(file.full_path) as f:
                    now = f.read()
                if then.returncode or then.stdout != now:
                    found.append(
                        "%s: %s changed since tag %s: bump the version in %s"
                        % (name, rel, tag, os.path.relpath(package.manifest_path, root))
                    )
                    break
    return found


def tag(root=ROOT, log=print):
    """Tag every package version not tagged yet; returns the new tag names."""
    found = problems(root)
    if found:
        raise ReleaseError("; ".join(found))
    if _git(root, "status", "--porcelain", "--untracked-files=no").stdout.strip():
        raise ReleaseError("uncommitted changes: commit them first, tags name a commit")
    tags = existing_tags(root)
    made = []
    for package in discover(root).values():
        name = tag_name(package)
        if name not in tags:
            _git(root, "tag", "-a", name, "-m", "%s %s" % (package.name, package.version))
            made.append(name)
            log("tagged %s" % name)
    return made


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("check", "tag"))
    parser.add_argument("--root", default=ROOT, help="repository (default: this one)")
    args = parser.parse_args(argv)
    try:
        if args.command == "check":
            found = problems(args.root)
            for line in found:
                print("release: %s" % line, file=sys.stderr)
            return 1 if found else 0
        tag(args.root)
    except (ManifestError, BuildError, ReleaseError) as e:
        print("release: error: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
