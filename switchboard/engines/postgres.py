"""PostgreSQL as a dbt target: a throwaway server for a run, raw data by COPY.

`PostgresEngine.start()` initialises a new cluster in a private temporary directory
and runs `postgres` listening only on a unix socket there (no TCP port, so parallel
runs never collide), with durability switched off (the data is rebuilt every run).
The server is a child process that dies with this one (PR_SET_PDEATHSIG), and
`stop()` shuts it down and deletes the directory, also after a failure or Ctrl-C.

PostgreSQL refuses to run as root: when this process is root, initdb and the server
run as an unprivileged user (`postgres`, which Debian's package creates; override
with SWITCHBOARD_PG_OS_USER). The binaries are found in SWITCHBOARD_PG_BIN, else in
the newest /usr/lib/postgresql/<version>/bin, else on PATH.

`load_raw()` copies the `raw` and `loader` schemas of a DuckDB file written by
switchboard.loader: every raw column stays text (the loader's varchar), loader
bookkeeping keeps its bigint/timestamp types, NULL and '' stay distinct (CSV with
quoted empty strings).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb

from switchboard import loader

DATABASE = "switchboard"
SUPERUSER = "switchboard"
SCHEMAS = (loader.RAW_SCHEMA, loader.LOADER_SCHEMA)
_PR_SET_PDEATHSIG = 1

# A throwaway server: nothing needs to survive a crash, so skip every flush.
SERVER_SETTINGS = {
    "listen_addresses": "",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "wal_level": "minimal",
    "max_wal_senders": "0",
    "max_wal_size": "2GB",
    "shared_buffers": "512MB",
    "work_mem": "64MB",
    "maintenance_work_mem": "256MB",
    "max_parallel_workers_per_gather": "0",
    "jit": "off",
    # Import CTEs referenced twice are materialised without column statistics, so
    # multi-key joins are estimated at one row and planned as nested loops that
    # run for minutes (kpi_alerts, kpi_alert_drilldown); hash and merge joins
    # are right for every model here. Documented for other servers in README.
    "enable_nestloop": "off",
    "max_connections": "20",
    "timezone": "UTC",
    "log_timezone": "UTC",
    "lc_messages": "C",
}

# DuckDB column types of the loader's tables -> PostgreSQL types.
_TYPES = {
    "VARCHAR": "text",
    "BIGINT": "bigint",
    "INTEGER": "integer",
    "TIMESTAMP": "timestamp",
    "DOUBLE": "double precision",
    "BOOLEAN": "boolean",
}


class PostgresError(Exception):
    """The throwaway server could not be started or loaded; the message says why."""


def binary_dir() -> Path:
    """Where initdb and postgres are (SWITCHBOARD_PG_BIN, Debian's layout, or PATH)."""
    configured = os.environ.get("SWITCHBOARD_PG_BIN")
    if configured:
        return Path(configured)
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda path: int(path.parent.parent.name) if path.parent.parent.name.isdigit() else 0,
    )
    if versions:
        return versions[-1].parent
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    raise PostgresError(
        "PostgreSQL server binaries not found (initdb): install Debian's `postgresql` "
        "package or set SWITCHBOARD_PG_BIN"
    )


def _die_with_parent() -> None:
    """In the child, after the user switch: SIGINT (fast shutdown) when the parent dies."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGINT)


class PostgresEngine:
    """A throwaway PostgreSQL server on a unix socket, for one run."""

    name = "postgres"

    def __init__(self) -> None:
        self.server_dir: Path | None = None
        self.log_file: Path | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._os_user: pwd.struct_passwd | None = None
        self._attached: dict[str, Any] | None = None

    # -- server -------------------------------------------------------------------

    @property
    def socket_dir(self) -> Path:
        if self.server_dir is None:
            raise PostgresError("the server is not started")
        return self.server_dir / "socket"

    def _user_arguments(self) -> dict[str, Any]:
        if self._os_user is None:
            return {}
        return {
            "user": self._os_user.pw_uid,
            "group": self._os_user.pw_gid,
            "extra_groups": [],
        }

    def _chown(self, path: Path) -> None:
        if self._os_user is not None:
            os.chown(path, self._os_user.pw_uid, self._os_user.pw_gid)

    def start(self, work_dir: Path) -> None:
        """Initialises and starts a server; its log is kept as work_dir/postgres.log."""
        work_dir.mkdir(parents=True, exist_ok=True)
        binaries = binary_dir()
        if os.geteuid() == 0:
            name = os.environ.get("SWITCHBOARD_PG_OS_USER", "postgres")
            try:
                self._os_user = pwd.getpwnam(name)
            except KeyError as error:
                raise PostgresError(
                    f"running as root, but there is no user '{name}' to run PostgreSQL as "
                    "(PostgreSQL refuses root): install the `postgresql` package or set "
                    "SWITCHBOARD_PG_OS_USER"
                ) from error
        # A short private path in the system temp dir: the socket path must stay under
        # 107 bytes and every ancestor must be traversable by the server's user.
        self.server_dir = Path(tempfile.mkdtemp(prefix="switchboard-pg-"))
        self.server_dir.chmod(0o755)
        self._chown(self.server_dir)
        data_dir = self.server_dir / "data"
        self.socket_dir.mkdir()
        self._chown(self.socket_dir)
        self.log_file = work_dir / "postgres.log"
        server_log = self.server_dir / "server.log"
        environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C.UTF-8"}
        initdb = subprocess.run(
            [
                str(binaries / "initdb"),
                "--pgdata",
                str(data_dir),
                "--username",
                SUPERUSER,
                "--auth",
                "trust",
                "--encoding",
                "UTF8",
                "--locale",
                "C.UTF-8",
                "--no-sync",
            ],
            cwd=self.server_dir,
            env=environment,
            capture_output=True,
            text=True,
            check=False,
            **self._user_arguments(),
        )
        if initdb.returncode != 0:
            raise PostgresError(f"initdb failed:\n{initdb.stdout}\n{initdb.stderr}")
        settings = [f"--{key}={value}" for key, value in SERVER_SETTINGS.items()]
        with server_log.open("wb") as log:
            self._chown(server_log)
            self._process = subprocess.Popen(
                [
                    str(binaries / "postgres"),
                    "-D",
                    str(data_dir),
                    "-k",
                    str(self.socket_dir),
                    *settings,
                ],
                cwd=self.server_dir,
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_die_with_parent,  # this process runs no threads here
                **self._user_arguments(),
            )
        self._wait_ready(server_log)
        with self._connect("postgres") as connection:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(f"create database {DATABASE}")

    def _wait_ready(self, server_log: Path, timeout: float = 60.0) -> None:
        import psycopg2

        deadline = time.monotonic() + timeout
        while True:
            if self._process is not None and self._process.poll() is not None:
                raise PostgresError(f"postgres exited at start:\n{server_log.read_text()}")
            try:
                psycopg2.connect(**self._connection_arguments("postgres")).close()
                return
            except psycopg2.OperationalError as error:
                if time.monotonic() > deadline:
                    raise PostgresError(f"postgres did not accept connections: {error}") from error
                time.sleep(0.2)

    def stop(self) -> None:
        """Fast shutdown (immediate after 30 s), then deletes the server directory."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.send_signal(signal.SIGQUIT)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        server_dir, self.server_dir = self.server_dir, None
        if server_dir is not None:
            server_log = server_dir / "server.log"
            if self.log_file is not None and server_log.exists():
                with contextlib.suppress(OSError):
                    shutil.copyfile(server_log, self.log_file)
            shutil.rmtree(server_dir, ignore_errors=True)

    # -- connections --------------------------------------------------------------

    def attach(self, environment: dict[str, str] | None = None) -> None:
        """Uses an existing server instead of starting one: the one profiles/profiles.yml's
        `postgres` target points at (SWITCHBOARD_PG_HOST, _PORT, _USER, _PASSWORD,
        _DATABASE, with the profile's defaults). stop() then leaves it running."""
        env = os.environ if environment is None else environment
        self._attached = {
            "host": env.get("SWITCHBOARD_PG_HOST", "localhost"),
            "port": int(env.get("SWITCHBOARD_PG_PORT", "5432")),
            "user": env.get("SWITCHBOARD_PG_USER", SUPERUSER),
            "password": env.get("SWITCHBOARD_PG_PASSWORD", ""),
            "dbname": env.get("SWITCHBOARD_PG_DATABASE", DATABASE),
            "connect_timeout": 30,
        }

    def _connection_arguments(self, database: str = DATABASE) -> dict[str, Any]:
        if self._attached is not None:
            return dict(self._attached)
        return {
            "host": str(self.socket_dir),
            "port": 5432,
            "user": SUPERUSER,
            "dbname": database,
            "connect_timeout": 10,
        }

    @contextlib.contextmanager
    def _connect(self, database: str = DATABASE) -> Iterator[Any]:
        import psycopg2

        connection = psycopg2.connect(**self._connection_arguments(database))
        try:
            yield connection
        finally:
            connection.close()

    def dbt_environment(self) -> dict[str, str]:
        """Points profiles/profiles.yml's `postgres` target at the throwaway server."""
        arguments = self._connection_arguments()
        return {
            "SWITCHBOARD_TARGET": self.name,
            "SWITCHBOARD_PG_HOST": arguments["host"],
            "SWITCHBOARD_PG_PORT": str(arguments["port"]),
            "SWITCHBOARD_PG_USER": arguments["user"],
            "SWITCHBOARD_PG_PASSWORD": str(arguments.get("password", "")),
            "SWITCHBOARD_PG_DATABASE": arguments["dbname"],
            "SWITCHBOARD_PG_SCHEMA": "main",
        }

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        with self._connect() as connection, connection.cursor() as cursor:
            cursor.execute(sql)
            return list(cursor.fetchall())

    # -- raw data -----------------------------------------------------------------

    def load_raw(self, loaded: Path) -> None:
        """Copies every table of the raw and loader schemas of `loaded` by COPY (CSV),
        replacing those schemas, in one transaction."""
        if self.server_dir is None and self._attached is None:
            raise PostgresError("the server is not started (start() or attach() first)")
        source = duckdb.connect(str(loaded), read_only=True)
        try:
            tables = source.execute(
                "select table_schema, table_name from information_schema.tables "
                "where table_schema in (?, ?) order by table_schema, table_name",
                list(SCHEMAS),
            ).fetchall()
            with self._connect() as connection:
                with connection.cursor() as cursor:
                    for schema in SCHEMAS:
                        cursor.execute(f'drop schema if exists "{schema}" cascade')
                        cursor.execute(f'create schema "{schema}"')
                    with tempfile.TemporaryDirectory(prefix="switchboard-copy-") as exports:
                        for schema, table in tables:
                            self._copy_table(source, cursor, schema, table, Path(exports))
                connection.commit()
        finally:
            source.close()

    def _copy_table(
        self,
        source: duckdb.DuckDBPyConnection,
        cursor: Any,
        schema: str,
        table: str,
        exports: Path,
    ) -> None:
        columns = source.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = ? and table_name = ? order by ordinal_position",
            [schema, table],
        ).fetchall()
        definition = ", ".join(f'"{name}" {_pg_type(data_type)}' for name, data_type in columns)
        cursor.execute(f'create table "{schema}"."{table}" ({definition})')
        export = exports / f"{schema}-{table}.csv"
        try:
            # NULL is an unquoted empty field, '' a quoted one: both engines read it so.
            source.execute(f'copy "{schema}"."{table}" to \'{export}\' (format csv, header false)')
            with export.open("rb") as handle:
                cursor.copy_expert(
                    f'copy "{schema}"."{table}" from stdin with (format csv, header false)',
                    handle,
                )
        finally:
            export.unlink(missing_ok=True)
        cursor.execute(f'analyze "{schema}"."{table}"')


def _pg_type(duckdb_type: str) -> str:
    try:
        return _TYPES[duckdb_type.upper()]
    except KeyError as error:
        raise PostgresError(f"no PostgreSQL type for loader column type {duckdb_type}") from error
