"""Never lose the story: a failed extraction is detected and redone; titles come from
the best source with the site name taken off."""
from lxml import html as lxml_html

from transforms.extract import (best_title, body_with_fallback, continued_body, extract_html, restore_subheads,
                                extraction_failure, main_text, page_metadata, strip_site_name)

STORY = [
    "The harbour board voted on Tuesday to close the old ferry pier for a year of repairs, "
    "after divers found that several of its timber piles had rotted through.",
    "Commuters who use the pier will be moved to a temporary landing at the fish market, "
    "which the board said would add about ten minutes to a crossing.",
    "Board chair Maren Holt said the decision was made with regret but that the structure "
    "could no longer be trusted with the weight of a full morning crowd.",
    "Engineers will replace the piles with steel ones driven into the seabed, a method used "
    "on the newer cargo quay two kilometres to the south.",
    "The work is expected to cost about four million crowns, most of it covered by a grant "
    "from the regional transport fund, according to the board's papers.",
    "Local shop owners near the pier said they feared losing passing trade while it was shut, "
    "and asked the board to put up signs pointing visitors to their street.",
]
MENU = ["Home", "News", "Sport", "Business", "Culture", "Weather", "Opinion", "Contact"]


def page(story=STORY, title="Old ferry pier to close for a year | Harbour Times", og=None,
         site="Harbour Times", h1=None):
    nav = "".join(f'<li><a href="/{m.lower()}">{m}</a></li>' for m in MENU)
    paras = "".join(f"<p>{p}</p>" for p in story)
    metas = f'<meta property="og:site_name" content="{site}">' if site else ""
    if og:
        metas += f'<meta property="og:title" content="{og}">'
    return (f"<html><head><title>{title}</title>{metas}</head><body><header><ul>{nav}</ul></header>"
            f"<main><div class='story'>{f'<h1>{h1}</h1>' if h1 else ''}{paras}</div></main></body></html>")


def test_a_menu_returned_as_the_body_is_a_failed_extraction():
    tree = lxml_html.fromstring(page())
    anchors = {m.casefold() for m in MENU}
    assert extraction_failure(MENU, main_text(tree), anchors) in ("links", "menu")


def test_a_body_that_keeps_a_fragment_of_the_story_is_short():
    tree = lxml_html.fromstring(page())
    assert extraction_failure(STORY[:1], main_text(tree), set()) == "short"


def test_a_complete_body_is_not_a_failure():
    tree = lxml_html.fromstring(page())
    assert extraction_failure(STORY, main_text(tree), set()) is None


def test_a_short_body_with_no_link_to_the_dense_block_is_left_alone():
    """The densest <p> block of a page can be a list of other stories: a short body
    that shares nothing with it is not redone."""
    tree = lxml_html.fromstring(page())
    own = ["A two-line notice about the pier that is nowhere else on the page at all."]
    assert extraction_failure(own, main_text(tree), set()) is None


def test_the_fallback_recovers_the_story_when_the_first_body_was_the_menu():
    tree = lxml_html.fromstring(page())
    paragraphs, how = body_with_fallback(tree, None, True, list(MENU))
    assert how.startswith("fallback_")
    assert paragraphs[0].startswith("The harbour board voted")
    assert not set(MENU) & set(paragraphs)


def test_the_fallback_can_be_switched_off():
    tree = lxml_html.fromstring(page())
    paragraphs, how = body_with_fallback(tree, None, True, list(MENU), fallback=False)
    assert paragraphs == MENU and how == "fast"


def test_a_page_extracts_normally_without_the_fallback_firing():
    doc = extract_html(page(), "https://harbourtimes.example/pier", fast=True)
    assert doc["extraction"] == "fast"
    assert doc["text"].split("\n\n")[0].startswith("The harbour board voted")


def test_site_name_suffix_is_taken_off_the_title():
    doc = extract_html(page(), "https://harbourtimes.example/pier", fast=True)
    assert doc["title"] == "Old ferry pier to close for a year"


def test_site_name_matching_the_domain_is_taken_off():
    assert strip_site_name("Council approves the new budget - Daily Courier",
                           ["dailycourier.com", "dailycourier"]) == "Council approves the new budget"


def test_a_dash_inside_a_headline_stays():
    assert strip_site_name("Brexit - what happens next for fishing", ["Harbour Times"]) == \
        "Brexit - what happens next for fishing"


def test_site_name_prefix_is_taken_off():
    assert strip_site_name("Harbour Times: Old pier to close", ["Harbour Times"]) == "Old pier to close"


def test_og_title_is_preferred_over_the_html_title():
    html = page(title="Pier closure | Harbour Times", og="Old ferry pier to close for a year of repairs")
    meta = page_metadata(lxml_html.fromstring(html), None)
    assert best_title(meta, None, None, None) == "Old ferry pier to close for a year of repairs"


def test_jsonld_headline_is_preferred_and_a_cut_headline_gives_way_to_the_h1():
    ld = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": '
          '"Old ferry pier to close for a year...", "publisher": {"@type": "Organization", '
          '"name": "Harbour Times"}}</script>')
    html = page(h1="Old ferry pier to close for a year of repairs after divers find rot").replace(
        "</head>", ld + "</head>")
    meta = page_metadata(lxml_html.fromstring(html), None)
    assert "Harbour Times" in meta["sites"]
    assert best_title(meta, None, None, None) == \
        "Old ferry pier to close for a year of repairs after divers find rot"


def test_authors_lose_roles_emails_and_site_names_and_and_lists_split():
    from transforms.extract import clean_authors
    assert clean_authors(["By Jane Doe, Political Reporter"]) == ["Jane Doe"]
    assert clean_authors(["Jane Doe and John Roe"]) == ["Jane Doe", "John Roe"]
    assert clean_authors(["Ana de la Cruz & Tomás Ibáñez"]) == ["Ana de la Cruz", "Tomás Ibáñez"]
    assert clean_authors(["Jane Doe | jdoe@example.com | Harbour Times"]) == ["Jane Doe"]
    assert clean_authors(["Harbour Times", "Jane Doe"], ["Harbour Times"]) == ["Jane Doe"]
    assert clean_authors(["JANE DOE"]) == ["Jane Doe"]
    assert clean_authors(["Jane Doe Senior Reporter"]) == ["Jane Doe"]


def test_an_author_bio_taken_for_the_name_gives_the_name_only():
    """Extractors read the author box under a story ("Jane Doe covers farming and water
    policy"), split it at "and" and title-case the pieces: the name stays, the bio goes."""
    from transforms.extract import clean_authors
    assert clean_authors(["Jane Doe covers coastal farming", "Water Policy"]) == ["Jane Doe"]
    assert clean_authors(["Ana de la Cruz is a markets reporter", "ETH"]) == ["Ana de la Cruz"]
    assert clean_authors(["Jane Doe, political reporter", "John Roe"]) == ["Jane Doe", "John Roe"]
    html = page().replace("</main>", "<div class='author-box'><p><strong>Jane Doe</strong> covers "
                          "harbours and shipping for the Harbour Times from Tromsø.</p></div></main>")
    assert extract_html(html, "https://harbourtimes.example/pier")["authors"] == ["Jane Doe"]


def test_a_list_in_the_story_is_kept_as_dash_lines_and_the_repeated_headline_dropped():
    from transforms.anatomy import Catalogue, split_anatomy
    story = STORY[:3] + ["<ul><li>Ferries will leave from the fish market.</li>"
                         "<li>Season tickets stay valid.</li></ul>"] + STORY[3:]
    html = page(story=story, h1="Old ferry pier to close for a year").replace(
        "<div class='story'>", "<div class='story'><p>Old ferry pier to close for a year</p>")
    doc = extract_html(html, "https://harbourtimes.example/pier", fast=True)
    out = split_anatomy(doc["text"], title=doc["title"], catalogue=Catalogue.load(),
                        headlines=doc["title_candidates"], scrape=False)
    body = out["body"].split("\n\n")
    assert "- Ferries will leave from the fish market." in body
    assert "- Season tickets stay valid." in body
    assert body[0].startswith("The harbour board voted")


def test_a_list_of_linked_headlines_inside_the_article_is_furniture_in_html():
    from transforms.anatomy import Catalogue, split_anatomy
    related = ("<ul><li><a href='/a'>Harbour Festival Moves To August After Storm Damage</a></li>"
               "<li><a href='/b'>New Ferry Timetable Leaves Islands Without Sunday Service</a></li>"
               "<li><a href='/c'>Fish Market Traders Fear Losing Their Summer Custom</a></li></ul>")
    html = page(story=STORY[:3] + [related] + STORY[3:])
    doc = extract_html(html, "https://harbourtimes.example/pier", fast=True)
    out = split_anatomy(doc["text"], title=doc["title"], catalogue=Catalogue.load(),
                        headlines=doc["title_candidates"], scrape=False, links=doc["links"])
    assert "Harbour Festival" not in out["body"]
    assert any("Harbour Festival" in b for b in out["boilerplate"])
    assert out["body"].split("\n\n") == STORY


def chunked_page(wrapper="article", other_story=False):
    """The story in three copies of one container, with an ad rail between them."""
    chunk = ('<div class="grid two-col"><div class="body-chunk text">{}</div>'
             '<div class="rail"><p>Sponsored: Sea views from your own balcony, book a visit today.</p></div></div>')
    parts = [chunk.format("".join(f"<p>{p}</p>" for p in STORY[i:i + 2])) for i in (0, 2, 4)]
    if other_story:      # two stories on one page, each in its own <article>
        return (f"<html><body><article>{parts[0]}</article><article>{parts[1]}</article>"
                f"</body></html>")
    return f"<html><body><{wrapper} class='story'><h1>Pier closes</h1>{''.join(parts)}</{wrapper}></body></html>"


def test_a_story_split_into_repeated_chunks_is_read_in_full():
    tree = lxml_html.fromstring(chunked_page())
    paragraphs, added = continued_body(tree, STORY[:2])
    assert paragraphs == STORY and added == 2
    assert not any("Sponsored" in p for p in paragraphs)
    # the middle chunk found: the first one goes before it, the last one after
    paragraphs, added = continued_body(tree, STORY[2:4])
    assert paragraphs == STORY and added == 2


def test_a_chunk_in_another_article_is_another_story():
    tree = lxml_html.fromstring(chunked_page(other_story=True))
    assert continued_body(tree, STORY[:2]) == (STORY[:2], 0)


def test_a_next_story_in_a_sibling_container_is_not_added():
    """Infinite scroll: the next story in a container of the same class, with its own
    headline and byline, is not the rest of this one."""
    nxt = ("<div class='story'><h1>Ferry fares rise</h1><p class='byline'>By John Roe</p>"
           + "".join(f"<p>{p} (next)</p>" for p in STORY[2:]) + "</div>")
    html = ("<html><body><main><div class='story'><h1>Pier closes</h1>"
            + "".join(f"<p>{p}</p>" for p in STORY[:2]) + f"</div>{nxt}</main></body></html>")
    assert continued_body(lxml_html.fromstring(html), STORY[:2]) == (STORY[:2], 0)


def test_the_chunked_story_comes_out_of_extract_html_whole():
    doc = extract_html(chunked_page(), "https://harbourtimes.example/pier", fast=True)
    paragraphs = [p for p in doc["text"].split("\n\n") if p]
    assert all(p in paragraphs for p in STORY)


def test_subheads_the_extractor_dropped_go_back_between_their_paragraphs():
    html = ("<html><body><article><h1>Pier closes</h1><div class='story-text'>"
            f"<p>{STORY[0]}</p><p>{STORY[1]}</p><div class='sub-headline'>Who pays for the repairs?</div>"
            f"<p>{STORY[2]}</p><div class='share-tools'>Share this</div><p>{STORY[3]}</p>"
            "</div></article></body></html>")
    tree = lxml_html.fromstring(html)
    paragraphs, added = restore_subheads(tree, STORY[:4])
    assert paragraphs == STORY[:2] + ["Who pays for the repairs?"] + STORY[2:4] and added == 1


def test_free_paragraphs_of_a_paywalled_page_in_a_teaser_box_are_the_story():
    """A paywalled page puts its free paragraphs in a block classed like a teaser: the
    extractor drops it; the block right under the headline is taken instead."""
    head = "Old ferry pier to close for a year"
    paras = "".join(f"<p>{p}</p>" for p in STORY[:4])
    html = (f"<html><head><title>{head} | Harbour Times</title></head><body><nav><ul>"
            + "".join(f'<li><a href="/{m.lower()}">{m}</a></li>' for m in MENU) + "</ul></nav>"
            f"<main><section class='beitrag'><div class='kopf'><h1>{head}</h1>"
            "<p class='vorspann'>The pier shuts in May. Commuters move to the fish market.</p></div>"
            f"<div class='text text--teaser'>{paras}</div>"
            "<div class='paywall'><h3>Want to keep reading?</h3><p>With Times Plus you can read every "
            "article, from one euro in the first month, cancel any time.</p></div></section></main></body></html>")
    paywall = ["Want to keep reading?", "With Times Plus you can read every article, from one euro in the "
               "first month, cancel any time."]
    paragraphs, how = body_with_fallback(lxml_html.fromstring(html), None, True, paywall)
    assert paragraphs == STORY[:4] and how == "fallback_headline.missed"


def test_an_old_table_layout_story_set_apart_by_line_breaks_is_read_whole():
    head = "Old ferry pier to close for a year"
    text = "<br><br>\n".join(STORY[:3]) + ("<br><br><table class='photo'><tr><td>Divers at the pier.</td></tr>"
                                         "</table>") + "<br><br>\n".join(STORY[3:])
    html = (f"<html><head><title>Harbour Times :: {head}</title></head><body><table><tr>"
            "<td class='left'>" + "".join(f'<a href="/{m.lower()}">{m}</a><br>' for m in MENU) + "</td>"
            f"<td class='storycell'><h1 class='headline'>{head}</h1><div class='by'>By Ana Ruiz</div>"
            f"<div class='txt'>{text}</div></td></tr></table></body></html>")
    doc = extract_html(html, "https://harbourtimes.example/pier", fast=True)
    assert doc["text"].split("\n\n") == STORY


def test_a_site_name_in_an_h1_is_no_headline_to_fall_back_under():
    """A blog's h1 is its name (the <title> ends with it): the block under it is not the story."""
    from transforms.extract import headline_block
    html = ("<html><head><title>Pier repairs: an open thread - The Harbour Blog</title></head><body>"
            "<h1>The Harbour Blog</h1><div class='other'>" + "".join(f"<p>{p}</p>" for p in STORY) +
            "</div></body></html>")
    assert headline_block(lxml_html.fromstring(html)) == []
