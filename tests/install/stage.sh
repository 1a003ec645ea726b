# stage.sh - sourced by the install tests (install.sh, doc_snippets.sh): `stage DIR` installs this tree's build
# ($BUILD, $CC) into DIR with PREFIX=/usr/local through `make install-files`, the way a user's
# `make install DESTDIR=DIR` does, and sets $PREFIX_DIR to DIR/usr/local. The jobserver of the
# outer make is not passed on: the install only copies files the build already made.
stage() {
    rm -rf "$1"
    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s --no-print-directory install-files \
        BUILD="$BUILD" CC="$CC" DESTDIR="$1" PREFIX=/usr/local > "$1.log" 2>&1 || {
        cat "$1.log"
        return 1
    }
    PREFIX_DIR="$1/usr/local"
}

# outside_tree: a fresh empty directory outside the source tree (so nothing can be found
# through relative paths to it); removed by the caller's trap.
outside_tree() {
    mktemp -d "${TMPDIR:-/tmp}/ffmsim-test.XXXXXX"
}

# CMocka-style result lines for scripts/run-tests.sh, and the closing summary.
pass=0
fail=0
ok() { echo "[       OK ] $1"; pass=$((pass + 1)); }
ko() { echo "[  FAILED  ] $1"; shift; echo "    $*"; fail=$((fail + 1)); }
summary() {
    echo "[  PASSED  ] $pass test(s)."
    [ $fail -eq 0 ] || echo "[  FAILED  ] $fail test(s)"
    [ $fail -eq 0 ]
}
