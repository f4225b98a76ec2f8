"""One base error and typed subclasses; each message says what failed and what to do.

The CLI and the UI catch :class:`QAError` at their edge and show ``str(error)``
as one line; anything else is a bug and is logged with its traceback.
"""

from __future__ import annotations


class QAError(Exception):
    """Base of every error the user is meant to see."""


class ConfigError(QAError):
    """A setting is missing or invalid."""

    def __init__(self, setting: str, problem: str, fix: str) -> None:
        self.setting = setting
        super().__init__(f"{setting}: {problem} - {fix}")


class IngestError(QAError):
    """A file or record could not be turned into an article."""

    def __init__(self, path: str, problem: str, fix: str = "") -> None:
        self.path = path
        self.problem = problem
        self.fix = fix
        message = f"{path}: {problem}"
        super().__init__(f"{message} - {fix}" if fix else message)


class StoreError(QAError):
    """The vector store (embedded or server) failed."""

    def __init__(self, where: str, problem: str, fix: str) -> None:
        self.where = where
        super().__init__(f"{where}: {problem} - {fix}")


class BackendError(QAError):
    """A model endpoint (embeddings or LLM) failed."""

    def __init__(self, endpoint: str, problem: str, fix: str) -> None:
        self.endpoint = endpoint
        super().__init__(f"{endpoint}: {problem} - {fix}")


class EmptyIndexError(QAError):
    """A question was asked before any article was ingested."""

    def __init__(self, home: str) -> None:
        self.home = home
        super().__init__(
            f"no articles in {home} - add some with 'qa ingest PATH' "
            "(or 'qa ingest --samples' for the bundled sample articles)"
        )


class QuestionError(QAError):
    """The question itself cannot be asked (empty, too long)."""


class NotFoundError(QAError):
    """An article id that is not in the store."""

    def __init__(self, article_id: str) -> None:
        self.article_id = article_id
        super().__init__(f"no article with id {article_id!r} - 'qa list' shows the ids")
