"""The one error type workflows raise; views show it as a form error, the API as 400/409."""

from __future__ import annotations


class DomainError(Exception):
    """A refused operation. ``field`` names the offending input; ``line`` its line in a file."""

    status = 400

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        line: int | None = None,
        code: str = "invalid",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.line = line
        self.code = code

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


class ImportFailed(DomainError):
    """A file refused as a whole; ``errors`` lists every problem found (first ones only)."""

    def __init__(self, source: str, errors: list[DomainError]) -> None:
        self.source = source
        self.errors = errors
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(f"{source}: {first}{more}; nothing was imported", code="import_failed")


class StaleVersion(DomainError):
    """Somebody saved the claim since this client read it."""

    status = 409

    def __init__(self, current: object) -> None:
        super().__init__(
            "this claim was changed by someone else since you loaded it; "
            "reload to see the current version",
            field="version",
            code="stale_version",
        )
        self.current = current


class Conflict(DomainError):
    """The operation came too late: someone else has changed what it was meant for."""

    status = 409

    def __init__(self, message: str, *, code: str = "conflict") -> None:
        super().__init__(message, code=code)


class Gone(DomainError):
    """What the operation was meant for has been deleted meanwhile."""

    status = 404

    def __init__(self, message: str) -> None:
        super().__init__(message, code="not_found")


class NotAllowed(DomainError):
    """The user is a member but their role does not allow this."""

    status = 403

    def __init__(self, message: str = "your role in this project does not allow this") -> None:
        super().__init__(message, code="forbidden")
