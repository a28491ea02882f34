# ruff: noqa: F821 (metadata and package are injected by the manifest tool)
metadata(
    description="fast_io: an asyncio-compatible scheduler with I/O priority, low-priority tasks, "
    "a pluggable clock and no heap allocation per scheduling round.",
    version="0.2.2",
    license="MIT",
    author="micropython-async contributors",
)
package("fast_io")
