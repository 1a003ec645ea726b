#!/bin/sh
# help2man.sh TOOL VERSION - a man page (roff, section 1) from TOOL --help, so the installed
# page says exactly what the program says (install/install.mk). The first line of the help is
# the synopsis, the first paragraph after it the description; the rest is kept verbatim.
set -eu
tool=$1
version=$2
name=$(basename "$tool")
help=$("$tool" --help)
summary=$(printf '%s\n' "$help" | awk 'NR > 1 && NF { print; exit }')
echo ".TH $(echo "$name" | tr a-z A-Z) 1 \"\" \"ffmsim $version\" \"User Commands\""
echo ".SH NAME"
echo "$name \\- $summary"
echo ".SH SYNOPSIS"
echo ".nf"
printf '%s\n' "$help" | sed -n '1,/^$/p' | sed -e 's/^usage: //' -e 's/\\/\\e/g' -e 's/^[.'\'']/\\\&&/'
echo ".fi"
echo ".SH DESCRIPTION"
echo ".nf"
printf '%s\n' "$help" | sed '1,/^$/d' | sed -e 's/\\/\\e/g' -e 's/^[.'\'']/\\\&&/'
echo ".fi"
echo ".SH SEE ALSO"
echo "ffm-manifest(1), ffm-sim(1); the ffmsim documentation (docs/README.md in the source tree)."
