"""FalkorDB through its native Python client (``falkordb``), not its experimental Bolt endpoint.

Parameters reach FalkorDB as a ``CYPHER name=value ...`` prefix of the query: that is how the
server takes parameters, and the values are data literals there, never query text. We build the
prefix ourselves (`encode_parameters`) because the client's generic encoder, called once per
value, costs more than the server's work on a large batch: here one ``json.dumps`` per batch
does it, then map keys lose their quotes (Cypher map keys are bare names).

Reads run with ``GRAPH.RO_QUERY``, which the server refuses to let write.

A load first claims the graph (`FalkorDBRunner.claim_load`, `LoadLock`): a first load into an
empty graph CREATEs under an exclusive lock, any other load MERGEs while registered as running.
"""

from __future__ import annotations

import contextlib
import json
import re
import secrets
import threading
import time
from collections.abc import Callable, Collection, Iterator, Mapping
from typing import Any

from labournet.errors import QueryError, StoreError
from labournet.store.base import Result
from labournet.store.bulk import BulkCommand
from labournet.store.queries import IDENTIFIER

__all__ = ["FalkorDBRunner", "LoadLock", "encode_parameters", "cypher_literal"]

COUNTERS = (
    "nodes_created",
    "nodes_deleted",
    "relationships_created",
    "relationships_deleted",
    "properties_set",
    "properties_removed",
    "labels_added",
    "indices_created",
)

# A \uXXXX escape (json.dumps writes control characters that way); FalkorDB does not read them.
_UNICODE_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\u")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ALREADY = ("already indexed", "already exists")
# FalkorDB's answers to a query it cannot compile (it gives no error codes): the parser's
# "errMsg: Invalid input ...", and names that are not defined or not known.
_READ_ONLY = re.compile(r"read-only|read only|RO_QUERY", re.IGNORECASE)
_SYNTAX = re.compile(r"^errMsg: |' not defined$|^Unknown function '|^Invalid input")


def cypher_literal(value: Any, keys: Collection[str] | None = None) -> str:
    """A Cypher literal for a parameter value (str, number, bool, None, list, map).

    One ``json.dumps`` does the work; then map keys lose their quotes (Cypher map keys are
    names). That is a plain text replacement of ``{"key":`` and ``,"key":`` for the keys the
    value's maps use: inside a JSON string every quote is escaped, so those sequences can only
    be keys. `keys`, when given, are the keys the value's maps use (names the caller checked,
    as a load plan does), so the value need not be walked to find them; a key left out stays
    quoted, which the server refuses as a syntax error.

    Example:
        >>> cypher_literal(["a", 1.5, None, True, {"role": "host"}])
        '["a",1.5,null,true,{role:"host"}]'
    """
    try:
        text = json.dumps(
            value, ensure_ascii=False, allow_nan=False, separators=(",", ":"), default=_plain_json
        )
    except ValueError as error:
        raise QueryError(f"parameters must be finite numbers: {error}") from error
    if "\\u" in text and _UNICODE_ESCAPE.search(text):
        return _slow_literal(value)
    for key in _map_keys(value) if keys is None else keys:
        if not _NAME.match(key):
            raise QueryError(f"bad map key {key!r} in a parameter")
        text = text.replace(f'{{"{key}":', f"{{{key}:").replace(f',"{key}":', f",{key}:")
    return text


def encode_parameters(parameters: Mapping[str, Any], keys: Collection[str] | None = None) -> str:
    """The ``CYPHER a=1 b="x" `` prefix that carries `parameters` to FalkorDB (`keys`: the map
    keys the values use, if the caller knows them; see `cypher_literal`)."""
    if not parameters:
        return ""
    parts = []
    for name, value in parameters.items():
        if not IDENTIFIER.match(name):
            raise QueryError(f"bad parameter name {name!r}")
        parts.append(f"{name}={cypher_literal(value, keys)}")
    return "CYPHER " + " ".join(parts) + " "


DEFAULT_QUERY_TIMEOUT = 300.0
"""Seconds a FalkorDB query may take when neither `connect` nor ``LABOURNET_QUERY_TIMEOUT``
says otherwise."""


LOCK_SECONDS = 15.0
"""How long a load's claim on a graph outlives its last heartbeat (a load refreshes it every
fifth of that): a load whose client died frees the graph this long after."""

# Redis scripts run atomically: each compares the load's token before it refreshes or frees
# the lock, and registers running MERGE loads with an expiry by the server's clock.
_REFRESH = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""
_JOIN = """
local now = redis.call('TIME')
local expires = now[1] * 1000 + math.floor(now[2] / 1000) + ARGV[2]
local added = redis.call('ZADD', KEYS[1], expires, ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return added
"""
_RUNNING = """
local now = redis.call('TIME')
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now[1] * 1000 + math.floor(now[2] / 1000))
return redis.call('ZCARD', KEYS[1])
"""


class LoadLock:
    """A load's claim on one graph: CREATE alone (``create``), or MERGE beside other MERGEs.

    Two Redis keys beside the graph hold the claims: ``labournet:load-lock:<graph>``, the
    exclusive lock (set with NX, so one client has it), and ``labournet:loads:<graph>``, the
    MERGE loads running. A load takes the lock (waiting while another has it) and asks
    `fresh` whether it may CREATE; if so it waits until no MERGE load runs, asks again, and
    keeps the lock to the end; otherwise it registers as a MERGE load and frees the lock at
    once, so MERGE loads run side by side and a CREATE never overlaps one. A thread refreshes
    the claim while the load runs; `check` fails the load if it was lost.
    """

    def __init__(self, connection: Any, graph: str, target: str) -> None:
        self._redis = connection
        self._target = target
        self._lock_key = f"labournet:load-lock:{graph}"
        self._loads_key = f"labournet:loads:{graph}"
        self._token = secrets.token_hex(8)
        self._ttl = int(LOCK_SECONDS * 1000)
        self._scripts = {
            name: connection.register_script(text)
            for name, text in (
                ("refresh", _REFRESH),
                ("release", _RELEASE),
                ("join", _JOIN),
                ("running", _RUNNING),
            )
        }
        self._stop = threading.Event()
        self._lost = threading.Event()
        self.create = False

    def acquire(self, fresh: Callable[[], bool]) -> None:
        """Claim the graph; ``create`` says whether this load may CREATE."""
        self._take_lock()
        try:
            if fresh():
                while self._script("running", self._loads_key) > 0:
                    self._wait()
                    self._keep_lock()
                self.create = fresh()
            if not self.create:
                self._script("join", self._loads_key, self._token, self._ttl)
        finally:
            if not self.create:
                self._script("release", self._lock_key, self._token)

    def release(self) -> None:
        """Give the claim up (a dead connection leaves it to expire)."""
        self._stop.set()
        with contextlib.suppress(StoreError):
            if self.create:
                self._script("release", self._lock_key, self._token)
            else:
                self._call(self._redis.zrem, self._loads_key, self._token)

    def check(self) -> None:
        """`StoreError` if the claim expired (the client stalled past `LOCK_SECONDS`)."""
        if self._lost.is_set():
            raise StoreError(
                f"this load lost its claim on {self._target} (no heartbeat for "
                f"{LOCK_SECONDS:g} s): another load may be writing; load again to complete it"
            )

    def heartbeat(self) -> None:
        """Refresh the claim every fifth of `LOCK_SECONDS` until `release` (in a thread)."""
        while not self._stop.wait(LOCK_SECONDS / 5):
            try:
                if self.create:
                    kept = self._script("refresh", self._lock_key, self._token, self._ttl) == 1
                else:  # a MERGE load that a waiting CREATE found expired is added anew
                    kept = self._script("join", self._loads_key, self._token, self._ttl) == 0
            except StoreError:
                kept = False
            if not kept:
                self._lost.set()
                return

    def _keep_lock(self) -> None:
        """Refresh the lock while this load waits for MERGE loads to finish."""
        if self._script("refresh", self._lock_key, self._token, self._ttl) != 1:
            raise StoreError(
                f"the load lock on {self._target} expired while this load waited for other "
                "loads to finish; load again"
            )

    def _take_lock(self) -> None:
        while not self._call(self._redis.set, self._lock_key, self._token, nx=True, px=self._ttl):
            self._wait()

    def _wait(self) -> None:
        time.sleep(0.1)

    def _script(self, name: str, key: str, *args: Any) -> int:
        return int(self._call(self._scripts[name], keys=[key], args=list(args)))

    def _call(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        import redis.exceptions as rx

        try:
            return function(*args, **kwargs)
        except rx.RedisError as error:
            raise StoreError(
                f"FalkorDB at {self._target} refused the load lock ({_reason(error)})"
            ) from error


class Prepared(dict[str, Any]):
    """Parameters with their ``CYPHER`` prefix already built (see `FalkorDBRunner.prepare`)."""

    header: str = ""


class FalkorDBRunner:
    """Runs Cypher on one graph of a FalkorDB server."""

    backend = "falkordb"

    def __init__(
        self,
        *,
        host: str,
        port: int,
        graph: str,
        username: str | None = None,
        password: str | None = None,
        ssl: bool = False,
        timeout: float = 10.0,
        query_timeout: float | None = None,
        prompt: Callable[[str], str] | None = None,
    ) -> None:
        try:
            import falkordb  # noqa: F401
        except ImportError as error:  # pragma: no cover - depends on the environment
            raise StoreError(
                "the falkordb package is missing: pip install 'labournet[falkordb]'"
            ) from error
        self.target = f"falkordb{'+s' if ssl else ''}://{host}:{port}/{graph}"
        self.graph_name = graph
        # the handshake (the client's INFO, our check) is bounded by the connect timeout, the
        # queries after it by the query timeout: a port that accepts and never answers fails
        # in `timeout` seconds, a server that stops answering in `query_timeout`
        self.timeout = timeout
        self.query_timeout = query_timeout or DEFAULT_QUERY_TIMEOUT
        self._options = {
            "host": host,
            "port": port,
            "username": username,
            "ssl": ssl,
            "socket_connect_timeout": timeout,
            "socket_timeout": timeout,
        }
        self._exists = False
        try:
            self._db = self._open(password)
        except _AuthNeeded:
            if prompt is None:
                if password is not None:
                    raise StoreError(
                        f"FalkorDB at {self.target} refused the password (check "
                        "LABOURNET_FALKORDB_PASSWORD, or the user name and password given)"
                    ) from None
                raise StoreError(
                    f"FalkorDB at {self.target} wants a password: set LABOURNET_FALKORDB_PASSWORD"
                ) from None
            try:
                self._db = self._open(prompt(f"FalkorDB password for {host}:{port}"))
            except _AuthNeeded:
                raise StoreError(f"FalkorDB at {self.target} refused the password") from None
        self._graph = self._db.select_graph(graph)
        pool = getattr(self._db.connection, "connection_pool", None)
        if pool is not None:  # later connections wait as long as a query may take
            pool.connection_kwargs["socket_timeout"] = self.query_timeout
            pool.disconnect()

    def _open(self, password: str | None) -> Any:
        import redis.exceptions as rx
        from falkordb import FalkorDB

        try:
            db = FalkorDB(password=password, **self._options)
        except rx.AuthenticationError as error:
            raise _AuthNeeded() from error
        except rx.TimeoutError as error:
            raise self._silent(error) from error
        except (rx.ConnectionError, OSError) as error:
            raise StoreError(
                f"cannot reach FalkorDB at {self.target} ({_reason(error)}); "
                "start a local server with `labournet db start`"
            ) from error
        except Exception as error:  # the client raises redis errors and plain ones
            raise StoreError(f"cannot connect to FalkorDB at {self.target}: {error}") from error
        try:
            self._db = db
            self._check()
        except BaseException:
            db.close()
            raise
        return db

    def _check(self) -> None:
        """Ask the server one FalkorDB command: it answers, wants a password, or is not FalkorDB.

        A server that has just restarted answers ``LOADING`` while it reads its data back; the
        check waits for it (as long as a query may take), rather than fail or call it absent.
        """
        import redis.exceptions as rx

        waited_since = time.monotonic()
        try:
            while True:
                try:
                    self._db.connection.execute_command("GRAPH.CONFIG", "GET", "TIMEOUT")
                    return
                except rx.BusyLoadingError:
                    if time.monotonic() - waited_since > self.query_timeout:
                        raise
                    time.sleep(0.25)
        except rx.BusyLoadingError as error:
            raise StoreError(
                f"FalkorDB at {self.target} is still loading its data after "
                f"{self.query_timeout:g} s (it restarted); `labournet db start` waits for it "
                "with progress (LABOURNET_QUERY_TIMEOUT sets this wait)"
            ) from error
        except rx.AuthenticationError as error:
            raise _AuthNeeded() from error
        except rx.ResponseError as error:
            message = str(error)
            if "NOAUTH" in message or "WRONGPASS" in message or "invalid password" in message:
                raise _AuthNeeded() from error
            if "unknown command" in message.lower():
                raise StoreError(
                    f"the server at {self.target} is Redis without the FalkorDB module"
                ) from error
            raise StoreError(f"FalkorDB at {self.target}: {message}") from error
        except rx.TimeoutError as error:
            raise self._silent(error) from error
        except (rx.ConnectionError, OSError) as error:
            raise StoreError(
                f"cannot reach FalkorDB at {self.target} ({_reason(error)}); "
                "start a local server with `labournet db start`"
            ) from error

    def _silent(self, error: BaseException) -> StoreError:
        return StoreError(
            f"FalkorDB at {self.target} did not answer within {self.timeout:g} s of connecting "
            f"({_reason(error)}): is a FalkorDB server listening there? "
            "(LABOURNET_CONNECT_TIMEOUT sets the wait)"
        )

    def prepare(
        self, parameters: Mapping[str, Any], keys: Collection[str] | None = None
    ) -> Prepared:
        """Encode parameters ahead of time: a load encodes the next batch while this one runs
        (`keys`: the map keys its rows use, which its plan checked)."""
        prepared = Prepared(parameters)
        prepared.header = encode_parameters(parameters, keys)
        return prepared

    def run(self, cypher: str, parameters: Mapping[str, Any], *, write: bool) -> Result:
        import redis.exceptions as rx

        if isinstance(parameters, Prepared):
            text = parameters.header + cypher
        else:
            text = encode_parameters(parameters) + cypher
        command = "GRAPH.QUERY" if write else "GRAPH.RO_QUERY"
        try:
            if not write and not self._graph_exists():
                return Result([], [], {})  # no graph yet: nothing to read
            response = self._graph.execute_command(command, self.graph_name, text, "--compact")
            for part in (response[0], response[-1]):
                if isinstance(part, rx.ResponseError):
                    raise part
        except rx.ResponseError as error:
            if not write and "empty key" in str(error):
                return Result([], [], {})  # deleted meanwhile by another client
            message = " ".join(str(error).split())
            if not write and _READ_ONLY.search(message):
                raise QueryError(
                    "the server refused a write in a read-only query; allow writing to run it "
                    f"(--write on the command line, write=True in Python): {message}"
                ) from error
            if _SYNTAX.search(message):
                raise QueryError(f"not valid Cypher: {message}") from error
            raise StoreError(f"FalkorDB refused the query: {message}") from error
        except rx.TimeoutError as error:
            raise StoreError(
                f"FalkorDB at {self.target} did not answer the query within "
                f"{self.query_timeout:g} s (LABOURNET_QUERY_TIMEOUT sets the wait); it may "
                "still be running it"
            ) from error
        except rx.BusyLoadingError as error:
            raise StoreError(
                f"FalkorDB at {self.target} restarted and is loading its data; try again when "
                "it is done (`labournet db start` waits for it)"
            ) from error
        except (rx.ConnectionError, OSError) as error:
            raise StoreError(f"lost FalkorDB at {self.target} ({_reason(error)})") from error
        except rx.RedisError as error:
            raise StoreError(f"FalkorDB at {self.target}: {error}") from error
        self._exists = self._exists or write
        if len(response) == 1:  # statistics only
            return Result([], [], _counters(response[0]))
        columns = [str(h[1]) if isinstance(h, list | tuple) else str(h) for h in response[0]]
        try:
            rows = [[_compact(cell) for cell in row] for row in response[1]]
        except _NotScalar:  # nodes, edges, paths: let the client resolve labels and types
            from falkordb.query_result import QueryResult

            result = QueryResult(self._graph, response)
            rows = [[_plain(value) for value in row] for row in result.result_set]
        return Result(columns, rows, _counters(response[-1]))

    @contextlib.contextmanager
    def claim_load(self, fresh: Callable[[], bool]) -> Iterator[LoadLock]:
        """Claim the graph for one load (`LoadLock`); `fresh` says, under the lock, whether the
        load may CREATE (the graph is empty, or the load replaces it)."""
        claim = LoadLock(self._db.connection, self.graph_name, self.target)
        claim.acquire(fresh)
        beat = threading.Thread(target=claim.heartbeat, name="labournet-load-lock", daemon=True)
        beat.start()
        try:
            yield claim
        finally:
            claim.release()
            beat.join()

    def bulk_ready(self) -> bool:
        """Whether a first load may go by `bulk`: the graph does not exist yet, so the server
        numbers the nodes a load adds from the first one on (`labournet.store.bulk`)."""
        self._exists = False
        return not self._graph_exists()

    def bulk(self, command: BulkCommand) -> None:
        """Send one ``GRAPH.BULK`` command into the graph (which must exist: the load's head
        node is made first); `StoreError` unless the server made what it carries."""
        import redis.exceptions as rx

        nodes, relationships = (command.rows, 0) if command.is_node else (0, command.rows)
        try:
            reply = self._db.connection.execute_command(
                "GRAPH.BULK",
                self.graph_name,
                nodes,
                relationships,
                int(command.is_node),  # node tokens, then relationship tokens
                int(not command.is_node),
                command.token,
            )
        except rx.TimeoutError as error:
            raise StoreError(
                f"FalkorDB at {self.target} did not answer a bulk load within "
                f"{self.query_timeout:g} s (LABOURNET_QUERY_TIMEOUT sets the wait)"
            ) from error
        except (rx.ConnectionError, OSError) as error:
            raise StoreError(f"lost FalkorDB at {self.target} ({_reason(error)})") from error
        except rx.RedisError as error:
            raise StoreError(f"FalkorDB refused the bulk load: {_reason(error)}") from error
        expected = f"{nodes} nodes created, {relationships} edges created"
        answer = reply.decode() if isinstance(reply, bytes) else str(reply)
        if answer != expected:
            raise StoreError(f"FalkorDB answered a bulk load with {answer!r}, not {expected!r}")

    def wait_for_indexes(self) -> None:
        """Return when every index of the graph is built (FalkorDB builds them in the
        background: a MERGE relies on the relationship id index being whole)."""
        waited_since = time.monotonic()
        while True:
            indexes = self.run("CALL db.indexes() YIELD status RETURN status", {}, write=False)
            building = [status for (status,) in indexes.rows if status != "OPERATIONAL"]
            if not building:
                return
            if time.monotonic() - waited_since > self.query_timeout:
                raise StoreError(
                    f"FalkorDB at {self.target} is still building an index after "
                    f"{self.query_timeout:g} s ({building[0]})"
                )
            time.sleep(0.05)

    def _graph_exists(self) -> bool:
        """Whether the graph's key exists (reads of a missing graph are answered locally).

        FalkorDB answers a read of a missing graph with an error; we do not send such reads,
        and do not delete missing graphs either, to stay off those error paths.
        """
        if not self._exists:
            self._exists = bool(self._db.connection.exists(self.graph_name))
        return self._exists

    def run_schema(self, statement: str) -> bool:
        try:
            self.run(statement, {}, write=True)
        except StoreError as error:
            if any(phrase in str(error) for phrase in _ALREADY):
                return False
            raise
        return True

    def wipe(self) -> None:
        import redis.exceptions as rx

        try:
            if self._graph_exists():
                self._graph.delete()
            self._exists = False
        except rx.ResponseError as error:
            if "empty key" not in str(error):
                raise StoreError(f"FalkorDB could not delete {self.target}: {error}") from error
        except rx.RedisError as error:
            raise StoreError(f"lost FalkorDB at {self.target} ({_reason(error)})") from error

    def close(self) -> None:
        with contextlib.suppress(Exception):  # a dead connection must not hide the real error
            self._db.close()


class _AuthNeeded(Exception):
    pass


class _NotScalar(Exception):
    pass


_STATISTICS = {
    "Nodes created": "nodes_created",
    "Nodes deleted": "nodes_deleted",
    "Relationships created": "relationships_created",
    "Relationships deleted": "relationships_deleted",
    "Properties set": "properties_set",
    "Properties removed": "properties_removed",
    "Labels added": "labels_added",
    "Indices created": "indices_created",
}


def _counters(statistics: list[Any]) -> dict[str, int]:
    """``["Nodes created: 3", ...]`` -> ``{"nodes_created": 3, ...}`` (COUNTERS, 0 if absent)."""
    counters = dict.fromkeys(COUNTERS, 0)
    for line in statistics:
        name, _, value = str(line).partition(":")
        key = _STATISTICS.get(name.strip())
        if key:
            counters[key] = int(float(value.split()[0]))
    return counters


def _compact(cell: list[Any]) -> Any:
    """One value of FalkorDB's compact reply, ``[type, value]``, for the scalar types.

    Type codes (falkordb.query_result.ResultSetScalarTypes): 1 null, 2 string, 3 integer,
    4 boolean, 5 double, 6 array, 10 map. Anything else (a node, edge, path, point, date ...)
    raises `_NotScalar` so that the client's own parser, which knows them all, takes over.
    """
    kind, value = cell
    if kind == 2 or kind == 3:
        return value
    if kind == 5:
        return float(value)
    if kind == 1:
        return None
    if kind == 6:
        return [_compact(item) for item in value]
    if kind == 4:
        return value == "true"
    if kind == 10:
        return {value[i]: _compact(value[i + 1]) for i in range(0, len(value), 2)}
    raise _NotScalar()


def _reason(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


_SCALARS = (str, int, float, bool, type(None))


def _plain(value: Any) -> Any:
    """FalkorDB result values as plain Python: nodes and edges become property dicts."""
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, list):
        return [item if isinstance(item, _SCALARS) else _plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    from falkordb.edge import Edge
    from falkordb.node import Node
    from falkordb.path import Path

    if isinstance(value, Node):
        return {"_labels": list(value.labels or []), **_plain(dict(value.properties))}
    if isinstance(value, Edge):
        return {"_type": value.relation, **_plain(dict(value.properties))}
    if isinstance(value, Path):
        return [_plain(node) for node in value.nodes()]
    return value


def _map_keys(value: Any) -> set[str]:
    """Every key of every map inside `value` (rows are lists; their maps are few and small)."""
    keys: set[str] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            keys.update(str(k) for k in item)
            stack.extend(v for v in item.values() if isinstance(v, list | tuple | dict))
        elif isinstance(item, list | tuple):
            stack.extend(v for v in item if isinstance(v, list | tuple | dict))
    return keys


def _plain_json(value: Any) -> Any:
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"cannot send a {type(value).__name__} as a parameter")


def _slow_literal(value: Any) -> str:
    """Element by element, for strings with control characters json.dumps would escape."""
    if isinstance(value, str):
        if "\x00" in value:
            raise QueryError("text with a NUL character cannot be stored in FalkorDB")
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list | tuple):
        return "[" + ",".join(_slow_literal(item) for item in value) + "]"
    if isinstance(value, dict):
        items = []
        for key, item in value.items():
            if not isinstance(key, str) or not _NAME.match(key):
                raise QueryError(f"bad map key {key!r} in a parameter")
            items.append(f"{key}:{_slow_literal(item)}")
        return "{" + ",".join(items) + "}"
    return cypher_literal(value)
