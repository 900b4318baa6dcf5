"""Drive Material for MkDocs' search box in Chromium (shared by the search tests)."""

from __future__ import annotations

_RESULT_HREFS = """items => items.map(li => {
  const a = li.querySelector("a.md-search-result__link");
  return a ? a.href : null;
})"""
_SHOWS_PLACEHOLDER = """() => {
  const config = JSON.parse(document.getElementById("__config").textContent);
  const meta = document.querySelector(".md-search-result__meta");
  const items = document.querySelectorAll(".md-search-result__list > li");
  return meta.textContent === config.translations["search.result.placeholder"] && !items.length;
}"""
_SHOWS_RESULT = """() => {
  const config = JSON.parse(document.getElementById("__config").textContent);
  const meta = document.querySelector(".md-search-result__meta").textContent;
  return meta !== config.translations["search.result.placeholder"];
}"""


def search_hrefs(page, query: str) -> list[str | None]:
    """Type ``query`` into the open search box; return the result links, best first.

    The box is cleared first, and Material's placeholder awaited, so that the next result
    shown (result count and list are rendered together) is the one for this query. Material
    reads the box on keyup, hence the End key after fill().
    """
    box = page.locator("input.md-search__input")
    box.fill("")
    box.press("End")
    page.wait_for_function(_SHOWS_PLACEHOLDER, timeout=10_000)
    box.fill(query)
    assert box.input_value() == query  # NFD input reaches the page as NFD
    box.press("End")
    page.wait_for_function(_SHOWS_RESULT, timeout=10_000)
    return page.locator(".md-search-result__list > li").evaluate_all(_RESULT_HREFS)
