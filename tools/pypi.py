#!/usr/bin/env python3
"""Build the packages that also run on CPython into sdists and wheels, and upload them.

    python tools/pypi.py build --output DIST [--package NAME]... [--build-dir DIR]
    python tools/pypi.py upload --repository-url URL [--username U] [--password P]
                                [--skip-existing] DIST

Which packages: those whose manifest.py gives `pypi_publish` in metadata() (all of them, or
the ones named with --package). The PyPI project name is that value and must be
`micropython-async-<package>`; the version is the manifest's.

For each package a project directory is generated outside the repository (in a temporary
directory, or under --build-dir to keep it for inspection):

    <pypi name>/pyproject.toml   setuptools backend: name, version, description, author,
                                 license "MIT" (with the LICENSE file), readme = README.md,
                                 requires-python >= 3.8, and one dependency
                                 "<pypi name>>=<version>" per package the manifest require()s
                                 (a required package without pypi_publish is an error)
                                 and, when the package directory holds `pypi-extras.txt`
                                 (lines `extra: requirement, requirement`; `#` comments),
                                 those optional dependencies (`pip install name[extra]`)
    <pypi name>/README.md        the package's README.md without its board-only parts
                                 (between <!-- board only --> and <!-- /board only -->
                                 lines), relative links made absolute; Project-URLs point
                                 to the package in the repository, CHANGELOG.md, issues
    <pypi name>/LICENSE          the package's LICENSE, else the repository's
    <pypi name>/<target path>    each file the manifest ships, at its target path, with
                                 `__version__ = "<version>"` appended unless it has one

then `python -m build --no-isolation --sdist --wheel` makes DIST/<name>-<version>.tar.gz and
DIST/<name>-<version>-py3-none-any.whl (names normalised by setuptools, e.g.
micropython_async_asyn-0.1.0-py3-none-any.whl), and `twine check --strict` checks them. No
network is needed: build, setuptools, wheel and twine come from the running Python (the dev
venv; `python3 tools/dev.py venv` makes it).

Output is deterministic: file times are $SOURCE_DATE_EPOCH, else the time of the last git
commit that touched the package's directory (so unrelated commits change nothing), and the
sdist is repacked with sorted members, fixed owners and modes. Everything is built beside DIST
first and copied in only when every package built and passed the check, so an error leaves
DIST as it was (and does not create it). DIST keeps earlier versions; a file that is already
in DIST with other contents is refused: bump the version in the manifest.

`upload` runs `twine upload --repository-url URL` on every sdist and wheel in DIST (any
PyPI-compatible index: pypi.org's https://upload.pypi.org/legacy/, TestPyPI, a local
pypiserver). The username and password go to twine through TWINE_USERNAME/TWINE_PASSWORD,
not its command line; without them twine uses those variables or its keyring, and asks on a
terminal. --skip-existing is twine's: it works with pypi.org and TestPyPI only.

Errors, including every manifest problem, are printed as `pypi: error: ...` with exit status 1.
"""

import argparse
import gzip
import importlib.metadata
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from build import tagged_source  # noqa: E402
from devtools import SETUP_HINT, reexec_in_venv  # noqa: E402
from manifest import ROOT, ManifestError, discover  # noqa: E402

PYPI_PREFIX = "micropython-async-"
# Where the repository is published: PyPI pages link here, since relative links do not work
# there.
REPOSITORY_URL = "https://github.com/micropython-async/micropython-async"
# README parts between these markers are for boards only (mip, freezing): not on PyPI.
BOARD_ONLY = "<!-- board only -->"
BOARD_ONLY_END = "<!-- /board only -->"
_LINK = re.compile(r"(\]\()([^)\s]+)(\))")
REQUIRES_PYTHON = ">=3.8"
LICENSE = "MIT"
ZIP_EPOCH = 315532800  # 1980-01-01: the earliest time a zip file (a wheel) can store
BUILD_MODULES = ("build", "setuptools", "wheel", "twine")


class PypiError(Exception):
    pass


def _rel(path, root):
    rel = os.path.relpath(path, root)
    return path if rel.startswith("..") else rel


def _toml(value):
    """A TOML value for a string or a list of strings (JSON escapes are valid TOML)."""
    if isinstance(value, str):
        return json.dumps(value)
    return "[" + ", ".join(json.dumps(v) for v in value) + "]"


# -- choosing packages and checking their metadata -----------------------------------------


def select(packages, names=None):
    """The packages to publish: those with pypi_publish, or exactly `names`."""
    if not names:
        return [p for p in packages.values() if p.metadata.pypi_publish]
    chosen = []
    for name in names:
        if name not in packages:
            raise PypiError("no package named %r" % name)
        if not packages[name].metadata.pypi_publish:
            raise PypiError("package %s has no pypi_publish in its manifest.py metadata()" % name)
        if packages[name] not in chosen:
            chosen.append(packages[name])
    return chosen


def check_package(package, root):
    """Refuse metadata that would publish something wrong; return the PyPI name."""
    where = _rel(package.manifest_path, root)
    pypi_name = package.metadata.pypi_publish
    if pypi_name != PYPI_PREFIX + package.name:
        raise PypiError(
            "%s: pypi_publish is %r; packages of this collection are published as %r"
            % (where, pypi_name, PYPI_PREFIX + package.name)
        )
    if not re.match(r"^\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?$", package.version):
        raise PypiError(
            "%s: version %r is not a PEP 440 version (X.Y.Z, then optionally aN, bN or rcN, "
            ".postN, .devN)" % (where, package.version)
        )
    if not package.files:
        raise PypiError("%s: the manifest ships no files" % where)
    if not os.path.isfile(os.path.join(package.path, "README.md")):
        raise PypiError("package %s has no README.md (it is the PyPI description)" % package.name)
    return pypi_name


def dependencies(package, packages):
    """The requirement strings of the packages `package` require()s."""
    reqs = []
    for dep in dict.fromkeys(package.deps):  # in order, each once
        other = packages.get(dep)
        if other is None:
            raise PypiError(
                "package %s requires %s, which is not a package of this collection"
                % (package.name, dep)
            )
        if not other.metadata.pypi_publish:
            raise PypiError(
                "package %s requires package %s, which is not published to PyPI (add "
                "pypi_publish to its manifest.py metadata(), or drop the require)"
                % (package.name, dep)
            )
        reqs.append("%s>=%s" % (other.metadata.pypi_publish, other.version))
    return reqs


# -- the generated project -------------------------------------------------------------------


def layout(files):
    """setuptools' view of the target paths: top-level modules, packages and package data."""
    modules, packages, data = [], set(), {}
    for path in (f.target_path for f in files):
        parts = path.split("/")
        if len(parts) == 1:
            if not path.endswith(".py"):
                raise PypiError("%s: a top-level file must be a .py module" % path)
            modules.append(path[:-3])
            continue
        for i in range(1, len(parts)):
            packages.add(".".join(parts[:i]))
        if not path.endswith(".py"):
            data.setdefault(".".join(parts[:-1]), []).append(parts[-1])
    return sorted(modules), sorted(packages), data


EXTRAS_FILE = "pypi-extras.txt"


def extras(package):
    """The optional dependencies in the package's pypi-extras.txt: {extra: [requirement]}."""
    path = os.path.join(package.path, EXTRAS_FILE)
    found = {}
    if not os.path.isfile(path):
        return found
    with open(path) as f:
        for number, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            name, sep, reqs = line.partition(":")
            reqs = [r.strip() for r in reqs.split(",") if r.strip()]
            if not sep or not re.match(r"^[a-z][a-z0-9-]*$", name.strip()) or not reqs:
                raise PypiError(
                    "%s:%d: want `extra: requirement, ...`, got %r" % (path, number, line)
                )
            found[name.strip()] = reqs
    return found


def pyproject(package, pypi_name, requires, root=ROOT):
    meta = package.metadata
    modules, packages, data = layout(package.files)
    lines = [
        "# Generated by tools/pypi.py from %s/manifest.py: edit that, not this." % package.name,
        "[build-system]",
        'requires = ["setuptools>=77"]',
        'build-backend = "setuptools.build_meta"',
        "",
        "[project]",
        "name = %s" % _toml(pypi_name),
        "version = %s" % _toml(package.version),
        "description = %s" % _toml(meta.description or ""),
        "authors = [{name = %s}]" % _toml(meta.author or "micropython-async contributors"),
        'readme = {file = "README.md", content-type = "text/markdown"}',
        "license = %s" % _toml(LICENSE),
        'license-files = ["LICENSE"]',
        "requires-python = %s" % _toml(REQUIRES_PYTHON),
        "dependencies = %s" % _toml(requires),
        "urls = {%s}"
        % ", ".join("%s = %s" % (k, _toml(v)) for k, v in project_urls(package, root).items()),
        "classifiers = %s"
        % _toml(
            [
                "Programming Language :: Python :: 3",
                "Programming Language :: Python :: Implementation :: CPython",
                "Programming Language :: Python :: Implementation :: MicroPython",
                "Framework :: AsyncIO",
            ]
        ),
    ]
    optional = extras(package)
    if optional:
        lines += ["", "[project.optional-dependencies]"]
        lines += ["%s = %s" % (name, _toml(reqs)) for name, reqs in sorted(optional.items())]
    lines += [
        "",
        "[tool.setuptools]",
        "py-modules = %s" % _toml(modules),
        "packages = %s" % _toml(packages),
        "include-package-data = false",
        "zip-safe = true",
    ]
    if data:
        lines += ["", "[tool.setuptools.package-data]"]
        lines += ["%s = %s" % (_toml(pkg), _toml(sorted(names))) for pkg, names in data.items()]
    return "\n".join(lines) + "\n"


def long_description(package, root):
    """The package README as PyPI shows it: the parts marked board-only left out, and every
    relative link made absolute (to the file in the repository), since PyPI has no tree to
    resolve them against."""
    with open(os.path.join(package.path, "README.md")) as f:
        text = f.read()
    kept, skipping = [], False
    for line in text.split("\n"):
        if line.strip() == BOARD_ONLY:
            skipping = True
        elif line.strip() == BOARD_ONLY_END:
            skipping = False
        elif not skipping:
            kept.append(line)
    if skipping:
        raise PypiError("%s/README.md: %s is never closed" % (package.name, BOARD_ONLY))
    text = "\n".join(kept)
    text = re.sub(r"\n{3,}", "\n\n", text)
    rel_dir = os.path.relpath(package.path, root).replace(os.sep, "/")

    def absolute(m):
        target = m.group(2)
        if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
            return m.group(0)
        path = os.path.normpath(os.path.join(rel_dir, target)).replace(os.sep, "/")
        kind = "tree" if os.path.isdir(os.path.join(root, path)) else "blob"
        return "%s%s/%s/main/%s%s" % (m.group(1), REPOSITORY_URL, kind, path, m.group(3))

    return _LINK.sub(absolute, text)


def project_urls(package, root):
    rel_dir = os.path.relpath(package.path, root).replace(os.sep, "/")
    return {
        "Homepage": "%s/tree/main/%s" % (REPOSITORY_URL, rel_dir),
        "Source": REPOSITORY_URL,
        "Changelog": "%s/blob/main/CHANGELOG.md" % REPOSITORY_URL,
        "Issues": "%s/issues" % REPOSITORY_URL,
    }


def _write(path, data, epoch):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    os.chmod(path, 0o644)
    os.utime(path, (epoch, epoch))


def generate(package, packages, dest, epoch, root=ROOT):
    """Write the project directory of `package` at dest; returns its PyPI name."""
    pypi_name = check_package(package, root)
    requires = dependencies(package, packages)
    if os.path.exists(dest):
        shutil.rmtree(dest)
    for file in package.files:
        _write(os.path.join(dest, file.target_path), tagged_source(file, package.version), epoch)
    licence = os.path.join(package.path, "LICENSE")
    if not os.path.isfile(licence):
        licence = os.path.join(root, "LICENSE")
    if not os.path.isfile(licence):
        raise PypiError("no LICENSE file in %s or at the repository root" % package.name)
    with open(licence, "rb") as f:
        _write(os.path.join(dest, "LICENSE"), f.read(), epoch)
    _write(os.path.join(dest, "README.md"), long_description(package, root).encode(), epoch)
    text = pyproject(package, pypi_name, requires, root).encode()
    _write(os.path.join(dest, "pyproject.toml"), text, epoch)
    return pypi_name


# -- building and checking ------------------------------------------------------------------


def source_date_epoch(package):
    """$SOURCE_DATE_EPOCH, else the time of the last commit touching the package directory
    (so unrelated commits do not change its files), else 1980-01-01."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        value = os.environ["SOURCE_DATE_EPOCH"]
        if not value.isdigit():
            raise PypiError("SOURCE_DATE_EPOCH must be whole seconds, not %r" % value)
        return max(int(value), ZIP_EPOCH)
    proc = subprocess.run(
        ["git", "log", "-1", "--format=%ct", "--", "."],
        cwd=package.path,
        capture_output=True,
        text=True,
    )
    stamp = proc.stdout.strip() if proc.returncode == 0 else ""
    return max(int(stamp), ZIP_EPOCH) if stamp.isdigit() else ZIP_EPOCH


def _need_tools():
    # By distribution, not by import: tools/build.py shadows the `build` module here.
    missing = []
    for name in BUILD_MODULES:
        try:
            importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            missing.append(name)
    if missing:
        raise PypiError(
            "%s not installed in %s: %s" % (", ".join(missing), sys.executable, SETUP_HINT)
        )


def _tool_env(**extra):
    # PYTHONPATH could bring tools/build.py in as the `build` module.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(extra)
    return env


def _run(cmd, what, env=None, cwd=None):
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env or _tool_env(), cwd=cwd)
    if proc.returncode:
        out = (proc.stdout + proc.stderr).strip()
        raise PypiError("%s failed (exit %d):\n%s" % (what, proc.returncode, out))
    return proc


def normalise_sdist(path, epoch):
    """Repack an sdist so that the same sources always give the same bytes."""
    with tarfile.open(path, "r:gz") as src:
        members = []
        for info in src.getmembers():
            data = src.extractfile(info).read() if info.isfile() else None
            members.append((info, data))
    members.sort(key=lambda m: m[0].name)
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as dst:
        for info, data in members:
            info.mtime = epoch
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            info.mode = 0o755 if info.isdir() else 0o644
            info.pax_headers = {}
            dst.addfile(info, io.BytesIO(data) if data is not None else None)
    with open(path, "wb") as f:
        with gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=epoch) as gz:
            gz.write(raw.getvalue())


def build_dists(project, outdir, epoch):
    """Build one generated project into outdir; returns the new file names."""
    before = set(os.listdir(outdir))
    env = _tool_env(SOURCE_DATE_EPOCH=str(epoch), PYTHONDONTWRITEBYTECODE="1")
    cmd = [sys.executable, "-m", "build", "--no-isolation", "--sdist", "--wheel"]
    _run(cmd + ["--outdir", outdir, project], "python -m build of %s" % project, env, project)
    made = sorted(set(os.listdir(outdir)) - before)
    for name in made:
        if name.endswith(".tar.gz"):
            normalise_sdist(os.path.join(outdir, name), epoch)
    return made


def twine_check(paths):
    _run([sys.executable, "-m", "twine", "check", "--strict"] + list(paths), "twine check")


def build(output, names=None, root=ROOT, build_dir=None, log=print):
    """Build sdists and wheels into `output`; returns {pypi name: [file names]}."""
    _need_tools()
    packages = discover(root, cpython=True)  # with the modules only CPython needs
    chosen = select(packages, names)
    if not chosen:
        raise PypiError("no package has pypi_publish in its manifest.py metadata()")
    output = os.path.abspath(output)
    for path in [output] + ([os.path.abspath(build_dir)] if build_dir else []):
        for package in packages.values():
            if (path + os.sep).startswith(package.path + os.sep):
                raise PypiError("%s is inside package %s: build elsewhere" % (path, package.name))
    parent = os.path.dirname(output)
    os.makedirs(parent, exist_ok=True)
    work = tempfile.mkdtemp(prefix=".pypi-", dir=parent)
    try:
        staged = os.path.join(work, "dist")
        os.makedirs(staged)
        projects = os.path.abspath(build_dir) if build_dir else os.path.join(work, "src")
        made = {}
        for package in chosen:
            project = os.path.join(projects, package.metadata.pypi_publish)
            epoch = source_date_epoch(package)
            pypi_name = generate(package, packages, project, epoch, root)
            made[pypi_name] = build_dists(project, staged, epoch)
        files = sorted(os.listdir(staged))
        twine_check(os.path.join(staged, name) for name in files)
        # Refuse before copying anything: a version that was built must not change.
        for name in files:
            dest = os.path.join(output, name)
            if os.path.exists(dest) and not _same(dest, os.path.join(staged, name)):
                raise PypiError(
                    "%s already exists with other contents: bump the version in the "
                    "manifest (or delete the old file)" % dest
                )
        os.makedirs(output, exist_ok=True)
        for name in files:
            shutil.copy2(os.path.join(staged, name), os.path.join(output, name))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for pypi_name, names_made in made.items():
        log("built %s: %s" % (pypi_name, " ".join(names_made)))
    return made


def _same(a, b):
    with open(a, "rb") as fa, open(b, "rb") as fb:
        return fa.read() == fb.read()


# -- uploading ------------------------------------------------------------------------------


def dist_files(dist):
    if not os.path.isdir(dist):
        raise PypiError(
            "no directory %s: run `python tools/pypi.py build --output %s`" % (dist, dist)
        )
    files = sorted(
        os.path.join(dist, n) for n in os.listdir(dist) if n.endswith((".whl", ".tar.gz"))
    )
    if not files:
        raise PypiError("no .whl or .tar.gz files in %s" % dist)
    return files


def upload(dist, repository_url, username=None, password=None, skip_existing=False):
    """twine upload every distribution in `dist` to `repository_url`."""
    _need_tools()
    files = dist_files(dist)
    env = _tool_env()
    if username is not None:
        env["TWINE_USERNAME"] = username
    if password is not None:
        env["TWINE_PASSWORD"] = password
    cmd = [sys.executable, "-m", "twine", "upload", "--disable-progress-bar"]
    if not sys.stdin.isatty():
        cmd.append("--non-interactive")  # fail instead of waiting for a password
    cmd += ["--repository-url", repository_url]
    if skip_existing:
        cmd.append("--skip-existing")
    proc = subprocess.run(cmd + files, env=env)
    if proc.returncode:
        raise PypiError("twine upload to %s failed (exit %d)" % (repository_url, proc.returncode))
    return files


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build sdists and wheels")
    b.add_argument("--output", required=True, help="directory for the sdists and wheels")
    b.add_argument("--package", action="append", help="only this package (repeatable)")
    b.add_argument("--build-dir", help="keep the generated projects here")
    b.add_argument("--root", default=ROOT, help="repository root (default: this one)")
    u = sub.add_parser("upload", help="upload DIST/* with twine")
    u.add_argument("--repository-url", required=True, help="the index's upload URL")
    u.add_argument("--username", "-u")
    u.add_argument("--password", "-p")
    u.add_argument("--skip-existing", action="store_true", help="skip files already there")
    u.add_argument("dist", help="directory of sdists and wheels")
    args = parser.parse_args(argv)
    if argv is None:  # run as a command: from a plain shell, use the project's venv
        reexec_in_venv(BUILD_MODULES)
    try:
        if args.command == "build":
            build(args.output, args.package, root=args.root, build_dir=args.build_dir)
        else:
            upload(
                args.dist, args.repository_url, args.username, args.password, args.skip_existing
            )
    except (ManifestError, PypiError) as e:
        print("pypi: error: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
