"""tools/await_check.py: a table of programs with a forgotten await (each must be reported,
with its line and function) and of programs that look alike but are right (none may be),
then the command line: exit codes, messages, Markdown, suppression, and the repository's own
code, which must pass."""

import os
import subprocess
import sys
import textwrap

import pytest
from runtimes import ROOT

sys.path.insert(0, os.path.join(ROOT, "tools"))
import await_check  # noqa: E402

CHECKER = os.path.join(ROOT, "tools", "await_check.py")

# (id, source, [(line, function, called name)]): each line marked `# <-` is a finding.
TRUE_POSITIVES = [
    (
        "module function",
        """
        async def work():
            pass

        async def main():
            work()  # <-
        """,
        [("main", "work")],
    ),
    (
        "at module level",
        """
        async def main():
            pass

        main()  # <-
        """,
        [("<module>", "main")],
    ),
    (
        "from a plain function",
        """
        async def blink():
            pass

        def start():
            blink()  # <-
        """,
        [("start", "blink")],
    ),
    (
        "method through self",
        """
        class Lcd:
            async def refresh(self):
                pass

            async def run(self):
                self.refresh()  # <-
        """,
        [("Lcd.run", "self.refresh")],
    ),
    (
        "receiver not named self",
        """
        class Lcd:
            async def refresh(me):
                pass

            def poke(me):
                me.refresh()  # <-
        """,
        [("Lcd.poke", "me.refresh")],
    ),
    (
        "method of a base class",
        """
        class Sensor:
            async def read(self):
                pass

        class Htu(Sensor):
            def update(self):
                self.read()  # <-
        """,
        [("Htu.update", "self.read")],
    ),
    (
        "static coroutine method",
        """
        class Tool:
            @staticmethod
            async def ping():
                pass

            def go(self):
                self.ping()  # <-
        """,
        [("Tool.go", "self.ping")],
    ),
    (
        "nested coroutine function",
        """
        async def main():
            async def helper():
                pass

            helper()  # <-
        """,
        [("main", "helper")],
    ),
    (
        "self inside a nested function",
        """
        class Radio:
            async def send(self):
                pass

            def start(self):
                def later():
                    self.send()  # <-
                return later
        """,
        [("Radio.start.later", "self.send")],
    ),
    (
        "asyncio.sleep",
        """
        import asyncio

        async def main():
            asyncio.sleep(1)  # <-
        """,
        [("main", "asyncio.sleep")],
    ),
    (
        "uasyncio as asyncio",
        """
        import uasyncio as asyncio

        async def main():
            asyncio.sleep_ms(10)  # <-
        """,
        [("main", "asyncio.sleep_ms")],
    ),
    (
        "fast_io.wait_for",
        """
        import fast_io

        async def job():
            pass

        async def main():
            fast_io.wait_for(job(), 1)  # <-
        """,
        [("main", "fast_io.wait_for")],
    ),
    (
        "both branches of a conditional",
        """
        async def on():
            pass

        async def off():
            pass

        def switch(state):
            on() if state else off()  # <-
        """,
        [("switch", "on"), ("switch", "off")],
    ),
    (
        "in a discarded comprehension",
        """
        async def blink(n):
            pass

        def blink_all():
            [blink(n) for n in range(3)]  # <-
        """,
        [("blink_all", "blink")],
    ),
    (
        "inside if, loop and try",
        """
        async def poll():
            pass

        async def main(ready):
            for _ in range(3):
                try:
                    if ready:
                        poll()  # <-
                except OSError:
                    pass
        """,
        [("main", "poll")],
    ),
    (
        "a name declared global",
        """
        async def tick():
            pass

        def run():
            global tick
            tick()  # <-
        """,
        [("run", "tick")],
    ),
    (
        "method of a class in a class",
        """
        class Outer:
            class Inner:
                async def go(self):
                    pass

                def start(self):
                    self.go()  # <-
        """,
        [("Outer.Inner.start", "self.go")],
    ),
    (
        "the result of the call is called",
        """
        async def fetch():
            pass

        async def main():
            fetch(), fetch()  # <-
        """,
        [("main", "fetch"), ("main", "fetch")],
    ),
]

FALSE_POSITIVES = [
    (
        "awaited",
        """
        async def work():
            pass

        async def main():
            await work()
        """,
    ),
    (
        "given to create_task",
        """
        import asyncio

        async def work():
            pass

        async def main():
            asyncio.create_task(work())
        """,
    ),
    (
        "given to gather",
        """
        import asyncio

        async def a():
            pass

        async def main():
            await asyncio.gather(a(), a())
        """,
    ),
    (
        "given to run",
        """
        import asyncio

        async def main():
            pass

        asyncio.run(main())
        """,
    ),
    (
        "given to any call",
        """
        async def work():
            pass

        def schedule(coro):
            pass

        schedule(work())
        """,
    ),
    (
        "stored",
        """
        async def work():
            pass

        def make():
            coro = work()
            return coro
        """,
    ),
    (
        "returned",
        """
        async def work():
            pass

        def make():
            return work()
        """,
    ),
    (
        "yielded",
        """
        async def work():
            pass

        def make():
            yield work()
        """,
    ),
    (
        "a plain function of the same name in a class",
        """
        async def refresh():
            pass

        class Lcd:
            def refresh(self):
                pass

            def run(self):
                self.refresh()
        """,
    ),
    (
        "a parameter hides the coroutine function",
        """
        async def callback():
            pass

        def fire(callback):
            callback()
        """,
    ),
    (
        "a local variable hides it",
        """
        async def handler():
            pass

        def main():
            handler = print
            handler()
        """,
    ),
    (
        "rebound at module level",
        """
        async def read():
            pass

        read = len
        read()
        """,
    ),
    (
        "an unknown decorator",
        """
        def sync(f):
            return f

        @sync
        async def job():
            pass

        job()
        """,
    ),
    (
        "a base class it cannot see",
        """
        from somewhere import Base

        class Sensor:
            async def read(self):
                pass

        class Odd(Base, Sensor):
            def go(self):
                self.read()
        """,
    ),
    (
        "an instance attribute hides the method",
        """
        class Button:
            async def press(self):
                pass

            def __init__(self, cb):
                self.press = cb

            def fire(self):
                self.press()
        """,
    ),
    (
        "another object's method of the same name",
        """
        class Lcd:
            async def refresh(self):
                pass

            def run(self, other):
                other.refresh()
        """,
    ),
    (
        "a module-level coroutine of the same name as a method",
        """
        class Lcd:
            async def refresh(self):
                pass

        def refresh():
            pass

        refresh()
        """,
    ),
    (
        "suppressed on purpose",
        """
        async def work():
            pass

        work()  # await_check: ignore (shows the warning CPython gives)
        """,
    ),
    (
        "asyncio functions that are not coroutine functions",
        """
        import asyncio

        async def main():
            asyncio.create_task(main())
            asyncio.get_event_loop()
            asyncio.Event().set()
        """,
    ),
    (
        "asyncio.sleep from a module that is not asyncio",
        """
        import mymodule as asyncio

        asyncio.sleep(1)
        """,
    ),
    (
        "a lambda returns the coroutine",
        """
        async def work():
            pass

        start = lambda: work()
        """,
    ),
    (
        "async with and async for",
        """
        async def main(lock, stream):
            async with lock:
                pass
            async for line in stream:
                pass
        """,
    ),
    (
        "a sync method called through self from a coroutine",
        """
        class Led:
            def on(self):
                pass

            async def blink(self):
                self.on()
        """,
    ),
]


def _run(*args, cwd=None):
    return subprocess.run(
        [sys.executable, CHECKER] + list(args), capture_output=True, text=True, cwd=cwd
    )


def test_the_tables_are_big_enough():
    assert len(TRUE_POSITIVES) >= 15 and len(FALSE_POSITIVES) >= 15


@pytest.mark.parametrize(
    "source,expected", [pytest.param(s, e, id=i) for i, s, e in TRUE_POSITIVES]
)
def test_forgotten_await_is_reported(source, expected):
    text = textwrap.dedent(source)
    src = await_check.Source("case.py", text, await_check.ast.parse(text))
    found = sorted(await_check.Checker(await_check.Project([src])).run())
    marked = [n for n, line in enumerate(text.split("\n"), 1) if "# <-" in line]
    got = []
    for _, line, message in found:
        assert line in marked, message
        head = "case.py:%d: " % line
        assert message.startswith(head) and message.endswith(" is never awaited"), message
        function, rest = message[len(head) :].split(": ", 1)
        got.append((function, rest.split()[4]))
    assert sorted(got) == sorted(expected)
    assert {line for _, line, _ in found} == set(marked)


@pytest.mark.parametrize("source", [pytest.param(s, id=i) for i, s in FALSE_POSITIVES])
def test_right_code_is_not_reported(source):
    text = textwrap.dedent(source)
    src = await_check.Source("case.py", text, await_check.ast.parse(text))
    assert await_check.Checker(await_check.Project([src])).run() == []


def _tree(tmp_path, files):
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


def test_names_imported_from_the_scanned_tree(tmp_path):
    _tree(
        tmp_path,
        {
            "app/__init__.py": "from .net import fetch\n",
            "app/net.py": """
                async def fetch():
                    pass

                def parse():
                    pass

                class Client:
                    async def connect(self):
                        pass
                """,
            "app/main.py": """
                import app.net
                from app import fetch
                from . import net
                from .net import Client, parse
                from app.net import fetch as get

                class Mine(Client):
                    def start(self):
                        self.connect()

                async def main():
                    fetch()
                    net.fetch()
                    app.net.fetch()
                    get()
                    parse()
                    await fetch()
                """,
        },
    )
    proc = _run("app", cwd=str(tmp_path))
    assert proc.returncode == 1, proc.stderr
    found = [line.split(": ", 2)[1:] for line in proc.stdout.splitlines()]
    names = [f[1].split()[4] for f in found]
    assert names == ["self.connect", "fetch", "net.fetch", "app.net.fetch", "get"], proc.stdout
    assert (
        proc.stdout.splitlines()[0]
        == os.path.join("app", "main.py")
        + ":10: Mine.start: call of coroutine function self.connect is never awaited"
    )


def test_exit_codes_and_messages(tmp_path):
    good = tmp_path / "good.py"
    good.write_text("async def f():\n    pass\n\n\nasync def g():\n    await f()\n")
    assert (_run(str(good)).returncode, _run(str(good)).stdout) == (0, "")

    usage = _run()
    assert usage.returncode == 2 and "usage:" in usage.stderr

    missing = _run(str(tmp_path / "nope.py"))
    assert missing.returncode == 2 and "nope.py: no such file or directory" in missing.stderr

    broken = tmp_path / "broken.py"
    broken.write_text("x = 1\ndef f(:\n")
    proc = _run(str(good), str(broken))
    assert proc.returncode == 2 and proc.stdout == ""
    assert "broken.py:2: cannot parse" in proc.stderr and "Traceback" not in proc.stderr

    assert _run("--help").returncode == 0


def test_markdown_blocks_are_checked_with_their_lines(tmp_path):
    doc = tmp_path / "doc.md"
    doc.write_text(
        "# Title\n\n```python\nasync def f():\n    pass\n\nf()\n```\n\n"
        "```python\nnot python at all (\n```\n"
    )
    proc = _run(str(doc))
    assert proc.returncode == 1
    assert proc.stdout == "%s:7: <module>: call of coroutine function f is never awaited\n" % doc


def test_the_repository_passes():
    """What .ci/run checks: our packages, tools, tests, benchmarks and documents (their
    ```python blocks)."""
    import glob

    docs = ["README.md"] + sorted(glob.glob(os.path.join(ROOT, "docs", "*.md")))
    for lib in ("micropython", "python-ecosys", "drivers"):
        docs += sorted(glob.glob(os.path.join(ROOT, lib, "*", "README.md")))
    docs = [os.path.relpath(d, ROOT) for d in docs]
    assert len(docs) > 15
    dirs = ["micropython", "python-ecosys", "drivers", "tools", "tests", "benchmarks"]
    proc = _run(*(dirs + docs), cwd=ROOT)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")


def _python38():
    """CPython 3.8, the oldest the checker supports (PATH, then pyenv's versions), or None."""
    import shutil

    pyenv = os.path.expanduser("~/.pyenv/versions")
    if os.path.isdir(pyenv):
        for name in sorted(os.listdir(pyenv)):
            path = os.path.join(pyenv, name, "bin", "python3.8")
            if name.startswith("3.8.") and os.path.exists(path):
                return path
    return shutil.which("python3.8")


def test_same_findings_on_cpython_3_8(tmp_path):
    python = _python38()
    if python is None:
        pytest.skip("no CPython 3.8 here (PATH or ~/.pyenv/versions)")
    cases = TRUE_POSITIVES + [(i, s, []) for i, s in FALSE_POSITIVES]
    for n, (_, source, _) in enumerate(cases):
        (tmp_path / ("case%02d.py" % n)).write_text(textwrap.dedent(source))
    here = _run(".", cwd=str(tmp_path))
    old = subprocess.run([python, CHECKER, "."], capture_output=True, text=True, cwd=str(tmp_path))
    assert here.returncode == 1 and here.stdout.count("\n") >= len(TRUE_POSITIVES)
    assert (old.returncode, old.stdout, old.stderr) == (1, here.stdout, "")
