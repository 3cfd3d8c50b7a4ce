#!/bin/sh
# `specmark serve` under py-spy, for `lsp_latency.py --specmark bench/pyspy_serve.sh`.
# Writes collapsed stacks to $PROF_OUT (default $TMPDIR/specmark-serve.pyspy.txt); summarise
# them with bench/pyspy_summary.py. Runs the Python of the active environment ($PYTHON to
# choose another) and the py-spy on PATH ($PY_SPY): `pip install py-spy` into that environment.
tmp=${TMPDIR:-/tmp}
exec "${PY_SPY:-py-spy}" record --format raw --rate "${PROF_RATE:-250}" --nonblocking \
    -o "${PROF_OUT:-$tmp/specmark-serve.pyspy.txt}" -- "${PYTHON:-python3}" -m specmark "$@" \
    2>>"${PROF_LOG:-$tmp/specmark-serve.pyspy.log}"
