"""Timeline builder: news articles about the AI industry -> event YAML -> MkDocs site."""

__version__ = "0.2.5"
