#!/bin/sh
# install-deps.sh - install ffmsim's dependencies: CMocka, libyaml, lcov, clang (libFuzzer),
# pkg-config, Python 3 with PyYAML (the conformance matrix, scripts/matrix.py), cmake (the
# install test builds the example with the CMake package), libdw (elfutils: file:line in
# ffm-sim's error lines; not on macOS, where dladdr is used).
# Debian/Ubuntu via apt-get (as root, or through sudo), macOS via Homebrew.
#
#   scripts/install-deps.sh               install (idempotent: installed packages are kept)
#   scripts/install-deps.sh --if-missing  install only when something is missing; quiet if not
#   scripts/install-deps.sh --check       exit 0 when everything is present, 1 otherwise
#
# Exit status: 0 on success, 1 when something could not be installed.
set -eu

missing() {
    out=""
    command -v pkg-config >/dev/null 2>&1 || out="$out pkg-config"
    if command -v pkg-config >/dev/null 2>&1; then
        pkg-config --exists cmocka 2>/dev/null || out="$out cmocka"
        pkg-config --exists yaml-0.1 2>/dev/null || out="$out libyaml"
        # libdw names file:line in error lines; macOS has none (ffm-sim falls back to dladdr).
        [ "$(uname -s)" = Darwin ] || pkg-config --exists libdw 2>/dev/null || out="$out libdw"
    else
        out="$out cmocka libyaml"
    fi
    command -v lcov >/dev/null 2>&1 || out="$out lcov"
    command -v clang >/dev/null 2>&1 || out="$out clang"
    "$(dirname "$0")/find-python.sh" >/dev/null || out="$out python3-yaml"
    command -v cmake >/dev/null 2>&1 || out="$out cmake"
    echo "$out"
}

mode=${1:-install}
case "$mode" in
    --check) [ -z "$(missing)" ]; exit $? ;;
    --if-missing) [ -z "$(missing)" ] && exit 0 ;;
    install) ;;
    *) echo "usage: $0 [--if-missing|--check]" >&2; exit 2 ;;
esac

echo "ffmsim: installing dependencies (missing:$(missing))"
if [ "$(uname -s)" = Darwin ]; then
    command -v brew >/dev/null 2>&1 || { echo "ffmsim: Homebrew is required on macOS" >&2; exit 1; }
    brew install cmocka libyaml lcov llvm pkg-config python pyyaml cmake
else
    command -v apt-get >/dev/null 2>&1 || {
        echo "ffmsim: no apt-get; install cmocka, libyaml, lcov, clang, pkg-config and" \
            "python3 with PyYAML by hand" >&2
        exit 1
    }
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO=sudo
    pkgs="libcmocka-dev libyaml-dev lcov clang pkg-config make python3 python3-yaml cmake libdw-dev zip"
    # libFuzzer and the sanitizer runtimes ship separately on newer Debian/Ubuntu releases.
    echo "ffmsim: apt-get install $pkgs (+ libclang-rt-dev where available)"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq $pkgs >/dev/null
    $SUDO apt-get install -y -qq libclang-rt-dev >/dev/null 2>&1 || true
fi

left=$(missing)
if [ -n "$left" ]; then
    echo "ffmsim: still missing after install:$left" >&2
    exit 1
fi
echo "ffmsim: dependencies ready"
