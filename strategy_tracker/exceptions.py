"""Domain exceptions. Interface code turns them into messages or HTTP responses."""


class ApplicationError(Exception):
    """Base of every error the domain raises on purpose."""

    def __init__(self, message: str, *, extra: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class ImportValidationError(ApplicationError):
    """A strategy file failed validation; `errors` lists every problem with its path."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(f"{len(errors)} problem(s) found; nothing was imported.")
        self.errors = errors


class ForbiddenInProduction(ApplicationError):
    """An operation meant only for the embedded demo was asked for in production."""


class ConflictError(ApplicationError):
    """Someone else changed the row since the person loaded it; nothing was overwritten."""


class NotAllowed(ApplicationError):
    """The actor may not do this to this object."""


class InvalidTransition(ApplicationError):
    """The object is not in a state that allows this step."""
