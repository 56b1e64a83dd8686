"""static/js/refusals.js in the real browser: a server limit (limit_exceeded) is worded in one place,
for the banner (i18n/messages.js asks it, and starts the sentence with a capital) and beside the
field, with the same numbers."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

LIMITS = """
    const r = await mod('refusals.js');
    const m = await mod('i18n/messages.js');
    const limit = (field, max, value) => ({ code: 'limit_exceeded', detail: 'x', field,
                                           params: { limit: 'some_limit', max, value } });
    return [[6000, 5000], [0.75, 0.5], [1234567.5, 1e6]].map(([value, max]) => {
      const body = limit('batch_size', max, value);
      return [m.apiMessage(body, 422), r.explainRefusal(body), r.limitRefusal(body, { beside: true })];
    });
"""


def test_a_server_limit_reads_the_same_in_the_banner_and_beside_the_field(js) -> None:
    said = js.run(LIMITS)
    assert said == [
        ["Batch size: 6,000 is over this server's limit of 5,000.",
         "Batch size must be at most 5,000.", "Batch size must be at most 5,000."],
        # A limit that is not a whole number is not rounded away beside the field.
        ["Batch size: 0.75 is over this server's limit of 0.5.",
         "Batch size must be at most 0.5.", "Batch size must be at most 0.5."],
        ["Batch size: 1.23457e+6 is over this server's limit of 1,000,000.",
         "Batch size must be at most 1,000,000.", "Batch size must be at most 1,000,000."],
    ]


def test_a_field_the_page_has_no_control_for_is_named_as_the_api_names_it(js) -> None:
    said = js.run("""const r = await mod('refusals.js');
        const body = { code: 'limit_exceeded', field: 'inputs[0][0]', params: { max: 1e6, value: 2e6 } };
        return [r.limitRefusal(body), r.limitRefusal(body, { beside: true }), r.limitRefusal({ code: 'other' })];""")
    assert said == ["inputs[0][0]: 2,000,000 is over this server's limit of 1,000,000.", None, None]
