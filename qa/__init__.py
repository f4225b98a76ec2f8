"""newsqa: answers about news articles, with every claim cited to a verbatim sentence.

from qa import Assistant
assistant = Assistant(home="some/dir")
assistant.ingest(["articles/"])
answer = assistant.ask("How many soldiers were besieged near al-Sukhna?")
"""

from qa.assistant import Assistant
from qa.errors import QAError
from qa.types import Answer, Article, ArticleInfo, Citation, IngestReport, IngestResult

__all__ = ["Answer", "Article", "ArticleInfo", "Assistant", "Citation", "IngestReport", "IngestResult", "QAError"]
__version__ = "0.1.0"
