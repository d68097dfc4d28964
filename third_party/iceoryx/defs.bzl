"""Compiler options for code that includes iceoryx's C binding."""

ICEORYX_COPTS = [
    "-isystem",
    "/usr/include/iceoryx/v2.0.3",
]
