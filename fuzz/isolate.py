"""Run one input in a forked worker with a time and memory limit, name what happened, and shrink it.

The fuzzing worker runs millions of inputs in one process; whatever it reports is re-run here in a fresh fork so that
a finding is confirmed (it replays), classified (its *kind*: exception type and the innermost frame in our code, or a
timeout and where the stack was stuck) and minimized (a smaller input with the same kind). A hang in C — big-integer
arithmetic holds the GIL and cannot be interrupted — is caught from outside: the parent kills the fork at the
deadline, and a ``faulthandler`` watchdog in the fork has already written where the stack was.
"""

from __future__ import annotations

import faulthandler
import functools
import os
import pickle
import resource
import signal
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fuzz.harness import Finding

__all__ = ["OUR_PACKAGES", "Outcome", "kind_from_dump", "kind_of", "minimize", "run_isolated"]

#: Top-level folders whose frames name a finding (the innermost frame in one of them is the "top frame").
OUR_PACKAGES = ("sync", "chargers", "ivi", "geo", "fuzz")
ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Outcome:
    """What one input did: ``status`` is ``ok``, ``exception``, ``timeout``, ``memory`` or ``crash``."""

    status: str
    kind: str = ""
    detail: str = ""

    @property
    def failed(self) -> bool:
        return self.status != "ok"


def _our_frame(filename: str) -> str | None:
    try:
        rel = Path(filename).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return None
    return rel if rel.split("/", 1)[0] in OUR_PACKAGES else None


def kind_of(exc: BaseException) -> str:
    """A finding's kind: ``Finding:<label>`` for the oracle's findings, else ``<Type>@<file>:<function>``.

    The frame is the innermost one in our code (a ``RecursionError`` raised inside ``json`` is named after the caller
    of ``json.loads`` that let it escape), so one bug is one kind however deep the library stack was.
    """
    if isinstance(exc, Finding):
        return f"Finding:{exc.kind}"
    where = "?"
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        rel = _our_frame(frame.filename)
        if rel is not None and not rel.startswith("fuzz/harness.py"):
            where = f"{rel}:{frame.name}"
            break
    return f"{type(exc).__name__}@{where}"


def kind_from_dump(text: str) -> str:
    """The innermost frame of ours in a ``faulthandler`` dump (most recent call first)."""
    for line in text.splitlines():
        line = line.strip()
        if line.startswith('File "'):
            filename = line[6 : line.index('"', 6)]
            rel = _our_frame(filename)
            if rel is not None:
                return f"{rel}:{line.rsplit(' in ', 1)[-1]}"
    return "?"


def run_isolated(check: Callable[[bytes], None], data: bytes, timeout_s: float = 2.0, memory_mb: int = 2048) -> Outcome:
    """Run ``check(data)`` in a fork limited to ``timeout_s`` seconds and ``memory_mb`` of address space."""
    with tempfile.TemporaryDirectory(prefix="fuzz-iso-") as tmp:
        dump_path = Path(tmp) / "stack.txt"
        result_path = Path(tmp) / "result.pickle"
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            code = 0
            try:
                limit = memory_mb * 1024 * 1024
                resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
                with dump_path.open("w") as dump:
                    faulthandler.dump_traceback_later(timeout_s * 0.9, exit=False, file=dump)
                    try:
                        check(data)
                        outcome = Outcome("ok")
                    except MemoryError as exc:
                        outcome = Outcome("memory", kind_of(exc), "".join(traceback.format_exception(exc))[-4000:])
                    except BaseException as exc:
                        outcome = Outcome("exception", kind_of(exc), "".join(traceback.format_exception(exc))[-4000:])
                    faulthandler.cancel_dump_traceback_later()
                result_path.write_bytes(pickle.dumps(outcome))
            except BaseException:
                code = 3
            os._exit(code)
        deadline = time.monotonic() + timeout_s
        status = None
        while time.monotonic() < deadline:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            time.sleep(0.002)
        else:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            stack = dump_path.read_text(errors="replace") if dump_path.exists() else ""
            return Outcome("timeout", f"Timeout@{kind_from_dump(stack)}", stack[-4000:])
        if result_path.exists():
            return pickle.loads(result_path.read_bytes())  # our own child's pickle, from our own temp dir
        assert status is not None
        if os.WIFSIGNALED(status):
            return Outcome("crash", f"Signal{os.WTERMSIG(status)}", "")
        return Outcome("crash", f"Exit{os.WEXITSTATUS(status)}", "")


def _kind_in_process(check: Callable[[bytes], None], data: bytes) -> str:
    """The kind of ``data`` run here (a Python-level hang is cut short by an alarm: a different kind)."""
    signal.setitimer(signal.ITIMER_REAL, 1.0)
    try:
        check(data)
        return ""
    except _Alarm:
        return "Timeout"
    except Exception as exc:
        return kind_of(exc)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


class _Alarm(BaseException):
    pass


def _raise_alarm(signum: int, frame: object) -> None:
    raise _Alarm


def _ddmin(
    try_kind: Callable[[bytes], str], data: bytes, kind: str, deadline: float, keep: Callable[[bytes], None]
) -> None:
    best = data
    span = max(1, len(best) // 2)
    while span >= 1 and time.monotonic() < deadline:
        shrunk = False
        start = 0
        while start < len(best) and time.monotonic() < deadline:
            candidate = best[:start] + best[start + span :]
            if candidate and try_kind(candidate) == kind:
                best = candidate
                keep(best)
                shrunk = True
            else:
                start += span
        if not shrunk:
            span //= 2


def _keep(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically (the minimizing fork may be killed at any moment)."""
    part = path.with_suffix(".part")
    part.write_bytes(data)
    part.replace(path)


def minimize(
    check: Callable[[bytes], None], data: bytes, kind: str, budget_s: float = 20.0, timeout_s: float = 2.0
) -> bytes:
    """A smaller input with the same kind: drop ever smaller spans while the kind holds (ddmin, time-bounded).

    An exception is minimized in one fork that runs the candidates in-process (fast; the fork is killed at the
    deadline, keeping the best so far); a hang needs a fork per candidate and gets a few tries only."""
    if kind.startswith("Timeout") or kind.startswith("Signal"):
        best = [data]
        _ddmin(
            lambda c: run_isolated(check, c, timeout_s).kind,
            data,
            kind,
            time.monotonic() + budget_s,
            lambda b: best.__setitem__(0, b),
        )
        return best[0]
    with tempfile.TemporaryDirectory(prefix="fuzz-min-") as tmp:
        best_path = Path(tmp) / "best"
        best_path.write_bytes(data)
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            try:
                signal.signal(signal.SIGALRM, _raise_alarm)
                limit = 2048 * 1024 * 1024
                resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
                _ddmin(
                    lambda c: _kind_in_process(check, c),
                    data,
                    kind,
                    time.monotonic() + budget_s,
                    functools.partial(_keep, best_path),
                )
            finally:
                os._exit(0)
        deadline = time.monotonic() + budget_s + timeout_s
        while time.monotonic() < deadline:
            if os.waitpid(pid, os.WNOHANG)[0]:
                break
            time.sleep(0.01)
        else:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        return best_path.read_bytes()
