#!/usr/bin/env python3
"""Build the static mip index of every package, and the checked-in package.json files.

    python tools/build.py --output DIR [--mpy-cross PATH]   build or update an index
    python tools/build.py --package-json [--check]          write (or check) package.json files

The index is a tree of static files that any web server can serve; MicroPython's `mip` reads
it like this (mpy = sys.implementation._mpy & 0xff, 6 for MicroPython 1.19 and later):

    index.json                          for people and web pages (mip never reads it):
        {"v": 2, "updated": <unix s>, "packages": [{"name", "version", "description",
         "author", "license", "versions": {"6": [...], "py": [...]}, "path"}, ...]}
    package/<mpy>/<name>/<version>.json  .mpy files of one version, never changed once built:
        {"v": 1, "version": "...", "hashes": [[target path, short hash], ...],
         "deps": [[name, version], ...]}
    package/<mpy>/<name>/latest.json     a copy of the newest version's JSON
    package/py/<name>/...               the same with plain .py sources (mip.install(mpy=False))
    file/<h[:2]>/<h>                     each file's bytes; h = first 8 hex digits of sha256

mip fetches package/<mpy>/<name>/<version or latest>.json, then file/<h[:2]>/<h> for each
entry unless a file with that hash is already at the target path, then each dependency from
the same index. A `__version__` line is appended to each shipped module unless it defines one.

Updating an existing index keeps every earlier version. Rebuilding a version that is already
in the index must give the same files: a changed file under an unchanged version is refused
(bump the version in the package's manifest.py). Two different files with the same short hash
stop the build. The new index is built beside the old one and swapped in only when complete,
so a failed build leaves the old index as it was. Output is deterministic: the `updated`
stamp is $SOURCE_DATE_EPOCH, else the time of the last git commit.
"""

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from devtools import ToolError, need_tool  # noqa: E402
from manifest import ROOT, ManifestError, discover, micropython_lib_packages  # noqa: E402

MPY_VERSION = "6"  # sys.implementation._mpy & 0xff of the firmware mpy-cross targets
SHORT_HASH_LEN = 8
# Where package.json dependencies point: the repository as mip's `github:` scheme names it.
GITHUB = "github:micropython-async/micropython-async"


class BuildError(Exception):
    pass


def _dumps(obj):
    return json.dumps(obj, separators=(",", ":"), sort_keys=False) + "\n"


def tagged_source(file, version):
    """The bytes shipped for a .py file: its source plus a __version__ line."""
    with open(file.full_path, "rb") as f:
        data = f.read()
    if version and b"__version__ =" not in data:
        data += b"\n\n__version__ = %s\n" % repr(version).encode()
    return data


def find_mpy_cross(explicit=None):
    """mpy-cross: --mpy-cross, else $MPY_CROSS, else beside this Python, in .venv, on PATH."""
    try:
        return need_tool("mpy-cross", explicit)
    except ToolError as e:
        raise BuildError(str(e)) from None


def compile_mpy(mpy_cross, source, target_path, opt=None, source_path=None):
    """Cross-compile `source` bytes to .mpy, naming the source `target_path` in tracebacks.
    A compile error is reported against `source_path` (the file in the repository) and its
    line, not against the temporary copy that mpy-cross was given."""
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "src.py")
        out = os.path.join(tmp, "out.mpy")
        with open(src, "wb") as f:
            f.write(source)
        cmd = [mpy_cross, "-o", out, "-s", target_path]
        if opt is not None:
            cmd.append("-O%d" % opt)
        proc = subprocess.run(cmd + [src], capture_output=True, text=True)
        if proc.returncode:
            raise BuildError(_compile_error(proc.stdout + proc.stderr, source_path or target_path))
        with open(out, "rb") as f:
            return f.read()


def _compile_error(output, source_path):
    """One line from mpy-cross's complaint: `<repository path>:<line>: <error>`."""
    where = _rel(source_path)
    line = None
    message = ""
    for text in output.strip().splitlines():
        text = text.strip()
        if text.startswith("File ") and ", line " in text:
            number = text.rsplit(", line ", 1)[1].split(",")[0]
            line = number if number.isdigit() else line
        elif text and not text.startswith("Traceback"):
            message = text
    if line:
        where += ":" + line
    return "%s: %s" % (where, message or "mpy-cross failed")


def _rel(path):
    rel = os.path.relpath(path, ROOT) if os.path.isabs(path) else path
    return path if rel.startswith("..") else rel


class Index:
    """An index directory being built: files by short hash, package JSON by path."""

    def __init__(self, path):
        self.path = path
        self.short_hashes = {}  # short hash -> full sha256, for collision checks

    def add_file(self, data):
        full = hashlib.sha256(data).hexdigest()
        short = full[:SHORT_HASH_LEN]
        known = self.short_hashes.get(short)
        dest = os.path.join(self.path, "file", short[:2], short)
        if known is None and os.path.exists(dest):
            with open(dest, "rb") as f:
                known = hashlib.sha256(f.read()).hexdigest()
            if not known.startswith(short):
                # A file whose bytes no longer match its name: boards would reject it (mip
                # checks the hash of what is installed), so refuse to build on top of it.
                raise BuildError(
                    "corrupt file in the existing index: %s does not hash to its name"
                    % os.path.relpath(dest, self.path)
                )
        if known is not None and known != full:
            raise BuildError(
                "short hash collision: %s is both %s and %s; lengthen SHORT_HASH_LEN"
                % (short, known, full)
            )
        self.short_hashes[short] = full
        if not os.path.exists(dest):
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            with open(dest, "wb") as f:
                f.write(data)
        return short

    def write_version(self, variant, package, text):
        """Write package/<variant>/<name>/<version>.json unless that version is published.
        A new version must be higher than every version already published, so that
        `latest` never goes back."""
        folder = os.path.join(self.path, "package", variant, package.name)
        dest = os.path.join(folder, package.version + ".json")
        published = self.versions(variant, package.name) if os.path.isdir(folder) else []
        newest = published[-1] if published else None
        if (
            not os.path.exists(dest)
            and newest
            and version_key(newest) >= version_key(package.version)
        ):
            raise BuildError(
                "package %s version %s is not higher than %s, already published in this "
                "index: give %s a higher version"
                % (package.name, package.version, newest, _rel(package.manifest_path))
            )
        if os.path.exists(dest):
            with open(dest) as f:
                if f.read() != text:
                    raise BuildError(
                        "package %s version %s is already published in this index with other "
                        "files: bump the version in %s"
                        % (
                            package.name,
                            package.version,
                            os.path.relpath(package.manifest_path, ROOT),
                        )
                    )
        os.makedirs(folder, exist_ok=True)
        with open(dest, "w") as f:
            f.write(text)
        # An older version rebuilt unchanged (from an older checkout) stays where it is.
        if newest is None or version_key(package.version) >= version_key(newest):
            with open(os.path.join(folder, "latest.json"), "w") as f:
                f.write(text)

    def versions(self, variant, name):
        folder = os.path.join(self.path, "package", variant, name)
        found = [n[:-5] for n in os.listdir(folder) if n.endswith(".json") and n != "latest.json"]
        return sorted(found, key=version_key)


# Versions: X.Y.Z (any number of dotted parts), optionally followed by aN, bN or rcN for a
# pre-release, the PEP 440 subset that both mip's index and PyPI take the same way.
_VERSION = re.compile(r"^(\d+(?:\.\d+)*)(?:(a|b|rc)(\d+))?$")
_PRE_RANK = {"a": 0, "b": 1, "rc": 2, None: 3}  # a final release sorts after its pre-releases


def parse_version(version):
    """A sortable key for a version string; BuildError if it is not a version."""
    m = _VERSION.match(version) if isinstance(version, str) else None
    if not m:
        raise BuildError(
            "version %r is not a version: use X.Y.Z, optionally followed by aN, bN or rcN"
            % (version,)
        )
    release = [int(n) for n in m.group(1).split(".")]
    while len(release) > 1 and release[-1] == 0:  # 1.0 and 1.0.0 are the same version
        release.pop()
    return (tuple(release), _PRE_RANK[m.group(2)], int(m.group(3) or 0))


def version_key(version):
    """Sort key for versions found in an index; one that does not parse sorts first."""
    try:
        return (1,) + parse_version(version)
    except BuildError:
        return (0, (), 0, 0)


def check_version(package):
    """The package's version must parse: BuildError naming its manifest if not."""
    try:
        parse_version(package.version)
    except BuildError as e:
        raise BuildError("%s: %s" % (_rel(package.manifest_path), e)) from None


def source_date_epoch():
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return int(os.environ["SOURCE_DATE_EPOCH"])
    proc = subprocess.run(
        ["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True
    )
    return int(proc.stdout.strip()) if proc.returncode == 0 and proc.stdout.strip() else 0


def build_package(index, package, mpy_cross):
    # Dependencies follow the newest version, as in micropython-lib: fixes in a dependency
    # reach every dependent package without a cascade of version bumps.
    deps = [[dep, "latest"] for dep in package.deps]
    for variant in (MPY_VERSION, "py"):
        hashes = []
        for file in package.files:
            data = tagged_source(file, package.version)
            target = file.target_path
            if variant != "py":
                data = compile_mpy(mpy_cross, data, target, file.opt, file.full_path)
                target = target[:-3] + ".mpy"
            hashes.append([target, index.add_file(data)])
        doc = {"v": 1, "version": package.version, "hashes": hashes, "deps": deps}
        index.write_version(variant, package, _dumps(doc))


def micropython_lib_dir(explicit=None):
    """A checkout of micropython-lib: --micropython-lib, else $MPY_LIB_DIR, else None."""
    path = explicit or os.environ.get("MPY_LIB_DIR") or None
    if path and not os.path.isdir(os.path.join(path, "micropython")):
        raise BuildError("%s is not a checkout of micropython-lib (no micropython/ in it)" % path)
    return path


def build_index(output, mpy_cross=None, root=ROOT, log=print, micropython_lib=None):
    """Build (or update) the index at `output`; returns the packages of this repository.

    A package may require() a micropython-lib package (aioble, say): given a checkout of
    micropython-lib, that package and what it requires are built into this index too, from
    the checkout, so mip installs everything from this one index (mip fetches dependencies
    from the index it installs from)."""
    micropython_lib = micropython_lib_dir(micropython_lib)
    packages = discover(root, micropython_lib=micropython_lib)
    borrowed = micropython_lib_packages(packages, micropython_lib) if micropython_lib else {}
    for package in list(packages.values()) + list(borrowed.values()):
        check_version(package)
    output = check_output_dir(output)
    mpy_cross = find_mpy_cross(mpy_cross)
    parent = os.path.dirname(output)
    work = tempfile.mkdtemp(prefix=".index-", dir=parent)
    try:
        staged = os.path.join(work, "index")
        if os.path.isdir(output):
            shutil.copytree(output, staged)
        else:
            os.makedirs(staged)
        index = Index(staged)
        entries = []
        everything = dict(packages)
        everything.update(borrowed)
        for name, package in sorted(everything.items()):
            build_package(index, package, mpy_cross)
            meta = package.metadata
            if name in borrowed:
                path = "micropython-lib:" + os.path.relpath(package.path, micropython_lib)
            else:
                path = os.path.relpath(package.path, root)
            entries.append(
                {
                    "name": name,
                    "version": index.versions(MPY_VERSION, name)[-1],  # what latest is
                    "description": meta.description or "",
                    "author": meta.author or "",
                    "license": meta.license or "",
                    "versions": {v: index.versions(v, name) for v in (MPY_VERSION, "py")},
                    "path": path.replace(os.sep, "/"),
                }
            )
            log("built %s %s (%d files)" % (name, package.version, len(package.files)))
        # Packages that were published earlier but no longer exist stay installable.
        listed = {e["name"] for e in entries}
        old = _read_json(os.path.join(staged, "index.json"))
        for entry in (old or {}).get("packages", []):
            if entry["name"] not in listed:
                entries.append(entry)
        entries.sort(key=lambda e: e["name"])
        doc = {"v": 2, "updated": source_date_epoch(), "packages": entries}
        with open(os.path.join(staged, "index.json"), "w") as f:
            f.write(json.dumps(doc, indent=1, sort_keys=True) + "\n")
        # Swap the finished index in; the old one goes only after the new one is in place.
        if os.path.isdir(output):
            retired = os.path.join(work, "old")
            os.rename(output, retired)
        os.rename(staged, output)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return packages


def check_output_dir(output):
    """The absolute path of an index directory to build or update, or one clear BuildError:
    not an existing file, and its parent directory can be made and written."""
    output = os.path.abspath(output)
    if os.path.exists(output) and not os.path.isdir(output):
        raise BuildError("--output %s is a file, not a directory" % output)
    parent = os.path.dirname(output)
    try:
        os.makedirs(parent, exist_ok=True)
    except OSError as e:
        raise BuildError(
            "--output %s: cannot make %s (%s)" % (output, parent, e.strerror)
        ) from None
    if not os.access(parent, os.W_OK | os.X_OK):
        raise BuildError("--output %s: %s is not writable" % (output, parent))
    return output


def index_stats(output):
    """What a board downloads per package (its files and its dependencies', compiled) and
    the index's total size: lines of text."""
    total = 0
    for dirpath, _, filenames in os.walk(output):
        total += sum(os.path.getsize(os.path.join(dirpath, n)) for n in filenames)
    lines = ["index %s: %d bytes" % (output, total)]
    names = sorted(os.listdir(os.path.join(output, "package", MPY_VERSION)))
    for name in names:
        for variant in (MPY_VERSION, "py"):
            count, size, seen, todo = 0, 0, set(), [name]
            while todo:
                dep = todo.pop()
                if dep in seen:
                    continue
                seen.add(dep)
                doc = _read_json(os.path.join(output, "package", variant, dep, "latest.json"))
                size += len(_dumps(doc))
                for _, short in doc["hashes"]:
                    count += 1
                    size += os.path.getsize(os.path.join(output, "file", short[:2], short))
                todo += [d for d, _ in doc["deps"]]
            lines.append(
                "%-20s %-3s %2d files %7d bytes (with %s)"
                % (name, variant, count, size, ", ".join(sorted(seen - {name})) or "no deps")
            )
    return lines


def _read_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


# -- package.json: installing straight from the repository ---------------------------------


def package_json(package, packages, root=ROOT):
    """The package.json mip reads for `mip.install("github:.../<package dir>")`.

    File URLs are full `github:` URLs: mip resolves relative ones only from its 0.4.0 on
    (frozen in MicroPython 1.25), and every release from 1.20 on must install this way.
    Dependencies name the other package's directory in the repository.
    """
    urls = []
    for file in package.files:
        rel = os.path.relpath(file.full_path, root).replace(os.sep, "/")
        urls.append([file.target_path, GITHUB + "/" + rel])
    deps = []
    for dep in package.deps:
        if dep in package.external_deps:
            # micropython-lib's: by name, which mip looks up in its default index,
            # micropython-lib's own, when installing from a github: URL.
            deps.append([dep, "latest"])
            continue
        dep_path = os.path.relpath(packages[dep].path, root).replace(os.sep, "/")
        deps.append([GITHUB + "/" + dep_path, "HEAD"])
    doc = {"urls": urls, "deps": deps, "version": package.version}
    return json.dumps(doc, indent=2) + "\n"


def write_package_jsons(check=False, root=ROOT, log=print, micropython_lib=None):
    """Write every package.json; with check=True only report those out of date."""
    packages = discover(root, micropython_lib=micropython_lib_dir(micropython_lib))
    stale = []
    for package in packages.values():
        check_version(package)
        path = os.path.join(package.path, "package.json")
        text = package_json(package, packages, root)
        current = None
        if os.path.exists(path):
            with open(path) as f:
                current = f.read()
        if current != text:
            stale.append(os.path.relpath(path, root))
            if not check:
                with open(path, "w") as f:
                    f.write(text)
    for path in stale:
        log(("out of date: " if check else "wrote ") + path)
    return stale


# -- the package table in README.md ---------------------------------------------------------

TABLE_START = "<!-- packages: made by tools/build.py --readme -->"
TABLE_END = "<!-- /packages -->"


def mpy_size(package, mpy_cross):
    """Bytes of .mpy a board stores for the package's own files."""
    total = 0
    for file in package.files:
        data = tagged_source(file, package.version)
        total += len(compile_mpy(mpy_cross, data, file.target_path, source_path=file.full_path))
    return total


def tested_on_cpython(package, root=ROOT):
    """Where the package's portable tests run on CPython: "yes" (its own asyncio), "with
    fast_io" (only under fast_io there), or "no". They live in tests/portable/<package name>/
    or tests/portable/<module name>/."""
    names = {package.name} | set(_modules(package))
    found = set()
    for name in sorted(names):
        folder = os.path.join(root, "tests", "portable", name)
        if not os.path.isdir(folder):
            continue
        for script in sorted(os.listdir(folder)):
            if not script.endswith(".py"):
                continue
            with open(os.path.join(folder, script)) as f:
                runtimes = "cpy-asyncio cpy-fast_io"  # no `# runtimes:` line: every runtime
                for line in f:
                    if line.startswith("# runtimes:"):
                        runtimes = line
            found.update(r for r in ("cpy-asyncio", "cpy-fast_io") if r in runtimes)
    if "cpy-asyncio" in found:
        return "yes"
    return "with fast_io" if found else "no"


def _modules(package):
    """The top-level modules and packages a package installs."""
    return sorted({f.target_path.split("/")[0].rsplit(".py", 1)[0] for f in package.files})


OLDEST_LINE = "Oldest MicroPython supported:"
_OLDEST = re.compile(r"^Oldest MicroPython supported: (\d+)\.(\d+)(?: \((.+?)\))?\.?$")
_WITH_FAST_IO = re.compile(r"\b(\d+)\.(\d+) with fast_io\b")


class Oldest:
    """A package's oldest supported MicroPython, from its README."""

    def __init__(self, version, reason, fast_io=None):
        self.version = version  # (1, 21)
        self.reason = reason  # the text in parentheses
        self.fast_io = fast_io  # (1, 20) when fast_io lets an older release run it, or None

    def __str__(self):
        text = "%d.%d" % self.version
        if self.fast_io:
            text += " (%d.%d with fast_io)" % self.fast_io
        return text


def oldest_micropython(package_path):
    """The line `Oldest MicroPython supported: 1.NN (reason)` of the package's README as an
    Oldest, or None when there is none. A reason naming `1.MM with fast_io` records that the
    package also runs on 1.MM once fast_io is installed."""
    readme = os.path.join(package_path, "README.md")
    if not os.path.isfile(readme):
        return None
    with open(readme) as f:
        lines = f.read().split("\n")
    for i, line in enumerate(lines):
        if line.startswith(OLDEST_LINE):
            # The sentence may wrap: it runs to the end of its paragraph.
            j = i + 1
            while j < len(lines) and lines[j].strip():
                j += 1
            sentence = " ".join(part.strip() for part in lines[i:j])
            m = _OLDEST.match(sentence)
            if not m:
                raise BuildError(
                    "%s: write the line as `%s 1.NN (reason)`" % (_rel(readme), OLDEST_LINE)
                )
            reason = m.group(3) or ""
            f_io = _WITH_FAST_IO.search(reason)
            return Oldest(
                (int(m.group(1)), int(m.group(2))),
                reason,
                (int(f_io.group(1)), int(f_io.group(2))) if f_io else None,
            )
    return None


def package_table(packages, mpy_cross, root=ROOT):
    rows = [
        "| package | import | what it does | .mpy bytes | oldest MicroPython | CPython |",
        "|---|---|---|---:|:-:|:-:|",
    ]
    for name, package in packages.items():
        modules = _modules(package)
        cpython = tested_on_cpython(package, root)
        if package.metadata.pypi_publish:
            cpython += " (PyPI: `%s`)" % package.metadata.pypi_publish
        rel = os.path.relpath(package.path, root).replace(os.sep, "/")
        rows.append(
            "| [%s](%s) %s | `%s` | %s | %d | %s | %s |"
            % (
                name,
                rel,
                package.version,
                "`, `".join(m for m in modules if not m.startswith("_")),
                package.metadata.description or "",
                mpy_size(package, mpy_cross),
                oldest_micropython(package.path) or "?",
                cpython,
            )
        )
    return "\n".join(rows)


def update_readme(check=False, mpy_cross=None, root=ROOT):
    """Rewrite the package table in README.md; returns True if it was out of date."""
    path = os.path.join(root, "README.md")
    with open(path) as f:
        text = f.read()
    head, sep, rest = text.partition(TABLE_START)
    if not sep or TABLE_END not in rest:
        raise BuildError("README.md has no package table markers")
    tail = rest.split(TABLE_END, 1)[1]
    table = package_table(discover(root), find_mpy_cross(mpy_cross), root)
    new = head + TABLE_START + "\n" + table + "\n" + TABLE_END + tail
    if new != text and not check:
        with open(path, "w") as f:
            f.write(new)
    return new != text


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", help="index directory to build or update")
    parser.add_argument("--mpy-cross", help="path to mpy-cross (default: from PATH)")
    parser.add_argument("--package-json", action="store_true", help="write package.json files")
    parser.add_argument("--check", action="store_true", help="with --package-json: only check")
    parser.add_argument("--stats", action="store_true", help="print download sizes per package")
    parser.add_argument("--readme", action="store_true", help="rewrite README's package table")
    parser.add_argument("--root", default=ROOT, help="repository to build (default: this one)")
    parser.add_argument(
        "--micropython-lib",
        help="a checkout of micropython-lib, for packages that require one of its packages "
        "(default: $MPY_LIB_DIR)",
    )
    args = parser.parse_args(argv)
    if not (args.output or args.package_json or args.readme):
        parser.error("give --output DIR, --package-json or --readme")
    try:
        if args.package_json:
            stale = write_package_jsons(
                check=args.check, root=args.root, micropython_lib=args.micropython_lib
            )
            if args.check and stale:
                print("run: python tools/build.py --package-json", file=sys.stderr)
                return 1
        if args.readme and update_readme(args.check, args.mpy_cross, args.root):
            print("%s README.md's package table" % ("out of date:" if args.check else "updated"))
            if args.check:
                return 1
        if args.output:
            build_index(
                args.output, args.mpy_cross, root=args.root, micropython_lib=args.micropython_lib
            )
            if args.stats:
                print("\n".join(index_stats(args.output)))
    except (ManifestError, BuildError) as e:
        print("build: error: %s" % e, file=sys.stderr)
        return 1
    except OSError as e:  # the disk refused: one line, not a traceback
        print("build: error: %s: %s" % (e.filename or args.output, e.strerror), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
