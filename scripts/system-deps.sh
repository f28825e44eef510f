#!/bin/sh
# What vpcwire needs from the operating system, beyond Python and Terraform.
#
#   sh scripts/system-deps.sh          nftables (the sandbox's packet data plane); optional:
#                                      without it vpcwire says what is missing and still
#                                      verifies. Diagrams need nothing beyond pip.
#   sh scripts/system-deps.sh --test   also Chromium and npm, and Mermaid's bundle in
#                                      .ci/node_modules: the diagram tests open the HTML in a real
#                                      browser and render the Mermaid with Mermaid itself.
#
# Debian/Ubuntu packages through apt-get (run as root, as CI and the sandbox's data plane do);
# nothing is installed when everything is already there. Without --test a failure only warns;
# with --test it stops, since the tests would fail anyway.
set -u
want="nft:nftables"
[ "${1:-}" = "--test" ] && want="$want chromium:chromium npm:npm"

missing=""
for pair in $want; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing="$missing ${pair#*:}"
done
if [ -n "$missing" ]; then
  echo "system-deps: installing$missing" >&2
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null; }; then
    echo "system-deps: could not install$missing (needs root and apt-get); install them yourself" >&2
    [ "${1:-}" = "--test" ] && exit 1
  fi
fi
if [ "${1:-}" = "--test" ] && [ ! -f .ci/node_modules/mermaid/dist/mermaid.min.js ]; then
  # npm sometimes keeps a registry connection open after it has written every file: bound
  # its wait, and judge the install by the file the tests need.
  timeout 600 npm install --prefix .ci --silent --no-audit --no-fund --no-update-notifier mermaid@11
  [ -f .ci/node_modules/mermaid/dist/mermaid.min.js ] || exit 1
fi
exit 0
