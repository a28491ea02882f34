# The whole micropython-async collection, for freezing into firmware.
#
# In a board manifest:   include("path/to/micropython-async/manifest.py")
#
# Every package of the collection is found by walking the three library directories, so a
# new package is frozen without editing this file. The directories are registered as
# libraries first: a firmware build searches only micropython-lib's own directories.
# This manifest has no metadata() of its own: include() shares the board manifest's.
import os

_LIBRARIES = (
    ("micropython-async-micropython", "micropython"),
    ("micropython-async-ecosys", "python-ecosys"),
    ("micropython-async-drivers", "drivers"),
)

for _library, _path in _LIBRARIES:
    add_library(_library, _path)  # noqa: F821 (injected by the manifest tool)

# Packages for a PC, not a board: devmodels stands in for the hardware when an application
# runs off-board, so freezing it would only spend flash. Freeze it by name if you want it.
_NOT_FOR_BOARDS = ("devmodels",)

for _library, _path in _LIBRARIES:
    for _dirpath, _dirnames, _filenames in sorted(os.walk(_path)):
        _name = os.path.basename(_dirpath)
        if "manifest.py" in _filenames and _name not in _NOT_FOR_BOARDS:
            require(_name, library=_library)  # noqa: F821
