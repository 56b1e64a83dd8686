"""Every store through the same behaviour: keep, save, forget, expire, evict, serialize."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from app.nn import OptimizerSettings, RegularizationSettings
from app.sessions import SessionBusy, SessionNotFound

from .conftest import StoreMaker, held_elsewhere, same_parameters, typical_trainer


def test_a_created_network_is_there_to_open(make_store: StoreMaker):
    store = make_store()
    trainer = typical_trainer()
    sid = store.create(trainer)
    with store.open(sid, write=False) as opened:
        assert same_parameters(opened, trainer)
        assert opened.step_count == 0


def test_ids_are_unguessable(make_store: StoreMaker):
    store = make_store()
    ids = {store.create(typical_trainer()) for _ in range(3)}
    assert len(ids) == 3
    assert all(len(sid) >= 32 for sid in ids)  # 24 random bytes, url-safe base64


def test_an_unknown_id_is_not_found(make_store: StoreMaker):
    store = make_store()
    with pytest.raises(SessionNotFound), store.open("no-such-network"):
        pass
    with pytest.raises(SessionNotFound), store.open("no-such-network", write=False):
        pass


def test_a_deleted_network_is_gone(make_store: StoreMaker):
    store = make_store()
    sid = store.create(typical_trainer())
    assert store.delete(sid) is True
    assert store.delete(sid) is False
    with pytest.raises(SessionNotFound), store.open(sid):
        pass


def test_steps_in_write_blocks_are_kept(make_store: StoreMaker):
    store = make_store()
    sid = store.create(typical_trainer())
    for _ in range(3):
        with store.open(sid) as trainer:
            trainer.step()
    with make_store.again().open(sid, write=False) as trainer:
        assert trainer.step_count == 3


def test_idle_networks_expire(make_store: StoreMaker):
    ttl = 0.5 if make_store.kind == "redis" else 60
    store = make_store(ttl_seconds=ttl)
    idle, used = store.create(typical_trainer()), store.create(typical_trainer())
    make_store.advance(0.6 * ttl)
    with store.open(used) as trainer:
        trainer.step()
    make_store.advance(0.6 * ttl)
    with store.open(used, write=False) as trainer:
        assert trainer.step_count == 1
    with pytest.raises(SessionNotFound), store.open(idle):
        pass
    assert store.delete(idle) is False


def test_the_least_recently_used_network_is_evicted(make_store: StoreMaker):
    store = make_store(max_sessions=3)
    a, b, c = (store.create(typical_trainer()) for _ in range(3))
    moment = 0.01 if make_store.kind == "redis" else 2.0  # SQLite notes last uses to the second
    make_store.advance(moment)
    with store.open(a) as trainer:  # a is now the most recently used
        trainer.step()
    make_store.advance(moment)
    d = store.create(typical_trainer())
    with pytest.raises(SessionNotFound), store.open(b):
        pass
    for sid in (a, c, d):
        with store.open(sid, write=False):
            pass
    assert len(store) == 3


def test_steps_from_many_threads_are_all_applied_in_order(make_store: StoreMaker):
    store = make_store()
    sid = store.create(typical_trainer("momentum"))
    stores = [store, make_store.again()]  # two instances: as two worker processes would be
    n = 24

    def step(i: int) -> None:
        with stores[i % 2].open(sid) as trainer:
            trainer.step()

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(step, range(n)))
    sequential = typical_trainer("momentum")
    for _ in range(n):
        sequential.step()
    with make_store.again().open(sid, write=False) as trainer:
        assert trainer.step_count == n
        assert same_parameters(trainer, sequential)
        assert trainer.slots["v"][0].tobytes() == sequential.slots["v"][0].tobytes()


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_alternating_workers_continue_bit_for_bit(shared_store: StoreMaker, optimizer: str):
    a = shared_store()
    b = shared_store.again()
    sid = a.create(typical_trainer(optimizer))
    reference = typical_trainer(optimizer)
    for i in range(6):
        with (a if i % 2 else b).open(sid) as trainer:
            trace = trainer.step()
        expected = reference.step()
        assert trace["loss"] == expected["loss"]
    with b.open(sid, write=False) as trainer:
        assert trainer.export().keys() == reference.export().keys()
        assert same_parameters(trainer, reference)
        assert (trainer.epoch, trainer.epoch_position, trainer.optimizer_steps) == (
            reference.epoch, reference.epoch_position, reference.optimizer_steps)


def test_changed_settings_and_resets_reach_other_workers(shared_store: StoreMaker):
    a, b = shared_store(), shared_store.again()
    sid = a.create(typical_trainer())
    with b.open(sid, write=False):  # b has it cached from here on
        pass
    with a.open(sid) as trainer:
        trainer.step()
        trainer.update(OptimizerSettings("adam", 0.01, {"beta1": 0.8}), RegularizationSettings("l2", 0.001), 25)
        trainer.step()
    with b.open(sid) as trainer:
        assert trainer.settings.optimizer == OptimizerSettings("adam", 0.01, {"beta1": 0.8})
        assert trainer.settings.regularization == RegularizationSettings("l2", 0.001)
        assert trainer.settings.batch_size == 25
        assert set(trainer.slots) == {"m", "v"} and trainer.optimizer_steps == 1
        trainer.reset()
    with a.open(sid, write=False) as trainer:
        assert trainer.step_count == 0 and trainer.optimizer_steps == 0
        assert same_parameters(trainer, typical_trainer())


def test_a_read_block_saves_nothing(shared_store: StoreMaker):
    a, b = shared_store(), shared_store.again()
    sid = a.create(typical_trainer())
    with a.open(sid, write=False) as trainer:
        trainer.step()  # routes never do this; if one did, nothing would be saved
    with b.open(sid, write=False) as trainer:
        assert trainer.step_count == 0


def test_a_block_that_raises_saves_nothing(shared_store: StoreMaker):
    store = shared_store()
    sid = store.create(typical_trainer())
    with pytest.raises(RuntimeError), store.open(sid) as trainer:
        trainer.step()
        raise RuntimeError("the request failed half way")
    with store.open(sid, write=False) as trainer:  # even this process's cached copy is rolled back
        assert trainer.step_count == 0
        assert same_parameters(trainer, typical_trainer())
    with store.open(sid) as trainer:
        trainer.step()
    with shared_store.again().open(sid, write=False) as trainer:
        assert trainer.step_count == 1


def test_a_writer_waits_for_the_lock_then_gives_up_busy(shared_store: StoreMaker):
    a = shared_store()
    b = shared_store.again(lock_wait_seconds=0.2)
    sid = a.create(typical_trainer())
    with held_elsewhere(a, sid, step=True):
        with pytest.raises(SessionBusy), b.open(sid):
            pass
        with b.open(sid, write=False) as trainer:  # readers do not wait: they see the last save
            assert trainer.step_count == 0
    with b.open(sid) as trainer:
        assert trainer.step_count == 1


def test_a_network_deleted_while_open_is_not_brought_back(shared_store: StoreMaker):
    a, b = shared_store(), shared_store.again()
    sid = a.create(typical_trainer())
    with pytest.raises(SessionNotFound), a.open(sid) as trainer:
        trainer.step()
        assert b.delete(sid)
    with pytest.raises(SessionNotFound), b.open(sid, write=False):
        pass


def test_a_restarted_store_still_has_every_network(shared_store: StoreMaker):
    store = shared_store()
    ids = [store.create(typical_trainer(seed_changes)) for seed_changes in ("sgd", "momentum", "adam")]
    for k, sid in enumerate(ids):
        for _ in range(k + 1):
            with store.open(sid) as trainer:
                trainer.step()
    store.close()
    restarted = shared_store.again()
    for k, sid in enumerate(ids):
        with restarted.open(sid, write=False) as trainer:
            assert trainer.step_count == k + 1
            assert np.isfinite(trainer.network.params).all()


def test_data_replaced_by_one_worker_is_trained_on_by_the_other(shared_store: StoreMaker):
    a, b = shared_store(), shared_store.again()
    sid = a.create(typical_trainer())
    with b.open(sid, write=False):  # b has it cached (with the generated data) from here on
        pass
    points = {"inputs": [[0.0, 1.0], [1.0, 0.0], [3.0, 3.0]], "targets": [[1.0], [0.0], [1.0]]}
    with a.open(sid) as trainer:
        trainer.step()
        trainer.replace_data(points)
    with b.open(sid) as trainer:
        assert trainer.data.train_inputs.tolist() == points["inputs"] and trainer.settings.dataset is None
        assert trainer.step_count == 1 and trainer.epoch_position == 0
        trainer.step()
    with a.open(sid, write=False) as trainer:
        assert trainer.step_count == 2 and trainer.n_train == 3
