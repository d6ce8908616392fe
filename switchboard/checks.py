"""Project checks over dbt artifacts and the built warehouse.

Three checks, each printing one line per problem and exiting non-zero on any:

- ``docs``: marts models and their columns are documented, every model states
  its grain ("one row per ..."), every metric macro is documented.
- ``conventions``: naming per layer, staging and marts lineage rules, tests
  and uniqueness tests, ``meta.contract`` on raw-contract sources.
- ``privacy``: no PII column name and no PII value in schema ``marts``
  (docs/spec/outputs.md, Privacy).

Usage::

    python -m switchboard.checks docs --manifest target/manifest.json [--warehouse FILE]
    python -m switchboard.checks conventions --manifest target/manifest.json
    python -m switchboard.checks privacy --warehouse warehouse/switchboard.duckdb

The ``check_*`` functions return the problems as strings so that the CLI and
the tests can call them without a subprocess.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb

Manifest = Mapping[str, Any]
Node = Mapping[str, Any]

MARTS_SCHEMA = "marts"
STAGING_SCHEMA = "staging"

SNAKE_CASE = r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*"
# The grain sentence of a model description: "One row per ticket ...".
GRAIN_WORD = re.compile(r"\brow\b", re.IGNORECASE)
UNIQUENESS_TESTS = frozenset({"unique", "unique_combination"})
# Sources that are loader bookkeeping, not raw-contract tables (models/audit).
NON_CONTRACT_SOURCES = frozenset({"loader"})

# Staging columns whose values must never appear in marts (schema, table, column).
PII_VALUE_COLUMNS: tuple[tuple[str, str, str], ...] = (
    (STAGING_SCHEMA, "stg_helpdesk__agents", "agent_name"),
    (STAGING_SCHEMA, "stg_helpdesk__agents", "email"),
    (STAGING_SCHEMA, "stg_helpdesk__customers", "email"),
    (STAGING_SCHEMA, "stg_surveys__survey_responses", "comment"),
)
EMAIL_PATTERN = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
TEXT_TYPES = ("VARCHAR", "TEXT", "STRING", "CHAR", "BPCHAR")
MAX_VALUES_PER_COLUMN = 5


# --------------------------------------------------------------------------- helpers


def load_manifest(path: Path) -> dict[str, Any]:
    with Path(path).open() as handle:
        manifest: dict[str, Any] = json.load(handle)
    return manifest


def _project_name(manifest: Manifest) -> str | None:
    name = manifest.get("metadata", {}).get("project_name")
    return str(name) if name else None


def _own(manifest: Manifest, node: Node) -> bool:
    project = _project_name(manifest)
    return project is None or node.get("package_name") == project


def project_models(manifest: Manifest) -> list[Node]:
    """The project's models (not those of installed packages), sorted by path."""
    models = [
        node
        for node in manifest.get("nodes", {}).values()
        if node.get("resource_type") == "model" and _own(manifest, node)
    ]
    return sorted(models, key=lambda node: (_path(node), str(node.get("name"))))


def _path(node: Node) -> str:
    return str(node.get("original_file_path") or node.get("path") or node.get("unique_id"))


def _is_marts(node: Node) -> bool:
    return node.get("schema") == MARTS_SCHEMA or _path(node).startswith("models/marts/")


def _meta(node: Node) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    meta.update(node.get("meta") or {})
    meta.update((node.get("config") or {}).get("meta") or {})
    return meta


def _blank(text: object) -> bool:
    return not str(text or "").strip()


def _warehouse_columns(warehouse: Path, schema: str) -> dict[str, list[str]]:
    """Column names of every table and view of `schema`, by lower-cased relation name."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        rows = connection.execute(
            """
            select table_name, column_name
            from information_schema.columns
            where table_schema = ?
            order by table_name, ordinal_position
            """,
            [schema],
        ).fetchall()
    result: dict[str, list[str]] = {}
    for table_name, column_name in rows:
        result.setdefault(str(table_name).lower(), []).append(str(column_name))
    return result


# --------------------------------------------------------------------------- docs


def check_docs(manifest: Manifest, warehouse: Path | None = None) -> list[str]:
    """Documentation problems, one line each.

    Columns of a marts model are those of its YAML (the contract columns of an
    enforced contract) plus, when `warehouse` is given, those of the built
    relation: a built column missing from the YAML has no description either.
    """
    problems: list[str] = []
    built = _warehouse_columns(warehouse, MARTS_SCHEMA) if warehouse else None
    for node in project_models(manifest):
        path, description = _path(node), node.get("description")
        if _blank(description):
            problems.append(f"{path}: model {node['name']} has no description")
        elif not GRAIN_WORD.search(str(description)):
            problems.append(
                f"{path}: model {node['name']} description does not state its grain "
                '(no word "row", e.g. "One row per ticket ...")'
            )
        if _is_marts(node):
            problems.extend(_column_doc_problems(node, built))
    for macro in sorted(manifest.get("macros", {}).values(), key=lambda macro: _path(macro)):
        if not _own(manifest, macro) or not _path(macro).startswith("macros/metrics/"):
            continue
        if _blank(macro.get("description")):
            problems.append(f"{_path(macro)}: macro {macro['name']} has no description")
    return problems


def _column_doc_problems(node: Node, built: dict[str, list[str]] | None) -> list[str]:
    path = _path(node)
    documented = {str(name).lower(): column for name, column in (node.get("columns") or {}).items()}
    names = [str(column.get("name") or name) for name, column in documented.items()]
    if built is not None:
        relation = str(node.get("alias") or node["name"]).lower()
        if relation not in built:
            return [f"{path}: model {node['name']} is not in the warehouse ({MARTS_SCHEMA})"]
        names += [name for name in built[relation] if name.lower() not in documented]
    elif not documented:
        return [f"{path}: model {node['name']} documents no columns"]
    return [
        f"{path}: column {name} has no description"
        for name in names
        if _blank(documented.get(name.lower(), {}).get("description"))
    ]


# --------------------------------------------------------------------------- conventions


def _expected_name(path: str) -> tuple[str, str] | None:
    """(regex, human-readable pattern) for a model at `path`, None outside models/."""
    parts = path.split("/")
    if parts[0] != "models":
        return None
    folders = parts[1:-1]
    if folders[:1] == ["staging"] and len(folders) >= 2:
        source = re.escape(folders[1])
        return (
            rf"(stg|base)_{source}__{SNAKE_CASE}",
            f"stg_{folders[1]}__<entity> or base_{folders[1]}__<entity>",
        )
    if folders[:1] == ["staging"]:
        return r"(?!)", "inside a source folder models/staging/<source>/"
    if folders[:1] == ["intermediate"]:
        return rf"int_{SNAKE_CASE}(__{SNAKE_CASE})?", "int_<name> (snake_case)"
    if folders[:2] == ["marts", "core"]:
        return rf"(fct|dim)_{SNAKE_CASE}", "fct_<name> or dim_<name>"
    return SNAKE_CASE, "snake_case"


def _tests_by_model(manifest: Manifest) -> dict[str, list[Node]]:
    result: dict[str, list[Node]] = {}
    for node in manifest.get("nodes", {}).values():
        if node.get("resource_type") != "test":
            continue
        attached = node.get("attached_node")
        targets = [attached] if attached else node.get("depends_on", {}).get("nodes", [])
        for target in targets:
            result.setdefault(str(target), []).append(node)
    return result


def _unit_tested(manifest: Manifest) -> set[str]:
    names: set[str] = set()
    for unit_test in (manifest.get("unit_tests") or {}).values():
        model = unit_test.get("model")
        if model:
            names.add(str(model))
    return names


def _test_columns(test: Node) -> set[str] | None:
    """Columns a uniqueness test covers; None when it is not a uniqueness test."""
    metadata = test.get("test_metadata") or {}
    if metadata.get("name") not in UNIQUENESS_TESTS:
        return None
    kwargs = metadata.get("kwargs") or {}
    columns = kwargs.get("columns") or kwargs.get("combination_of_columns")
    if columns is None:
        columns = [kwargs.get("column_name") or test.get("column_name")]
    return {str(column).strip().lower() for column in columns if column}


def _source_primary_keys(manifest: Manifest) -> dict[tuple[str, str], list[str]]:
    keys: dict[tuple[str, str], list[str]] = {}
    for source in manifest.get("sources", {}).values():
        contract = _meta(source).get("contract") or {}
        if contract.get("primary_key"):
            key = (str(source.get("source_name")), str(source.get("name")))
            keys[key] = [str(column) for column in contract["primary_key"]]
    return keys


def _referenced_base_models(name: str, manifest: Manifest) -> set[str]:
    """base_ models that base_<source>__<table> may read for its contract `references`.

    The contract macro quarantines rows whose reference column points at no
    row of the referenced table, so it reads that table's base model even
    across source folders (e.g. base_telephony__calls -> base_helpdesk__agents).
    """
    match = re.fullmatch(r"base_([a-z0-9_]+?)__([a-z0-9_]+)", name)
    if not match:
        return set()
    sources = list(manifest.get("sources", {}).values())
    source_of = {str(source.get("name")): str(source.get("source_name")) for source in sources}
    allowed: set[str] = set()
    for source in sources:
        if (source.get("source_name"), source.get("name")) != (match[1], match[2]):
            continue
        for column in (source.get("columns") or {}).values():
            declared = (column.get("meta") or {}).get("references") or []
            for parent in [declared] if isinstance(declared, dict) else declared:
                table = parent.get("table")
                if table in source_of:
                    allowed.add(f"base_{source_of[table]}__{table}")
    return allowed


def primary_key(node: Node, manifest: Manifest) -> list[str] | None:
    """The declared primary key of a model, None when it declares none.

    Declared by a `primary_key` constraint (model or column level), by
    `meta.primary_key`, or, for `stg_<source>__<table>`, by the raw contract of
    that source table. Every dim_ model has a key: an empty list stands for
    "some key, columns not declared".
    """
    for constraint in node.get("constraints") or []:
        if constraint.get("type") == "primary_key" and constraint.get("columns"):
            return [str(column) for column in constraint["columns"]]
    column_keys = [
        str(column.get("name") or name)
        for name, column in (node.get("columns") or {}).items()
        if any(c.get("type") == "primary_key" for c in column.get("constraints") or [])
    ]
    if column_keys:
        return column_keys
    declared = _meta(node).get("primary_key")
    if declared:
        return [declared] if isinstance(declared, str) else [str(c) for c in declared]
    match = re.fullmatch(r"stg_([a-z0-9_]+?)__([a-z0-9_]+)", str(node.get("name")))
    if match:
        source_key = _source_primary_keys(manifest).get((match[1], match[2]))
        if source_key:
            return source_key
    if str(node.get("name")).startswith("dim_"):
        return []
    return None


def check_conventions(manifest: Manifest) -> list[str]:
    """Convention problems, one line each."""
    problems: list[str] = []
    nodes = manifest.get("nodes", {})
    tests = _tests_by_model(manifest)
    unit_tested = _unit_tested(manifest)
    for node in project_models(manifest):
        path, name, unique_id = _path(node), str(node["name"]), str(node["unique_id"])
        expected = _expected_name(path)
        if expected and not re.fullmatch(expected[0], name):
            problems.append(f"{path}: model {name} should be named {expected[1]}")
        parents = [str(parent) for parent in node.get("depends_on", {}).get("nodes", [])]
        folder = path.rsplit("/", 1)[0]
        if path.startswith("models/staging/"):
            allowed = _referenced_base_models(name, manifest)
            for parent in parents:
                parent_node = nodes.get(parent, {})
                parent_name = str(parent_node.get("name", ""))
                same_folder_base = (
                    parent.startswith("model.")
                    and parent_name.startswith("base_")
                    and _path(parent_node).rsplit("/", 1)[0] == folder
                )
                raw_input = parent.startswith(("source.", "seed."))
                if not (raw_input or same_folder_base or parent_name in allowed):
                    problems.append(
                        f"{path}: staging model {name} depends on {parent}; staging reads "
                        "only sources, seeds and base_ models of its own folder"
                    )
        if path.startswith("models/marts/"):
            problems.extend(
                f"{path}: mart {name} depends directly on {parent}; marts never read sources"
                for parent in parents
                if parent.startswith("source.")
            )
        model_tests = tests.get(unique_id, [])
        if not model_tests and name not in unit_tested:
            problems.append(f"{path}: model {name} has no test")
        key = primary_key(node, manifest)
        if key is not None:
            covered = [c for c in map(_test_columns, model_tests) if c is not None]
            wanted = {column.lower() for column in key}
            if not any(columns and columns <= wanted for columns in covered) and not (
                not wanted and covered
            ):
                described = f"primary key ({', '.join(key)})" if key else "a key (dimension)"
                problems.append(
                    f"{path}: model {name} has {described} but no unique or "
                    "unique_combination test on it"
                )
    for source in sorted(manifest.get("sources", {}).values(), key=_path):
        if not _own(manifest, source) or source.get("source_name") in NON_CONTRACT_SOURCES:
            continue
        if not _meta(source).get("contract"):
            problems.append(
                f"{_path(source)}: source {source.get('source_name')}.{source.get('name')} "
                "has no meta.contract"
            )
    return problems


# --------------------------------------------------------------------------- privacy


def pii_column_names() -> set[str]:
    """Column names that are PII: the raw contract's pii-flagged columns plus `comment`."""
    from switchboard import contract

    names = {
        column.name.lower()
        for table in contract.tables().values()
        for column in table.columns
        if column.pii
    }
    return names | {"comment"}


def is_pii_column_name(name: str, data_type: str, pii_names: Iterable[str]) -> bool:
    """True for a PII column name: exactly a PII name (`email`, `agent_name`, `name`),
    or a text column ending in one (`customer_email`, `first_reply_agent_name`).

    `kpi_name` or `team_name` are not PII: `name` alone matches only exactly.
    """
    lowered = name.lower()
    names = set(pii_names)
    if lowered in names | {"name"}:
        return True
    is_text = data_type.upper().startswith(TEXT_TYPES)
    return is_text and any(lowered.endswith(f"_{pii}") for pii in names)


def mask(value: str) -> str:
    """Mask a value, keeping each word's first character: ada@example.com -> a**@e******.c**."""
    shown = re.sub(r"(?<=[^\W_])[^\W_]", "*", value[:60])
    return shown + ("…" if len(value) > 60 else "")


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def check_privacy(warehouse: Path, pii_names: Iterable[str] | None = None) -> list[str]:
    """PII problems in schema marts of a DuckDB file, opened read-only."""
    names = {name.lower() for name in (pii_names if pii_names is not None else pii_column_names())}
    problems: list[str] = []
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        columns = connection.execute(
            """
            select table_schema, table_name, column_name, data_type
            from information_schema.columns
            order by table_schema, table_name, ordinal_position
            """
        ).fetchall()
        marts = [(t, c, d) for s, t, c, d in columns if s == MARTS_SCHEMA]
        if not marts:
            return [f"{warehouse}: schema {MARTS_SCHEMA} has no tables or views"]
        existing = {(s, t, c.lower()) for s, t, c, _ in columns}
        sources = [
            (schema, table, column)
            for schema, table, column in PII_VALUE_COLUMNS
            if (schema, table, column) in existing
        ]
        problems.extend(
            f"{warehouse}: cannot compare marts values with {schema}.{table}.{column}: "
            "relation or column missing"
            for schema, table, column in PII_VALUE_COLUMNS
            if (schema, table, column) not in existing
        )
        pii_values = " union ".join(
            f"select {_quote(column)} as pii_value, '{table}.{column}' as pii_origin "
            f"from {_quote(schema)}.{_quote(table)} where trim({_quote(column)}) <> ''"
            for schema, table, column in sources
        )
        for table, column, data_type in marts:
            where = f"marts.{table}: column {column}"
            if is_pii_column_name(column, data_type, names):
                problems.append(f"{where} is a PII column name")
            if data_type.upper().startswith(TEXT_TYPES):
                problems.extend(
                    f"{where} holds {origin} value {mask(value)!r}"
                    for value, origin in _pii_values_in(connection, table, column, pii_values)
                )
    return problems


def _pii_values_in(
    connection: Any, table: str, column: str, pii_values: str
) -> list[tuple[str, str]]:
    """Values of marts.<table>.<column> that look like an email or equal a staging PII value."""
    relation, value = f"{_quote(MARTS_SCHEMA)}.{_quote(table)}", _quote(column)
    pii_match = (
        f"""
        union all
        select distinct mart.v, pii.pii_origin
        from (select distinct {value} as v from {relation}) as mart
        inner join ({pii_values}) as pii on mart.v = pii.pii_value
        """
        if pii_values
        else ""
    )
    rows = connection.execute(
        f"""
        with found as (
            select distinct {value} as v, 'an email-like' as pii_origin
            from {relation}
            where regexp_matches({value}, ?)
            {pii_match}
        )
        select v, string_agg(pii_origin, ', ' order by pii_origin) as origins
        from found
        group by v
        order by v
        limit {MAX_VALUES_PER_COLUMN}
        """,
        [EMAIL_PATTERN],
    ).fetchall()
    return [(str(v), str(origins)) for v, origins in rows]


# --------------------------------------------------------------------------- command line


def _docs(arguments: argparse.Namespace) -> list[str]:
    warehouse = Path(arguments.warehouse) if arguments.warehouse else None
    return check_docs(load_manifest(Path(arguments.manifest)), warehouse)


def _conventions(arguments: argparse.Namespace) -> list[str]:
    return check_conventions(load_manifest(Path(arguments.manifest)))


def _privacy(arguments: argparse.Namespace) -> list[str]:
    return check_privacy(Path(arguments.warehouse))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the docs / conventions / privacy subcommands to `parser` (see `run`)."""
    commands = parser.add_subparsers(dest="check", required=True)
    manifest_help = "dbt manifest.json (from `dbt parse`)"

    docs = commands.add_parser("docs", help="descriptions of models, columns, metric macros")
    docs.add_argument("--manifest", default="target/manifest.json", help=manifest_help)
    docs.add_argument("--warehouse", help="DuckDB file: also check built marts columns")
    docs.set_defaults(check_handler=_docs)

    conventions = commands.add_parser("conventions", help="naming, lineage, tests, contracts")
    conventions.add_argument("--manifest", default="target/manifest.json", help=manifest_help)
    conventions.set_defaults(check_handler=_conventions)

    privacy = commands.add_parser("privacy", help="no PII names or values in schema marts")
    privacy.add_argument("--warehouse", required=True, help="DuckDB file (opened read-only)")
    privacy.set_defaults(check_handler=_privacy)


def run(arguments: argparse.Namespace, out: Callable[[str], None] = print) -> int:
    """Run the chosen check, print one line per problem; 1 if any, else 0."""
    handler: Callable[[argparse.Namespace], list[str]] = arguments.check_handler
    try:
        problems = handler(arguments)
    except (OSError, ValueError, duckdb.Error) as error:
        print(f"switchboard checks {arguments.check}: {error}", file=sys.stderr)
        return 2
    for problem in problems:
        out(problem)
    summary = f"{len(problems)} problem(s)" if problems else "ok"
    print(f"switchboard checks {arguments.check}: {summary}", file=sys.stderr)
    return 1 if problems else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m switchboard.checks", description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
