"""The error body of every 4xx and 5xx answer, and the table of its stable `code`s.

A client acts on `code` (and its `params`); `detail` is the same refusal in plain English, for people.
Codes are part of the /api/v1 contract: new ones may be added, none is renamed or removed."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

# code -> (HTTP status, when it is answered, its params)
ERROR_CODES: dict[str, tuple[int, str, str]] = {
    "invalid_json": (422, "The request body is not JSON (or not UTF-8 text).", "position: the character at fault, "
                     "when known"),
    "invalid_value": (422, "A field is missing, of the wrong type, out of its range, or refused by the engine "
                      "(e.g. a loss that needs another output activation); `field` names it and, for a body that "
                      "does not match its schema, `errors` lists every problem.", "none"),
    "limit_exceeded": (422, "The request is over one of this server's limits (GET /options → limits).",
                       "limit: the setting's name; max: its value; value: what was asked (and max_steps for "
                       "max_train_work)"),
    "network_too_large": (422, "The network would hold more memory than this server allows (max_network_bytes): "
                          "its parameters, optimizer state, data and kept steps; `field` names what to lower.",
                          "limit: max_network_bytes; max: its bytes; value: the network's bytes; parameters, "
                          "optimizer, data, kept: the bytes of each part"),
    "answer_too_large": (422, "The answer would be larger than this server sends (max_answer_bytes), estimated "
                         "from shapes before any work; `field` names what to lower.",
                         "limit: max_answer_bytes; max: its bytes; value: the answer's estimated bytes; most: the "
                         "largest value of `field` that fits, when there is one"),
    "network_not_found": (404, "No network has this id: never created, deleted, expired after being idle, or "
                          "removed to make room for newer networks (the store's bound in bytes).",
                          "idle_minutes: how long an idle network is kept; removed_for_room: true (only) when it "
                          "was removed to make room"),
    "step_not_kept": (404, "The server does not keep this step (it keeps a network's last applied steps).",
                      "step: the step asked for; applied: the steps the network has applied"),
    "network_busy": (409, "Another request holds this network (a long /train, perhaps), or it changed in the "
                     "session store since it was loaded (nothing was saved); try again shortly.",
                     "none"),
    "body_too_large": (413, "The request body is larger than this server accepts.",
                       "limit: max_body_bytes or max_import_bytes; max: that many bytes"),
    "unsupported_media_type": (415, "A request body that is not JSON (Content-Type must be application/json), "
                               "or a network created without saying JSON even for an empty body.",
                               "content_type: what the request said it sent"),
    "rate_limited": (429, "Too many networks created from this address; see Retry-After.",
                     "retry_after (seconds), burst, rate_per_minute"),
    "store_unavailable": (503, "The session store cannot be reached just now; see Retry-After.",
                          "retry_after (seconds)"),
    "not_found": (404, "No endpoint at this path.", "none"),
    "method_not_allowed": (405, "The path exists but not with this method (the Allow header lists the methods).",
                           "allowed: the methods"),
    "bad_request": (400, "The request could not be read.", "none"),
    "internal_error": (500, "Something failed on the server; it was logged.", "none"),
}


def codes_table() -> str:
    """The codes as a Markdown list (the ErrorBody docs and the README say the same)."""
    return "\n".join(f"- `{code}` ({status}): {when} Params: {params}."
                     for code, (status, when, params) in ERROR_CODES.items())


class ErrorBody(BaseModel):
    """What every 4xx and 5xx answer carries."""

    model_config = ConfigDict(json_schema_extra={"example": {
        "code": "limit_exceeded", "detail": "batch_size is 6000; at most 5000 is allowed", "field": "batch_size",
        "params": {"limit": "max_batch_size", "max": 5000, "value": 6000}}})

    code: str = Field(description="What went wrong, stable within /api/v1 (act on this, not on `detail`):\n"
                                  + codes_table())
    detail: str = Field(description="What was wrong and what is allowed, in plain words.")
    field: str | None = Field(None, description="The input at fault, dotted as in the request (`optimizer.momentum`, "
                                                "`inputs[0][1]`), or null.")
    params: dict[str, Any] = Field(default_factory=dict, description="The code's parameters (see `code`).")
    errors: list[dict[str, Any]] | None = Field(
        None, description="For a body that does not match its schema: every problem, as {loc, msg, type}.")
