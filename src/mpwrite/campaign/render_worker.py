"""Rendering a custom campaign's templates in a child process with hard limits.

A custom campaign comes from someone else, so its templates are untrusted.
The sandbox (:mod:`mpwrite.campaign.sandbox`) stops code execution and most runaway
work with friendly errors, but counting work and sizes inside the interpreter
cannot bound every expression. So a custom campaign's templates render in a
child process that the operating system holds to:

* :data:`CPU_SECONDS` of processor time per render (a timer stops the render
  with a message naming the template line; a hard limit one second later ends
  the child if the render does not stop);
* :data:`MEMORY_BYTES` of memory beyond what the child uses when it starts;
* :data:`WALL_SECONDS` per render, after which the parent ends the child.

A render that breaks a limit fails with a one-line TemplateRenderError naming
the file. The child starts on the first render that needs Jinja2 (about
0.15 s, once per process), serves every later render of every custom
campaign, and ends with the program. Templates that only place values and the bundled campaign
(shipped with mpwrite, so trusted) render in-process, at no extra cost.

The processor-time and memory limits need a POSIX system (Linux enforces
both; macOS only the processor time); elsewhere only the wall-clock limit and
the sandbox's own checks apply.
"""

from __future__ import annotations

import itertools
import threading
from collections import OrderedDict
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mpwrite.errors import TemplateRenderError

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

    from mpwrite.campaign.folder import Campaign

#: Processor time one render may use, in seconds (a letter takes milliseconds).
CPU_SECONDS = 2.0
#: Memory the rendering child may use beyond its start-up size, in bytes.
MEMORY_BYTES = 512 * 2**20
#: Time one render may take, waiting included, before the child is ended.
WALL_SECONDS = 10.0

#: Loaded campaigns the child keeps (each loaded once, on its first render).
_CAMPAIGNS_KEPT = 8
_TOKEN_ATTRIBUTE = "_render_token"
_tokens = itertools.count()


def render_elsewhere(campaign: Campaign, name: str, context: Mapping[str, Any]) -> str:
    """Template ``name`` of custom ``campaign``, rendered in the limited child process."""
    token: int | None = campaign.__dict__.get(_TOKEN_ATTRIBUTE)
    if token is None:
        # Each loaded campaign is loaded afresh in the child: its files may
        # have changed since another Campaign of the same folder was loaded.
        token = next(_tokens)
        # Campaign is frozen; the token is not one of its fields.
        object.__setattr__(campaign, _TOKEN_ATTRIBUTE, token)
    return _WORKER.render(campaign, token, name, context)


class RenderWorker:
    """One child process rendering custom campaigns' templates, one render at a time."""

    def __init__(
        self,
        cpu_seconds: float = CPU_SECONDS,
        memory_bytes: int = MEMORY_BYTES,
        wall_seconds: float = WALL_SECONDS,
    ) -> None:
        self.cpu_seconds, self.memory_bytes = cpu_seconds, memory_bytes
        self.wall_seconds = wall_seconds
        self._lock = threading.Lock()
        self._process: BaseProcess | None = None
        self._connection: Connection | None = None

    def render(self, campaign: Campaign, token: int, name: str, context: Mapping[str, Any]) -> str:
        """The rendered text; TemplateRenderError when the template fails or breaks a limit."""
        label = campaign.file_label(name)
        with self._lock:
            connection = self._connection
            if connection is None or not self._alive():
                connection = self._start()
            try:
                connection.send((token, str(campaign.root), name, dict(context)))
                answered = connection.poll(self.wall_seconds)
                reply = connection.recv() if answered else None
            except (EOFError, OSError):
                self.stop()
                raise TemplateRenderError(
                    f"{label}: rendering stopped; the template needs more processor time "
                    f"or memory than a letter can ({self.cpu_seconds:g} s, "
                    f"{self.memory_bytes // 2**20} MB); simplify it"
                ) from None
            if reply is None:
                self.stop()
                raise TemplateRenderError(
                    f"{label}: rendering took over {self.wall_seconds:g} s; simplify the template"
                )
        ok, value = reply
        if ok:
            return str(value)
        raise TemplateRenderError(str(value))

    def _alive(self) -> bool:
        return self._process is not None and self._process.is_alive()

    def _start(self) -> Connection:
        import multiprocessing

        self.stop()
        # spawn, not fork: the caller may have threads (bulk's writer), and a
        # forked copy of a process with threads can deadlock.
        context = multiprocessing.get_context("spawn")
        ours, theirs = context.Pipe()
        process = context.Process(
            target=_serve,
            args=(theirs, (self.cpu_seconds, self.memory_bytes)),
            name="mpwrite-render",
            daemon=True,
        )
        process.start()
        theirs.close()
        self._process, self._connection = process, ours
        return ours

    def stop(self) -> None:
        """End the child (it is started again on the next render)."""
        if self._connection is not None:
            self._connection.close()
        if self._process is not None:
            self._process.kill()
            self._process.join()
        self._process = self._connection = None


_WORKER = RenderWorker()


def _serve(connection: Connection, limits: tuple[float, int]) -> None:
    """The child: render each request received until the parent goes away."""
    import signal

    from mpwrite.campaign.folder import read_campaign
    from mpwrite.campaign.limits import LimitExceededError
    from mpwrite.campaign.sandbox import render_here
    from mpwrite.errors import MpwriteError

    cpu_seconds, memory_bytes = limits
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _limit_memory(memory_bytes)
    campaigns: OrderedDict[int, Campaign] = OrderedDict()
    while True:
        try:
            token, path, name, context = connection.recv()
        except (EOFError, OSError):
            return
        _start_clock(cpu_seconds)
        try:
            campaign = campaigns.get(token)
            if campaign is None:
                campaign = campaigns[token] = read_campaign(path)
                if len(campaigns) > _CAMPAIGNS_KEPT:
                    campaigns.popitem(last=False)
            reply: tuple[bool, str] = (True, render_here(campaign, name, context))
        except MpwriteError as error:
            reply = (False, str(error))
        except LimitExceededError as error:  # the clock ran out outside a template
            reply = (False, f"{path}: {error}")
        finally:
            _stop_clock()
        connection.send(reply)


def _limit_memory(extra: int) -> None:
    try:
        import resource

        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[0])
        size = pages * resource.getpagesize() + extra
        resource.setrlimit(resource.RLIMIT_AS, (size, size))
    except (ImportError, OSError, ValueError):
        pass  # no such limit on this system: the sandbox's own size checks remain


def _start_clock(seconds: float) -> None:
    import signal

    if not hasattr(signal, "setitimer"):
        return
    from mpwrite.campaign.limits import LimitExceededError

    def out_of_time(_signal: int, _frame: object) -> None:
        raise LimitExceededError(
            f"the template used over {seconds:g} s of processor time; "
            f"a letter template should need milliseconds"
        )

    signal.signal(signal.SIGPROF, out_of_time)
    # Repeats, in case the template's code swallows the first interruption.
    signal.setitimer(signal.ITIMER_PROF, seconds, 0.1)
    try:
        import resource

        used = resource.getrusage(resource.RUSAGE_SELF)
        # Whole seconds, and only the soft limit (a hard one could never be
        # raised again): if a long C call never lets the timer's handler run,
        # the system ends the child here.
        soft = int(used.ru_utime + used.ru_stime + seconds) + 2
        _, hard = resource.getrlimit(resource.RLIMIT_CPU)
        resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))
    except (ImportError, OSError, ValueError):
        pass


def _stop_clock() -> None:
    import signal

    if hasattr(signal, "setitimer"):
        signal.setitimer(signal.ITIMER_PROF, 0)
