/* `bazel run //ci:gate -- --baseline ci/baseline.json --results bench-out/results.json` */
#include <stdio.h>

#include "ci/gate/shl_gate_cli.h"

int main(int argc, char *argv[])
{
    return shl_gate_cli(argc, argv, stdout, stderr);
}
