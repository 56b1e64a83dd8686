"""Errors the engine raises; the API layer turns them into 4xx answers."""


class EngineError(ValueError):
    """A request the engine refuses, with a message a person understands.

    `field` names the input at fault (dotted, as in the API body) when there is one.
    """

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
