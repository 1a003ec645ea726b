#!/bin/sh
# find-python.sh - print the path of a Python 3 that can import PyYAML (the conformance matrix
# and the workflow checks need it), or nothing and exit 1. $PYTHON wins when it works. The
# system interpreter is tried after the one on PATH because a version manager's python3 (pyenv,
# asdf) shadows it without seeing the python3-yaml package that apt installs.
for py in ${PYTHON:-} python3 /usr/bin/python3 /usr/local/bin/python3 /opt/homebrew/bin/python3; do
    p=$(command -v "$py" 2>/dev/null) || continue
    "$p" -c 'import yaml' >/dev/null 2>&1 && { echo "$p"; exit 0; }
done
exit 1
