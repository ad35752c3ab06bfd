"""Writing never destroys what is at the target; reading is bounded.

Symbolic links, devices, named pipes and sockets at ``-o``; the input file of
the same command; a write killed half-way; an unwritable ``-o`` in every
command; input larger than the limit, ``/dev/zero`` and a pipe nobody writes.
"""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from changemodel import ChangeModel
from changemodel.cli import cli
from changemodel.errors import LoadError
from changemodel.formats import DEFAULT_INPUT_LIMIT, InputTooLargeError, input_limit, max_input_size
from changemodel.formats._files import WriteError, format_size, parse_size, write_atomic
from changemodel.formats.canonical import dump, load
from changemodel.formats.dagitty import read_dagitty, to_dagitty
from changemodel.formats.graphml import read_graphml, write_graphml
from changemodel.formats.kumu import read_kumu, write_kumu
from changemodel.formats.nodelink import read_node_link, write_node_link
from changemodel.formats.spreadsheet import read_spreadsheet, to_elements_csv
from changemodel.outputs.cmo_table import read_cmo_csv

EXAMPLE = "examples/peer_worker/model.yaml"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def tiny() -> ChangeModel:
    model = ChangeModel("Tiny")
    _ = model.activity("a", "Do") >> model.process_outcome("o", "Change")
    return model


# ---------------------------------------------------------------- writing


def test_a_symbolic_link_is_followed_and_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(real.name)
    write_atomic(link, "new")
    assert link.is_symlink()
    assert real.read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.txt", "real.txt"]


def test_a_link_to_a_device_writes_through_it(tmp_path: Path) -> None:
    # As root, replacing /dev/null by a regular file would break the machine:
    # reach it through a link so that a regression fails here, visibly.
    link = tmp_path / "null"
    link.symlink_to("/dev/null")
    write_atomic(link, "discarded")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert link.is_symlink()
    assert list(tmp_path.iterdir()) == [link]


def test_a_named_pipe_is_written_through_not_replaced(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received: list[bytes] = []

    def reader() -> None:
        with open(pipe, "rb") as handle:
            received.append(handle.read())

    thread = threading.Thread(target=reader)
    thread.start()
    write_atomic(pipe, "through the pipe")
    thread.join(timeout=10)
    assert received == [b"through the pipe"]
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)


def test_a_socket_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        with pytest.raises(WriteError, match="it is a socket"):
            write_atomic(path, "text")
        assert stat.S_ISSOCK(os.stat(path).st_mode)
    finally:
        server.close()


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(WriteError, match="it is a folder"):
        write_atomic(tmp_path, "text")


def test_the_mode_of_a_replaced_file_is_kept(tmp_path: Path) -> None:
    target = tmp_path / "m.yaml"
    target.write_text("old")
    target.chmod(0o640)
    write_atomic(target, "new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.read_text() == "new"


_KILLED_WRITER = """
import os, sys, time
from changemodel.formats import _files

def stall(fd):
    print("writing", flush=True)
    time.sleep(60)

_files.os.fsync = stall
_files.write_atomic(sys.argv[1], "x" * 100000)
"""


def test_a_killed_write_leaves_nothing_beside_the_target(tmp_path: Path) -> None:
    target = tmp_path / "model.yaml"
    target.write_text("the old model")
    child = subprocess.Popen(
        [sys.executable, "-c", _KILLED_WRITER, str(target)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == "writing\n"
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(timeout=30)
        if child.stdout is not None:
            child.stdout.close()
    assert [p.name for p in tmp_path.iterdir()] == ["model.yaml"]
    assert target.read_text() == "the old model"


# ---------------------------------------------------------------- -o in the command line

_WRITING_COMMANDS: list[list[str]] = [
    ["validate", EXAMPLE],
    ["plan", EXAMPLE],
    ["merge", EXAMPLE, EXAMPLE],
    ["schema"],
    ["rules"],
    ["export", EXAMPLE, "--to", "dot"],
    ["report", EXAMPLE, "--no-diagram"],
    ["render", EXAMPLE, "--format", "svg"],
    ["import", "yaml", EXAMPLE],
    ["implications", EXAMPLE],
    ["test", EXAMPLE, "examples/peer_worker/monitoring.csv"],
]


@pytest.mark.parametrize("command", _WRITING_COMMANDS, ids=lambda c: c[0])
def test_an_unwritable_output_is_a_clean_error_with_status_2(
    command: list[str], tmp_path: Path
) -> None:
    code, out, err = run(*command, "-o", str(tmp_path / "missing" / "out.svg"))
    assert code == 2, (out, err)
    assert "cannot write" in err
    assert "Traceback" not in err + out


_IN_PLACE: list[list[str]] = [
    ["export", "{m}", "--to", "yaml"],
    ["plan", "{m}"],
    ["validate", "{m}"],
    ["merge", "{m}", EXAMPLE],
    ["report", "{m}", "--no-diagram"],
    ["import", "yaml", "{m}"],
]


@pytest.mark.parametrize("command", _IN_PLACE, ids=lambda c: c[0])
def test_the_input_file_is_not_overwritten_unless_asked(command: list[str], tmp_path: Path) -> None:
    model = tmp_path / "model.yaml"
    model.write_text(Path(EXAMPLE).read_text())
    before = model.read_bytes()
    args = [part.format(m=model) for part in command]
    code, _, err = run(*args, "-o", str(model))
    assert code == 2
    assert "is also an input file of this command" in err
    assert model.read_bytes() == before
    # Through a link to it too.
    link = tmp_path / "link.yaml"
    link.symlink_to(model)
    code, _, _ = run(*args, "-o", str(link))
    assert code == 2
    assert model.read_bytes() == before


def test_force_replaces_the_input_file(tmp_path: Path) -> None:
    model = tmp_path / "model.json"
    dump(tiny(), model)
    code, _, _ = run("export", str(model), "--to", "yaml", "-o", str(model), "--force")
    assert code == 0
    assert model.read_text().startswith("changemodel:")
    assert load(model, "yaml") == tiny()


def test_export_to_a_pipe_keeps_the_pipe(tmp_path: Path) -> None:
    pipe = tmp_path / "out"
    os.mkfifo(pipe)
    received: list[bytes] = []

    def reader() -> None:
        with open(pipe, "rb") as handle:
            received.append(handle.read())

    thread = threading.Thread(target=reader)
    thread.start()
    code, _, err = run("export", EXAMPLE, "--to", "json", "-o", str(pipe), "-q")
    thread.join(timeout=10)
    assert code == 0, err
    assert json.loads(received[0])["title"] == "Peer worker change model"
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)


# ---------------------------------------------------------------- reading


def _files_of_every_format(folder: Path) -> dict[str, tuple[Path, Callable[[Path], object]]]:
    model = load(EXAMPLE)
    paths = {
        "yaml": folder / "m.yaml",
        "graphml": folder / "m.graphml",
        "node-link": folder / "m.json",
        "dagitty": folder / "m.dagitty",
        "kumu": folder / "m.kumu.json",
        "spreadsheet": folder / "m.csv",
        "cmo-csv": folder / "cmo.csv",
    }
    dump(model, paths["yaml"])
    write_graphml(model, paths["graphml"])
    write_node_link(model, paths["node-link"])
    paths["dagitty"].write_text(to_dagitty(model))
    write_kumu(model, paths["kumu"])
    paths["spreadsheet"].write_text(to_elements_csv(model))
    paths["cmo-csv"].write_text("context,mechanism,outcome\nRural,Trust,Uptake\n")
    readers: dict[str, Callable[[Path], object]] = {
        "yaml": load,
        "graphml": read_graphml,
        "node-link": read_node_link,
        "dagitty": read_dagitty,
        "kumu": read_kumu,
        "spreadsheet": read_spreadsheet,
        "cmo-csv": read_cmo_csv,
    }
    return {name: (paths[name], readers[name]) for name in paths}


def test_every_reader_refuses_input_past_the_limit(tmp_path: Path) -> None:
    for name, (path, read) in _files_of_every_format(tmp_path).items():
        read(path)  # within the default limit
        size = path.stat().st_size
        with input_limit(size - 1), pytest.raises(InputTooLargeError) as info:
            read(path)
        assert str(info.value).startswith(f"{path}: the input is larger than the limit"), name
        with input_limit(size):
            read(path)
        # An open file is read within the limit too.
        with open(path, "rb") as handle, input_limit(size - 1), pytest.raises(InputTooLargeError):
            read(handle)  # type: ignore[arg-type]


def test_the_limit_is_restored_after_the_block() -> None:
    assert max_input_size() == DEFAULT_INPUT_LIMIT
    with input_limit(None):
        assert max_input_size() is None
        with input_limit(5):
            assert max_input_size() == 5
    assert max_input_size() == DEFAULT_INPUT_LIMIT
    with pytest.raises(ValueError, match="positive"), input_limit(0):
        pass


def test_sizes_read_and_written() -> None:
    assert parse_size("64M") == 64 * 1024**2
    assert parse_size("500k") == 500 * 1024
    assert parse_size("2GiB") == 2 * 1024**3
    assert parse_size("1000") == 1000
    assert parse_size("none") is None
    for bad in ("lots", "-5M", "0.1", "inf"):
        with pytest.raises(ValueError, match="is not a size"):
            parse_size(bad)
    assert format_size(DEFAULT_INPUT_LIMIT) == "256 MiB"
    assert format_size(1) == "1 byte"
    assert format_size(1500) == "1500 bytes"


def test_the_command_line_sets_the_limit(tmp_path: Path) -> None:
    code, _, err = run("--max-input-size", "1K", "check", EXAMPLE)
    assert code == 2
    assert "larger than the limit of 1 KiB" in err
    assert "--max-input-size" in err
    code, _, _ = run("--max-input-size", "1M", "check", EXAMPLE)
    assert code == 0
    code, _, err = run("--max-input-size", "lots", "check", EXAMPLE)
    assert code == 2
    assert "'lots' is not a size" in err
    result = CliRunner().invoke(cli, ["check", EXAMPLE], env={"CHANGEMODEL_MAX_INPUT_SIZE": "2K"})
    assert result.exit_code == 2
    assert "limit of 2 KiB" in result.stderr


def test_standard_input_is_bounded_too() -> None:
    result = CliRunner().invoke(
        cli, ["--max-input-size", "100", "check", "-"], input=Path(EXAMPLE).read_text()
    )
    assert result.exit_code == 2
    assert "<stdin>: the input is larger than the limit of 100 bytes" in result.stderr


def test_endless_input_stops_at_the_limit() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "changemodel", "--max-input-size", "4M", "check", "/dev/zero"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "/dev/zero: the input is larger than the limit of 4 MiB" in done.stderr


def test_a_pipe_nobody_writes_to_does_not_block(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.yaml"
    os.mkfifo(pipe)
    done = subprocess.run(
        [sys.executable, "-m", "changemodel", "check", str(pipe)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert f"{pipe}:1:1: the document is empty" in done.stderr


def test_a_folder_or_a_socket_is_not_read(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="this is a folder"):
        load(tmp_path)
    path = tmp_path / "s"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        with pytest.raises(LoadError, match="cannot read a socket"):
            read_kumu(path)
    finally:
        server.close()


def test_bytes_that_are_not_utf8_are_located(tmp_path: Path) -> None:
    path = tmp_path / "m.dagitty"
    path.write_bytes(b"dag {\n a -> \xff }\n")
    with pytest.raises(LoadError, match=r"m\.dagitty:2:7: the file is not valid UTF-8"):
        read_dagitty(path)


def test_text_streams_are_read_within_the_limit() -> None:
    text = to_dagitty(tiny())
    assert [e.id for e in read_dagitty(io.StringIO(text)).elements] == ["a", "o"]
    with input_limit(5), pytest.raises(InputTooLargeError):
        read_dagitty(io.StringIO(text))


# ---------------------------------------------------------------- linear importers


def _calls_to_make_ids(count: int, monkeypatch: pytest.MonkeyPatch) -> int:
    from changemodel.formats import dagitty

    calls = 0
    real = dagitty.normalise_id  # type: ignore[attr-defined]

    def counting(value: str) -> str:
        nonlocal calls
        calls += 1
        return real(value)

    # Names that all make the id ``a``: "a!", "a?", ..., "a!!", "a??", ...
    marks = "!?#$%&*+"
    names = [f'"a{marks[i % 8] * (1 + i // 8)}"' for i in range(count)]
    with monkeypatch.context() as patch:
        patch.setattr(dagitty, "normalise_id", counting)
        model = dagitty.from_dagitty("dag { " + " ".join(names) + " }")
    assert len(model) == count
    return calls


def test_dagitty_ids_made_from_many_names_stay_linear(monkeypatch: pytest.MonkeyPatch) -> None:
    small = _calls_to_make_ids(200, monkeypatch)
    large = _calls_to_make_ids(800, monkeypatch)
    # Four times the names: about four times the work, not sixteen.
    assert large <= 5 * small


def test_a_fan_of_ten_thousand_arrows_imports() -> None:
    from changemodel.formats.dagitty import from_dagitty

    model = from_dagitty("dag { a -> { " + " ".join(f"n{i}" for i in range(10_000)) + " } }")
    assert len(model) == 10_001
    assert len(model.links) == 10_000


def test_kumu_ids_made_from_equal_labels_are_distinct_and_in_order() -> None:
    from changemodel.formats.kumu import from_kumu

    labels = ["a!", "a?", "A", "a#", "a_2"]
    data = {"elements": [{"label": label, "type": "activity"} for label in labels]}
    model = from_kumu(data, title="T")
    assert [e.id for e in model.elements] == ["a", "a_2", "A_3", "a_4", "a_2_2"]


def test_monitoring_data_is_read_within_the_limit(tmp_path: Path) -> None:
    from changemodel.formats.data import read_data

    path = tmp_path / "data.csv"
    path.write_text("a,b\n1,2\n3,4\n")
    assert len(read_data(path)) == 2
    with input_limit(5), pytest.raises(InputTooLargeError, match=r"data\.csv: the input is larger"):
        read_data(path)
    for suffix in (".parquet", ".xlsx"):
        big = tmp_path / f"data{suffix}"
        big.write_bytes(b"x" * 100)
        with input_limit(50), pytest.raises(InputTooLargeError):
            read_data(big)
