"""Builds a C program against musl from the very sources Bazel builds it from with glibc.

An aspect walks the binary's deps and collects their C sources and headers, so the list is
derived from the cc_library targets (a new case joins automatically) rather than written
twice; build_musl.sh compiles them with musl-gcc into one static program."""

CSourcesInfo = provider(
    doc = "C sources and headers of a target and everything it depends on.",
    fields = ["srcs", "hdrs"],
)

def _c_sources_impl(target, ctx):
    srcs = []
    hdrs = []
    for attr in ["srcs", "hdrs"]:
        for dep in getattr(ctx.rule.attr, attr, []):
            for f in dep.files.to_list():
                if f.extension == "c":
                    srcs.append(f)
                elif f.extension == "h":
                    hdrs.append(f)
                else:
                    fail("%s: %s is not C; it cannot be built against musl" % (target.label, f.path))
    deps = [d[CSourcesInfo] for d in getattr(ctx.rule.attr, "deps", []) if CSourcesInfo in d]
    return [CSourcesInfo(
        srcs = depset(srcs, transitive = [d.srcs for d in deps]),
        hdrs = depset(hdrs, transitive = [d.hdrs for d in deps]),
    )]

c_sources = aspect(
    implementation = _c_sources_impl,
    attr_aspects = ["deps"],
)

def _musl_c_binary_impl(ctx):
    info = ctx.attr.binary[CSourcesInfo]
    out = ctx.actions.declare_file(ctx.label.name)
    ctx.actions.run(
        executable = ctx.executable._build,
        arguments = [out.path] + [f.path for f in info.srcs.to_list()],
        inputs = depset(transitive = [info.srcs, info.hdrs]),
        outputs = [out],
        mnemonic = "MuslLink",
        progress_message = "Building %s against musl" % ctx.attr.binary.label,
        use_default_shell_env = True,
    )
    return [DefaultInfo(executable = out, files = depset([out]))]

musl_c_binary = rule(
    implementation = _musl_c_binary_impl,
    doc = "A static musl build of a C cc_binary, from the same sources.",
    attrs = {
        "binary": attr.label(mandatory = True, aspects = [c_sources]),
        "_build": attr.label(
            default = "//conformance/checker:build_musl",
            executable = True,
            cfg = "exec",
        ),
    },
    executable = True,
)
