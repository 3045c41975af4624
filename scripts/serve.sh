#!/usr/bin/env bash
# Installs whatever is missing, then serves the site at http://127.0.0.1:8080/ with
# rebuilds on change. Pass --release for the optimized build.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
# public_url is "./" for deployable builds; the dev server needs an absolute base.
exec trunk serve --serve-base / --port "${PORT:-8080}" "$@"
