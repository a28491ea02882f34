# The manifest tool injects metadata() and package().
# ruff: noqa: F821
metadata(
    description="Device models and a machine module to run and test applications off a board.",
    version="0.1.2",
    license="MIT",
    author="micropython-async contributors",
    pypi_publish="micropython-async-devmodels",
)
# The whole directory ships: device models added as devmodels/<device>.py need no edit here.
package("devmodels")
