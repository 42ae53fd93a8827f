"""HTML -> text, metadata, figures (captions with credits) and furniture."""
from __future__ import annotations

import pytest

from transforms.anatomy import Catalogue, split_anatomy
from transforms.extract import extract_html

BODY = [
    "HARBOURTON — The old mill on River Road burned down on Tuesday night after a fire that "
    "started in the boiler room spread to the roof within minutes, the fire service said.",
    "Residents watched from the hill as the roof collapsed, and the fire service said no one had "
    "been hurt in the blaze, which could be seen from the next valley.",
    "Officials said an investigation into the cause would start once the site had cooled down, "
    "which could take several days because of the amount of timber inside.",
    "The mill, built in 1887, had been empty since the last spinning company left in 2009, and "
    "the council had been looking for a buyer to turn it into flats.",
]


def page(middle: str = "", *, figure: str = "", after: str = "") -> str:
    paras = "".join(f"<p>{p}</p>" for p in BODY[:2]) + middle + "".join(f"<p>{p}</p>" for p in BODY[2:])
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Old mill burns down in Harbourton | Harbour Times</title>
<meta property="og:title" content="Old mill burns down in Harbourton">
<meta name="author" content="Jane Doe"></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<main><article><h1>Old mill burns down in Harbourton</h1>
<p class="byline">By Jane Doe</p>{figure}
<div class="article-body">{paras}{after}</div></article></main>
<footer>Copyright Harbour Times</footer></body></html>"""


@pytest.fixture(scope="module")
def catalogue():
    return Catalogue.load()


def test_an_article_page_gives_title_authors_and_paragraphs():
    doc = extract_html(page(), "https://harbourtimes.example/news/mill-fire")
    assert doc["title"] == "Old mill burns down in Harbourton"
    assert doc["authors"] == ["Jane Doe"]
    assert BODY[0] in doc["text"].split("\n\n") and BODY[-1] in doc["text"].split("\n\n")


def test_a_page_without_a_body_gives_none():
    assert extract_html("<html><body></body></html>") is None
    assert extract_html("") is None


def test_fast_mode_keeps_the_signature():
    doc = extract_html(page(), None, fast=True)
    assert doc is not None and set(doc) >= {"title", "authors", "date", "sitename", "language", "text",
                                           "figures", "furniture"}


def test_a_figcaption_becomes_a_figure_with_its_credit():
    fig = ('<figure><img src="a.jpg" alt="mill"><figcaption>Firefighters at the mill on Tuesday. '
           '<span class="credit">Photo: John Roe/Harbour Times</span></figcaption></figure>')
    doc = extract_html(page(figure=fig))
    assert doc["figures"] == [{"text": "Firefighters at the mill on Tuesday.", "credit": "John Roe/Harbour Times"}]


def test_a_credit_next_to_the_figcaption_in_the_figure_is_its_credit():
    fig = ('<figure><img src="a.jpg"><figcaption>Firefighters at the mill on Tuesday.</figcaption>'
           '<small class="photo-credit">John Roe/Harbour Times</small></figure>')
    assert extract_html(page(figure=fig))["figures"] == [
        {"text": "Firefighters at the mill on Tuesday.", "credit": "John Roe/Harbour Times"}]


def test_a_caption_class_outside_a_figure_is_a_caption():
    block = ('<div class="wp-caption"><img src="b.jpg"><p class="wp-caption-text">'
             'The roof collapsed just after midnight.</p></div>')
    doc = extract_html(page(middle=block))
    assert {"text": "The roof collapsed just after midnight.", "credit": None} in doc["figures"]


def test_a_line_repeating_an_image_alt_text_is_its_caption():
    block = ('<div><img src="c.jpg" alt="The burned-out spinning hall seen from the river">'
             '<span class="small gray">The burned-out spinning hall seen from the river</span></div>')
    doc = extract_html(page(middle=block))
    assert {"text": "The burned-out spinning hall seen from the river", "credit": None} in doc["figures"]


def test_pictures_in_related_story_boxes_are_not_captions():
    aside = ('<div class="related-stories"><figure><img src="d.jpg"><figcaption>Council approves '
             'new budget for the harbour</figcaption></figure></div>')
    assert extract_html(page(after=aside))["figures"] == []


def test_furniture_is_reported_whether_or_not_trafilatura_kept_it(catalogue):
    middle = ('<div class="ad"><span>Advertisement</span></div>'
              '<p class="readmore">Read more: <a href="/x">Council approves new harbour budget</a></p>')
    after = ('<div class="newsletter"><p>Sign up for our newsletter</p></div>'
             '<div class="share"><span>Share this article</span></div>')
    doc = extract_html(page(middle=middle, after=after))
    out = split_anatomy(doc["text"], title=doc["title"], authors=doc["authors"], figures=doc["figures"],
                        catalogue=catalogue)
    removed = doc["furniture"] + out["boilerplate"]
    for line in ("Advertisement", "Read more: Council approves new harbour budget",
                 "Sign up for our newsletter", "Share this article"):
        assert removed.count(line) == 1, line
        assert line not in out["body"]


def test_furniture_lists_only_lines_that_are_not_in_the_text():
    after = ('<div class="newsletter"><p>Sign up for our newsletter</p></div>'
             '<div class="share"><span>Share this article</span></div>')
    doc = extract_html(page(after=after))
    assert not any(f in doc["text"].split("\n\n") for f in doc["furniture"])


def test_page_through_anatomy_leaves_only_the_article_in_the_body(catalogue):
    fig = ('<figure><img src="a.jpg"><figcaption>Firefighters at the mill on Tuesday. '
           '(AP Photo/John Roe)</figcaption></figure>')
    middle = "<p>Recommended Videos</p><p>Advertisement</p><p>Story continues below</p>"
    doc = extract_html(page(middle=middle, figure=fig))
    out = split_anatomy(doc["text"], title=doc["title"], authors=doc["authors"], figures=doc["figures"],
                        catalogue=catalogue)
    body = BODY.copy()
    body[0] = body[0].removeprefix("HARBOURTON — ")
    assert out["body"].split("\n\n") == body
    assert out["dateline"] == "HARBOURTON"
    assert out["captions"] == [{"text": "Firefighters at the mill on Tuesday.", "credit": "AP Photo/John Roe"}]
    assert {"Recommended Videos", "Advertisement", "Story continues below"} <= set(
        out["boilerplate"] + doc["furniture"])


def test_a_furniture_word_inside_a_body_sentence_stays(catalogue):
    sentence = ("Share prices of the mill's former owner fell after the fire, and an Advertisement "
                "for the site was withdrawn, the agent said on Wednesday.")
    doc = extract_html(page(middle=f"<p>{sentence}</p>"))
    out = split_anatomy(doc["text"], title=doc["title"], authors=doc["authors"], figures=doc["figures"],
                        catalogue=catalogue)
    assert sentence in out["body"].split("\n\n")
    assert sentence not in doc["furniture"]


@pytest.mark.parametrize("html", ["<html>", "<<<>>>", "\x00\x01", "<p>" * 5000, "<html><body><figure>"
                                  "<figcaption></figcaption></figure></body></html>"])
def test_broken_pages_do_not_raise(html):
    doc = extract_html(html)
    assert doc is None or isinstance(doc["text"], str)


def test_a_byline_span_inside_a_figcaption_is_its_credit():
    fig = ('<figure><img src="a.jpg" alt="mill"><figcaption class="caption"><span class="caption-text">'
           'Firefighters at the mill on Tuesday.</span> <span class="byline">John Roe, The Harbour Times'
           '</span></figcaption></figure>')
    doc = extract_html(page(figure=fig))
    assert doc["figures"] == [{"text": "Firefighters at the mill on Tuesday.",
                               "credit": "John Roe, The Harbour Times"}]


def test_the_page_byline_completes_metadata_that_names_only_the_first_author():
    html = page().replace('<p class="byline">By Jane Doe</p>',
                          '<p class="article-byline">By <a href="/a">Jane Doe</a> and <a href="/b">John Roe</a></p>')
    assert extract_html(html)["authors"] == ["Jane Doe", "John Roe"]


def test_a_byline_naming_other_people_does_not_replace_the_metadata():
    html = page().replace('<p class="byline">By Jane Doe</p>',
                          '<p class="byline">By Ann Lee and John Roe</p>')
    assert extract_html(html)["authors"] == ["Jane Doe"]


# ---------------------------------------------------------------- widgets the DOM marks

def _paras_of(doc):
    return doc["text"].split("\n\n")


def test_a_figcaption_credit_after_a_line_break_is_split_off():
    fig = ('<figure><img src="a.jpg"><figcaption>Firefighters at the mill on Tuesday.<br>'
           'Photo: John Roe/Harbour Times</figcaption></figure>')
    assert extract_html(page(figure=fig))["figures"] == [
        {"text": "Firefighters at the mill on Tuesday.", "credit": "John Roe/Harbour Times"}]


def test_a_second_caption_line_that_is_a_sentence_is_not_a_credit():
    fig = ('<figure><img src="a.jpg"><figcaption>Firefighters at the mill on Tuesday.<br>'
           'The roof fell in an hour later.</figcaption></figure>')
    assert extract_html(page(figure=fig))["figures"][0]["credit"] is None


def test_a_sign_up_box_with_a_form_field_leaves_the_body():
    box = ('<div class="box-7"><p>The Morning Mill</p><p>Five stories from the valley before breakfast, '
           'every weekday.</p><input type="email" placeholder="you@example.com"><button>Go</button></div>')
    doc = extract_html(page(middle=box))
    assert not any("before breakfast" in p or p == "The Morning Mill" for p in _paras_of(doc))
    assert BODY[1] in _paras_of(doc) and BODY[2] in _paras_of(doc)
    assert any("before breakfast" in f for f in doc["furniture"])


def test_a_box_with_a_call_to_act_button_leaves_the_body():
    """No form field, only a button: "Sign up" under a newsletter's name and pitch."""
    box = ('<div class="box-9"><h3>The Morning Mill</h3><p>Five stories from the valley before breakfast, '
           'every weekday.</p><button>Sign up</button></div>')
    doc = extract_html(page(after=box))
    assert not any("before breakfast" in p or p == "The Morning Mill" for p in _paras_of(doc))
    assert all(b in _paras_of(doc) for b in BODY)


@pytest.mark.parametrize("box", [
    '<div class="rel-about"><h4>About the League</h4><p>The Harbour League is a semi-professional '
    'competition for island clubs.</p></div>',
    '<div class="callout callout--consult"><h3>Have your say</h3><p>Consultation on the mooring '
    'rules closes on 20 November.</p><a class="btn" href="/say">Make a submission</a></div>',
    '<div class="dw-contact"><h4>Media Contact</h4><p>Jane Doe</p><p>Harbour University</p>'
    '<p>Office: 61-8-5550-1234</p></div>',
])
def test_about_callout_and_contact_boxes_leave_the_body(box):
    doc = extract_html(page(after=box))
    assert all(b in _paras_of(doc) for b in BODY)
    assert not any(w in p for p in _paras_of(doc) for w in ("semi-professional", "Consultation", "Office:"))


def test_an_embedded_tweet_leaves_the_body():
    tweet = ('<blockquote class="twitter-tweet"><p>Crews are still at the mill on River Road. Avoid the area. '
             '<a href="#">pic.twitter.com/Ab12Cd</a></p>&mdash; Harbour Fire (@harbourfire) '
             '<a href="#">March 3, 2025</a></blockquote>')
    doc = extract_html(page(middle=tweet))
    assert not any("Avoid the area" in p for p in _paras_of(doc))


@pytest.mark.parametrize("post", [
    # a social post under its own class name, and one with no telling class: "— Name (@handle) date"
    '<blockquote class="x-post"><p lang="pt">Obrigado a todos os bombeiros, a casa está de pé</p>'
    '&mdash; Casa da Serra (@casadaserra) <a href="#">August 27, 2026</a></blockquote>',
    '<blockquote><p>Crews are still at the mill on River Road, stay away from there tonight</p>'
    '&mdash; Harbour Fire Service (@harbourfire) <a href="#">March 3, 2025</a></blockquote>',
])
def test_a_pasted_social_post_leaves_the_body(post):
    doc = extract_html(page(middle=post))
    assert not any("bombeiros" in p or "stay away" in p for p in _paras_of(doc))
    assert all(b in _paras_of(doc) for b in BODY)


def test_a_partner_box_with_its_call_to_act_leaves_the_body():
    box = ('<div class="kv-partner"><span>ADVERTORIAL</span><p>Buffer tanks built to last: Quay Tanks '
           'delivers and installs in six weeks.</p><a href="https://quay.example/?utm_source=x">Request a quote</a></div>')
    doc = extract_html(page(middle=box))
    assert not any("Buffer tanks" in p or "Request a quote" in p for p in _paras_of(doc))
    assert all(b in _paras_of(doc) for b in BODY)


@pytest.mark.parametrize("box", [
    '<div class="bp-fx-box"><div class="bp-fx-box__head">Today\'s rates</div><ul class="bp-fx-box__list">'
    '<li>USD 16,212</li><li>AUD 10,684</li></ul></div>',
    '<div class="alert-box alert-box--red"><p><strong>ROAD CLOSED</strong></p><p>Grid Road 7 is closed until '
    'further notice. Detour via Range Road 30.</p></div>',
    '<div class="hb-weather"><p class="hb-weather__title">Harbour weather today</p><p>Sunny, high 30°C</p></div>',
    '<div class="wrc-poll"><p class="wrc-poll__label">Today\'s poll</p><p>Should the town buy more motels?</p></div>',
])
def test_boxes_beside_the_story_leave_the_body(box):
    doc = extract_html(page(middle=box))
    assert not any(w in p for p in _paras_of(doc) for w in ("16,212", "ROAD CLOSED", "Sunny, high", "motels"))
    assert all(b in _paras_of(doc) for b in BODY)


def test_a_box_holding_a_story_length_paragraph_stays():
    story = ("The council said the new ferry terminal would open in March after three years of delays, and that "
             "fares would not rise before the end of next year, the mayor told reporters on Monday.")
    doc = extract_html(page(middle=f'<div class="story-box"><p>{story}</p></div>'))
    assert story in _paras_of(doc)


@pytest.mark.parametrize("box", [
    # named in the publisher's language, a title of its own, then its items
    '<div class="embebido-relacionadas"><h4 class="embebido-relacionadas__tit">También en Harbour</h4>'
    '<ul><li><a href="/a">Salmon prices fall again</a></li><li><a href="/b">New quay for Castro</a></li></ul></div>',
    '<div class="tgn-escala"><h3>Vessel line-up</h3><table><tr><th>Vessel</th><th>ETA</th></tr>'
    '<tr><td>MV Harbour Star</td><td>12 Aug</td></tr></table><p>Times are estimates and may change.</p></div>',
    '<div class="ficha-autor"><img src="a.jpg" alt=""><div class="ficha-autor__txt"><p class="ficha-autor__nombre">'
    'Tomás Rehbein</p><p>Covers ports from Puerto Montt.</p></div></div>',
])
def test_a_box_with_a_title_of_its_own_leaves_the_body_whatever_its_class(box):
    doc = extract_html(page(middle=box))
    assert not any(w in p for p in _paras_of(doc) for w in ("También", "Harbour Star", "Covers ports"))
    assert all(b in _paras_of(doc) for b in BODY)


def test_a_recipe_card_and_a_stats_table_with_titles_stay():
    card = ('<div class="recipe-card"><h2>Spiced Pear Jam</h2><div class="recipe-part"><h3>Ingredients</h3><ul>'
            '<li>8 ripe pears</li><li>1 lemon</li></ul></div><div class="recipe-part"><h3>Instructions</h3><ol>'
            '<li>Fill the canner with water.</li><li>Core and cube the pears.</li></ol></div></div>')
    doc = extract_html(page(after=card))
    assert any("Core and cube the pears" in p for p in _paras_of(doc))
    stats = ('<div class="unit-stats"><h3>Defensive line</h3><table><tr><th>Player</th><th>Snaps</th></tr>'
             '<tr><td>Jane Roe</td><td>63</td></tr><tr><td>Joan Doe</td><td>57</td></tr></table></div>')
    doc = extract_html(page(after=stats))
    assert any("Jane Roe" in p for p in _paras_of(doc))


def test_a_market_table_leaves_the_body_and_a_table_of_the_story_stays():
    market = ('<table><tr><th>Index</th><th>Last</th><th>Change</th></tr>'
              '<tr><td>Harbour 50</td><td>1,204.5</td><td>+0.42%</td></tr>'
              '<tr><td>Valley Mills</td><td>18.20</td><td>-2.10%</td></tr></table>')
    doc = extract_html(page(after=market))
    assert not any("Harbour 50" in p for p in _paras_of(doc))
    results = ('<table><tr><th>Ward</th><th>Votes</th></tr><tr><td>North</td><td>1,204</td></tr>'
               '<tr><td>South</td><td>980</td></tr></table>')
    doc = extract_html(page(after=results))
    assert any("North" in p and "1,204" in p for p in _paras_of(doc))


def test_a_widget_class_in_a_sidebar_does_not_remove_the_same_text_from_the_story():
    html = page().replace("</main>", f'</main><aside class="share-promo"><p>{BODY[1]}</p></aside>')
    assert BODY[1] in _paras_of(extract_html(html))


@pytest.mark.parametrize("inner, credit", [
    ("Firefighters at the mill on Tuesday. <small>Image source, John Roe for Harbour Times</small>",
     "John Roe for Harbour Times"),
    ("Firefighters at the mill on Tuesday. <em>Photo: John Roe</em>", "John Roe"),
    ("Firefighters at the mill on Tuesday. © John Roe, Harbour Times", "© John Roe, Harbour Times"),
    ("Firefighters at the mill on Tuesday. Image source, Valley Agency", "Valley Agency"),
])
def test_a_credit_written_at_the_end_of_a_figcaption_is_split_off(inner, credit):
    fig = f'<figure><img src="a.jpg"><figcaption>{inner}</figcaption></figure>'
    assert extract_html(page(figure=fig))["figures"] == [
        {"text": "Firefighters at the mill on Tuesday.", "credit": credit}]


@pytest.mark.parametrize("element, credit", [
    ('<span class="credit">© John Roe</span>', "John Roe"),
    ('<span class="photo-credit">Photo courtesy Harbour Water</span>', "Harbour Water"),
    ('<span class="credit">Courtesy of the Harbour Museum</span>', "Courtesy of the Harbour Museum"),
    ('<small>© Harbour Trust / John Roe</small>', "Harbour Trust / John Roe"),
])
def test_a_credit_element_loses_its_mark_but_a_courtesy_phrase_stays_whole(element, credit):
    fig = f'<figure><img src="a.jpg"><figcaption>Firefighters at the mill on Tuesday. {element}</figcaption></figure>'
    assert extract_html(page(figure=fig))["figures"] == [
        {"text": "Firefighters at the mill on Tuesday.", "credit": credit}]


def test_a_plural_credit_label_in_a_figure_without_a_caption_is_dropped():
    fig = '<figure><img src="a.jpg" alt=""><span class="credit">Image Credits: Harbour Robotics</span></figure>'
    assert extract_html(page(figure=fig))["figures"] == [{"text": "", "credit": "Harbour Robotics"}]


def test_a_credit_label_in_brackets_is_not_part_of_the_credit(catalogue):
    fig = ('<figure><img src="a.jpg"><figcaption>Firefighters at the mill on Tuesday. '
           '(Photo: Harbour Times / John Roe)</figcaption></figure>')
    doc = extract_html(page(figure=fig))
    out = split_anatomy(doc["text"], title=doc["title"], figures=doc["figures"], catalogue=catalogue,
                        scrape=False)
    assert out["captions"] == [{"text": "Firefighters at the mill on Tuesday.",
                                "credit": "Harbour Times / John Roe"}]


def test_a_market_table_leaves_the_body_with_its_title_and_source_note():
    box = ('<div class="data-box"><h4>Harbour fish prices (per kg)</h4><table>'
           '<tr><th>Fish</th><th>This week</th><th>Change</th></tr>'
           '<tr><td>Cod</td><td>4.20</td><td>+3.1%</td></tr>'
           '<tr><td>Herring</td><td>1.10</td><td>-0.8%</td></tr></table>'
           '<p class="note">Source: Harbour auction house. Prices are indicative only.</p></div>')
    paras = _paras_of(extract_html(page(after=box)))
    assert not any("Cod" in p or "fish prices" in p or "auction house" in p for p in paras)
    assert BODY[3] in paras


def test_an_affiliate_note_marked_in_the_markup_leaves_the_body():
    note = '<p class="site-affiliate-note">Harbour Times may earn a commission from ticket links on this page.</p>'
    paras = _paras_of(extract_html(page(middle=note)))
    assert not any("commission" in p for p in paras) and BODY[2] in paras


def test_a_labelled_credit_in_a_figure_without_a_caption_is_a_standalone_credit(catalogue):
    fig = '<figure><img src="a.jpg" alt=""><span>Photo: John Roe/Harbour Times</span></figure>'
    doc = extract_html(page(figure=fig))
    assert doc["figures"] == [{"text": "", "credit": "John Roe/Harbour Times"}]
    out = split_anatomy(doc["text"], title=doc["title"], figures=doc["figures"], catalogue=catalogue,
                        scrape=False)
    assert out["credits"] == ["John Roe/Harbour Times"] and "Photo:" not in out["body"]


@pytest.mark.parametrize("meta, authors", [
    ("Por Lucía Fernández", ["Lucía Fernández"]),
    ("Von Katrin Vogel", ["Katrin Vogel"]),
    ("Story by Mina Okafor", ["Mina Okafor"]),
])
def test_page_authors_in_other_byline_forms(meta, authors):
    html = page().replace('<meta name="author" content="Jane Doe">', f'<meta name="author" content="{meta}">') \
        .replace('<p class="byline">By Jane Doe</p>', "")
    assert extract_html(html, "https://harbourtimes.example/news/mill-fire")["authors"] == authors


def test_a_reviewer_or_editor_is_not_an_author():
    from transforms.extract import clean_authors
    assert clean_authors(["Medically reviewed by Dr Olu Mensah", "By Jane Doe"]) == ["Jane Doe"]
    assert clean_authors(["Edited by Carla Brandt"]) == []
    assert clean_authors(["Photographs by Ken Obi", "Jane Doe"]) == ["Jane Doe"]
    assert clean_authors(["Von Miller"]) == ["Von Miller"]        # a first name, not the German "by"


@pytest.mark.parametrize("inner, credit", [
    ("Firefighters at the mill on Tuesday. Photograph © Harbour Times / John Roe", "Harbour Times / John Roe"),
    ("Firefighters at the mill on Tuesday. Image courtesy of Harbour Fire Service", "Harbour Fire Service"),
    ("Firefighters at the mill on Tuesday. / John Roe, The Harbour Times", "John Roe, The Harbour Times"),
])
def test_a_credit_lead_in_phrase_in_a_figcaption_gives_the_credit(catalogue, inner, credit):
    fig = f'<figure><img src="a.jpg"><figcaption>{inner}</figcaption></figure>'
    doc = extract_html(page(figure=fig))
    out = split_anatomy(doc["text"], title=doc["title"], figures=doc["figures"], catalogue=catalogue,
                        scrape=False)
    assert out["captions"] == [{"text": "Firefighters at the mill on Tuesday.", "credit": credit}]


def test_a_job_title_after_a_comma_in_the_page_author_is_not_a_second_author():
    from transforms.extract import clean_authors
    assert clean_authors(["By Rhodri ap Gwyn, Local Democracy Reporter"]) == ["Rhodri ap Gwyn"]


def test_a_licensing_link_inside_a_figcaption_is_not_part_of_the_credit(catalogue):
    fig = ('<figure><img src="a.jpg"><figcaption><span>Firefighters at the mill on Tuesday. '
           'Harbour Wire/John Roe</span> <a href="/licensing">Purchase Licensing Rights</a></figcaption></figure>')
    doc = extract_html(page(figure=fig))
    out = split_anatomy(doc["text"], title=doc["title"], figures=doc["figures"], catalogue=catalogue,
                        scrape=False)
    assert out["captions"] == [{"text": "Firefighters at the mill on Tuesday.", "credit": "Harbour Wire/John Roe"}]


@pytest.mark.parametrize("element, credit", [
    ('<span class="credit">[Photo: John Roe]</span>', "John Roe"),
    ('<span class="credit">Photo by John Roe /The Harbour Times</span>', "John Roe /The Harbour Times"),
])
def test_a_credit_element_in_square_brackets_or_photo_by_loses_its_mark(element, credit):
    fig = f'<figure><img src="a.jpg"><figcaption>Firefighters at the mill on Tuesday. {element}</figcaption></figure>'
    assert extract_html(page(figure=fig))["figures"] == [
        {"text": "Firefighters at the mill on Tuesday.", "credit": credit}]


def test_the_outlets_reporters_before_the_names_are_not_an_author():
    from transforms.extract import clean_authors
    assert clean_authors(["By Harbour Times reporters Jane Doe and John Roe"]) == ["Jane Doe", "John Roe"]


def test_a_social_title_cut_at_a_word_gives_way_to_the_h1():
    from transforms.extract import best_title
    meta = {"og_title": "Ferry to stop at night for six weeks",
            "h1": "Ferry to stop at night for six weeks as the pier is rebuilt"}
    assert best_title(meta, None, None, None) == "Ferry to stop at night for six weeks as the pier is rebuilt"


@pytest.mark.parametrize("social, h1, best", [
    ("Fog nets bring drinking water to the coast", "Fog nets built by students bring drinking water to the coast",
     "h1"),                                                   # words left out in the middle
    ("[TV9] Harbour buses run all night", "Harbour buses run all night from Monday", "h1"),   # a channel's tag
    ("Harbour buses run all night", "Night buses: what changes for you", "h1"),   # the page's own wording
    ("Harbour buses run all night", "Council approves new budget for libraries", "social"),  # another story
    ("Harbour buses run all night", "Harbour Bay Transit Authority", "social"),             # a site's h1
])
def test_a_social_title_with_words_left_out_gives_way_to_the_h1(social, h1, best):
    from transforms.extract import best_title
    assert best_title({"og_title": social, "h1": h1}, None, None, None) == (h1 if best == "h1" else social)


def test_the_pages_byline_element_names_the_writer_when_the_metadata_does_not():
    html = page().replace('<p class="byline">By Jane Doe</p>',
                          '<div class="post-by"><span>John Roe – Senior Correspondent</span> '
                          '<span class="ago">3 hours ago</span></div>')
    html = html.replace('"author"', '"x-author"').replace('name="author"', 'name="x-author"')
    assert extract_html(html)["authors"] == ["John Roe"]


@pytest.mark.parametrize("block", [
    # an old table layout: the caption cell named in the site's language, the credit in a <font>
    '<table class="foto"><tr><td><img src="a.jpg"></td></tr><tr><td class="foto_text">Firefighters at the '
    'mill on Tuesday. <font color="#888">Foto: John Roe/Harbour Times</font></td></tr></table>',
    # class="cap", the credit in brackets after a line break
    '<table class="photo"><tr><td><img src="a.jpg"></td></tr><tr><td class="cap">Firefighters at the mill '
    'on Tuesday.<br><i>(Photo: John Roe/Harbour Times)</i></td></tr></table>',
    '<div class="bildunterschrift">Firefighters at the mill on Tuesday. <span>Foto: John Roe/Harbour Times'
    '</span></div>',
])
def test_a_caption_named_in_another_language_or_an_old_layout_gives_its_credit(block):
    assert {"text": "Firefighters at the mill on Tuesday.", "credit": "John Roe/Harbour Times"} \
        in extract_html(page(middle=block))["figures"]


@pytest.mark.parametrize("header,author", [
    ('<ul class="gisa-info"><li>고민서 기자 / Reporter Ko Min-seo</li><li>입력 2026.11.03 14:20</li></ul>', "Ko Min-seo"),
    ('<div class="c-mt"><div class="c-mt__a">記者 林怡君 / Reporter: Lin Yi-chun</div>'
     '<div class="c-mt__a">攝影 / Camera: Wang Chih-hao</div></div>', "Lin Yi-chun"),
    ('<table><tr><td class="info">Autor: Ionela Bârsan-Tcaciuc · Traducere / English version: Mihai Lazăr'
     '<br>Joi, 22 octombrie 2026</td></tr></table>', "Ionela Bârsan-Tcaciuc"),
    ('<div class="nota-autor">Por / By: Valentina Sosa Ferreira – Comunicación CCUN</div>', "Valentina Sosa Ferreira"),
])
def test_the_byline_under_the_headline_names_the_author_without_a_telling_class(header, author):
    html = page().replace('<meta name="author" content="Jane Doe">', "").replace(
        '<p class="byline">By Jane Doe</p>', header)
    assert extract_html(html)["authors"] == [author]


@pytest.mark.parametrize("block,credit", [
    ('<div class="sajin"><img src="a.jpg"><p class="sajin-txt">Firefighters at the mill on Tuesday. '
     '<span class="sajin-cr">사진 / Photo: John Roe</span></p></div>', "John Roe"),
    ('<div class="c-fg"><div class="c-fg__m"><img src="a.jpg"></div><div class="c-fc">Firefighters at the mill '
     'on Tuesday. <span class="c-cr">畫面 / Footage: Harbour TV</span></div></div>', "Harbour TV"),
    ('<figure><img src="a.jpg"><figcaption>Firefighters at the mill on Tuesday. HT photo by John Roe'
     '</figcaption></figure>', "John Roe"),
])
def test_a_caption_after_its_image_ending_in_a_labelled_credit_whatever_its_class(block, credit):
    assert {"text": "Firefighters at the mill on Tuesday.", "credit": credit} \
        in extract_html(page(middle=block))["figures"]


def test_paragraphs_between_double_breaks_in_a_div_become_paragraphs():
    from lxml import html as lxml_html

    from transforms.extract import br_paragraphs
    tree = lxml_html.fromstring(
        "<div><div class='body'><strong>PORTVALE:</strong> The lead paragraph.<br><br>The second, with a"
        "<br>line break.<br><br><br><em>Third</em> paragraph.</div><div class='box'><p>Left alone</p>"
        "<br><br>tail</div></div>")
    assert br_paragraphs(tree) == 1
    body = tree.find_class("body")[0]
    assert [p.text_content() for p in body] == ["PORTVALE: The lead paragraph.", "The second, with aline break.",
                                                "Third paragraph."]
    assert body[1].find("br") is not None                    # a single break stays inside its paragraph
    assert tree.find_class("box")[0][0].tag == "p"           # a div with block children is not touched


_CELL = '<tr><td style="padding:0 28px 14px;font-family:Georgia,serif;">{}</td></tr>'


def newsletter_view(rows: list[str]) -> str:
    """An e-mail newsletter's web view: the story laid out in one-cell table rows."""
    return ("<html><head><title>The Harbour Ledger – Issue 12</title></head><body>"
            "<table role='presentation' width='600' cellpadding='0' cellspacing='0'>"
            "<tr><td style='background:#123'><a href='/'>THE HARBOUR LEDGER</a><div>Weekly port business</div></td></tr>"
            "<tr><td><h1>Dock levy cut for small fishing boats from January</h1></td></tr>"
            + "".join(_CELL.format(r) for r in rows) + "</table></body></html>")


def test_a_story_laid_out_in_a_layout_table_comes_out_as_paragraphs_with_its_list():
    story = ["Owners of fishing boats under twelve metres will pay half the dock levy from January, the port board "
             "decided at its meeting on Tuesday evening after a long debate.",
             "The board said the cut would cost it about £40,000 a year, which it will make up from cruise fees.",
             "<b>What owners need to do</b>",
             "<ul><li>Register the boat with the harbour office</li><li>Show a valid fishing licence</li></ul>",
             "Skippers who fish from the inner harbour welcomed the decision but asked for more berths.",
             "The new levy will be reviewed after one year, the board's chair told members of the public."]
    body = extract_html(newsletter_view(story))["text"].split("\n\n")
    assert "|" not in " ".join(body)
    assert body[body.index("The board said the cut would cost it about £40,000 a year, which it will make up "
                           "from cruise fees.") + 1:][:3] == [
        "What owners need to do", "- Register the boat with the harbour office", "- Show a valid fishing licence"]
    assert body[-1].startswith("The new levy will be reviewed")


def test_a_data_table_of_the_story_stays_a_table():
    from lxml import html as lxml_html

    from transforms.extract import layout_tables
    tree = lxml_html.fromstring(
        "<div><table><tr><th>Port</th><th>Levy</th></tr><tr><td>Inner</td><td>£12</td></tr>"
        "<tr><td>Outer</td><td>£9</td></tr></table></div>")
    assert layout_tables(tree) == 0 and tree.find(".//table") is not None
