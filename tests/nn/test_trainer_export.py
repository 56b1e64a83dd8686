"""Seeds and exports: the same inputs give the same bits, and an export continues identically."""

from __future__ import annotations

import copy

import numpy as np
import orjson
import pytest

from app.nn import DatasetSettings, EngineError, InitSettings, OptimizerSettings, Settings, Trainer


def assert_identical(a, b, path: str = "trace") -> None:
    """Bit-identical: same structure, same types of containers, arrays equal entry by entry."""
    if isinstance(a, dict):
        assert isinstance(b, dict) and set(a) == set(b), path
        for k in a:
            assert_identical(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list | tuple):
        assert isinstance(b, list | tuple) and len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            assert_identical(x, y, f"{path}[{i}]")
    elif isinstance(a, np.ndarray):
        assert isinstance(b, np.ndarray) and a.dtype == b.dtype, path
        np.testing.assert_array_equal(a, b, err_msg=path, strict=True)
    else:
        assert a == b and type(a) is type(b), f"{path}: {a!r} != {b!r}"


def json_round_trip(doc: dict) -> dict:
    return orjson.loads(orjson.dumps(doc, option=orjson.OPT_SERIALIZE_NUMPY))


def settings(**kw) -> Settings:
    base = dict(layer_sizes=[2, 4, 3, 1], init=InitSettings(seed=21), batch_size=7,
                optimizer=OptimizerSettings("adam", 0.05),
                dataset=DatasetSettings("spiral", 60, 0.1, 0.5, seed=8))
    return Settings(**{**base, **kw})


# ---- seeds --------------------------------------------------------------------------------------

def test_same_seeds_give_bit_identical_traces():
    a, b = Trainer(settings()), Trainer(settings())
    for _ in range(6):
        assert_identical(a.step(), b.step())
    assert_identical(a.state(), b.state())


@pytest.mark.parametrize("change", [
    {"init": InitSettings(seed=22)},
    {"dataset": DatasetSettings("spiral", 60, 0.1, 0.5, seed=9)},
])
def test_a_different_seed_gives_a_different_run(change):
    a, b = Trainer(settings()), Trainer(settings(**change))
    assert not np.array_equal(a.step()["inputs"], b.step()["inputs"])


def test_missing_seeds_are_drawn_and_reported_in_the_settings():
    s = settings(init=InitSettings(seed=None), dataset=DatasetSettings("circle", 40, 0.0, 0.5, seed=None))
    trainer = Trainer(s)
    spec = trainer.state()["spec"]
    assert isinstance(spec["init"]["seed"], int) and isinstance(spec["dataset"]["seed"], int)
    assert spec["init"]["seed"] == trainer.settings.init.seed
    # The reported spec reproduces the run.
    twin = Trainer(Settings.from_dict(json_round_trip(spec)))
    for _ in range(4):
        assert_identical(trainer.step(), twin.step())


def test_drawn_seeds_differ_between_sessions():
    drawn = {Trainer(settings(init=InitSettings(seed=None))).settings.init.seed for _ in range(5)}
    assert len(drawn) > 1


def test_custom_data_replaces_the_dataset_in_the_reported_spec():
    trainer = Trainer(settings(init=InitSettings(seed=3)), data={"inputs": [[0.0, 1.0], [1.0, 0.0]],
                                                                 "targets": [[1.0], [0.0]]})
    assert trainer.state()["spec"]["dataset"] is None
    assert trainer.state()["n_train"] == 2 and trainer.state()["n_test"] == 0


def test_settings_round_trip_through_a_dict():
    s = settings(optimizer=OptimizerSettings("rmsprop", 0.01, {"rho": 0.8}))
    d = s.to_dict()
    assert d["optimizer"] == {"name": "rmsprop", "learning_rate": 0.01, "rho": 0.8, "epsilon": 1e-8}
    assert Settings.from_dict(json_round_trip(d)).to_dict() == d


# ---- export and import --------------------------------------------------------------------------

CUSTOM = {"inputs": np.random.default_rng(0).normal(size=(11, 2)).tolist(),
          "targets": [[float(i % 2)] for i in range(11)]}


@pytest.mark.parametrize("make, steps_before", [
    pytest.param(lambda: Trainer(settings()), 6, id="adam-generated-mid-epoch"),
    pytest.param(lambda: Trainer(settings(optimizer=OptimizerSettings("momentum", 0.1, {"momentum": 0.7}),
                                          use_bias=False, batch_size=4, dataset=None), data=CUSTOM),
                 2, id="momentum-custom-data-no-bias"),
    pytest.param(lambda: Trainer(settings(optimizer=OptimizerSettings("rmsprop", 0.02),
                                          activation="relu", batch_size=100)), 3, id="rmsprop-whole-batch"),
    pytest.param(lambda: Trainer(settings(optimizer=OptimizerSettings("adagrad", 0.1))), 0, id="fresh"),
])
def test_export_round_trip_continues_bit_identically(make, steps_before):
    original = make()
    for _ in range(steps_before):
        original.step()
    doc = json_round_trip(original.export())
    copy_ = Trainer.from_export(doc)
    assert_identical(json_round_trip(copy_.export()), doc, "export")
    for _ in range(8):  # across at least one epoch boundary
        assert_identical(copy_.step(), original.step())
    # The imported trainer remembers where it started, too.
    copy_.reset()
    original.reset()
    assert_identical(copy_.step(), original.step())


def test_export_after_an_optimizer_change_carries_the_new_state():
    original = Trainer(settings())
    for _ in range(3):
        original.step()
    original.update(optimizer=OptimizerSettings("momentum", 0.02))
    original.step()
    doc = json_round_trip(original.export())
    assert doc["optimizer_state"]["t"] == 1 and set(doc["optimizer_state"]["slots"]) == {"v"}
    copy_ = Trainer.from_export(doc)
    for _ in range(3):
        assert_identical(copy_.step(), original.step())


def test_export_holds_only_custom_data():
    assert Trainer(settings()).export()["data"] is None
    exported = Trainer(settings(dataset=None), data=CUSTOM).export()["data"]
    np.testing.assert_array_equal(exported["inputs"], CUSTOM["inputs"])


@pytest.mark.parametrize("spoil, field", [
    (lambda d: d.update(format="something-else"), "format"),
    (lambda d: d.update(epoch_position=999), "epoch_position"),
    (lambda d: d["optimizer_state"]["slots"].pop("m"), "optimizer_state"),
    (lambda d: d["optimizer_state"]["slots"]["v"]["weights"][0][0].append(1.0), "optimizer_state"),
    (lambda d: d["optimizer_state"]["slots"]["v"]["weights"][0][0].__setitem__(0, None), "optimizer_state"),
    (lambda d: d["weights"][0][0].__setitem__(0, None), "weights"),
    (lambda d: d["weights"].pop(), "weights"),
    (lambda d: d["biases"][1].append(0.0), "biases"),
])
def test_a_spoiled_export_is_refused_with_the_field_at_fault(spoil, field):
    original = Trainer(settings())
    original.step()
    doc = copy.deepcopy(json_round_trip(original.export()))
    spoil(doc)
    with pytest.raises(EngineError) as err:
        Trainer.from_export(doc)
    assert err.value.field == field
