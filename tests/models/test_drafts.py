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


def test_a_server_drafts_are_also_kept_on_this_machine(db):
    from models.core.db import is_sqlite
    from models.core.drafts import (
        forget_locally,
        keep_locally,
        local_drafts_file,
        newest_draft,
    )
    save_draft("li", "intake", {"note": "服务器上的"})
    keep_locally("li", "intake", {"note": "断线时填的"})
    if is_sqlite(db):  # the database is a file here already: no second copy
        assert newest_draft("li", "intake") == {"note": "服务器上的"}
        return
    path = local_drafts_file("li")
    assert path.stat().st_mode & 0o777 == 0o600
    assert newest_draft("li", "intake") == {"note": "断线时填的"}  # the newer
    assert newest_draft("wang", "intake") is None
    forget_locally("li", "intake")  # abandoned while the server could not be told
    assert newest_draft("li", "intake") is None
    assert load_draft("li", "intake") == {"note": "服务器上的"}
