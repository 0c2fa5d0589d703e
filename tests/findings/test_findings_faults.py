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
PROCESSES, EACH = 8, 30


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


def _update_at_version_1(url: str, cfg: dict, finding_id: str, tag: str, go, results) -> None:
    """Child: wait for the start signal, then update the finding as read at version 1."""
    from workbench.findings import StaleVersion

    store = open_store(url, config=cfg, actor="alice")
    go.wait(60)
    try:
        store.update(finding_id, {"title": tag}, 1, Dataset(DEMO))
        results.put(("won", tag))
    except StaleVersion:
        results.put(("stale", tag))


def test_of_eight_racing_updates_exactly_one_wins(db_url, cfg, draft, dataset):
    store = open_store(db_url, config=cfg, actor="alice")
    f = store.create(draft, dataset)
    ctx = multiprocessing.get_context("spawn")
    go, results = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=_update_at_version_1,
                         args=(db_url, cfg, f.id, f"racer-{k}", go, results)) for k in range(8)]
    for p in procs:
        p.start()
    time.sleep(3)                      # let every child open its store before the start
    go.set()
    for p in procs:
        p.join(120)
    outcomes = sorted(results.get(timeout=10) for _ in procs)
    assert [p.exitcode for p in procs] == [0] * 8
    assert [o for o, _ in outcomes].count("won") == 1 and len(outcomes) == 8
    winner = next(tag for o, tag in outcomes if o == "won")
    final = store.get(f.id)
    assert (final.title, final.version) == (winner, 2)
    assert len(store.history(f.id)) == 2 and store.verify().ok
