#!/usr/bin/env bash
# Installs every tool the project builds and tests with, only where it is missing,
# so a second run takes seconds. Versions are pinned: trunk 0.22 needs a newer rustc,
# and wasm-bindgen-cli must equal the wasm-bindgen crate in Cargo.lock.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! trunk --version 2>/dev/null | grep -q " $TRUNK_VERSION"; then
  say "installing trunk $TRUNK_VERSION (about 9 minutes on 2 cores)"
  cargo install --locked "trunk@$TRUNK_VERSION"
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 3 minutes)"
  # Not --locked: one of its locked dependencies is no longer served.
  cargo install "wasm-bindgen-cli@$WASM_BINDGEN_VERSION"
fi

if ! command -v chromium >/dev/null 2>&1; then
  say "installing Debian's chromium for the browser tests"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium brotli >/dev/null
fi
# Firefox for the browser suite's Firefox run (tests/e2e/firefox.test.mjs), driven by
# puppeteer-core over WebDriver BiDi: Debian's ESR, no driver needed.
if ! command -v firefox-esr >/dev/null 2>&1; then
  say "installing Debian's firefox-esr for the browser tests"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends firefox-esr >/dev/null
fi
# WebKit, Safari's engine, for the suite's WebKit run (tests/e2e/webkit.test.mjs): Debian's
# WebKitWebDriver drives WebKitGTK's MiniBrowser over W3C WebDriver, inside Xvfb (it has no
# headless mode).
if ! command -v WebKitWebDriver >/dev/null 2>&1 || ! command -v Xvfb >/dev/null 2>&1; then
  say "installing Debian's WebKitGTK driver and Xvfb for the browser tests"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends webkit2gtk-driver xvfb xauth >/dev/null
fi
if ! command -v brotli >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq brotli >/dev/null || true
fi

# npm tools: playwright-core drives Debian's chromium and puppeteer-core Debian's Firefox
# (neither downloads a browser); scorm-again is the real SCORM runtime the LMS tests run
# against; binaryen ships the wasm-opt that works (Debian's binaryen 108 produces a module
# that fails to load).
if [ ! -d tests/node_modules ] || [ tests/package-lock.json -nt tests/node_modules/.package-lock.json ]; then
  say "installing the npm test tools"
  (cd tests && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi
say "tools ready"
