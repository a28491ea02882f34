"""Evaluate manifest.py files the way MicroPython's manifest tool does, and find packages.

A manifest is Python run with a few injected functions. The rules followed here are those of
MicroPython's `tools/manifestfile.py` (see docs/DESIGN.md), so a manifest that passes here also
passes there:

- Globals: metadata, include, require, add_library, package, module, options, and in freeze
  mode the legacy freeze, freeze_as_str, freeze_as_mpy, freeze_mpy.
- While a manifest runs, the working directory is its own directory: relative paths resolve
  against it.
- metadata() is called once per manifest; in compile mode it must come before anything else.
  include() shares the including manifest's metadata, require() gives the required manifest
  its own.
- require("name") searches each library directory, in registration order, for
  `<dir>/**/name/manifest.py`; the default libraries are `micropython`, `python-stdlib` and
  `python-ecosys` under the library root. add_library(name, path) registers another one, also
  selectable with require("name", library=name).
- A manifest already evaluated is not evaluated again.

Stricter than MicroPython's tool, because a package in an index needs them: a package manifest
must call metadata() with a version, a require() that cannot be found and a listed file that
does not exist are errors at once, and a require() cycle is reported instead of being skipped.
Every error is a ManifestError naming the manifest and the problem.
"""

import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BASE_LIBRARIES = ("micropython", "python-stdlib", "python-ecosys")
# Where packages of this repository live; `drivers` is found only through add_library().
PACKAGE_LIBRARIES = ("micropython", "python-ecosys", "drivers")

MODE_COMPILE = "compile"
MODE_FREEZE = "freeze"


class ManifestError(Exception):
    pass


class Metadata:
    """What metadata() recorded for one package (one require level)."""

    FIELDS = ("description", "version", "license", "author", "pypi", "pypi_publish", "stdlib")

    def __init__(self, manifest):
        self.manifest = manifest  # the manifest.py this metadata belongs to
        self.initialised = False
        for name in self.FIELDS:
            setattr(self, name, None)

    def update(self, **kwargs):
        if self.initialised:
            raise ManifestError("duplicate call to metadata()")
        unknown = set(kwargs) - set(self.FIELDS)
        if unknown:
            raise ManifestError(
                "metadata() got unknown arguments: %s" % ", ".join(sorted(unknown))
            )
        for name, value in kwargs.items():
            setattr(self, name, value)
        self.initialised = True


class File:
    """One file a manifest ships: where it is and where it goes on the device."""

    def __init__(self, full_path, target_path, metadata, opt=None):
        self.full_path = full_path
        self.target_path = target_path.replace(os.sep, "/")
        self.metadata = metadata
        self.opt = opt

    def __repr__(self):
        return "File(%r -> %r)" % (self.full_path, self.target_path)


class Options:
    """The `options` global: keyword arguments of include()/require(), with defaults."""

    def __init__(self, **kwargs):
        self._kwargs = kwargs
        self._defaults = {}

    def defaults(self, **kwargs):
        self._defaults = kwargs

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return self._kwargs.get(name, self._defaults.get(name))


class Manifest:
    """One evaluation: run a top-level manifest and everything it pulls in."""

    def __init__(self, mode=MODE_COMPILE, lib_root=ROOT, libraries=BASE_LIBRARIES, root=None):
        self.mode = mode
        self.root = root or lib_root or ROOT  # paths in messages are relative to this
        self.files = []
        self.requires = []  # (requiring manifest, required manifest) edges, in order
        self._visited = set()
        self.level_of = {}  # manifest path -> the Metadata it was evaluated under
        self._stack = []  # manifests being evaluated, outermost first
        self._metadata = [Metadata(None)]
        self._libraries = {}
        self._library_dirs = []
        if lib_root:
            for name in libraries:
                self.add_library(name, os.path.join(lib_root, name))

    # -- the API a manifest sees ------------------------------------------------------------

    def _globals(self, kwargs):
        g = {
            "metadata": self.metadata,
            "include": self.include,
            "require": self.require,
            "add_library": self.add_library,
            "package": self.package,
            "module": self.module,
            "options": Options(**kwargs),
        }
        if self.mode == MODE_FREEZE:
            g.update(
                freeze=self.freeze,
                freeze_as_str=self.freeze,
                freeze_as_mpy=self.freeze,
                freeze_mpy=self.freeze,
            )
        return g

    def metadata(self, **kwargs):
        if kwargs:
            self._metadata[-1].update(**kwargs)
        return self._metadata[-1]

    def _check_metadata_first(self):
        if self.mode == MODE_COMPILE and not self._metadata[-1].initialised:
            raise ManifestError("metadata() must be the first command in a manifest file")

    def include(self, manifest_path, is_require=False, **kwargs):
        if is_require:
            self._check_metadata_first()
        if not isinstance(manifest_path, str):
            for path in manifest_path:
                self.include(path, **kwargs)
            return
        path = os.path.abspath(manifest_path)
        if os.path.isdir(path):
            path = os.path.join(path, "manifest.py")
        if path in self._stack:
            chain = self._stack[self._stack.index(path) :] + [path]
            raise ManifestError("dependency cycle: " + " -> ".join(self._rel(p) for p in chain))
        if path in self._visited:
            return
        if not os.path.isfile(path):
            raise ManifestError("no manifest at %s" % self._rel(path))
        self._visited.add(path)
        if is_require:
            self._metadata.append(Metadata(path))
        self.level_of[path] = self._metadata[-1]
        self._stack.append(path)
        previous_cwd = os.getcwd()
        try:
            with open(path) as f:
                source = f.read()
            os.chdir(os.path.dirname(path))
            code = compile(source, path, "exec")
            exec(code, self._globals(kwargs))
        except ManifestError as e:
            # Name the innermost manifest once; outer manifests pass the message on unchanged.
            if str(e).startswith("manifest "):
                raise
            raise ManifestError("manifest %s: %s" % (self._rel(path), e)) from None
        except SyntaxError as e:
            raise ManifestError(
                "manifest %s: syntax error at line %s: %s" % (self._rel(path), e.lineno, e.msg)
            ) from None
        except Exception as e:
            raise ManifestError(
                "manifest %s: %s: %s" % (self._rel(path), type(e).__name__, e)
            ) from e
        finally:
            os.chdir(previous_cwd)
            self._stack.pop()
        if is_require:
            self._metadata.pop()

    def require(self, name, version=None, pypi=None, library=None, **kwargs):
        self._check_metadata_first()
        if library is not None:
            if library not in self._libraries:
                raise ManifestError("unknown library %r for require(%r)" % (library, name))
            dirs = [self._libraries[library]]
        else:
            dirs = self._library_dirs
        for lib_dir in dirs:
            found = find_package(lib_dir, name)
            if found:
                if self._stack:
                    self.requires.append((self._stack[-1], os.path.join(found, "manifest.py")))
                self.include(found, is_require=True, **kwargs)
                return
        where = "library %r" % library if library else "any known library"
        raise ManifestError(
            "package %r not found in %s (a micropython-lib package? give a checkout of "
            "micropython-lib with --micropython-lib DIR or MPY_LIB_DIR)" % (name, where)
        )

    def add_library(self, library, library_path, prepend=False):
        path = os.path.abspath(library_path)
        self._libraries[library] = path
        self._library_dirs.insert(0 if prepend else len(self._library_dirs), path)

    def module(self, module_path, base_path=".", opt=None):
        self._check_metadata_first()
        if os.path.splitext(module_path)[1].lower() != ".py":
            raise ManifestError("module must be .py file: %r" % module_path)
        self._add(os.path.join(os.path.abspath(base_path), module_path), module_path, opt)

    def package(self, package_path, files=None, base_path=".", opt=None):
        self._check_metadata_first()
        base = os.path.abspath(base_path)
        if files is not None:
            for name in files:
                target = os.path.join(package_path, name)
                self._add(os.path.join(base, target), target, opt)
            return
        top = os.path.join(base, package_path)
        if not os.path.isdir(top):
            raise ManifestError("package directory does not exist: %s" % self._rel(top))
        for dirpath, dirnames, filenames in os.walk(top, followlinks=True):
            dirnames.sort()  # MicroPython's tool walks in directory order; sorting is stable
            for name in sorted(filenames):
                if name.endswith(".py"):
                    full = os.path.join(dirpath, name)
                    self._add(full, os.path.relpath(full, base), opt)

    def freeze(self, path, script=None, opt=None):
        """Legacy freeze-mode entry: freeze `script` (a file, list or directory) under path."""
        base = os.path.abspath(path)
        if script is None or (
            isinstance(script, str) and os.path.isdir(os.path.join(base, script))
        ):
            start = os.path.join(base, script or "")
            for dirpath, dirnames, filenames in os.walk(start):
                dirnames.sort()
                for name in sorted(filenames):
                    if name.endswith((".py", ".mpy")):
                        full = os.path.join(dirpath, name)
                        self._add(full, os.path.relpath(full, base), opt)
        else:
            for name in [script] if isinstance(script, str) else script:
                self._add(os.path.join(base, name), name, opt)

    def _add(self, full_path, target_path, opt):
        if not os.path.isfile(full_path):
            raise ManifestError("listed file does not exist: %s" % self._rel(full_path))
        self.files.append(File(full_path, target_path, self._metadata[-1], opt))

    def _rel(self, path):
        return _rel(path, self.root)

    # -- running -------------------------------------------------------------------------

    def execute(self, manifest_path, as_package=True, **options):
        """Evaluate a top-level manifest. As a package it gets its own metadata, which must
        give a version. `options` are what the manifest reads as `options.<name>` (as if
        passed to include()); tools/pypi.py passes cpython=True."""
        path = os.path.abspath(manifest_path)
        if as_package:
            self._metadata = [Metadata(path)]
            self.include(path, **options)
            meta = self._metadata[0]
            if not meta.initialised:
                raise ManifestError("manifest %s: metadata() is never called" % self._rel(path))
            if not meta.version:
                raise ManifestError("manifest %s: metadata() gives no version" % self._rel(path))
        else:
            self.include(path, **options)
        return self


def _rel(path, root=ROOT):
    try:
        rel = os.path.relpath(path, root)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


def find_package(lib_dir, name):
    """The directory `<lib_dir>/**/<name>` holding manifest.py, or None (a top-down walk,
    as MicroPython's tool does)."""
    for dirpath, dirnames, filenames in os.walk(lib_dir):
        dirnames.sort()
        if os.path.basename(dirpath) == name and "manifest.py" in filenames:
            return dirpath
    return None


class Package:
    """A package of this repository: its manifest evaluated in compile mode.

    With cpython=True the manifest sees `options.cpython` true and may add the modules that
    only CPython needs (they go into the wheel); boards, through mip or freezing, get what the
    manifest ships without it, as MicroPython's own tool evaluates it."""

    def __init__(self, path, root=ROOT, cpython=False, micropython_lib=None):
        self.path = path  # the package directory
        self.name = os.path.basename(path)
        self.manifest_path = os.path.join(path, "manifest.py")
        options = {"cpython": True} if cpython else {}
        m = Manifest(MODE_COMPILE, lib_root=root)
        if micropython_lib:
            # After our own libraries, as in a firmware build where micropython-lib is the
            # library root: `require("aioble")` finds micropython-lib's package.
            for lib in BASE_LIBRARIES:
                folder = os.path.join(micropython_lib, lib)
                if os.path.isdir(folder):
                    m.add_library("micropython-lib/" + lib, folder)
        m.execute(self.manifest_path, **options)
        self.metadata = m._metadata[0]
        self.version = self.metadata.version
        # Own files are those evaluated under this package's metadata (include()d manifests
        # share it); files of required packages belong to those packages.
        self.files = [f for f in m.files if f.metadata is self.metadata]
        # Direct dependencies: require()s made by this package's own manifests.
        self.dep_dirs = {}  # name -> package directory, in require() order
        for src, dep in m.requires:
            if m.level_of[src] is self.metadata:
                self.dep_dirs.setdefault(
                    os.path.basename(os.path.dirname(dep)), os.path.dirname(dep)
                )
        self.deps = list(self.dep_dirs)
        # Dependencies that are not packages of this repository (micropython-lib's).
        inside = os.path.abspath(root) + os.sep
        self.external_deps = [
            n
            for n, d in self.dep_dirs.items()
            if not (os.path.abspath(d) + os.sep).startswith(inside)
        ]
        self.all_files = m.files

    def __repr__(self):
        return "Package(%s %s)" % (self.name, self.version)


def discover(root=ROOT, cpython=False, micropython_lib=None):
    """Every package of the repository, by name (unique), in name order (cpython and
    micropython_lib: see Package)."""
    found = {}
    for lib in PACKAGE_LIBRARIES:
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, lib)):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "__")))
            if "manifest.py" in filenames:
                name = os.path.basename(dirpath)
                if name in found:
                    raise ManifestError(
                        "package name %r is used twice: %s and %s"
                        % (name, _rel(found[name], root), _rel(dirpath, root))
                    )
                found[name] = dirpath
    return {name: Package(found[name], root, cpython, micropython_lib) for name in sorted(found)}


def micropython_lib_packages(packages, micropython_lib):
    """The micropython-lib packages that `packages` require, with everything they require in
    turn, by name: each evaluated in micropython-lib as its own package."""
    found = {}
    todo = [(n, p.dep_dirs[n]) for p in packages.values() for n in p.external_deps]
    while todo:
        name, path = todo.pop(0)
        if name in found:
            continue
        if name in packages:
            raise ManifestError(
                "package name %r is both ours and micropython-lib's (%s)" % (name, path)
            )
        found[name] = Package(path, micropython_lib, micropython_lib=micropython_lib)
        todo += list(found[name].dep_dirs.items())
    return dict(sorted(found.items()))
