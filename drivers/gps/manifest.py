# The manifest tool injects metadata() and module().
# ruff: noqa: F821
metadata(
    description="Asynchronous NMEA-0183 GPS reader and parser (AS_GPS).",
    version="0.1.0",
    license="MIT",
    author="micropython-async contributors",
    pypi_publish="micropython-async-gps",
)
module("as_GPS.py")
