import re
from html import unescape


def visible_text(response) -> str:
    """The page's text as a reader sees it: no tags, white space folded."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())
