from models.core.drafts import clear_draft, load_draft, save_draft


def test_one_draft_per_person_and_form(db):
    assert load_draft("li", "intake") is None
    save_draft("li", "intake", {"note": "第一稿"})
    save_draft("li", "intake", {"note": "第二稿"})
    save_draft("wang", "intake", {"note": "别人的"})
    assert load_draft("li", "intake") == {"note": "第二稿"}
    assert load_draft("li", "resident-new") is None
    clear_draft("li", "intake")
    assert load_draft("li", "intake") is None
    assert load_draft("wang", "intake") == {"note": "别人的"}
