"""Keys of derived data: where a project's caches live, and the digests their entries are named by.

None of these depends on the absolute path of the checkout: a cache folder kept by CI between
runs (``KOMPAS_CACHE_DIR``) is used again by the next run, wherever that clones the project.

* :func:`project_key`: a short name for a project, from the project id in its ``mkdocs.yml``
  (``extra.kompas.project``); two projects with their own id that share a cache folder never
  use each other's entries. Without an id the key falls back to the resolved path, as before.
* :func:`checkout_key`: a short name for one checkout (its resolved path), for the project lock:
  a lock guards a folder on this machine, it is not derived data.
* :func:`cache_root`, :func:`project_cache_dir`: ``<root>/.cache/<name>/<project>`` or
  ``$KOMPAS_CACHE_DIR/<name>/<project>``.
* :func:`digest`: the one way a key is made of its parts; :func:`code_digest`: the Kompas code
  and the libraries that shape a result; :func:`folder_digest`: the files of a folder;
  :func:`installed_versions`: versions of installed libraries without importing them.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).resolve().parent.parent  # macros/
# Libraries whose version can change what Kompas renders (pages, card sizes, PDFs).
LIBRARIES = (
    "mkdocs",
    "mkdocs-material",
    "mkdocs-macros-plugin",
    "Markdown",
    "pymdown-extensions",
    "Jinja2",
    "MarkupSafe",
    "Pygments",
    "nh3",
    "fonttools",
    "weasyprint",
    "pydyf",
)


PROJECT_KEY = re.compile(r"[0-9a-f]{16}")  # the name of a project's folder in a cache folder


def project_id(root: Path) -> str | None:
    """The project id in ``<root>/mkdocs.yml`` (``extra.kompas.project``), or None."""
    settings = project_settings(root)
    value = settings.get("project") if isinstance(settings, dict) else None
    return value.strip() if isinstance(value, str) and value.strip() else None


def project_settings(root: Path) -> dict[str, Any]:
    """``extra.kompas`` of the project's ``mkdocs.yml`` (empty when it is missing or unreadable)."""
    path = Path(root) / "mkdocs.yml"
    try:
        stat = path.stat()
    except OSError:
        return {}
    return _settings(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _settings(path: str, mtime_ns: int, size: int) -> dict[str, Any]:
    import yaml

    class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
        pass

    _Loader.add_multi_constructor("", lambda loader, suffix, node: None)  # MkDocs tags such as !ENV
    try:
        data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    extra = data.get("extra") if isinstance(data, dict) else None
    settings = extra.get("kompas") if isinstance(extra, dict) else None
    return settings if isinstance(settings, dict) else {}


def project_key(root: Path) -> str:
    """A short name for the project at ``root``: the digest of its project id (see :func:`project_id`),
    or of its resolved path when it has none."""
    identity = project_id(root)
    if identity is None:
        return checkout_key(root)
    return digest("kompas-project", identity)[:16]


def checkout_key(root: Path) -> str:
    """A short name for the checkout at ``root`` (its resolved path)."""
    return hashlib.sha256(os.fsencode(Path(root).resolve())).hexdigest()[:16]


def cache_root(root: Path) -> Path:
    """The cache folder of the project at ``root``: ``<root>/.cache``, or ``$KOMPAS_CACHE_DIR`` when
    that is set (CI and the tests keep caches outside the checkout)."""
    configured = os.environ.get("KOMPAS_CACHE_DIR")
    return Path(configured) if configured else Path(root) / ".cache"


def project_cache_dir(root: Path, name: str, base: Path | None = None) -> Path:
    """The folder of the cache ``name`` of the project at ``root``: ``<cache folder>/<name>/<project>``
    (``base``: another cache folder than :func:`cache_root`)."""
    return (cache_root(root) if base is None else Path(base)) / name / project_key(root)


def digest(*parts: str | bytes) -> str:
    """The key of an entry: the SHA-256 of its parts (text or bytes), each followed by a zero byte."""
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update((part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass")) + b"\0")
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


def folder_digest(folders: Iterable[Path | str]) -> str:
    """Names (relative to their folder) and bytes of every file in ``folders``, in order: the same
    wherever the folders are."""
    hasher = hashlib.sha256()
    for index, folder in enumerate(folders):
        hasher.update(f"{index}\0".encode())
        _hash_tree(hasher, Path(folder))
    return hasher.hexdigest()


def installed_versions(distributions: dict[str, str]) -> str:
    """The installed version of each distribution, found beside its module (module -> distribution
    name, such as ``{"yaml": "PyYAML"}``): the name of its ``*.dist-info`` folder. Neither imports the
    module nor asks ``importlib.metadata`` (which costs more than a warm validation spends on
    everything else at startup). A distribution that is not found is ``-``."""
    from importlib.util import find_spec

    found = []
    for module, distribution in distributions.items():
        spec = find_spec(module)
        folders = list(spec.submodule_search_locations or ()) if spec is not None else []
        if spec is not None and spec.origin and not folders:
            folders = [str(Path(spec.origin).parent)]
        wanted = distribution.lower().replace("-", "_") + "-"
        names = [
            name
            for folder in folders
            for name in _dist_infos(str(Path(folder).parent))
            if name.lower().startswith(wanted)
        ]
        found.append(f"{distribution}={','.join(names) or '-'}")
    return ";".join(found)


@lru_cache(maxsize=16)
def _dist_infos(site: str) -> tuple[str, ...]:
    try:
        return tuple(sorted(entry.name for entry in os.scandir(site) if entry.name.endswith(".dist-info")))
    except OSError:
        return ()


def _hash_tree(hasher: Any, folder: Path) -> None:
    """The relative name and bytes of every file under ``folder`` (byte code left out), in order."""
    if folder.is_dir():
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            hasher.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
