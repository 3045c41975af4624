#!/usr/bin/env bash
# Packages the built dist/ as SCORM 1.2 and SCORM 2004 zips (imsmanifest.xml at the root)
# in dist-scorm/. Builds dist/ first if it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
[ -f dist/index.html ] || bash scripts/build.sh
cargo run -q --release -p aesop-lms --bin package-scorm -- dist dist-scorm
