"""Placeholders in the clerk's prose, rendered the way prose writes numbers."""

from cchc_desktop.core.engine import validator_for
from cchc_desktop.core.narrative import render, unresolved


def test_render_writes_prose_numbers(catalog):
    state = validator_for(catalog).state({"bm1.5.5": "2", "bm3.3.1": "1962", "bm6.1.2": "1005,8", "bm6.1.1": "1029,7",
                                          "bm3.3.2.1": "1886", "bm3.3.2": "1886"})
    text = "{bm1.5.5} nhiệm vụ; {bm3.3.1} hồ sơ; {bm6.1.2} triệu đồng; {bm6.1}%; đúng hạn {bm3.3.5}%; {bm3.3.7}; {bm9.9}"
    assert render(text, state) == "02 nhiệm vụ; 1.962 hồ sơ; 1.005,8 triệu đồng; 97,68%; đúng hạn 100%; …; {bm9.9}"
    assert unresolved(text, state) == ["bm3.3.7", "bm9.9"]


def test_a_percentage_prints_its_sign_once(catalog):
    """Issue 10 §5: "{bm3.3.5}" printed "99,05" without "%"; "{bm3.3.5}%" (drafts, the sample,
    clerks' own text) must not become "99,05%%"; a blank percentage stays "…"."""
    state = validator_for(catalog).state({"bm3.3.2.1": "1886", "bm3.3.2": "1904", "bm6.1.2": "1005,8",
                                          "bm6.1.1": "1029,7"})
    assert render("đạt {bm3.3.5}.", state) == "đạt 99,05%."
    assert render("đạt {bm3.3.5}%.", state) == "đạt 99,05%."
    assert render("{bm6.1} và {bm6.1}%", state) == "97,68% và 97,68%"
    assert render("trực tuyến {bm3.3.6}", state) == "trực tuyến …"
    assert render("trực tuyến {bm3.3.6}%", state) == "trực tuyến …%"
    assert render("{bm9.9}%", state) == "{bm9.9}%"
    assert render("số {bm3.3.2}", state) == "số 1.904"
