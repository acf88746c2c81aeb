#!/usr/bin/env bash
# Make sure Debian's chromium is installed for the viewer's end-to-end test (driven by
# playwright-core with executablePath /usr/bin/chromium; `npx playwright install` downloads a
# browser build and does not work here). Installs it with apt-get when missing and we are root;
# otherwise says loudly that the browser tests will be skipped, and exits 0.
set -u
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
  echo "ensure-chromium: $CHROMIUM present ($("$CHROMIUM" --version 2>/dev/null || echo 'version unknown'))"
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: $CHROMIUM missing, installing Debian's chromium with apt-get"
  if apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; then
    if [ -x "$CHROMIUM" ]; then
      echo "ensure-chromium: installed $("$CHROMIUM" --version 2>/dev/null)"
      exit 0
    fi
  fi
fi
echo "=====================================================================" >&2
echo "ensure-chromium: WARNING: no chromium at $CHROMIUM and it could not be installed" >&2
echo "ensure-chromium: (need root and apt-get). The viewer's browser tests WILL BE SKIPPED." >&2
echo "=====================================================================" >&2
exit 0
