"""The one error type the generator reports to users: a problem at file:line."""


class SpecError(Exception):
    def __init__(self, path, line, message):
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line
        self.message = message


class SpecErrors(Exception):
    """Several problems found in one pass, reported together."""

    def __init__(self, errors):
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors
