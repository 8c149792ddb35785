#!/bin/sh
# Makes, once, a throw-away virtual environment with python-stdnum from PyPI, a second implementation of IBAN
# validation for Settle's cross-check (Tests/BankDetailsTests/IBANCrossCheckTests.swift), and prints its Python.
# Idempotent, and safe when two test runs start it at once: the second waits for the first under flock.
set -eu
venv="${SETTLE_CROSSCHECK_VENV:-/tmp/settle-crosscheck-venv}"
stdnum_version="2.2"

ready() {
  "$venv/bin/python" -c "import stdnum, sys; sys.exit(stdnum.__version__ != '$stdnum_version')" 2>/dev/null
}

if ! ready; then
  exec 9>"$venv.lock"
  flock 9
  if ! ready; then
    rm -rf "$venv"
    if ! python3 -m venv "$venv" >&2; then
      echo "stdnum-venv.sh: python3 -m venv failed (on Debian: apt-get install python3-venv)" >&2
      exit 1
    fi
    "$venv/bin/pip" install --quiet --disable-pip-version-check "python-stdnum==$stdnum_version" >&2
  fi
fi
echo "$venv/bin/python"
