"""The start-up cache (pipeline/cache.py): built once per key, rebuilt when the key
changes or the file is damaged, and never needed."""
from __future__ import annotations

from pipeline.cache import cached


def test_a_value_is_built_once_per_key_and_again_for_a_new_key_or_a_damaged_file(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSBEAM_CACHE_DIR", str(tmp_path / "cache"))
    builds = []

    def build(v):
        return lambda: builds.append(v) or {"v": v}

    assert cached("thing", ("a", 1), build(1)) == {"v": 1}
    assert cached("thing", ("a", 1), build(2)) == {"v": 1}          # from the cache
    assert cached("thing", ("a", 2), build(3)) == {"v": 3}          # another key
    assert builds == [1, 3]
    for f in (tmp_path / "cache").iterdir():
        f.write_bytes(b"not a pickle")
    assert cached("thing", ("a", 1), build(4)) == {"v": 4}
    monkeypatch.setenv("NEWSBEAM_CACHE_DIR", "off")
    assert cached("thing", ("a", 1), build(5)) == {"v": 5}
    (tmp_path / "ro").write_text("a file where the folder should be")
    monkeypatch.setenv("NEWSBEAM_CACHE_DIR", str(tmp_path / "ro"))
    assert cached("thing", ("a", 1), build(6)) == {"v": 6}
    assert builds == [1, 3, 4, 5, 6]
