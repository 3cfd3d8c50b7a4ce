#!/bin/sh
# `specmark serve` under py-spy, for `lsp_latency.py --specmark bench/pyspy_serve.sh`.
# Writes collapsed stacks to $PROF_OUT (default /tmp/specmark-serve.pyspy.txt); summarise them
# with bench/pyspy_summary.py. py-spy: /work/venv/bin/pip install py-spy
HERE=$(dirname "$0")
VENV=${VENV:-/work/venv}
exec "$VENV/bin/py-spy" record --format raw --rate "${PROF_RATE:-250}" --nonblocking \
    -o "${PROF_OUT:-/tmp/specmark-serve.pyspy.txt}" -- "$VENV/bin/python" -m specmark "$@" \
    2>>"${PROF_LOG:-/tmp/specmark-serve.pyspy.log}"
