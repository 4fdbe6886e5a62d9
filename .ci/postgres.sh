# Source it: `start_postgres DIR PORT` installs PostgreSQL (Debian's
# packages) when missing, starts a throwaway server on 127.0.0.1:PORT with
# its data in DIR (trust auth on loopback, fsync off: it is thrown away),
# exports TEST_DATABASE_URL and PG* for psql, and stops it on exit.

pg_bindir() {
    local dir
    for dir in "$(pg_config --bindir 2>/dev/null)" /usr/lib/postgresql/*/bin; do
        [[ -x $dir/initdb && -x $dir/pg_ctl ]] && { echo "$dir"; return; }
    done
    return 1
}

install_postgres() {
    command -v apt-get >/dev/null || { echo "error: need PostgreSQL 15+, and no apt-get" >&2; exit 2; }
    local sudo=
    [[ $(id -u) == 0 ]] || sudo=sudo
    $sudo apt-get install -y postgresql postgresql-client \
        || { $sudo apt-get update && $sudo apt-get install -y postgresql postgresql-client; }
}

start_postgres() {
    local dir=$1 port=$2 bin
    bin=$(pg_bindir) || { install_postgres; bin=$(pg_bindir); }
    # initdb refuses to run as root: the server runs as the `postgres` user.
    local as=()
    if [[ $(id -u) == 0 ]]; then
        id postgres >/dev/null 2>&1 || useradd --system --home-dir "$dir" postgres
        as=(runuser -u postgres --)
    fi
    rm -rf "$dir"
    mkdir -p "$dir"
    [[ ${#as[@]} -gt 0 ]] && chown postgres "$dir"
    "${as[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -o "-p $port -k $dir -c listen_addresses=127.0.0.1 \
        -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400" start >/dev/null
    PG_STOP=("${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop)
    trap 'status=$?; "${PG_STOP[@]}" >/dev/null 2>&1; exit $status' EXIT
    export PGHOST=127.0.0.1 PGPORT=$port PGUSER=postgres PGDATABASE=postgres
    export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
    "$bin/psql" -qAtc "SELECT version()"
}
