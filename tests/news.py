"""Invented news articles shared by the evidence and answer tests: one fire, two sources."""

from __future__ import annotations

from qa.types import Article


def make_article(article_id: str, title: str, body: str, source: str, published: str) -> Article:
    """An article whose headline is page debris, as the loaders mark it."""
    text = f"{title}\n\n{body}"
    return Article(
        article_id=article_id,
        text=text,
        content_hash="x",
        title=title,
        source=source,
        published=published,
        boilerplate=((0, len(title)),),
    )


FIRE = make_article(
    "fire-service",
    "Fire guts Verano plant",
    "A fire broke out at the Verano chemical plant in Lessing on Tuesday night. "
    "The fire at the Verano plant killed 12 workers, the fire service said. "
    "Two engines and 40 firefighters were sent to the site.",
    "Lessing Courier",
    "2024-03-06",
)
HOSPITAL = make_article(
    "hospital",
    "Hospital reports deaths after Verano blaze",
    "Hospital officials said 15 workers died in the Verano plant fire. "
    "Another eight workers were treated for smoke inhalation at St Agnes Hospital.",
    "Valley Herald",
    "2024-03-07",
)
