"""Keys of derived data: where a project's caches live, and the digests their entries are named by.

* :func:`project_key`: a short name for a project in a cache folder that several projects share
  (``KOMPAS_CACHE_DIR``: CI, the tests).
* :func:`cache_root`, :func:`project_cache_dir`: ``<root>/.cache/<name>`` or
  ``$KOMPAS_CACHE_DIR/<name>``.
* :func:`digest`: the one way a key is made of its parts; :func:`code_digest`: the Kompas code
  and the libraries that shape a result; :func:`folder_digest`: the files of a folder.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent  # macros/
# Libraries whose version can change what Kompas renders (pages, card sizes, PDFs).
LIBRARIES = ("mkdocs", "mkdocs-material", "mkdocs-macros-plugin", "Markdown", "pymdown-extensions", "Jinja2",
             "MarkupSafe", "Pygments", "nh3", "fonttools", "weasyprint", "pydyf")


def project_key(root: Path) -> str:
    """A short name for the project at ``root`` (its resolved path): the file or folder of each
    project in a cache folder that several projects share (``KOMPAS_CACHE_DIR``: CI, the tests)."""
    return hashlib.sha256(os.fsencode(Path(root).resolve())).hexdigest()[:16]


def cache_root(root: Path) -> Path:
    """The cache folder of the project at ``root``: ``<root>/.cache``, or ``$KOMPAS_CACHE_DIR`` when
    that is set (CI and the tests keep caches outside the checkout)."""
    configured = os.environ.get("KOMPAS_CACHE_DIR")
    return Path(configured) if configured else Path(root) / ".cache"


def project_cache_dir(root: Path, name: str) -> Path:
    """A cache folder of a project: ``<root>/.cache/<name>``, or ``$KOMPAS_CACHE_DIR/<name>``."""
    return cache_root(root) / name


def digest(*parts: str) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return hasher.hexdigest()


@lru_cache(maxsize=1)
def code_digest() -> str:
    """The Kompas package (every file but byte code) and the library versions, as one digest."""
    from importlib import metadata

    hasher = hashlib.sha256()
    _hash_tree(hasher, PACKAGE)
    for name in LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        hasher.update(f"{name}={version}\0".encode())
    return hasher.hexdigest()


def folder_digest(folders) -> str:
    """Names and bytes of every file in ``folders`` (theme folders outside the installed packages)."""
    hasher = hashlib.sha256()
    for folder in folders:
        hasher.update(str(folder).encode() + b"\0")
        _hash_tree(hasher, Path(folder))
    return hasher.hexdigest()


def _hash_tree(hasher, folder: Path) -> None:
    """The relative name and bytes of every file under ``folder`` (byte code left out), in order."""
    if folder.is_dir():
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            hasher.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
