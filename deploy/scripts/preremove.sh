#!/bin/sh
# Before the files go (deb prerm, rpm %preun): on removal, not on upgrade,
# stop and disable the service when systemd runs.
set -e

# deb: "remove" (or "upgrade", "deconfigure"…); rpm: 0 on removal, 1 on upgrade.
case "${1:-}" in
remove | 0) ;;
*) exit 0 ;;
esac

if [ -d /run/systemd/system ]; then
	systemctl --no-reload disable --now gaoxin.service >/dev/null 2>&1 || true
fi
