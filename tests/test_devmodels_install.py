"""devmodels on the unix port as its README says: `micropython -m mip install --index URL
devmodels` from a built index served on 127.0.0.1, then the README example from the installed
files alone. (tests/test_mip_install.py installs every package through mip.install();
tests/test_pypi.py builds the wheel, installs it in a clean venv and runs
tests/portable/devmodels there.)"""

import os
import sys

from docs_examples import examples
from runtimes import MPY_CROSS, ROOT, package_dirs, run_micropython, skip_unless_runs

sys.path.insert(0, os.path.join(ROOT, "tools"))

import build  # noqa: E402
from serve import IndexServer  # noqa: E402


@skip_unless_runs("devmodels")
def test_mip_command_line_install_runs_the_readme_example(tmp_path):
    index = str(tmp_path / "index")
    build.build_index(index, MPY_CROSS, log=lambda *a: None)
    server = IndexServer(index, quiet=True).start()
    try:
        target = str(tmp_path / "lib")
        proc = run_micropython(
            ["-m", "mip", "install", "--index", server.url, "--target", target, "devmodels"],
            path=[],
        )
        assert proc.returncode == 0 and "Done" in proc.stdout, proc.stdout + proc.stderr
    finally:
        server.shutdown()
    installed = sorted(os.listdir(os.path.join(target, "devmodels")))
    assert "machine.mpy" in installed and "uart.mpy" in installed, installed
    readme = os.path.join(package_dirs()["devmodels"], "README.md")
    [(line, source)] = examples(readme, "mp")
    script = tmp_path / "example.py"
    script.write_text(source)
    proc = run_micropython([str(script)], path=[target], timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines() == [
        "scan: [72]",
        "temperature: 21",
        "button pressed",
    ], proc.stdout
