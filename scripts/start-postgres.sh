#!/usr/bin/env bash
# Install (if missing) and start a local PostgreSQL server from Debian's packages, create the
# role and database the tests use, and print the DSN. Idempotent; needs root (as in CI).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  apt-get update -qq >&2
  apt-get install -y -qq postgresql postgresql-contrib >/dev/null
fi
ver=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h 2>/dev/null | awk '{print $1}' | grep -qx "$ver"; then
  pg_createcluster "$ver" main >/dev/null 2>&1
fi
pg_ctlcluster "$ver" main start >/dev/null 2>&1 || true
for _ in $(seq 1 30); do
  pg_isready -q -h localhost && break
  sleep 1
done
pg_isready -h localhost >/dev/null 2>&1 || { echo "PostgreSQL did not start" >&2; exit 1; }
psql_pg() { su postgres -c "psql -v ON_ERROR_STOP=1 -qAt -c \"$1\""; }
[ "$(psql_pg "SELECT 1 FROM pg_roles WHERE rolname='chitieu'")" = "1" ] || \
  psql_pg "CREATE ROLE chitieu LOGIN SUPERUSER PASSWORD 'chitieu'" >/dev/null
[ "$(psql_pg "SELECT 1 FROM pg_database WHERE datname='chitieu_test'")" = "1" ] || \
  psql_pg "CREATE DATABASE chitieu_test OWNER chitieu" >/dev/null
echo "postgresql://chitieu:chitieu@localhost:5432/chitieu_test"
