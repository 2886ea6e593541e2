"""Neo4j through the official ``neo4j`` driver (``bolt://``, ``neo4j://``, ``+s``, ``+ssc``).

Writes run in managed write transactions (``execute_write``), which the driver retries on
transient errors; every load statement is a MERGE, so a retry cannot duplicate anything. Reads
run in read transactions, which the server refuses to let write. Schema statements (DDL) run on
their own in auto-commit transactions, as Neo4j requires.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Mapping
from typing import Any, NoReturn

from labournet.errors import QueryError, StoreError
from labournet.store.base import Result, StoreConflict

__all__ = ["Neo4jRunner"]

COUNTERS = (
    "nodes_created",
    "nodes_deleted",
    "relationships_created",
    "relationships_deleted",
    "properties_set",
    "labels_added",
    "indexes_added",
    "constraints_added",
)


class Neo4jRunner:
    """Runs Cypher on one Neo4j database."""

    backend = "neo4j"

    def __init__(
        self,
        *,
        uri: str,
        auth: tuple[str, str] | None,
        database: str | None = None,
        timeout: float = 10.0,
        query_timeout: float | None = None,
    ) -> None:
        try:
            import neo4j
        except ImportError as error:  # pragma: no cover - depends on the environment
            raise StoreError(
                "the neo4j package is missing: pip install 'labournet[neo4j]'"
            ) from error
        self._neo4j = neo4j
        self._work = neo4j.unit_of_work(timeout=query_timeout)(_work) if query_timeout else _work
        self.database = database
        self.target = uri + (f"/{database}" if database else "")
        self._user = auth[0] if auth else None
        try:
            # the acquisition timeout bounds the Bolt handshake too: without it a port where
            # something else listens (an HTTP server) holds the first query for 60 s
            self._driver = neo4j.GraphDatabase.driver(
                uri,
                auth=auth,
                connection_timeout=timeout,
                connection_acquisition_timeout=timeout,
                user_agent="labournet",
            )
            self._driver.verify_connectivity()
        except Exception as error:
            self._fail(error, "cannot connect")

    def run(self, cypher: str, parameters: Mapping[str, Any], *, write: bool) -> Result:
        neo4j = self._neo4j
        mode = neo4j.WRITE_ACCESS if write else neo4j.READ_ACCESS
        try:
            with self._driver.session(database=self.database, default_access_mode=mode) as session:
                work = session.execute_write if write else session.execute_read
                result: Result = work(self._work, cypher, dict(parameters))
                return result
        except StoreError:
            raise
        except Exception as error:
            self._fail(error, "query failed")

    def run_schema(self, statement: str) -> bool:
        """Run one DDL statement; another load creating the same rule at once is not an error."""
        exceptions = self._neo4j.exceptions
        for attempt in range(5):
            try:
                with self._driver.session(database=self.database) as session:
                    summary = session.run(statement).consume()
            except exceptions.TransientError as error:
                if attempt == 4:
                    self._fail(error, "schema statement failed")
                time.sleep(0.1 * 2**attempt)
                continue
            except exceptions.ClientError as error:
                if "AlreadyExists" in (getattr(error, "code", "") or ""):
                    return False
                self._fail(error, "schema statement failed")
            except Exception as error:
                self._fail(error, "schema statement failed")
            counters = summary.counters
            return bool(counters.indexes_added or counters.constraints_added)
        return False  # pragma: no cover

    def wipe(self) -> None:
        from labournet.store.rows import load_file

        file = load_file("admin", "wipe.cypher")
        while True:
            result = self.run(file.body, {"limit": 10000}, write=True)
            if not result.rows or not result.rows[0][0]:
                break

    def close(self) -> None:
        with contextlib.suppress(Exception):  # closing must not hide the real error
            self._driver.close()

    def _fail(self, error: Exception, what: str) -> NoReturn:
        exceptions = self._neo4j.exceptions
        if isinstance(error, exceptions.AuthError):
            raise StoreError(
                f"Neo4j at {self.target} refused the credentials of user {self._user!r}; set "
                "NEO4J_USERNAME and NEO4J_PASSWORD (or LABOURNET_NEO4J_...)"
            ) from error
        if isinstance(error, exceptions.ServiceUnavailable | OSError):
            raise StoreError(
                f"cannot reach Neo4j at {self.target} ({error}); start one with "
                "`labournet db start --backend neo4j` or `docker compose up -d`"
            ) from error
        if isinstance(error, exceptions.ConstraintError):
            raise StoreConflict(f"Neo4j refused ({error.code}): {error.message}") from error
        if isinstance(error, exceptions.Neo4jError):
            code = getattr(error, "code", "") or ""
            message = getattr(error, "message", None) or str(error)
            if code == "Neo.ClientError.Statement.AccessMode":
                raise QueryError(
                    "the server refused a write in a read-only query; allow writing to run it "
                    f"(--write on the command line, write=True in Python): {message}"
                ) from error
            if code == "Neo.ClientError.Statement.SyntaxError":
                # the first line says what and where; the rest repeats the query with a caret
                first = next((line for line in message.splitlines() if line.strip()), message)
                raise QueryError(f"not valid Cypher: {first.strip()}") from error
            raise StoreError(f"Neo4j refused ({code}): {message}") from error
        raise StoreError(f"Neo4j at {self.target}: {what}: {error}") from error


def _work(tx: Any, cypher: str, parameters: dict[str, Any]) -> Result:
    result = tx.run(cypher, parameters)
    columns = list(result.keys())
    rows = [[_plain(value) for value in record.values()] for record in result]
    counters = result.consume().counters
    return Result(columns, rows, {name: int(getattr(counters, name, 0)) for name in COUNTERS})


def _plain(value: Any) -> Any:
    """Driver values as plain Python: nodes and relationships become property dicts."""
    if value is None or isinstance(value, str | int | float | bool):
        return value  # most values: no import, no checks (pulls are bound by client CPU)
    from neo4j.graph import Node, Path, Relationship

    if isinstance(value, Node):
        return {"_labels": sorted(value.labels), **dict(value)}
    if isinstance(value, Relationship):
        return {"_type": value.type, **dict(value)}
    if isinstance(value, Path):
        return [_plain(node) for node in value.nodes]
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if hasattr(value, "iso_format"):  # neo4j.time types
        return value.iso_format()
    return value
