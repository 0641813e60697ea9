#!/bin/sh
# After the files are in place (deb postinst, rpm %post): the audit key and
# the state directory, made once; systemd told of the unit, and a running
# server restarted on upgrade. Works without systemd (a chroot, a
# container): it then only makes the files.
set -e

# deb: "configure" with the version replaced, if any; rpm: 1 on install,
# 2 or more on upgrade. Other deb calls (abort-upgrade…) have nothing to do.
upgrade=false
case "${1:-}" in
configure) [ -z "${2:-}" ] || upgrade=true ;;
[0-9]*) [ "$1" -lt 2 ] || upgrade=true ;;
*) exit 0 ;;
esac

# The audit chain's HMAC key (GAOXIN_AUDIT_KEY_FILE): 48 random bytes in
# base64, readable by the service's group only. Never replaced: rows
# written under a key are verified with that key.
key=/etc/gaoxin/audit.key
if [ ! -e "$key" ]; then
	tmp=$(mktemp /etc/gaoxin/.audit.key.XXXXXX)
	head -c 48 /dev/urandom | base64 >"$tmp"
	chown root:gaoxin "$tmp"
	chmod 0640 "$tmp"
	mv "$tmp" "$key"
fi

# The SQLite database and its audit checkpoints go here; systemd's
# StateDirectory= makes it too, but the CLI may run before the first start.
if [ ! -d /var/lib/gaoxin ]; then
	install -d -o gaoxin -g gaoxin -m 0750 /var/lib/gaoxin
fi

if [ -d /run/systemd/system ]; then
	systemctl daemon-reload >/dev/null 2>&1 || true
	if [ "$upgrade" = true ]; then
		systemctl try-restart gaoxin.service >/dev/null 2>&1 || true
	fi
fi

if [ "$upgrade" = false ]; then
	cat <<'MSG'
gaoxin 已安装：编辑 /etc/gaoxin/gaoxin.env，然后 systemctl enable --now gaoxin；
nginx 示例站点见 /usr/share/gaoxin/nginx/gaoxin.conf。
gaoxin is installed: edit /etc/gaoxin/gaoxin.env, then systemctl enable --now gaoxin;
a sample nginx site is /usr/share/gaoxin/nginx/gaoxin.conf.
MSG
fi
