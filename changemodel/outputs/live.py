"""Live preview: the report of a model file, rebuilt on every save.

:class:`LivePreview` serves the report (:func:`changemodel.outputs.report.to_html`)
of one model file on the loopback interface, watches the file and rebuilds the
page whenever it is saved; an open page hears of the new build over a
server-sent event stream and reloads itself. A save that leaves the file
unreadable (half-written, or with a typo) keeps the last good report on the
page, under an alert that lists the file's located errors; the next good save
clears it.

The server listens on ``127.0.0.1`` only, answers ``GET`` (and ``HEAD``) for
the page (``/``) and its event stream (``/events``) and nothing else, and
refuses requests whose ``Host`` is not the loopback address it listens on (so
another web page cannot read it through DNS rebinding). It needs the optional
``watchfiles`` package (``pip install 'changemodel[serve]'``).

>>> import pathlib, tempfile, urllib.request
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "model.yaml").write_text("changemodel: 1\\ntitle: Tiny\\n", encoding="utf-8")
>>> with LivePreview(folder / "model.yaml", diagram=False) as preview:
...     page = urllib.request.urlopen(preview.url).read().decode("utf-8")
>>> "<h1>Tiny</h1>" in page
True
"""

from __future__ import annotations

import http.server
import os
import threading
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any, Final

from changemodel.errors import ChangeModelError, LoadErrors
from changemodel.model import ChangeModel

__all__ = ["EVENTS", "LivePreview"]

#: The address of the event stream that tells a page to reload.
EVENTS: Final = "/events"
#: Seconds between keep-alive comments on an idle event stream.
_HEARTBEAT: Final = 10.0


class LivePreview:
    """Serve the report of the model file *path* and rebuild it when the file changes.

    ``port=0`` (the default) takes a free port; :attr:`url` says which. The
    other keywords are those of :func:`~changemodel.outputs.report.to_html`
    (``profile``, ``diagram``, ``hypotheses``, ``executable``). Use it as a
    context manager, or call :meth:`start` and :meth:`stop`;
    :meth:`serve_forever` runs until interrupted.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        port: int = 0,
        watch: bool = True,
        **report_options: Any,
    ) -> None:
        self.path = Path(path)
        self.report_options = report_options
        self.watch = watch
        #: How many times the page has been built; each build has a new number.
        self.build = 0
        #: The page now served.
        self.page = ""
        #: The located errors of the file as last read (empty when it loaded).
        self.errors: tuple[str, ...] = ()
        self._model: ChangeModel | None = None
        self._changed = threading.Condition()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self.rebuild()
        self._server = _Server(("127.0.0.1", port), _handler(self))

    # ------------------------------------------------------------ the page

    @property
    def port(self) -> int:
        """The port the server listens on."""
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """The address of the page."""
        return f"http://127.0.0.1:{self.port}/"

    def rebuild(self) -> None:
        """Read the file again and build the page; wake every open page."""
        from changemodel.formats.canonical import load
        from changemodel.outputs.report import to_html

        errors: tuple[str, ...] = ()
        try:
            self._model = load(self.path)
        except LoadErrors as exc:
            errors = tuple(str(e) for e in exc.errors)
        except ChangeModelError as exc:
            errors = (str(exc),)
        model = self._model
        notices = errors
        if notices:
            count = len(notices)
            lead = (
                f"{self.path.name} cannot be read ({count} problem{'s' if count > 1 else ''});"
                + (" the report below is the last version that could." if model else "")
            )
            notices = (lead, *notices)
        if model is None:
            model = ChangeModel(self.path.name)
        build = self.build + 1
        options = dict(self.report_options)
        if self._model is None:
            options["diagram"] = False
        try:
            page = to_html(model, notices=notices, live=f"{EVENTS}?build={build}", **options)
        except ChangeModelError as exc:  # Graphviz missing, say: shown, not raised
            page = to_html(
                model,
                notices=(*notices, f"The report could not be made: {exc}"),
                live=f"{EVENTS}?build={build}",
                **{**options, "diagram": False},
            )
        with self._changed:
            # The errors, the page and its number change together.
            self.page = page
            self.errors = errors
            self.build = build
            self._changed.notify_all()

    def wait_for_build(self, after: int, timeout: float) -> int:
        """Wait until a build newer than *after* exists (or *timeout* seconds pass);
        return the current build number."""
        with self._changed:
            self._changed.wait_for(
                lambda: self.build > after or self._stop.is_set(), timeout=timeout
            )
            return self.build

    # ------------------------------------------------------------- serving

    def start(self) -> LivePreview:
        """Serve and watch in background threads; return this preview."""
        self._spawn(self._server.serve_forever, "changemodel-serve")
        if self.watch:
            self._spawn(self._watch, "changemodel-watch")
        return self

    def stop(self) -> None:
        """Stop serving and watching."""
        self._stop.set()
        with self._changed:
            self._changed.notify_all()
        self._server.shutdown()
        self._server.server_close()
        for thread in self._threads:
            thread.join(timeout=10)

    def serve_forever(self, on_ready: Callable[[LivePreview], None] | None = None) -> None:
        """Serve until interrupted (Ctrl-C), calling *on_ready* once listening."""
        self.start()
        if on_ready is not None:
            on_ready(self)
        try:
            self._stop.wait()
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()

    def __enter__(self) -> LivePreview:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _spawn(self, target: Callable[[], object], name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def _watch(self) -> None:
        import watchfiles

        # The folder is watched, not the file: editors often save by writing a
        # new file and renaming it over the old one.
        target = self.path.resolve()

        def wanted(change: watchfiles.Change, name: str) -> bool:
            return Path(name).resolve() == target

        for _ in watchfiles.watch(
            target.parent,
            watch_filter=wanted,
            recursive=False,
            debounce=300,
            stop_event=self._stop,
            raise_interrupt=False,
        ):
            self.rebuild()


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False


def _handler(preview: LivePreview) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        server_version = "changemodel"
        sys_version = ""

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the command line says what matters."""

        def _allowed_host(self) -> bool:
            host = (self.headers.get("Host") or "").lower()
            return host in (f"127.0.0.1:{preview.port}", f"localhost:{preview.port}")

        def _refuse(self, status: int, message: str) -> None:
            body = message.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def do_HEAD(self) -> None:
            self.do_GET()

        def do_GET(self) -> None:
            if not self._allowed_host():
                self._refuse(403, "This preview answers on its loopback address only.\n")
                return
            address = urllib.parse.urlsplit(self.path)
            if address.path == "/":
                self._page()
            elif address.path == EVENTS and self.command == "GET":
                query = urllib.parse.parse_qs(address.query)
                try:
                    shown = int(query.get("build", ["0"])[0])
                except ValueError:
                    shown = 0
                self._events(shown)
            else:
                self._refuse(404, "Not found: this preview serves its report at /.\n")

        def _page(self) -> None:
            body = preview.page.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _events(self, shown: int) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            try:
                while not preview._stop.is_set():
                    build = preview.wait_for_build(shown, _HEARTBEAT)
                    if build > shown:
                        self.wfile.write(b"data: reload\n\n")
                        self.wfile.flush()
                        return
                    self.wfile.write(b": still here\n\n")
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return

        def do_POST(self) -> None:
            self._refuse(405, "This preview only shows the report.\n")

        def do_PUT(self) -> None:
            self.do_POST()

        def do_DELETE(self) -> None:
            self.do_POST()

        def do_PATCH(self) -> None:
            self.do_POST()

        def do_OPTIONS(self) -> None:
            self.do_POST()

    return Handler
