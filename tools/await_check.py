#!/usr/bin/env python3
"""Find calls of coroutine functions whose coroutine is thrown away.

    python3 tools/await_check.py FILE_OR_DIR...

Calling an `async def` function only makes a coroutine; nothing runs until it is awaited or
handed to the scheduler. A call whose result is dropped (a statement on its own, such as
`self.refresh()` where `refresh` is `async def`) is almost always a forgotten `await`. This
checker reads the source with `ast` (it never imports it) and reports such calls as

    file:line: function: call of coroutine function NAME is never awaited

A call counts as a coroutine function's when the name it calls is known to be `async def`:

- a function of the same module (a module-level `async def`, or one nested in the calling
  function or around it);
- a method called through the method's own receiver (`self.name()`), defined `async def` in
  the class or in a base class the checker can see (same module or imported from the tree);
- a name imported from a module in the scanned tree (`from app.io import fetch`,
  `import app.io` then `app.io.fetch()`, relative imports included), and a few asyncio
  functions (`asyncio.sleep`, `sleep_ms`, `wait_for`, `wait_for_ms`, `open_connection`,
  `start_server` of asyncio, uasyncio and fast_io).

A call is fine when its result is used in any way: awaited, passed to any call
(`create_task`, `gather`, `run`, your own function), stored, returned, yielded. When in doubt
(a name bound twice, a decorator other than staticmethod/classmethod, a base class it cannot
see, an attribute assigned on the instance) the checker says nothing: it aims at no false
alarms rather than at catching everything.

Directories are searched for `*.py` files (hidden directories and `__pycache__` skipped);
a Markdown file given by name has its ```python blocks checked (blocks that are not valid
Python are skipped). To keep a call on purpose, end its line with the comment

    # await_check: ignore

Exit status: 0 nothing found, 1 findings printed, 2 usage error or a file that cannot be read
or parsed (the message says which). Runs on CPython 3.8 or later.
"""

import ast
import os
import sys

SUPPRESS = "await_check: ignore"
USAGE = "usage: python3 tools/await_check.py FILE_OR_DIR..."

# Functions of the schedulers (outside the scanned tree) that are coroutine functions or
# return something that does nothing until awaited.
KNOWN = {
    mod + "." + name
    for mod in ("asyncio", "uasyncio", "fast_io")
    for name in ("sleep", "sleep_ms", "wait_for", "wait_for_ms", "open_connection", "start_server")
}

_PLAIN_DECORATORS = ("staticmethod", "classmethod")


class UsageError(Exception):
    pass


# -- reading the tree ---------------------------------------------------------------------------


def _md_blocks(text):
    """Python fenced blocks of a Markdown text: [(first line number, source)]."""
    lines = text.split("\n")
    blocks, i = [], 0
    while i < len(lines):
        words = lines[i].strip().split()
        if words and words[0] == "```python":
            j = i + 1
            while j < len(lines) and lines[j].strip() != "```":
                j += 1
            blocks.append((i + 2, "\n".join(lines[i + 1 : j]) + "\n"))
            i = j
        i += 1
    return blocks


class Source:
    """One parsed unit: a .py file, or one Python block of a Markdown file."""

    def __init__(self, path, text, tree, first_line=1, module_names=()):
        self.path = path
        self.lines = text.split("\n")
        self.tree = tree
        self.offset = first_line - 1
        self.module_names = module_names  # dotted names it can be imported as
        self.directory = os.path.dirname(os.path.abspath(path))
        self.is_package = os.path.basename(path) == "__init__.py"

    def suppressed(self, line):
        i = line - 1
        return 0 <= i < len(self.lines) and SUPPRESS in self.lines[i]


def _module_names(path, root):
    """Every dotted name a file under `root` could be imported as (each suffix of its path)."""
    rel = os.path.relpath(os.path.abspath(path), root)
    parts = rel[:-3].split(os.sep)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    if any(p in ("", ".", "..") or not p.isidentifier() for p in parts):
        return ()
    return tuple(".".join(parts[i:]) for i in range(len(parts)))


def _parse(path, text, first_line=1):
    try:
        return ast.parse(text, filename=path)
    except SyntaxError as e:
        line = (e.lineno or 1) + first_line - 1
        raise UsageError("%s:%d: cannot parse: %s" % (path, line, e.msg)) from None
    except ValueError as e:  # null bytes
        raise UsageError("%s: cannot parse: %s" % (path, e)) from None


def _read(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except (OSError, UnicodeDecodeError) as e:
        raise UsageError("%s: cannot read: %s" % (path, e)) from None


def collect(args):
    """The Sources named by the command line arguments."""
    if not args:
        raise UsageError(USAGE)
    sources = []
    for arg in args:
        if os.path.isdir(arg):
            root = os.path.abspath(arg)
            if os.path.exists(os.path.join(root, "__init__.py")):
                root = os.path.dirname(root)  # a package: its modules are package.name
            for dirpath, dirnames, filenames in os.walk(arg):
                dirnames[:] = sorted(
                    d for d in dirnames if not d.startswith(".") and d != "__pycache__"
                )
                for name in sorted(filenames):
                    if name.endswith(".py"):
                        path = os.path.join(dirpath, name)
                        text = _read(path)
                        tree = _parse(path, text)
                        sources.append(Source(path, text, tree, 1, _module_names(path, root)))
        elif os.path.isfile(arg):
            text = _read(arg)
            if arg.endswith(".md"):
                for first, block in _md_blocks(text):
                    try:
                        tree = ast.parse(block)
                    except (SyntaxError, ValueError):
                        continue  # a fragment, not a program
                    src = Source(arg, text, tree, first)
                    src.lines = text.split("\n")
                    sources.append(src)
            else:
                tree = _parse(arg, text)
                name = os.path.basename(arg)[:-3] if arg.endswith(".py") else None
                names = (name,) if name and name.isidentifier() else ()
                sources.append(Source(arg, text, tree, 1, names))
        else:
            raise UsageError("%s: no such file or directory" % arg)
    return sources


# -- scopes -------------------------------------------------------------------------------------

ASYNC = "async"  # bound only by `async def` (with harmless decorators)
OTHER = "other"  # bound some other way: not a coroutine function as far as we know


def _harmless(decorators):
    for d in decorators:
        if not (isinstance(d, ast.Name) and d.id in _PLAIN_DECORATORS):
            return False
    return True


class Scope:
    """Names bound directly in one module, class or function body."""

    def __init__(self, node, parent, kind):
        self.node = node
        self.parent = parent
        self.kind = kind  # "module", "class", "function"
        self.bindings = {}  # name -> list of ("async",) | ("other",) | ("import", ...)
        self.globals = set()
        self.nonlocals = set()
        self.self_attrs = set()  # class scopes: attributes assigned through the receiver

    def bind(self, name, what):
        self.bindings.setdefault(name, []).append(what)


def _target_names(target):
    if isinstance(target, ast.Name):
        yield target.id
    elif isinstance(target, (ast.Tuple, ast.List)):
        for elt in target.elts:
            yield from _target_names(elt)
    elif isinstance(target, ast.Starred):
        yield from _target_names(target.value)


def _direct_body_nodes(node):
    """Nodes executed in `node`'s own scope (not inside nested functions or classes)."""
    todo = list(ast.iter_child_nodes(node))
    while todo:
        n = todo.pop()
        yield n
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue  # its own scope (its decorators and defaults are rare enough to skip)
        if isinstance(n, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            continue
        todo.extend(ast.iter_child_nodes(n))


def build_scope(node, parent, kind):
    scope = Scope(node, parent, kind)
    if kind == "function":
        a = node.args
        params = list(getattr(a, "posonlyargs", [])) + a.args + a.kwonlyargs
        params += [x for x in (a.vararg, a.kwarg) if x]
        for p in params:
            scope.bind(p.arg, (OTHER,))
    for n in _direct_body_nodes(node):
        if isinstance(n, ast.AsyncFunctionDef):
            scope.bind(n.name, (ASYNC,) if _harmless(n.decorator_list) else (OTHER,))
        elif isinstance(n, (ast.FunctionDef, ast.ClassDef)):
            scope.bind(n.name, (OTHER,))
        elif isinstance(n, ast.Name) and isinstance(n.ctx, (ast.Store, ast.Del)):
            scope.bind(n.id, (OTHER,))
        elif isinstance(n, ast.Import):
            for alias in n.names:
                if alias.asname:
                    scope.bind(alias.asname, ("import", alias.name, None, 0))
                else:
                    top = alias.name.split(".")[0]
                    scope.bind(top, ("import", top, None, 0))
        elif isinstance(n, ast.ImportFrom):
            for alias in n.names:
                if alias.name == "*":
                    continue
                bound = alias.asname or alias.name
                scope.bind(bound, ("import", n.module or "", alias.name, n.level))
        elif isinstance(n, ast.Global):
            scope.globals.update(n.names)
        elif isinstance(n, ast.Nonlocal):
            scope.nonlocals.update(n.names)
        elif isinstance(n, ast.ExceptHandler) and n.name:
            scope.bind(n.name, (OTHER,))
        elif hasattr(ast, "NamedExpr") and isinstance(n, ast.NamedExpr):
            scope.bind(n.target.id, (OTHER,))
    return scope


# -- the project: modules and what they export ---------------------------------------------------


class Project:
    def __init__(self, sources):
        self.sources = sources
        self.by_name = {}
        self.by_path = {}
        for src in sources:
            if src.module_names:
                for name in src.module_names:
                    self.by_name.setdefault(name, []).append(src)
                self.by_path[os.path.abspath(src.path)] = src
        self._scopes = {}
        self._exports = {}

    def module_scope(self, src):
        if id(src) not in self._scopes:
            self._scopes[id(src)] = build_scope(src.tree, None, "module")
        return self._scopes[id(src)]

    def find_module(self, src, module, level):
        """The Source for `module` imported from `src` (relative when level > 0), or None."""
        if level:
            base = src.directory
            for _ in range(level - 1):
                base = os.path.dirname(base)
            path = os.path.join(base, *module.split(".")) if module else base
            for candidate in (path + ".py", os.path.join(path, "__init__.py")):
                found = self.by_path.get(os.path.abspath(candidate))
                if found:
                    return found
            return None
        found = self.by_name.get(module, [])
        return found[0] if len(found) == 1 else None

    def resolve_import(self, src, what, seen=()):
        """ASYNC, OTHER, ("module", Source) or ("class", Source, ClassDef) for an import."""
        _, module, name, level = what
        if name is None:
            mod = self.find_module(src, module, level)
            return ("module", mod) if mod else OTHER
        mod = self.find_module(src, module, level)
        if mod is None:
            return OTHER
        found = self.export(mod, name, seen)
        if found != OTHER:
            return found
        prefix = module + "." if module else ""
        sub = self.find_module(src, prefix + name, level)  # `from pkg import submodule`
        return ("module", sub) if sub else OTHER

    def export(self, mod, name, seen=()):
        """What module `mod` binds `name` to, as seen by an importer."""
        key = (id(mod), name)
        if key in seen:
            return OTHER  # an import cycle
        if key not in self._exports:
            scope = self.module_scope(mod)
            self._exports[key] = self.binding(mod, scope, name, seen + (key,))
        return self._exports[key]

    def binding(self, src, scope, name, seen=()):
        kinds = scope.bindings.get(name)
        if not kinds:
            return OTHER
        results = []
        for what in kinds:
            if what[0] == "import":
                results.append(self.resolve_import(src, what, seen))
            else:
                results.append(what[0])
        if scope.kind == "module" and all(r == OTHER for r in results):
            for n in ast.iter_child_nodes(scope.node):
                if isinstance(n, ast.ClassDef) and n.name == name and len(kinds) == 1:
                    return ("class", src, n)
        first = results[0]
        return first if all(r == first for r in results) else OTHER


# -- the check ---------------------------------------------------------------------------------


def _dotted(node):
    """`a.b.c` as ["a", "b", "c"], or None for anything else."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return parts[::-1]
    return None


def _discarded(expr):
    """Expressions whose value is thrown away when `expr`'s value is."""
    yield expr
    if isinstance(expr, ast.IfExp):
        yield from _discarded(expr.body)
        yield from _discarded(expr.orelse)
    elif isinstance(expr, ast.BoolOp):
        for v in expr.values:
            yield from _discarded(v)
    elif isinstance(expr, (ast.Tuple, ast.List, ast.Set)):
        for v in expr.elts:
            yield from _discarded(v)
    elif isinstance(expr, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
        yield from _discarded(expr.elt)


class Checker:
    def __init__(self, project):
        self.project = project
        self.findings = []

    def run(self):
        for src in self.project.sources:
            module = self.project.module_scope(src)
            self.walk(src, src.tree, module, [], "<module>")
        return self.findings

    def walk(self, src, node, scope, chain, qualname):
        """Check the statements of one scope, then the scopes nested in it. `chain`: the
        function scopes enclosing `scope` (innermost last), each with its class or None."""
        for n in _direct_body_nodes(node):
            if isinstance(n, ast.Expr):
                for e in _discarded(n.value):
                    if isinstance(e, ast.Call):
                        self.check_call(src, e, scope, chain, qualname)
        for n in _direct_body_nodes(node):
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)):
                inner = build_scope(n, scope, "function")
                cls = scope.node if scope.kind == "class" else None
                name = n.name if qualname == "<module>" else qualname + "." + n.name
                self.walk(src, n, inner, chain + [(inner, cls)], name)
            elif isinstance(n, ast.ClassDef):
                inner = build_scope(n, scope, "class")
                name = n.name if qualname == "<module>" else qualname + "." + n.name
                self.walk(src, n, inner, chain, name)

    def lookup(self, src, name, chain):
        """What `name` means in the innermost function of `chain` (LEGB, classes skipped)."""
        module = self.project.module_scope(src)
        for scope, _ in reversed(chain):
            if name in scope.globals:
                break
            if name in scope.bindings and name not in scope.nonlocals:
                return self.project.binding(src, scope, name), scope
        return self.project.binding(src, module, name), module

    def check_call(self, src, call, scope, chain, qualname):
        line = call.lineno + src.offset
        if src.suppressed(line):
            return
        parts = _dotted(call.func)
        if not parts:
            return
        if self.is_coroutine_function(src, parts, chain):
            text = "%s:%d: %s: call of coroutine function %s is never awaited" % (
                src.path,
                line,
                qualname,
                ".".join(parts),
            )
            self.findings.append((src.path, line, text))

    def is_coroutine_function(self, src, parts, chain):
        if ".".join(parts) in KNOWN and len(parts) == 2:
            _, scope = self.lookup(src, parts[0], chain)
            kinds = scope.bindings.get(parts[0], [])
            schedulers = [k[1] for k in kinds if k[0] == "import" and k[2] is None]
            if kinds and len(schedulers) == len(kinds):
                return all(m in ("asyncio", "uasyncio", "fast_io") for m in schedulers)
        if len(parts) == 1:
            what, _ = self.lookup(src, parts[0], chain)
            return what == ASYNC
        if len(parts) == 2 and chain:
            receiver = self.receiver_class(src, parts[0], chain)
            if receiver:
                return self.method_is_async(receiver[0], receiver[1], parts[1], set())
        what, _ = self.lookup(src, parts[0], chain)
        for attr in parts[1:-1]:
            if not (isinstance(what, tuple) and what[0] == "module"):
                return False
            found = self.project.export(what[1], attr)
            what = found if found != OTHER else self.submodule(what[1], attr)
        if isinstance(what, tuple) and what[0] == "module":
            return self.project.export(what[1], parts[-1]) == ASYNC
        return False

    def submodule(self, package, attr):
        """`package.attr` where attr is a module of that package (`import a.b`; `a.b.f()`)."""
        if not package.is_package:
            return OTHER
        for candidate in (attr + ".py", os.path.join(attr, "__init__.py")):
            path = os.path.abspath(os.path.join(package.directory, candidate))
            if path in self.project.by_path:
                return ("module", self.project.by_path[path])
        return OTHER

    def receiver_class(self, src, name, chain):
        """(Source, ClassDef) when `name` is the receiver of the enclosing method."""
        for scope, cls in reversed(chain):
            if name in scope.bindings:
                if cls is None or scope.node.decorator_list:
                    return None
                args = scope.node.args
                params = list(getattr(args, "posonlyargs", [])) + args.args
                if params and params[0].arg == name and scope.bindings[name] == [(OTHER,)]:
                    return src, cls
                return None
        return None

    def method_is_async(self, src, cls, name, seen):
        """True when `name` on an instance of `cls` is an `async def` method for sure."""
        if id(cls) in seen:
            return False
        seen.add(id(cls))
        if _assigns_attribute(cls, name):
            return False
        defs = [
            n
            for n in cls.body
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
            and n.name == name
            or isinstance(n, ast.Assign)
            and name in [t for x in n.targets for t in _target_names(x)]
        ]
        if defs:
            return all(
                isinstance(d, ast.AsyncFunctionDef) and _harmless(d.decorator_list) for d in defs
            )
        module = self.project.module_scope(src)
        for base in cls.bases:
            parts = _dotted(base)
            if parts == ["object"]:
                continue
            found = self.base_class(src, module, parts)
            if found is None:
                return False  # a base we cannot see might define it
            if self.method_is_async(found[0], found[1], name, seen):
                return True
            if _defines(found[1], name):
                return False
        return False

    def base_class(self, src, module, parts):
        if not parts:
            return None
        what = self.project.binding(src, module, parts[0])
        for attr in parts[1:]:
            if isinstance(what, tuple) and what[0] == "module":
                what = self.project.export(what[1], attr)
            else:
                return None
        if isinstance(what, tuple) and what[0] == "class":
            return what[1], what[2]
        return None


def _defines(cls, name):
    return any(
        isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == name for n in cls.body
    )


def _assigns_attribute(cls, name):
    """True when some method stores to `<first parameter>.name` (an instance attribute that
    may hide the method)."""
    for n in ast.walk(cls):
        if isinstance(n, ast.Attribute) and n.attr == name and isinstance(n.ctx, ast.Store):
            return True
    return False


def main(argv):
    if argv and argv[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0
    try:
        sources = collect(argv)
    except UsageError as e:
        print("await_check: %s" % e, file=sys.stderr)
        return 2
    findings = sorted(Checker(Project(sources)).run())
    for _, _, text in findings:
        print(text)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
