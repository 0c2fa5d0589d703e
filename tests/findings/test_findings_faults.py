"""Faults: several processes saving at once lose nothing; a process killed inside its
save transaction leaves the store consistent, with nothing half-written."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

from processes import kill_when_ready
from sqlalchemy import event

from workbench.dataset import Dataset
from workbench.findings import open_store

DEMO = Path(__file__).resolve().parents[2] / "data_samples" / "demo"
PROCESSES, EACH = 4, 25


def _save_many(url: str, cfg: dict, draft: dict, tag: str, go) -> None:
    """Child: open the store (perhaps migrating it), then save EACH findings, moving every 5th."""
    go.wait(60)
    store = open_store(url, config=cfg, actor="alice")
    dataset = Dataset(DEMO)
    for i in range(EACH):
        f = store.create({**draft, "title": f"{tag}-{i}"}, dataset)
        if i % 5 == 0:
            store.transition(f.id, "sent_for_rectification", f.version)


def _save_and_hang(url: str, cfg: dict, draft: dict, marker: str) -> None:
    """Child: start a save and stop just before its COMMIT, announcing it in ``marker``."""
    store = open_store(url, config=cfg, actor="alice")

    @event.listens_for(store.engine, "commit")
    def _hang(_conn) -> None:
        Path(marker).write_text("inside the transaction")
        time.sleep(600)

    store.create({**draft, "title": "never committed"}, Dataset(DEMO))


def test_several_processes_saving_at_once_lose_nothing(db_url, cfg, draft):
    ctx = multiprocessing.get_context("spawn")
    go = ctx.Event()
    procs = [ctx.Process(target=_save_many, args=(db_url, cfg, draft, f"p{k}", go))
             for k in range(PROCESSES)]
    for p in procs:
        p.start()
    go.set()
    for p in procs:
        p.join(180)
    assert [p.exitcode for p in procs] == [0] * PROCESSES
    store = open_store(db_url, config=cfg, actor="alice", readonly=True)
    found = store.list()
    assert len(found) == PROCESSES * EACH
    assert {f.title for f in found} == {f"p{k}-{i}" for k in range(PROCESSES)
                                        for i in range(EACH)}
    assert len(store.list(status="sent_for_rectification")) == PROCESSES * EACH // 5
    history = store.history()
    assert len(history) == PROCESSES * EACH * 6 // 5
    assert [e["seq"] for e in history] == list(range(1, len(history) + 1))
    assert store.verify().ok


def test_a_process_killed_mid_save_leaves_the_store_consistent(db_url, cfg, draft, dataset,
                                                               tmp_path):
    store = open_store(db_url, config=cfg, actor="alice")
    kept = store.create(draft, dataset)
    marker = tmp_path / "marker"
    child = multiprocessing.get_context("spawn").Process(
        target=_save_and_hang, args=(db_url, cfg, draft, str(marker)))
    child.start()
    kill_when_ready(child, marker, "its commit")

    reader = open_store(db_url, config=cfg, readonly=True)  # SQLite: a hot journal is left
    assert reader.list() == [kept] and reader.verify().ok
    after = open_store(db_url, config=cfg, actor="alice")
    assert after.list() == [kept]
    assert len(after.history()) == 1
    assert after.verify().ok
    again = after.create({**draft, "title": "after the crash"}, dataset)
    assert len(after.list()) == 2 and after.get(again.id).title == "after the crash"
    assert after.verify().ok
