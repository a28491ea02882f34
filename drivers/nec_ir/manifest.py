# The manifest tool injects metadata() and module().
# ruff: noqa: F821
metadata(
    description="Decoder for NEC infra-red remote controls (NEC_IR).",
    version="0.1.1",
    license="MIT",
    author="micropython-async contributors",
)
# No dependencies: asyncio's ThreadSafeFlag is all the driver needs besides time and array.
module("aremote.py")
