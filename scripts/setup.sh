#!/usr/bin/env bash
# Installs whatever NetGuard is missing on this machine, then returns.
#   scripts/setup.sh start   system packages for capture, npm dependencies, Next.js build
#   scripts/setup.sh test    the same plus the tools the test suite drives (tcpdump, tshark, nmap, ...)
#   scripts/setup.sh lab     only the apt packages of the traffic lab (lab/README.md), then stops
# Each step is skipped when already satisfied, so a second run takes a second.
set -euo pipefail
mode="${1:-start}"
cd "$(dirname "$0")/.."

say() { printf '[setup] %s\n' "$*" >&2; }

# --- system packages (Debian) ------------------------------------------------------------
apt_packages=(libpcap-dev python3 make g++)
if [ "$mode" = test ]; then
  apt_packages+=(tcpdump tshark tcpreplay nmap hping3 chromium python3-numpy python3-xgboost time)
fi
# The test suite drives the lab too (test/lab: an interrupted run leaves nothing behind).
if [ "$mode" = lab ] || [ "$mode" = test ]; then
  apt_packages+=(iproute2 ethtool tcpdump tshark nmap hping3 hydra slowhttptest apache2-utils openssh-server openssh-client sshpass vsftpd dnsmasq-base dnsutils nginx-light curl iputils-ping openssl wamerican)
fi
missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    # The lab's servers (sshd, nginx, vsftpd) run only inside its namespaces: keep Debian from
    # starting their system services on this host while installing them.
    no_autostart=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && no_autostart=1
    fi
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    if [ -n "$no_autostart" ]; then rm -f /usr/sbin/policy-rc.d; fi
  else
    say "missing system packages: ${missing[*]}"
    say "run as root:  sudo apt-get install -y ${missing[*]}"
    if printf '%s\n' "${missing[@]}" | grep -qx libpcap-dev; then
      say "libpcap-dev is required to build the capture module; stopping."
      exit 1
    fi
    say "continuing without them; the tests that need them will be skipped."
  fi
fi

# The lab needs only its system packages; npm and the build are the other modes' business.
if [ "$mode" = lab ]; then exit 0; fi

# --- npm dependencies --------------------------------------------------------------------
# node_modules is stale when package-lock.json changed since the last install.
lock_hash=$(sha1sum package-lock.json | cut -d' ' -f1)
stamp=node_modules/.netguard-lock-hash
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_hash" ]; then
  say "installing npm dependencies (npm ci; native modules build from source, ~2 min)"
  ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > "$stamp"
fi

# --- build -------------------------------------------------------------------------------
# The dashboard is rebuilt when any page or library file is newer than the last build
# (the server and browser tests run the built dashboard too).
if [ ! -f .next/BUILD_ID ] || [ -n "$(find app lib next.config.* package-lock.json -newer .next/BUILD_ID -print -quit 2>/dev/null)" ]; then
  say "building the dashboard (next build)"
  npx next build >/dev/null
fi
