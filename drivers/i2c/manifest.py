# The manifest tool injects metadata() and module().
# ruff: noqa: F821
metadata(
    description="A stream link between two boards over I2C (asi2c Responder, asi2c_i Initiator).",
    version="0.1.0",
    license="MIT",
    author="micropython-async contributors",
)
module("asi2c.py")
module("asi2c_i.py")
