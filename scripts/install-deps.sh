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
#   ... --m32                             also the ILP32 simulator's (make M32=1): gcc-multilib
#                                         and the i386 libyaml, CMocka and libdw (Debian multiarch)
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
    [ "$m32" -eq 0 ] || out="$out$(missing_m32)"
    echo "$out"
}

# The ILP32 build's needs: a compiler that links -m32 programs, and the i386 .pc files.
M32_PKG_LIBDIR=/usr/lib/i386-linux-gnu/pkgconfig
missing_m32() {
    probe=$(mktemp)
    if printf 'int main(void) { return 0; }\n' | ${CC:-cc} -m32 -x c - -o "$probe" >/dev/null 2>&1
    then
        # A kernel without IA-32 emulation runs them under qemu-user (scripts/m32-exec.sh).
        "$probe" 2>/dev/null || command -v qemu-i386 >/dev/null 2>&1 || printf ' qemu-user'
    else
        printf ' gcc-multilib'
    fi
    rm -f "$probe"
    PKG_CONFIG_LIBDIR=$M32_PKG_LIBDIR pkg-config --exists cmocka 2>/dev/null ||
        printf ' libcmocka-dev:i386'
    PKG_CONFIG_LIBDIR=$M32_PKG_LIBDIR pkg-config --exists yaml-0.1 2>/dev/null ||
        printf ' libyaml-dev:i386'
    # libdw names what dladdr cannot (a fault in libc's local string functions, file:line)
    PKG_CONFIG_LIBDIR=$M32_PKG_LIBDIR pkg-config --exists libdw 2>/dev/null ||
        printf ' libdw-dev:i386'
    # libc's symbols (its string functions are local ones), where dpkg can tell
    if command -v dpkg-query >/dev/null 2>&1; then
        dpkg-query -W -f '${Status}' libc6-dbg:i386 2>/dev/null | grep -q ' installed$' ||
            printf ' libc6-dbg:i386'
    fi
}

m32=0
mode=install
for arg in "$@"; do
    case "$arg" in
        --m32) m32=1 ;;
        *) mode=$arg ;;
    esac
done
case "$mode" in
    --check) [ -z "$(missing)" ]; exit $? ;;
    --if-missing) [ -z "$(missing)" ] && exit 0 ;;
    install) ;;
    *) echo "usage: $0 [--if-missing|--check] [--m32]" >&2; exit 2 ;;
esac

echo "ffmsim: installing dependencies (missing:$(missing))"
if [ "$(uname -s)" = Darwin ]; then
    command -v brew >/dev/null 2>&1 || { echo "ffmsim: Homebrew is required on macOS" >&2; exit 1; }
    brew install cmocka libyaml lcov llvm pkg-config python pyyaml cmake
    [ "$m32" -eq 0 ] || { echo "ffmsim: macOS cannot run 32-bit programs: no M32=1 build" >&2; exit 1; }
else
    command -v apt-get >/dev/null 2>&1 || {
        echo "ffmsim: no apt-get; install cmocka, libyaml, lcov, clang, pkg-config and" \
            "python3 with PyYAML by hand" >&2
        exit 1
    }
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO=sudo
    # libc6-dbg: libc's own symbols, so that a fault inside libc names the function
    pkgs="libcmocka-dev libyaml-dev lcov clang pkg-config make python3 python3-yaml cmake libdw-dev zip libc6-dbg"
    # libFuzzer and the sanitizer runtimes ship separately on newer Debian/Ubuntu releases.
    echo "ffmsim: apt-get install $pkgs (+ libclang-rt-dev where available)"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq $pkgs >/dev/null
    $SUDO apt-get install -y -qq libclang-rt-dev >/dev/null 2>&1 || true
    if [ "$m32" -eq 1 ]; then
        echo "ffmsim: i386 multiarch; apt-get install gcc-multilib libyaml-dev:i386" \
            "libcmocka-dev:i386 libdw-dev:i386 libc6-dbg:i386"
        $SUDO dpkg --add-architecture i386
        $SUDO apt-get update -qq
        $SUDO apt-get install -y -qq gcc-multilib libyaml-dev:i386 libcmocka-dev:i386 \
            libdw-dev:i386 libc6-dbg:i386 >/dev/null
        case "$(missing_m32)" in
            *qemu-user*) echo "ffmsim: this kernel does not run i386 programs: apt-get install qemu-user"
                $SUDO apt-get install -y -qq qemu-user >/dev/null ;;
        esac
    fi
fi

left=$(missing)
if [ -n "$left" ]; then
    echo "ffmsim: still missing after install:$left" >&2
    exit 1
fi
echo "ffmsim: dependencies ready"
