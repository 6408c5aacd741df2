"""Results of pure functions, kept between builds (a persistent memo).

Every build computes some values again from the same input: the HTML of a Markdown field
(about 21,000 conversions at 100x the starter corpus) and the type size of every card (one
layout estimate per dilemma). ``kompas bouw`` keeps them in a few files per project and name
(``<cache>/memo/<project>/<name>-<shard>.json``), keyed by a digest of

* the input (everything the function reads, given by the caller), and
* the code: every file of the Kompas package and the versions of the libraries that shape
  a result (:func:`macros.store.keys.code_digest`),

so a changed input or another Kompas never gets an old value: a value is only ever kept
for the input it was computed from, by the same code. The memo can make a build faster,
never different. A missing, unreadable or damaged file is ignored without a word. Only a
build that succeeded writes the file (atomically), with just the entries that build used.

Without an open memo (tests, validation on its own, ``make serve``) :func:`memo` computes
every value, as before.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .cache import Cache, entry_key
from .keys import code_digest, digest

FOLDER = "memo"
_FORMAT = "kompas-memo-1"
SHARDS = 16


class Memo:
    """The kept values of one function. ``get(parts, make)``: the value for the input ``parts``
    (strings), computed by ``make()`` when it is not kept. Values must survive JSON.

    On disk the entries are spread over :data:`SHARDS` verified entries ``<name>-<shard>.json`` of the
    project's memo cache, so that a build that changed a few values rewrites a few small files, not
    all of them.
    """

    def __init__(self, cache: Cache | None = None, name: str = "") -> None:
        self.cache = cache if cache else None  # None: nothing is read or written
        self.name = name
        self.salt = code_digest() if self.cache is not None else ""
        self.old: list[dict[str, Any]] = (
            [_read(self.cache.read(self.file(n)), self.salt) for n in range(SHARDS)] if self.cache is not None else []
        )
        self.used: list[dict[str, Any]] = [{} for _ in range(SHARDS)]
        self.hits = 0

    def file(self, shard: int) -> str:
        return f"{self.name}-{shard:x}.json"

    def get(self, parts: tuple[str, ...], make: Callable[[], Any]) -> Any:
        if self.cache is None:
            return make()
        key = digest(self.salt, *parts)[:40]
        shard = int(key[0], 16) % SHARDS
        used = self.used[shard]
        if key in used:
            return used[key]
        old = self.old[shard]
        if key in old:
            self.hits += 1
            value = used[key] = old[key]
            return value
        value = used[key] = make()
        return value

    def save(self) -> None:
        """Write the entries this build used, per shard only when they differ from the file's."""
        if self.cache is None:
            return
        for shard, (old, used) in enumerate(zip(self.old, self.used)):
            if used == old:
                continue
            data = json.dumps(
                {"format": _FORMAT, "salt": self.salt, "values": used},
                ensure_ascii=False,
                sort_keys=True,
                separators=(",", ":"),
            ).encode("utf-8")
            if not self.cache.write(self.file(shard), data, sync=False):
                return  # a memo that cannot be written is no memo; the build is fine


def _read(data: bytes | None, salt: str) -> dict[str, Any]:
    if data is None:  # missing, torn or damaged: start empty
        return {}
    try:
        content = json.loads(data)
    except ValueError:
        return {}
    if (
        not isinstance(content, dict)
        or content.get("format") != _FORMAT
        or content.get("salt") != salt
        or not isinstance(content.get("values"), dict)
    ):
        return {}
    values: dict[str, Any] = content["values"]
    return values


_OPEN: dict[str, Memo] = {}
_NONE = Memo(None)


def memo(name: str) -> Memo:
    """The open memo ``name``, or one that keeps nothing (every value is computed)."""
    return _OPEN.get(name, _NONE)


@contextmanager
def kept(cache_dir: Path | None, names: tuple[str, ...]) -> Iterator[Callable[[], None]]:
    """Open the memos ``names`` in ``cache_dir`` (the project's memo cache folder, see
    :func:`macros.store.keys.project_cache_dir`) for the duration of a build; yields a function that
    saves them (call it only when the build succeeded). Entries of names not opened are dropped then."""
    cache = Cache(cache_dir) if cache_dir is not None else None
    opened = {name: Memo(cache, name) for name in names}
    previous = dict(_OPEN)
    _OPEN.update(opened)

    def save() -> None:
        for item in opened.values():
            item.save()
        if cache is not None:
            cache.keep_only(entry_key(item.file(shard)) for item in opened.values() for shard in range(SHARDS))

    try:
        yield save
    finally:
        _OPEN.clear()
        _OPEN.update(previous)
