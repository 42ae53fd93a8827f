"""Kinds of names on publishers nobody wrote rules for (issue #12): facilities by their
head word (OntoNotes FAC), water and land forms (LOC), places after place cues, and
the names that must keep their label (precision).  Sentences written for the test."""
from __future__ import annotations

import pytest

from tests.conftest import labels


@pytest.mark.parametrize("text, name, label", [
    ("Passengers queued at the Marrow Point Ferry Terminal before dawn.", "Marrow Point Ferry Terminal", "FAC"),
    ("The concert moved to the Okonjo Community Centre after the storm.", "Okonjo Community Centre", "FAC"),
    ("A freighter waited for hours at the Vessel Lock before entering the river.", "Vessel Lock", "FAC"),
    ("Trains to Kisumu leave from Nairobi Central Station every morning.", "Nairobi Central Station", "FAC"),
    ("Oil drifted into Kettle Cove Harbour on Tuesday, the coastguard said.", "Kettle Cove Harbour", "LOC"),
    ("Snow closed passes across the Tarn Range overnight.", "Tarn Range", "LOC"),
    ("Officials in the South Moravian Region approved the budget.", "South Moravian Region", "GPE"),
])
def test_a_head_word_names_a_facility_a_land_form_or_a_region(tagger, text, name, label):
    assert labels(tagger, text).get(name) == label


@pytest.mark.parametrize("text, name, label", [
    ("The Pew Research Center published the survey on Monday.", "Pew Research Center", "ORG"),
    ("The Los Angeles Lakers beat the Boston Celtics 110-102.", "Los Angeles Lakers", "ORG"),
    ("Doctors at the Baylor Medical Center treated the patients.", "Baylor Medical Center", "ORG"),
    ("The mural, Hands of the Harbor, was painted in 1998 by local students.", "Hands of the Harbor", "WORK_OF_ART"),
])
def test_names_that_keep_their_label(tagger, text, name, label):
    got = labels(tagger, text).get(name)
    assert got is None or got == label


@pytest.mark.parametrize("text, name, label", [
    ("The token was issued by Bermuda-based Kestrel Labs last year.", "Bermuda", "GPE"),
    ("Kestrel Labs said the token would recover.", "Kestrel Labs", "ORG"),
    ("Sensors were installed along the Svratka to warn of floods.", "Svratka", "LOC"),
    ("The line was paid for by the department of Antioquia and the city.", "Antioquia", "GPE"),
    ("Ships sail daily between Vlissingen and Antwerp.", "Vlissingen", "GPE"),
    ("A teacher who travelled from Puebla said the codex moved her.", "Puebla", "GPE"),
])
def test_place_cues_make_a_listed_town_or_a_river_a_place(tagger, text, name, label):
    assert labels(tagger, text).get(name) == label


def test_a_person_pattern_ending_in_an_organisation_word_is_that_organisation(tagger):
    got = labels(tagger, "The Kwame Brass Collective, the ten-piece band from Kumasi, opens the tour.")
    assert got.get("Kwame Brass Collective") == "ORG"


@pytest.mark.parametrize("text, name", [
    ("\"The queue never moves,\" said Chidinma Okafor-Bello, a trader who sells fabric.", "Chidinma Okafor-Bello"),
    ("The fare rose again, said Ama Mensah-Owusu, a commuter from the east.", "Ama Mensah-Owusu"),
])
def test_a_double_barrelled_name_with_a_local_role_is_a_person(tagger, text, name):
    assert labels(tagger, text).get(name) == "PERSON"
