"""Kept steps in every store: found by the worker that made them and by any other, cleared by reset."""

from __future__ import annotations

import orjson
import pytest

from app.nn import OptimizerSettings
from app.nn.history import KEEP, StepNotKept

from .conftest import StoreMaker, typical_trainer


def as_json(trace: dict) -> bytes:
    return orjson.dumps(trace, option=orjson.OPT_SERIALIZE_NUMPY)


def explained(store, sid: str, step: int | None = None) -> dict:
    """The kept step re-run by this store's worker (its trace)."""
    with store.open(sid, write=False) as trainer:
        return trainer.replay(store.kept_step(sid, trainer, step))[0]


def test_the_newest_step_is_the_default_and_re_runs_to_its_trace(make_store: StoreMaker):
    store = make_store()
    sid = store.create(typical_trainer("adam"))
    for _ in range(3):
        with store.open(sid) as trainer:
            trace = trainer.step()
    assert as_json(explained(store, sid)) == as_json(trace)
    assert explained(store, sid, 1)["step"] == 1


def test_a_step_21_steps_back_is_not_kept(make_store: StoreMaker):
    store = make_store()
    sid = store.create(typical_trainer())
    with store.open(sid) as trainer:
        trainer.train(KEEP + 1)
    assert explained(store, sid, 2)["step"] == 2
    with pytest.raises(StepNotKept) as refused:
        explained(store, sid, 1)
    assert refused.value.step == 1 and refused.value.current == KEEP + 1


@pytest.mark.parametrize("optimizer", ["sgd", "rmsprop"])
def test_another_worker_explains_every_kept_step_bit_for_bit(shared_store: StoreMaker, optimizer: str):
    a, b = shared_store(), shared_store.again()
    sid = a.create(typical_trainer(optimizer))
    traces = {}
    for i in range(KEEP + 5):  # alternating workers, with a change of settings on the way
        with (a if i % 3 else b).open(sid) as trainer:
            if i == 10:
                trainer.update(OptimizerSettings(optimizer, 0.2))
            trace = trainer.step()
            traces[trace["step"]] = trace
    for n in range(6, KEEP + 6):
        for store in (a, b):
            assert as_json(explained(store, sid, n)) == as_json(traces[n]), (store, n)
    with pytest.raises(StepNotKept):
        explained(b, sid, 5)


def test_the_last_steps_of_a_long_training_call_are_kept_for_other_workers(shared_store: StoreMaker):
    a, b = shared_store(), shared_store.again()
    sid = a.create(typical_trainer("momentum"))
    reference = typical_trainer("momentum")
    with a.open(sid) as trainer:
        trainer.train(3 * KEEP)
    expected = [reference.step() for _ in range(3 * KEEP)]
    for trace in expected[-KEEP:]:
        assert as_json(explained(b, sid, trace["step"])) == as_json(trace)


def test_reset_clears_the_kept_steps_for_every_worker_and_a_change_of_settings_does_not(shared_store: StoreMaker):
    a, b = shared_store(), shared_store.again()
    sid = a.create(typical_trainer())
    with a.open(sid) as trainer:
        trainer.train(5)
    with b.open(sid) as trainer:
        trainer.update(OptimizerSettings("adam", 0.01))
    assert explained(a, sid, 5)["step"] == explained(b, sid, 5)["step"] == 5
    with b.open(sid) as trainer:
        trainer.reset()
    for store in (a, b):
        with pytest.raises(StepNotKept):
            explained(store, sid, 3)
    with a.open(sid) as trainer:
        first = trainer.step()  # step 1 again, of the new run: not the old step 1
    assert as_json(explained(b, sid, 1)) == as_json(first)
    with pytest.raises(StepNotKept):
        explained(b, sid, 2)  # the old run's step 2 was deleted, not left in its place
