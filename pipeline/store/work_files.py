"""Records <-> JSON: the per-article work files under `<out>/.work/<article>/<stage>.jsonl`.

Consumes the frozen dataclasses of `pipeline.models` and produces plain JSON-able dicts
(and back), so that a stage's output can be stored and reread without re-running it.
Files are written to a temporary name and renamed, so a killed run never leaves half
a file behind.
"""
from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import functools
import json
import os
import secrets
import types
import typing
from enum import Enum
from pathlib import Path
from typing import Any, Callable, Iterable, TypeVar

T = TypeVar("T")


def to_plain(value: Any) -> Any:
    """A dataclass, enum, tuple or path as JSON-able data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, Path):
        return str(value)
    return value


@functools.lru_cache(maxsize=None)
def _converter(tp: Any) -> Callable[[Any], Any] | None:
    """A function that rebuilds a (non-null) JSON value as `tp` (a dataclass, enum, tuple[...],
    optional ...), or None when the value is used as it is; built once per type, since reading the work files of
    a large batch calls it for every field of every record."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _converter(args[0]) if len(args) == 1 else None
    if origin is tuple:
        args = typing.get_args(tp)
        inner = _converter(args[0]) if args else None
        if inner is None:
            return tuple
        return lambda value: tuple(None if v is None else inner(v) for v in value)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return lambda value: from_plain(tp, value)
    if isinstance(tp, type) and issubclass(tp, Enum):
        return tp
    if tp is Path:
        return Path
    return None


@functools.lru_cache(maxsize=None)
def _fields(cls: type) -> tuple[tuple[str, Callable[[Any], Any] | None], ...]:
    """(name, converter) of each field; resolving the hints is slow, so once per class."""
    hints = typing.get_type_hints(cls)
    return tuple((f.name, _converter(hints[f.name])) for f in dataclasses.fields(cls))


def from_plain(cls: type[T], data: dict) -> T:
    """The inverse of `to_plain` for one dataclass; unknown keys are ignored."""
    kwargs = {}
    for name, convert in _fields(cls):
        if name in data:
            value = data[name]
            kwargs[name] = value if convert is None or value is None else convert(value)
    return cls(**kwargs)


def atomic_write_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    """Write `text` to `path` through a temporary file in the same folder and a rename
    (deferred to the end of an `output_set` over that folder, when one is open)."""
    atomic_write_parts(path, (text,), encoding)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """`atomic_write_text` for a binary file (the review workbook)."""
    atomic_write_parts(path, (data,), encoding=None)


def atomic_write_parts(path: Path, parts: Iterable[str] | Iterable[bytes], encoding: str | None = "utf-8") -> None:
    """`atomic_write_text` of the parts joined, written as they come: a large output (the
    report of a whole site) never has to stand in memory as one string. `encoding` None: bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _new_temporary(path)
    try:
        with (os.fdopen(fd, "w", encoding=encoding, newline="") if encoding else os.fdopen(fd, "wb")) as handle:
            for part in parts:
                handle.write(part)
            handle.flush()
            os.fsync(handle.fileno())
        put_in_place(Path(tmp), path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _new_temporary(path: Path) -> tuple[int, str]:
    """A new file beside `path`, opened for writing, with the mode any new file gets under the
    user's umask (outputs are for people; mkstemp would make it private), without changing
    the process's umask to learn it."""
    for _ in range(100):
        tmp = str(path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {path}")


# An open output set: (its folder, final path -> the complete temporary file waiting for it)
_OUTPUT_SET: contextvars.ContextVar[tuple[Path, dict[Path, Path]] | None] = contextvars.ContextVar(
    "output_set", default=None)
JOURNAL = ".outputs.journal"


def put_in_place(tmp: Path, path: Path) -> None:
    """Rename a complete, synced temporary file onto `path`, or, inside an `output_set` over
    its folder, keep it waiting for the set's commit."""
    open_set = _OUTPUT_SET.get()
    if open_set is not None and path.parent.resolve() == open_set[0]:
        previous = open_set[1].pop(path, None)
        if previous is not None:
            previous.unlink(missing_ok=True)
        open_set[1][path] = tmp
        return
    os.replace(tmp, path)
    _sync_folder(path.parent)


def current_file(path: Path) -> Path:
    """Where the newest text of `path` is: its waiting temporary file inside an output set."""
    open_set = _OUTPUT_SET.get()
    if open_set is not None:
        return open_set[1].get(path, path)
    return path


@contextlib.contextmanager
def output_set(folder: Path):
    """The outputs written into `folder` inside this block replace the old ones as one set.

    Each file is written whole to a temporary name first; at the end a journal naming every
    rename is written (atomically), then the renames are made and the journal removed. A run
    killed before the journal leaves every old output; one killed during the renames leaves a
    journal, and `finish_interrupted_outputs` (the next run, under its lock) completes them,
    so the folder never stays a mix of two runs. An error inside the block keeps the old set.
    """
    folder = folder.resolve()
    pending: dict[Path, Path] = {}
    token = _OUTPUT_SET.set((folder, pending))
    try:
        yield
    except BaseException:
        for tmp in pending.values():
            tmp.unlink(missing_ok=True)
        raise
    finally:
        _OUTPUT_SET.reset(token)
    if not pending:
        return
    renames = [[tmp.name, path.name] for path, tmp in pending.items()]
    atomic_write_text(folder / JOURNAL, json.dumps({"renames": renames}))
    finish_interrupted_outputs(folder)


def finish_interrupted_outputs(folder: Path) -> int:
    """Complete the renames of an output set whose run was killed after its journal was
    written (every temporary file it names was already whole). Returns how many were made."""
    journal = folder / JOURNAL
    try:
        renames = json.loads(journal.read_text(encoding="utf-8"))["renames"]
    except FileNotFoundError:
        return 0
    except (OSError, ValueError, KeyError, TypeError):
        journal.unlink(missing_ok=True)  # written atomically, so never half; unreadable means foreign
        return 0
    made = 0
    for tmp_name, final_name in renames:
        tmp = folder / Path(tmp_name).name
        if tmp.exists():
            os.replace(tmp, folder / Path(final_name).name)
            made += 1
    _sync_folder(folder)
    journal.unlink(missing_ok=True)
    _sync_folder(folder)
    return made


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable: after a power cut (not only a killed process) the
    folder then names the new file. Not every platform can open a folder; skip there."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_jsonl(path: Path, records: Iterable[Any]) -> None:
    """Write records as one JSON object a line, atomically."""
    lines = [json.dumps(to_plain(r), ensure_ascii=False, sort_keys=True) for r in records]
    atomic_write_text(path, "\n".join(lines) + ("\n" if lines else ""))


def read_jsonl(path: Path, cls: type[T]) -> list[T]:
    """Read records of `cls` written by `write_jsonl`."""
    with open(path, encoding="utf-8") as handle:
        return [from_plain(cls, json.loads(line)) for line in handle if line.strip()]
