"""The scan memo on disk: sharded, only changed shards rewritten, damage costs only entries."""

from __future__ import annotations

from pathlib import Path

from builder.memo import Memo, shard_of


def _filled(folder: Path, n: int = 200) -> Memo:
    memo = Memo(folder)
    for i in range(n):
        memo.put_output(f"out-{i}", f"text {i}")
        memo.put_part(f"part-{i}", ([f"event {i}"], [f"d{i}"]))
        memo.put_links(f"article-{i}", ((("c", "funding", f"公司{i}"),),))
    memo.set_merged(("key", n, [("part-0", 0, "id", "digest")]))
    memo.save()
    return memo


def _stamps(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*.pickle")}


def _use_all(memo: Memo, n: int = 200) -> None:
    for i in range(n):
        assert memo.output(f"out-{i}") == f"text {i}"
        assert memo.part(f"part-{i}") == ([f"event {i}"], [f"d{i}"])
        assert memo.links_of(f"article-{i}") is not None


def test_saved_memo_loads_back(tmp_path):
    _filled(tmp_path / "memo")
    again = Memo(tmp_path / "memo")
    _use_all(again)
    assert again.merged == ("key", 200, [("part-0", 0, "id", "digest")])
    assert not again.dirty


def test_a_new_entry_rewrites_only_its_shard(tmp_path):
    folder = tmp_path / "memo"
    _filled(folder)
    before = _stamps(folder)
    memo = Memo(folder)
    _use_all(memo)
    memo.put_output("a new one", "text")
    memo.save()
    after = _stamps(folder)
    changed = {name for name in after if after[name] != before.get(name)}
    assert changed == {f"outputs/{shard_of('a new one')}.pickle"}
    assert Memo(folder).output("a new one") == "text"


def test_unchanged_run_writes_nothing(tmp_path):
    folder = tmp_path / "memo"
    _filled(folder)
    before = _stamps(folder)
    memo = Memo(folder)
    _use_all(memo)
    memo.save()
    assert _stamps(folder) == before


def test_unused_outputs_are_dropped(tmp_path):
    folder = tmp_path / "memo"
    _filled(folder)
    memo = Memo(folder)
    assert memo.output("out-3") == "text 3"
    memo.save()
    again = Memo(folder)
    assert again.outputs == {"out-3": "text 3"}
    assert len(again.parts) == 200  # a run that merged nothing keeps the parts


def test_damaged_shard_costs_only_its_entries(tmp_path):
    folder = tmp_path / "memo"
    _filled(folder)
    broken = folder / "outputs" / f"{shard_of('out-7')}.pickle"
    broken.write_bytes(b"not a pickle")
    (folder / "merged.pickle").write_bytes(b"\x80\x05junk")
    memo = Memo(folder)
    assert memo.merged is None
    assert memo.output("out-7") is None
    lost = {f"out-{i}" for i in range(200) if shard_of(f"out-{i}") == broken.stem}
    assert set(memo.outputs) == {f"out-{i}" for i in range(200)} - lost
    assert len(memo.parts) == 200


def test_shard_holding_foreign_keys_is_ignored(tmp_path):
    """A shard file copied over another (keys that do not hash to it) is not trusted."""
    folder = tmp_path / "memo"
    _filled(folder)
    shards = sorted((folder / "links").glob("*.pickle"))
    shards[1].write_bytes(shards[0].read_bytes())
    memo = Memo(folder)
    assert not any(shard_of(k) == shards[1].stem for k in memo.links)
    assert len(memo.links) == 200 - sum(shard_of(f"article-{i}") == shards[1].stem for i in range(200))
