"""Templates to PDF with WeasyPrint: the candidate packet and a printed guide.

The templates carry their own stylesheet (templates/pdf/base.html), and nothing is fetched
while rendering: user text is escaped by the templates, and a link or image that got in
anyway loads nothing (`data:` only), so a PDF can never call out to the network or read a
file of the server.
"""

from collections.abc import Callable

from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher

PAPER_SIZES = {"a4": "A4", "letter": "letter"}
# Made once: a fetcher loads the system's certificates when it is made, a tenth of a second.
FETCHER = URLFetcher(allowed_protocols=["data"])


def render_pdf(
    template: str,
    context: dict,
    *,
    paper_size: str,
    progress: Callable[[int, str], None] = lambda percent, step: None,
) -> tuple[bytes, int]:
    """The PDF's bytes and its number of pages. `progress` hears of the two slow steps."""
    context = {**context, "page_size": PAPER_SIZES[paper_size]}
    html = render_to_string(template, context)
    progress(30, "Laying out the pages")
    document = HTML(string=html, url_fetcher=FETCHER).render()
    pages = len(document.pages)
    progress(70, f"Writing the PDF ({pages} pages)")
    return document.write_pdf(), pages
