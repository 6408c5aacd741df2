"""Comparing two built sites file by file, with the differences tests/site/test_reproducible.py allows."""

from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path

# The index is in bundles (pagefind/ and pagefind/deel-NN/, see macros/site/search.py): the same
# allowed difference holds in each of them.
BUNDLE = r"pagefind/(?:deel-\d+/)?"


FILTER = re.compile(BUNDLE + r"filter/[^/]+\.pf_filter")


META = re.compile(BUNDLE + r"pagefind\.[^/]+\.pf_meta")


ENTRY = re.compile(BUNDLE + r"pagefind-entry\.json")


_HASHES = re.compile(rb"nl_[0-9a-f]{7,}")


def digests(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def allowed_difference(first: Path, second: Path, rel_first: str, rel_second: str) -> bool:
    """Whether two versions of a file differ only in the way ALLOWED describes."""
    a, b = (first / rel_first).read_bytes(), (second / rel_second).read_bytes()
    if FILTER.fullmatch(rel_first) and FILTER.fullmatch(rel_second):
        a, b = gzip.decompress(a), gzip.decompress(b)
        return len(a) == len(b) and sorted(a) == sorted(b)  # same entries, other order
    if META.fullmatch(rel_first) and META.fullmatch(rel_second):
        a, b = gzip.decompress(a), gzip.decompress(b)  # binary: holds the filter file's hash
        return len(a) == len(b)
    if rel_first == rel_second and ENTRY.fullmatch(rel_first):
        return _HASHES.sub(b"nl_#", a) == _HASHES.sub(b"nl_#", b)  # only the hash names differ
    return False


def _bundle(rel: str) -> str:
    return re.match(BUNDLE, rel).group(0)


def compare(first: Path, second: Path) -> list[str]:
    one, two = digests(first), digests(second)
    only_one = sorted(set(one) - set(two))
    only_two = sorted(set(two) - set(one))
    problems = []
    # renamed files (content-hashed names): pair them by pattern
    for pattern in (FILTER, META):
        for bundle in sorted({_bundle(r) for r in only_one + only_two if pattern.fullmatch(r)}):
            left = [r for r in only_one if pattern.fullmatch(r) and _bundle(r) == bundle]
            right = [r for r in only_two if pattern.fullmatch(r) and _bundle(r) == bundle]
            if len(left) == len(right) == 1:
                if not allowed_difference(first, second, left[0], right[0]):
                    problems.append(f"{left[0]} / {right[0]}: meer dan de volgorde verschilt")
                only_one.remove(left[0])
                only_two.remove(right[0])
    problems += [f"alleen in de eerste bouw: {r}" for r in only_one]
    problems += [f"alleen in de tweede bouw: {r}" for r in only_two]
    for rel in sorted(set(one) & set(two)):
        if one[rel] != two[rel] and not allowed_difference(first, second, rel, rel):
            problems.append(f"verschilt: {rel}")
    return problems
