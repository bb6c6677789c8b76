"""Driving the Pagefind binary through its `--service` protocol.

`index_records(records, binary)` starts `pagefind_extended --service`, sends the records
(`AddRecord`) and asks for the bundle's files (`GetFiles`): the binary answers with every file's
content, and the caller writes them where it wants (`site_builder.search` into its cache). The
binary never writes a file itself.

Why our own client, and why `GetFiles`:

- The protocol is the one Pagefind's official Node and Python wrappers speak (base64 JSON
  messages separated by commas: `NewIndex`, `AddRecord`, `GetFiles`; answers carry the request's
  `message_id`), unchanged in `pagefind/src/service/{requests,responses}.rs` from 1.0.0 to 1.6.0.
  Pagefind's Python package (`pagefind.service.PagefindService`) sleeps 0.1 s per answer (100,000
  records: almost three hours); going faster meant overriding its private members, which an
  upgrade of that package could break silently. This client is some 150 lines, has no private
  member of anyone's to rely on, and a change of the protocol fails loudly (an `Error` answer or an
  unreadable one, reported with the binary's own message).
- `WriteFiles` (what the wrappers' `write_files` sends) answers before every file is on disk in
  Pagefind 1.5.2 (its writes are still in flight on tokio's blocking pool; fixed in Pagefind by
  "fix: flush output files before they drop", #1272), and the wrappers then kill the binary, so
  a bundle could be cut short: an empty pagefind-entry.json or WebAssembly file, 6 bundles in 60
  on a loaded machine. `GetFiles` is the documented in-memory variant (`get_files` in every
  wrapper): the files arrive whole in the answer, whatever the binary does afterwards.

The binary is `PAGEFIND_BINARY_PATH`, else the `binary` argument, else
`node_modules/@pagefind/linux-x64/bin/pagefind_extended` under the project root, then under this
checkout of the site builder (`make search-deps` = `npm ci`: package.json pins 1.6.0).
"""

from __future__ import annotations

import base64
import collections
import json
import os
import signal
import subprocess
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from site_builder.i18n import _

NPM_BINARY = Path("node_modules") / "@pagefind" / "linux-x64" / "bin" / "pagefind_extended"
CHECKOUT = Path(__file__).resolve().parents[2]  # the repository of an editable install


def install_hint() -> str:
    """What to do when there is no usable Pagefind binary."""
    return _("run `make search-deps` in the project's folder (it runs `npm ci`, which installs the Pagefind 1.6.0 "
             "binary that package.json pins), or set PAGEFIND_BINARY_PATH to a pagefind_extended binary")


def _retry(problem: str) -> str:
    """`problem` (a failure of the binary) with what to do about it."""
    return _("{problem}: run the command again; if it happens again, tell the technical staff").format(problem=problem)


def _unexpected(problem: str) -> str:
    """`problem` (an answer the protocol does not allow) with what to do about it."""
    return _("{problem}: check that the binary is Pagefind 1.6.0 (`make search-deps` installs it), then run the "
             "command again").format(problem=problem)


class SearchIndexError(RuntimeError):
    """The search index could not be built; the message says what failed and where."""


def find_binary(root: Path | None = None, binary: str | os.PathLike | None = None) -> Path:
    """The Pagefind binary to run (see the module docstring for the order); raises SearchIndexError
    saying what to install when there is none."""
    env = os.environ.get("PAGEFIND_BINARY_PATH")
    if env:
        path = Path(env)
        if not os.access(path, os.X_OK) or not path.is_file():
            raise SearchIndexError(_("PAGEFIND_BINARY_PATH is {path}, which is not an executable file: correct it "
                                     "or unset it").format(path=env))
        return path
    if binary:
        path = Path(binary)
        path = path if path.is_absolute() or root is None else root / path
        if not os.access(path, os.X_OK) or not path.is_file():
            raise SearchIndexError(_("there is no Pagefind binary at {path}: {hint}").format(path=path,
                                                                                            hint=install_hint()))
        return path
    looked = []
    for base in dict.fromkeys(b for b in (root, CHECKOUT) if b is not None):
        candidate = Path(base) / NPM_BINARY
        if candidate.is_file():
            return candidate
        looked.append(str(candidate))
    raise SearchIndexError(_("there is no Pagefind binary (looked for {looked}): {hint}").format(
        looked=", ".join(looked), hint=install_hint()))


def binary_version(binary: Path) -> str:
    """'1.6.0' for a binary printing 'pagefind 1.6.0'."""
    try:
        out = subprocess.run([str(binary), "--version"], capture_output=True, text=True, check=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        raise SearchIndexError(_("the Pagefind binary {binary} does not run ({error}): {hint}").format(
            binary=binary, error=exc, hint=install_hint())) from exc
    words = out.stdout.split()
    if len(words) < 2 or words[0] != "pagefind":
        raise SearchIndexError(_("{binary} is not Pagefind (its --version printed {output!r}): {hint}").format(
            binary=binary, output=out.stdout.strip(), hint=install_hint()))
    return words[-1]


@dataclass(frozen=True)
class Record:
    """One Pagefind custom record (the `AddRecord` message)."""

    url: str
    content: str
    meta: dict[str, str]
    filters: dict[str, list[str]]
    sort: dict[str, str]
    language: str = "vi"


@dataclass
class BundleFiles:
    """A bundle as Pagefind made it: its files (path inside the bundle -> content)."""

    files: dict[str, bytes]
    records: int
    peak_rss_kb: int  # peak resident memory of the binary (VmHWM), 0 where unknown


class PagefindService:
    """One `pagefind --service` process: requests out on its stdin, answers in from its stdout."""

    def __init__(self, binary: Path, env: dict[str, str] | None = None) -> None:
        self.binary = binary
        try:
            self.process = subprocess.Popen([str(binary), "--service"], stdin=subprocess.PIPE,
                                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        except OSError as exc:
            raise SearchIndexError(_("cannot start the Pagefind binary {binary} ({error}): {hint}").format(
                binary=binary, error=exc, hint=install_hint())) from exc
        self._stderr: collections.deque[str] = collections.deque(maxlen=20)
        self._stderr_reader = threading.Thread(target=self._read_stderr, daemon=True)
        self._stderr_reader.start()
        self._buffer = bytearray()
        self._scanned = 0
        self._last_id = 0
        self._send_lock = threading.Lock()
        self.peak_rss_kb = 0

    def _read_stderr(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            if line.strip():
                self._stderr.append(line.decode("utf-8", "replace").strip())

    def send(self, payload: dict) -> int:
        """Send one request; returns its message id (answers come back in the same order)."""
        with self._send_lock:
            self._last_id += 1
            message = json.dumps({"message_id": self._last_id, "payload": payload}, ensure_ascii=False,
                                 separators=(",", ":"))
            assert self.process.stdin is not None
            self.process.stdin.write(base64.b64encode(message.encode("utf-8")) + b",")
            self.process.stdin.flush()
            return self._last_id

    def receive(self, doing: str) -> tuple[int | None, dict]:
        """The next answer: (message id, payload); raises SearchIndexError when the binary stopped."""
        assert self.process.stdout is not None
        while True:
            end = self._buffer.find(b",", self._scanned)
            if end >= 0:
                frame = bytes(self._buffer[:end])
                del self._buffer[:end + 1]
                self._scanned = 0
                break
            self._scanned = len(self._buffer)
            chunk = self.process.stdout.read1(1 << 20)
            if not chunk:
                raise self.stopped(doing)
            self._buffer += chunk
        try:
            answer = json.loads(base64.b64decode(frame))
            payload = answer["payload"]
            message_id = answer.get("message_id")
            if message_id is None and payload.get("original_message"):  # a request it could not parse
                message_id = json.loads(payload["original_message"]).get("message_id")
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise SearchIndexError(_unexpected(_(
                "the Pagefind binary {binary} gave an answer that cannot be read while {doing} ({error}: {answer})"
            ).format(binary=self.binary, doing=doing, error=exc, answer=repr(frame[:200])))) from exc
        return message_id, payload

    def request(self, payload: dict, doing: str) -> dict:
        """Send a request and wait for its answer (no other request may be in flight)."""
        try:
            message_id = self.send(payload)
        except OSError as exc:  # it stopped before reading the request
            raise self.stopped(doing) from exc
        answer_id, answer = self.receive(doing)
        if answer.get("type") == "Error":
            raise SearchIndexError(_retry(_("Pagefind failed while {doing} ({message})").format(
                doing=doing, message=answer.get("message"))))
        if answer_id != message_id or answer.get("type") != payload["type"]:
            raise SearchIndexError(_unexpected(_(
                "the Pagefind binary answered {answer} #{answer_id} to {request} #{request_id} while {doing}"
            ).format(answer=answer.get("type"), answer_id=answer_id, request=payload["type"], request_id=message_id,
                     doing=doing)))
        return answer

    def stopped(self, doing: str) -> SearchIndexError:
        """The error for a binary that stopped answering: its exit status and its last words."""
        try:
            code = self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            code = None
        self._stderr_reader.join(timeout=1)
        if code is None:
            status = _("the Pagefind binary {binary} stopped answering (it is still running) while {doing}")
        elif code == -9:
            status = _("the Pagefind binary {binary} was killed by {signal} (out of memory?) while {doing}")
        elif code < 0:
            status = _("the Pagefind binary {binary} was killed by {signal} while {doing}")
        else:
            status = _("the Pagefind binary {binary} exited with code {code} while {doing}")
        problem = _retry(status.format(binary=self.binary, doing=doing, code=code,
                                       signal=signal.Signals(-code).name if code is not None and code < 0 else ""))
        said = " | ".join(self._stderr)
        if said:
            said = f"{said[:300]}{' ... ' + said[-300:] if len(said) > 600 else said[300:]}"
            problem = _("{problem} (it printed: {output})").format(problem=problem, output=said)
        return SearchIndexError(problem)

    def sample_peak_rss(self) -> int:
        """Peak resident memory of the binary so far (kB, from /proc), 0 where unknown."""
        try:
            with open(f"/proc/{self.process.pid}/status", encoding="ascii") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        self.peak_rss_kb = max(self.peak_rss_kb, int(line.split()[1]))
        except OSError:
            pass
        return self.peak_rss_kb

    def close(self) -> None:
        """End the binary: end of input makes it exit; one that does not within 10 s is killed
        (nothing is lost: it writes no file)."""
        try:
            if self.process.stdin is not None:
                self.process.stdin.close()
        except OSError:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()
        self._stderr_reader.join(timeout=1)


def _add_record(index_id: int, record: Record) -> dict:
    return {"type": "AddRecord", "index_id": index_id, "url": record.url, "content": record.content,
            "language": record.language, "meta": record.meta, "filters": record.filters, "sort": record.sort}


def _bundle_path(path: str) -> str:
    """A file path from a GetFiles answer, checked to stay inside the bundle."""
    pure = PurePosixPath(path)
    if not path or pure.is_absolute() or ".." in pure.parts:
        raise SearchIndexError(_unexpected(_("Pagefind returned a file outside its bundle: {path!r}").format(path=path)))
    return pure.as_posix()


def index_records(records: Sequence[Record], binary: Path, env: dict[str, str] | None = None) -> BundleFiles:
    """Index `records` in one Pagefind process and return the bundle's files.

    A thread sends the records while this one reads the answers, so the binary indexes while
    Python encodes. A record Pagefind refuses is named in the error."""
    service = PagefindService(binary, env)
    sender: threading.Thread | None = None
    try:
        index_id = service.request({"type": "NewIndex", "config": {}}, _("creating an index"))["index_id"]
        first_id = service._last_id + 1
        send_failure: list[BaseException] = []

        def send_all() -> None:
            try:
                for record in records:
                    service.send(_add_record(index_id, record))
            except (OSError, ValueError) as exc:  # the binary stopped: the reader says why
                send_failure.append(exc)

        sender = threading.Thread(target=send_all, name="pagefind-sender", daemon=True)
        sender.start()
        for i in range(len(records)):
            message_id, answer = service.receive(_("indexing record {number} of {count}").format(
                number=i + 1, count=len(records)))
            if answer.get("type") == "Error":
                j = (message_id - first_id) if isinstance(message_id, int) else -1
                if 0 <= j < len(records):
                    refused = _("Pagefind refused the record of {url} ({message}): tell the technical staff")
                else:
                    refused = _("Pagefind refused a record ({message}): tell the technical staff")
                raise SearchIndexError(refused.format(url=records[j].url if 0 <= j < len(records) else "",
                                                      message=answer.get("message")))
            if answer.get("type") != "IndexedFile":
                raise SearchIndexError(_unexpected(_("the Pagefind binary answered {answer} to a record").format(
                    answer=answer.get("type"))))
        sender.join()
        if send_failure:
            raise SearchIndexError(_retry(_("could not send the records to the Pagefind binary ({error})").format(
                error=send_failure[0])))
        answer = service.request({"type": "GetFiles", "index_id": index_id}, _("building the bundle's files"))
        service.sample_peak_rss()
        try:
            files = {_bundle_path(f["path"]): base64.b64decode(f["content"], validate=True) for f in answer["files"]}
        except (KeyError, TypeError, ValueError) as exc:
            raise SearchIndexError(_unexpected(_("the files the Pagefind binary sent cannot be read ({error})").format(
                error=exc))) from exc
        return BundleFiles(files, len(records), service.peak_rss_kb)
    finally:
        service.close()
        if sender is not None:
            sender.join(timeout=10)
