#!/bin/sh
# Before the files are unpacked (deb preinst, rpm %pre), on install and on
# upgrade: the system user and group gaoxin, made once. The service runs as
# gaoxin; the group reads /etc/gaoxin/gaoxin.env and /etc/gaoxin/audit.key.
set -e

if ! getent group gaoxin >/dev/null; then
	groupadd --system gaoxin
fi
if ! getent passwd gaoxin >/dev/null; then
	shell=/usr/sbin/nologin
	[ -x "$shell" ] || shell=/sbin/nologin
	[ -x "$shell" ] || shell=/bin/false
	useradd --system --gid gaoxin --home-dir /var/lib/gaoxin --no-create-home \
		--shell "$shell" --comment "gaoxin platform" gaoxin
fi
