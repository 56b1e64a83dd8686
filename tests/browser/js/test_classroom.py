"""static/js/classroom.js in the real browser: the parts a classroom link hides, read from and
written into the URL hash."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_the_parts_of_a_hash_are_the_known_names_in_the_tables_order(js):
    parts = js.call("classroom.js", "hiddenParts", "#data=xor&hide=optimizer,nonsense,data&lr=0.1")
    assert parts == ["data", "optimizer"]
    assert js.call("classroom.js", "hiddenParts", "#data=xor") == []


def test_hidden_parts_are_written_into_the_hash_and_the_rest_is_kept(js):
    hash_ = js.call("classroom.js", "withHidden", "#data=xor&hidden=4,2&hide=legend", ["regularization", "speed"])
    assert hash_ == "#data=xor&hidden=4,2&hide=regularization,speed"
    assert js.call("classroom.js", "withHidden", "#data=xor&hide=legend", []) == "#data=xor"
    assert js.call("classroom.js", "withHidden", "", ["nonsense"]) == ""


def test_every_hideable_part_has_a_label_and_a_distinct_name(js):
    table = js.run("const c = await mod('classroom.js'); const s = await mod('strings.js'); "
                   "return c.HIDEABLE.map(([name, key]) => [name, s.t(key), key]);")
    names = [name for name, _, _ in table]
    assert len(names) == len(set(names))
    assert all(label != key for _, label, key in table)


def test_the_readme_documents_every_hideable_part(js):
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text()
    names = js.run("const c = await mod('classroom.js'); return c.HIDEABLE.map(([name]) => name);")
    assert [n for n in names if f"`{n}`" not in readme] == []
