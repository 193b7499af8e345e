# shellcheck shell=bash
# Sourced by scripts/demo, scripts/hot-functions and bench/run, which read the JSON lines that
# tests/support/moto_harness.py and the local stand-ins print. Needs $py, a Python 3.
#
# field JSON EXPR: EXPR over the document as `d`. The JSON goes in on stdin, never in a
# program's argv, where any process could read the keys it holds.
field() { printf '%s' "$1" | "${py:?}" -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$2"; }
