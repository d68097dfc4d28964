#!/usr/bin/env bash
echo "shmlab: the benchmark driver is not built yet (see the open benchmark issue)" >&2
exit 1
