#!/bin/sh
# Create the demo database for `make run` if it does not exist yet.
# Usage: tools/demo-db.sh BINARY DB
# The demo's passphrase is "demo" (TAIZHANG_PASSPHRASE=demo).
set -eu
bin=$1
db=$2
[ -f "$db" ] && exit 0
export TAIZHANG_PASSPHRASE=demo
"$bin" --db "$db" init --role village --region 430181100201 --name 演示村 >/dev/null
"$bin" --db "$db" demo --seed 1 --villages 1 --households 300 >/dev/null
echo "taizhang: demo database $db (passphrase: demo)" >&2
