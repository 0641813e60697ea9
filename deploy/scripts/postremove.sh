#!/bin/sh
# After the files are gone (deb postrm, rpm %postun): systemd forgets the
# unit. The database and checkpoints (/var/lib/gaoxin), the audit key and
# the gaoxin user stay, even on purge: the audit trail of a database kept
# is verified with its key. (A deb purge removes /etc/gaoxin/gaoxin.env.)
set -e

if [ -d /run/systemd/system ]; then
	systemctl daemon-reload >/dev/null 2>&1 || true
fi
