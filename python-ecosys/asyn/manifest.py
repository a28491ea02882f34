# The manifest tool injects metadata() and package().
# ruff: noqa: F821
metadata(
    description="Synchronisation primitives, Delay_ms and task cancellation for asyncio.",
    version="0.2.0",
    license="MIT",
    author="micropython-async contributors",
    pypi_publish="micropython-async-asyn",
)
package("asyn")
