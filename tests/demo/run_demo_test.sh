#!/usr/bin/env bash
# The CI check of tools/demo (issue 9): runs `tools/demo --voters 20 --seed 1` in a clean
# temporary directory (state in a fresh temp dir, output in ./demo-output) and checks the
# exit code, the printed protocol PDF, the export's signature with stock OpenSSL and the
# audit verdict. Arguments: the source dir and the build dir to use.
set -euo pipefail
src=$1
build=$2
work=$(mktemp -d /tmp/ballotbox-demo-test.XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work"
rc=0
BALLOTBOX_DEMO_BUILD_DIR=$build "$src/tools/demo" --voters 20 --seed 1 >demo.log 2>&1 || rc=$?
tail -40 demo.log
fail() { echo "demo test: $*" >&2; exit 1; }
[ "$rc" -eq 0 ] || fail "tools/demo exited with $rc"
grep -q '^demo: all steps passed$' demo.log || fail "tools/demo did not report that all steps passed"
pdf=demo-output/protocol.pdf
[ -s "$pdf" ] || fail "no protocol PDF in demo-output/"
[ "$(head -c 5 "$pdf")" = "%PDF-" ] || fail "demo-output/protocol.pdf is not a PDF"
# The demo's cups-pdf queue writes each page as a 300 dpi image, with no text layer (pdftotext
# gives only page breaks), so the check is that page 1, rendered in grey, is not blank.
dark=$(pdftoppm -r 30 -gray -f 1 -l 1 "$pdf" | tail -n +4 | od -An -v -tu1 \
  | awk '{ for (i = 1; i <= NF; i++) if ($i < 128) d++ } END { print d + 0 }')
[ "$dark" -gt 100 ] || fail "page 1 of the protocol PDF is blank ($dark dark pixels at 30 dpi)"
e=demo-output/export
for f in protocol.json protocol.json.sig appliance.pub.pem checkpoint.txt protocol.nist.json; do
  [ -s "$e/$f" ] || fail "the export lacks $f"
done
openssl pkeyutl -verify -pubin -inkey "$e/appliance.pub.pem" -rawin -in "$e/protocol.json" \
  -sigfile "$e/protocol.json.sig" || fail "the export's signature does not verify"
grep -q '"training":true' "$e/protocol.json" || fail "the exported protocol is not marked training"
grep -q '^audit verdict: ' demo.log || fail "no audit verdict in the demo's summary"
echo "demo test: passed"
