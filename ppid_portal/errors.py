"""Domain errors every app raises; the API maps them to status codes, the pages to messages."""


class DomainError(Exception):
    status_code = 400

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = str(message)
        self.field = field

    def as_dict(self):
        return {self.field or "detail": [self.message]}


class IllegalTransition(DomainError):
    """The action is not allowed in the case's current state (HTTP 409)."""

    status_code = 409


class MissingField(DomainError):
    """A required reason/decision field was not given (HTTP 400)."""

    status_code = 400


class NotPermitted(DomainError):
    status_code = 403
