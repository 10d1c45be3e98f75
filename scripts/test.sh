#!/usr/bin/env bash
# The test command (`npm test`): installs what the tests need on a fresh machine — Debian packages listed in
# scripts/test-packages/*.txt and the npm packages — builds, then runs every mocha test.
set -euo pipefail
cd "$(dirname "$0")/.."

pkgs=$(cat scripts/test-packages/*.txt 2>/dev/null | sed 's/#.*//' | tr -s ' \n\t' ' ')
if [ -n "${pkgs// /}" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    missing=()
    for p in $pkgs; do
      dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
      echo "test: installing Debian packages: ${missing[*]}"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
  else
    echo "test: not root (or no apt-get): not installing Debian packages ($pkgs); lab tests will skip" >&2
  fi
fi

if [ ! -d node_modules ] || [ package.json -nt node_modules/.package-lock.json ]; then
  npm install --no-audit --no-fund
fi
rm -rf dist
npx tsc -p tsconfig.json
node scripts/precompile-schemas.mjs
exec npx mocha --config .mocharc.json 'dist/test/**/*.test.js' "$@"
