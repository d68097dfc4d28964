"""Test rules for conformance tests: a verdict describes the machine at hand.

Bazel keys a test on its inputs, and the kernel, the installed libc and the filesystem are not
among them; a cached verdict would be another machine's (or this one's before an upgrade).
Every conformance test target is made with these macros, so none can forget the tags:
  external   the test runs on every invocation (never "(cached) PASSED" from the action cache)
  no-cache   its result is neither looked up in nor written to a disk or remote cache
"""

NEVER_CACHED = ["external", "no-cache"]

def _never_cached(kwargs):
    kwargs["tags"] = kwargs.get("tags", []) + NEVER_CACHED
    return kwargs

def conformance_cc_test(name, **kwargs):
    native.cc_test(name = name, **_never_cached(kwargs))

def conformance_sh_test(name, **kwargs):
    native.sh_test(name = name, **_never_cached(kwargs))
