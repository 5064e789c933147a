#!/usr/bin/env bash
# Installs the real peers that tests and benchmarks talk to, from Debian's packages:
#   logger (util-linux), syslog-ng (loggen), rsyslog, Chromium, and the readers the incident
#   reports are checked with: pdftotext (poppler-utils), LibreOffice headless (libreoffice-writer-nogui).
# rsyslog and syslog-ng conflict as packages (both are "the" system logger), so rsyslog is
# unpacked into .cache/rsyslog instead of installed; tests run it with its own config.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${CANHGAC_CACHE:-$here/.cache}"
mkdir -p "$cache"
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"

need=()
command -v logger >/dev/null || need+=(bsdutils)
command -v loggen >/dev/null || need+=(syslog-ng-core)
command -v chromium >/dev/null || need+=(chromium)
command -v openssl >/dev/null || need+=(openssl)
command -v pdftotext >/dev/null || need+=(poppler-utils)
command -v soffice >/dev/null || need+=(libreoffice-writer-nogui)
# rsyslog's libraries, so the unpacked rsyslogd runs
for lib in libestr0 libfastjson4 liblognorm5; do dpkg -s "$lib" >/dev/null 2>&1 || need+=("$lib"); done
if [ ${#need[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
if [ ! -x "$cache/rsyslog/usr/sbin/rsyslogd" ]; then
  tmp="$(mktemp -d)"
  (cd "$tmp" && apt-get download rsyslog >/dev/null 2>&1 || { $SUDO apt-get update -qq && apt-get download rsyslog >/dev/null; })
  rm -rf "$cache/rsyslog"
  dpkg-deb -x "$tmp"/rsyslog_*.deb "$cache/rsyslog"
  rm -rf "$tmp"
fi
"$cache/rsyslog/usr/sbin/rsyslogd" -v | head -1
echo "peers ready: logger, loggen, rsyslogd ($cache/rsyslog/usr/sbin/rsyslogd), chromium"
