"""Driving the Pagefind binary through its Python API (`pagefind[bin]`), fast.

Pagefind's `PagefindService` polls the binary's answers with a 0.1 s sleep per
answer, so every record costs 0.1 s whatever the concurrency (100,000 records:
almost three hours). `FastPagefindService` keeps the protocol and the API
(`PagefindIndex.add_custom_record`, `write_files`) and only replaces that loop;
records are sent in batches so the binary indexes while Python encodes.

The binary is, in order: `PAGEFIND_BINARY_PATH`, the `binary` argument,
`node_modules/@pagefind/linux-x64/bin/pagefind_extended` under the project root, then
under this checkout of the site builder (`npm ci` installs it: package.json pins 1.6.0),
and last the `pagefind_bin` wheel (1.5.2, pinned in pyproject.toml).
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import subprocess
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pagefind.index import IndexConfig, PagefindIndex
from pagefind.service import PagefindService, get_executable

NPM_BINARY = Path("node_modules") / "@pagefind" / "linux-x64" / "bin" / "pagefind_extended"
CHECKOUT = Path(__file__).resolve().parents[2]  # the repository of an editable install
BATCH = 256  # records in flight at once


def find_binary(root: Path | None = None, binary: str | os.PathLike | None = None) -> Path:
    """The Pagefind binary to run (see the module docstring for the order)."""
    env = os.environ.get("PAGEFIND_BINARY_PATH")
    if env:
        return Path(env)
    if binary:
        path = Path(binary)
        return path if path.is_absolute() or root is None else root / path
    for base in (root, CHECKOUT):
        if base is not None and (base / NPM_BINARY).is_file():
            return base / NPM_BINARY
    found = get_executable()
    if found is None:
        raise FileNotFoundError("no Pagefind binary: install pagefind[bin] or run `npm ci`")
    return found


def binary_version(binary: Path) -> str:
    """'1.6.0' for a binary printing 'pagefind 1.6.0'."""
    out = subprocess.run([str(binary), "--version"], capture_output=True, text=True, check=True).stdout
    return out.split()[-1]


@dataclass(frozen=True)
class Record:
    """One Pagefind custom record (see `add_custom_record`)."""

    url: str
    content: str
    meta: dict[str, str]
    filters: dict[str, list[str]]
    sort: dict[str, str]
    language: str = "vi"


class FastPagefindService(PagefindService):
    """`PagefindService` without the per-answer sleep, on a given binary."""

    def __init__(self, binary: Path, env: dict[str, str] | None = None) -> None:
        super().__init__()
        self._bin = binary
        self._env = env
        self.peak_rss_kb = 0

    async def launch(self) -> "FastPagefindService":
        """As `PagefindService.launch`, with this service's environment for the binary."""
        self._backend = await asyncio.create_subprocess_exec(
            self._bin, "--service", cwd=os.getcwd(), env=self._env, limit=2**21,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        )
        self._poll_task = self._loop.create_task(self._wait_for_responses())
        return self

    async def _wait_for_responses(self) -> None:
        assert self._backend.stdout is not None
        while True:
            try:
                output = await self._backend.stdout.readuntil(b",")
            except (asyncio.IncompleteReadError, asyncio.LimitOverrunError) as exc:
                for future in self._responses.values():
                    if not future.done():
                        future.set_exception(RuntimeError(f"the Pagefind binary stopped answering: {exc!r}"))
                self._responses.clear()
                return
            resp = json.loads(base64.b64decode(output[:-1]))
            if resp is None:
                continue
            message_id = resp.get("message_id")
            payload = resp["payload"]
            if message_id is None and (original := payload.get("original_message")):
                message_id = json.loads(original).get("message_id")
            future = self._responses.pop(message_id, None) if message_id is not None else None
            if future is None or future.done():
                continue
            if payload["type"] == "Error":
                future.set_exception(RuntimeError(f"pagefind: {payload['message']}"))
            else:
                future.set_result(payload)

    def sample_peak_rss(self) -> int:
        """Peak resident memory of the binary so far (kB, from /proc), 0 where unknown."""
        try:
            with open(f"/proc/{self._backend.pid}/status", encoding="ascii") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        self.peak_rss_kb = max(self.peak_rss_kb, int(line.split()[1]))
        except OSError:
            pass
        return self.peak_rss_kb


async def _write_index(binary: Path, records: Iterable[Record], output: Path, config: IndexConfig,
                       env: dict[str, str] | None) -> dict:
    service = FastPagefindService(binary, env)
    await service.launch()
    try:
        index: PagefindIndex = await service.create_index(config)
        pending: list = []
        count = 0
        for record in records:
            pending.append(
                index.add_custom_record(
                    url=record.url, content=record.content, language=record.language,
                    meta=record.meta, filters=record.filters, sort=record.sort,
                )
            )
            count += 1
            if len(pending) >= BATCH:
                await asyncio.gather(*pending)
                pending.clear()
        if pending:
            await asyncio.gather(*pending)
        await index.write_files(output_path=str(output))
        service.sample_peak_rss()
        return {"records": count, "peak_rss_kb": service.peak_rss_kb}
    finally:
        await service.close()


CHUNK_SIZE_VARIABLE = "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE"


def write_index(records: Iterable[Record], output: Path, binary: Path, config: IndexConfig | None = None,
                chunk_size: int | None = None) -> dict:
    """Index `records` into the bundle folder `output`; returns {records, peak_rss_kb}.

    `chunk_size`: the index chunk target in word locations (Pagefind's default is 20,000)."""
    output = Path(output).resolve()
    env = None
    if chunk_size:
        env = {**os.environ, CHUNK_SIZE_VARIABLE: str(chunk_size)}
    job = _write_index(binary, records, output, config or IndexConfig(), env)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(job)
    with ThreadPoolExecutor(max_workers=1) as thread:  # called from a running event loop
        return thread.submit(asyncio.run, job).result()
