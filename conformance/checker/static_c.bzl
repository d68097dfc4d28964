"""Builds a C program with another toolchain from the very sources Bazel builds it from.

An aspect walks the binary's deps and collects their C sources and headers, so the list is
derived from the cc_library targets (a new case joins automatically) rather than written
twice. Two ways to use it:
  musl_c_binary   a Bazel action compiles them with musl-gcc into one static program;
  c_sources       the sources as runfiles plus a manifest naming them, for a tool that builds
                  at run time with whichever cross compiler is installed then
                  (//conformance:matrix: a missing compiler is a column that says so, not a
                  failed build).
build_static.sh does the compiling in both."""

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
                    fail("%s: %s is not C; it cannot be built with another toolchain" % (target.label, f.path))
    deps = [d[CSourcesInfo] for d in getattr(ctx.rule.attr, "deps", []) if CSourcesInfo in d]
    return [CSourcesInfo(
        srcs = depset(srcs, transitive = [d.srcs for d in deps]),
        hdrs = depset(hdrs, transitive = [d.hdrs for d in deps]),
    )]

c_sources_aspect = aspect(
    implementation = _c_sources_impl,
    attr_aspects = ["deps"],
)

def _musl_c_binary_impl(ctx):
    info = ctx.attr.binary[CSourcesInfo]
    out = ctx.actions.declare_file(ctx.label.name)
    ctx.actions.run(
        executable = ctx.executable._build,
        arguments = ["musl-gcc", out.path] + [f.path for f in info.srcs.to_list()],
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
        "binary": attr.label(mandatory = True, aspects = [c_sources_aspect]),
        "_build": attr.label(
            default = "//conformance/checker:build_static",
            executable = True,
            cfg = "exec",
        ),
    },
    executable = True,
)

def _c_sources_rule_impl(ctx):
    info = ctx.attr.binary[CSourcesInfo]
    manifest = ctx.actions.declare_file(ctx.label.name + ".srcs")
    ctx.actions.write(manifest, "".join([f.short_path + "\n" for f in info.srcs.to_list()]))
    files = depset([manifest])
    return [DefaultInfo(
        files = files,
        runfiles = ctx.runfiles(transitive_files = depset(transitive = [files, info.srcs, info.hdrs])),
    )]

c_sources = rule(
    implementation = _c_sources_rule_impl,
    doc = "NAME.srcs lists the C sources of `binary` (workspace-relative, one a line); they " +
          "and their headers are runfiles of whatever depends on this target.",
    attrs = {"binary": attr.label(mandatory = True, aspects = [c_sources_aspect])},
)
