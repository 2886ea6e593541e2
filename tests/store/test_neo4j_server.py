"""The local Neo4j server, through `labournet db start|status|stop --backend neo4j`.

One server of the test's own (not the session's) is started, restarted on the same data and
stopped; the password is checked never to appear in what the commands print, the config, the
logs or the process's command line. Setup mistakes (no java, no mvn, a taken port, a short
password) are one clear line and exit 2, before anything starts.
"""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest
from test_db_cli import invoke

from labournet.store import connect
from labournet.store.neo4j_server import NEO4J_VERSION, launcher_files, resolve_jars
from labournet.store.process import command_line, free_port

pytestmark = pytest.mark.neo4j
SECRET = "correct-horse-battery-staple"


def test_the_pom_pins_the_version_the_code_names() -> None:
    pom, launcher = launcher_files()
    text = pom.read_text()
    assert f"<neo4j.version>{NEO4J_VERSION}</neo4j.version>" in text
    assert re.search(r"<gds.version>2\.13\.\d+</gds.version>", text)
    assert "<artifactId>neo4j-bolt</artifactId>" in text and "apoc-core" in text
    assert launcher.read_text().startswith("// A Neo4j 5 Community server for labournet")


def test_the_jar_cache_holds_the_plugins_as_links(neo4j_target) -> None:
    folder = resolve_jars()  # resolved by the session's server already: no Maven run
    plugins = sorted(path.name for path in (folder / "plugins").iterdir())
    assert any(name.startswith("org.neo4j.procedure.apoc-core-") for name in plugins)
    assert any(name.startswith("org.neo4j.gds.proc-centrality-") for name in plugins)
    assert not any(name.startswith("org.neo4j.neo4j-") for name in plugins)  # not Neo4j itself
    assert (folder / f"org.neo4j.neo4j-{NEO4J_VERSION}.jar").exists()


def test_start_restart_stop(tmp_path: Path, neo4j_target, bundled) -> None:
    home = str(tmp_path / "neo4j")
    port, browser = free_port(), free_port()
    env = {"NEO4J_PASSWORD": SECRET, "NEO4J_USERNAME": "neo4j"}
    args = ("--backend", "neo4j", "--home", home)
    shown: list[str] = []
    try:
        idle = invoke("status", *args)
        assert "not running" in idle.output and idle.exit_code == 3
        started = invoke("start", *args, "--port", str(port), "--browser-port", str(browser),
                         env=env)  # fmt: skip
        shown.append(started.output)
        assert started.exit_code == 0, started.output
        assert f"URI bolt://127.0.0.1:{port}" in started.output
        assert f"http://127.0.0.1:{browser}/browser/?dbms=bolt://127.0.0.1:{port}" in (
            started.output.replace("\n", "")
        )
        again = invoke("start", *args, "--port", str(port), env=env)
        shown.append(again.output)
        assert again.exit_code == 0 and "already running" in again.output
        status = invoke("status", *args)
        shown.append(status.output)
        assert "running, pid" in status.output
        pid = int(re.search(r"pid (\d+)", status.output).group(1))
        assert SECRET.encode() not in (command_line(pid) or b"")

        uri = f"bolt://127.0.0.1:{port}"
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("NEO4J_PASSWORD", SECRET)
            with connect(uri) as store:
                store.load(bundled)
            stopped = invoke("stop", *args)
            shown.append(stopped.output)
            assert "stopped" in stopped.output
            assert "not running" in invoke("stop", *args).output
            # the same home keeps its data and its password across a restart
            restarted = invoke("start", *args, "--port", str(port), "--no-browser", env=env)
            shown.append(restarted.output)
            assert restarted.exit_code == 0, restarted.output
            with connect(uri) as store:
                assert store.pull() == bundled
    finally:
        shown.append(invoke("stop", *args).output)
    written = [path.read_bytes() for path in Path(home).rglob("*") if path.is_file()
               and path.suffix in (".conf", ".log")]  # fmt: skip
    assert written and not any(SECRET.encode() in text for text in written)
    assert not any(SECRET in text for text in shown)


def test_a_wrong_password_for_a_home_is_a_clear_error(neo4j_target) -> None:
    server = neo4j_target.server
    if server is None:
        pytest.skip("LABOURNET_NEO4J_URI names an outside server")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NEO4J_PASSWORD", "not-the-password")
        from labournet.errors import StoreError

        with pytest.raises(StoreError, match="refused the credentials"):
            connect(neo4j_target.uri)


def test_stopping_a_copy_of_a_home_leaves_the_original_running(
    neo4j_target, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A home copied while its Neo4j runs holds the same pid file and config; its server is not
    ours, at an absolute path or at a relative one that ends as the original's does."""
    import shutil

    from labournet.store.neo4j_server import Neo4jServer

    server = neo4j_target.server
    if server is None:
        pytest.skip("LABOURNET_NEO4J_URI names an outside server: its home is not ours")
    running = server.status()
    assert running.running
    copy = tmp_path / server.home.name
    copy.mkdir()
    for name in ("neo4j.pid", "neo4j.conf"):
        shutil.copy(server.home / name, copy / name)
    monkeypatch.chdir(tmp_path)
    for home in (copy, Path(server.home.name)):
        assert not Neo4jServer(home).status().running
        stopped = invoke("stop", "--backend", "neo4j", "--home", str(home))
        assert stopped.exit_code == 0 and "not running" in stopped.output, stopped.output
    assert server.status().pid == running.pid
    with connect(neo4j_target.uri) as store:
        assert store.counts() is not None  # it still answers


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("no java", "java is not on PATH"),
        ("no mvn", "mvn is not on PATH"),
        ("short password", "shorter than 8 characters"),
        ("no password", "set NEO4J_PASSWORD"),
        ("taken port", "is taken by another program"),
        ("no registry", "Maven could not resolve the Neo4j jars (is Maven Central reachable?)"),
    ],
)
def test_setup_mistakes_are_one_line_and_exit_2(
    case: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {"NEO4J_PASSWORD": SECRET}
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    monkeypatch.delenv("LABOURNET_NEO4J_PASSWORD", raising=False)
    monkeypatch.setenv("LABOURNET_HOME", str(tmp_path / "labournet-home"))  # an empty jar cache
    bin_folder = tmp_path / "bin"
    bin_folder.mkdir()
    if case in ("no java", "no mvn"):
        keep = "mvn" if case == "no java" else "java"
        import shutil

        (bin_folder / keep).symlink_to(shutil.which(keep))
        monkeypatch.setenv("PATH", str(bin_folder))
    if case == "no registry":  # a Maven that fails as it does offline, on an empty cache
        import shutil

        (bin_folder / "java").symlink_to(shutil.which("java"))
        fake = bin_folder / "mvn"
        fake.write_text("#!/bin/sh\necho '[ERROR] Could not transfer artifact' >&2\nexit 1\n")
        fake.chmod(0o755)
        monkeypatch.setenv("PATH", f"{bin_folder}:/usr/bin:/bin")
    if case == "short password":
        env = {"NEO4J_PASSWORD": "short"}
    if case == "no password":
        env = {}
    port = free_port()
    with socket.socket() as taken:
        if case == "taken port":
            taken.bind(("127.0.0.1", port))
            taken.listen()
        result = invoke("start", "--backend", "neo4j", "--home", str(tmp_path / "h"),
                        "--port", str(port), "--no-browser", env=env)  # fmt: skip
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) <= 3
    assert not (tmp_path / "h" / "neo4j.pid").exists()
