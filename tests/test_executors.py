"""Executors and the cache: any way of running the per-article work gives the same events."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from builder import pipeline
from builder.pipeline import ScanOptions
from conftest import ROOT


@pytest.fixture
def project(tmp_path) -> Path:
    for name in ("seeds", "registry"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path


def _events(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.yaml"))}


def _scan(project: Path, out: str, **kw) -> pipeline.ScanReport:
    return pipeline.scan(
        [project / "seeds"], project / out / "events", root=project, options=ScanOptions(**kw)
    )


def test_parallel_equals_serial(project):
    _scan(project, "a", jobs=1, cache=False)
    _scan(project, "b", jobs=2, cache=False)
    assert _events(project / "a" / "events") == _events(project / "b" / "events") != {}


def test_cache_hit_gives_the_same_events(project):
    first = _scan(project, "a", jobs=1)
    again = _scan(project, "b", jobs=1)
    assert first.cached == 0 and again.cached == 5
    assert _events(project / "a" / "events") == _events(project / "b" / "events")


def test_cache_is_invalidated_by_a_registry_change(project):
    _scan(project, "a")
    with (project / "registry" / "companies.yaml").open("a", encoding="utf-8") as f:
        f.write("- name: 测试新公司\n  aliases: [测新]\n")
    assert _scan(project, "b").cached == 0


def test_changed_article_is_reprocessed_alone(project):
    _scan(project, "a")
    (project / "seeds" / "new.txt").write_text(
        "2025年3月，星海智能联合创始人林海宣布离职。\n", encoding="utf-8"
    )
    report = _scan(project, "b")
    assert report.cached == 5 and report.read == 6


@pytest.mark.slow
def test_dask_local_cluster_gives_byte_identical_events(project):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        _scan(project, "dask", executor="dask", scheduler=cluster.scheduler_address, cache=False)
    _scan(project, "local", jobs=1, cache=False)
    assert _events(project / "dask" / "events") == _events(project / "local" / "events") != {}


def test_dask_without_scheduler_is_a_clear_error(project):
    from builder.executors import ExecutorError

    with pytest.raises(ExecutorError, match="--scheduler"):
        _scan(project, "x", executor="dask", cache=False)


def test_edited_sidecar_is_not_served_from_the_cache(project):
    article = project / "seeds" / "side.txt"
    article.write_text("2025年3月，星海智能联合创始人林海宣布离职。\n", encoding="utf-8")
    (project / "seeds" / "side.meta.yaml").write_text("title: 旧标题\n", encoding="utf-8")
    _scan(project, "a")
    (project / "seeds" / "side.meta.yaml").write_text("title: 新标题\n", encoding="utf-8")
    _scan(project, "b")
    assert "新标题" in (project / "b" / "articles" / "side.yaml").read_text(encoding="utf-8")


# ------------------------------------------------------------------ the scan memo (builder/memo.py)


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_unchanged_rescan_reads_no_event_file_and_dumps_nothing(project, monkeypatch):
    from builder import store

    _scan(project, "a")
    before = _tree(project / "a")
    calls = {"load": 0, "dump": 0, "merge": 0}
    real_load, real_dump, real_merge = store.yaml.load, store.dump, pipeline.merge

    def count(name, real):
        def wrapped(*a, **kw):
            calls[name] += 1
            return real(*a, **kw)

        return wrapped

    monkeypatch.setattr(store.yaml, "load", count("load", real_load))
    monkeypatch.setattr(store, "dump", count("dump", real_dump))
    monkeypatch.setattr(pipeline, "merge", count("merge", real_merge))
    report = _scan(project, "a")
    assert report.cached == 5 and report.counts["unchanged"] == len(report.events) > 0
    assert calls == {"load": 0, "dump": 0, "merge": 0}
    assert _tree(project / "a") == before


def test_memo_notices_an_edit_that_keeps_size_and_mtime(project):
    import os

    _scan(project, "a")
    path = sorted((project / "a" / "events").glob("*.yaml"))[0]
    text = path.read_text(encoding="utf-8")
    st = path.stat()
    edited = text.replace("title: ", "title: X", 1)[:-1]  # one character in, one out: same size
    assert len(edited.encode()) == len(text.encode())
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # the mtime put back, as `touch -d` would
    report = _scan(project, "a")
    assert path.read_text(encoding="utf-8").startswith(edited)  # the hand edit is kept
    assert report.counts["kept"] + report.counts["updated"] >= 1


def test_damaged_cache_files_cost_time_not_results(project):
    _scan(project, "a", cache=False)
    _scan(project, "b")
    cache = project / pipeline.CACHE_DIR
    for f in cache.rglob("*.pickle"):
        f.write_bytes(b"not a pickle")
    _scan(project, "b")
    assert _events(project / "a" / "events") == _events(project / "b" / "events")
    for f in cache.rglob("results/*.pickle"):
        f.unlink()  # the index still says 'known': the candidates are made again
    (project / "seeds" / "extra.txt").write_text(
        "2025年3月，星海智能联合创始人林海宣布离职。\n", encoding="utf-8"
    )
    _scan(project, "b")
    _scan(project, "a", cache=False)
    assert _events(project / "a" / "events") == _events(project / "b" / "events")


def test_deleted_article_record_is_written_again(project):
    _scan(project, "a")
    record = sorted((project / "a" / "articles").glob("*.yaml"))[0]
    text = record.read_bytes()
    record.unlink()
    _scan(project, "a")
    assert record.read_bytes() == text


def test_memo_data_of_written_files_is_what_the_files_hold(project):
    import yaml

    from builder.memo import Memo

    _scan(project, "a")
    (memo_folder,) = (project / pipeline.CACHE_DIR).glob("*/memo")
    memo = Memo(memo_folder)
    events = sorted((project / "a" / "events").glob("*.yaml"))
    assert events
    for path in events:
        text, data = memo.known(path)
        assert text == path.read_text(encoding="utf-8")
        assert data == yaml.safe_load(text)


def test_background_article_side_gives_the_same_files(project, monkeypatch):
    """With --jobs > 1 the records and the cache are saved by a forked child: same bytes,
    same cache, and the next run finds everything unchanged."""
    _scan(project, "a", jobs=1, cache=False)
    monkeypatch.setattr(pipeline, "BACKGROUND_FROM", 1)
    forks = []
    real = pipeline.Background
    monkeypatch.setattr(pipeline, "Background", lambda fn: forks.append(1) or real(fn))
    _scan(project, "b", jobs=2)
    assert forks == [1]
    for sub in ("events", "articles"):
        assert _tree(project / "a" / sub) == _tree(project / "b" / sub) != {}
    again = _scan(project, "b", jobs=2)
    assert again.cached == 5 and again.counts["unchanged"] == len(again.events) > 0
    assert forks == [1]  # nothing fresh: no background process


def test_background_failure_is_raised_in_the_scan(project, monkeypatch):
    from builder.store import StoreError

    monkeypatch.setattr(pipeline, "BACKGROUND_FROM", 1)
    (project / "b").mkdir()
    (project / "b" / "articles").write_text("a file where the records folder should be", encoding="utf-8")
    with pytest.raises(StoreError, match="articles"):
        _scan(project, "b", jobs=2, cache=False)


def test_background_returns_the_value_or_raises_the_error():
    from builder.background import Background

    assert Background(lambda: {"a": [1, 2]}).result() == {"a": [1, 2]}
    with pytest.raises(ZeroDivisionError):
        Background(lambda: 1 / 0).result()

    class Unpicklable(Exception):
        def __reduce__(self):
            raise TypeError("no")

    def fail():
        raise Unpicklable("deep")

    with pytest.raises(RuntimeError, match="Unpicklable: deep"):
        Background(fail).result()


def test_merge_by_component_after_changes_equals_a_fresh_merge(project, monkeypatch):
    """Adding, changing and removing articles: a re-scan that merges only the touched
    components writes what a scan without any cache writes."""
    from builder import merging

    seeds = project / "seeds"
    _scan(project, "b")
    merged = []
    real = merging.merge_component
    monkeypatch.setattr(pipeline, "merge_component", lambda cs: merged.append(len(cs)) or real(cs))
    steps = [
        ("new.txt", "2025年3月，星海智能联合创始人林海宣布离职，加入北辰科技。\n"),
        ("other.txt", "2025年4月，北辰科技宣布完成3亿元A轮融资。\n林海随后也出任北辰科技首席科学家。\n"),
        ("new.txt", "2025年3月，星海智能联合创始人林海宣布离职。\n"),
        ("new.txt", None),
    ]
    for step, (name, text) in enumerate(steps):
        if text is None:
            (seeds / name).unlink()
        else:
            (seeds / name).write_text(text, encoding="utf-8")
        merged.clear()
        report = _scan(project, "b")
        shutil.rmtree(project / "a", ignore_errors=True)
        fresh = _scan(project, "a", cache=False)
        assert report.events == fresh.events, step
        if text is not None:  # (events of a deleted article stay on disk by design)
            assert _events(project / "a" / "events") == _events(project / "b" / "events"), step
        assert report.cached >= 5
        assert sum(merged) < report.candidates  # only the touched components were merged again


def test_scan_restores_the_garbage_collector_settings(project):
    import gc

    before = gc.get_threshold()
    frozen = gc.get_freeze_count()
    _scan(project, "a", jobs=1)
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == frozen == 0


def test_article_joining_a_component_dumps_only_what_changed(project, monkeypatch):
    """A new article re-merges the component it joins; the events of that component that
    come out the same are not dumped again (their text is remembered under their content)."""
    from builder import store

    _scan(project, "a")
    before = _events(project / "a" / "events")
    (project / "seeds" / "cut.txt").write_text(
        "2025年2月10日，智谱宣布其旗舰模型的API调用价格下调六成，字节跳动随后也跟进降价。\n",
        encoding="utf-8",
    )
    dumped = []
    real = store.dump
    monkeypatch.setattr(store, "dump", lambda d, *a, **k: dumped.append(d["id"]) or real(d, *a, **k))
    _scan(project, "a")
    after = _events(project / "a" / "events")
    changed = {name for name in after if after[name] != before.get(name)}
    assert changed  # the article made or changed an event
    assert sorted(f"{i}.yaml" for i in dumped) == sorted(changed)
