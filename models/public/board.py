"""The station head's notice board: the policies villagers may be entitled to
(惠农政策) and the village meeting's decisions made public (村务公开), added,
changed, withdrawn or put back — and what the hall's public screen reads of them.

One set of write functions serves both kinds: the form says which. A policy's
title gets its pinyin keys when it is saved, so searching never imports pypinyin.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from models.core.db import writes
from models.core.heads import create_as_head, save_as_head
from models.core.i18n import t
from models.core.session import Session
from models.core.validation import fail, optional_text, require_text, written_day
from models.errands.catalogue import item_keys
from models.public.entities import Policy, Publication
from models.village.entities import Tag

PUBLIC_ROWS = 200  # the hall's lists: a station publishes far fewer


@dataclass
class PolicyForm:
    title: str
    qualifies: str = ""  # who qualifies
    bring: str = ""  # what to bring
    apply_at: str = ""  # where to apply
    amount: str = ""  # the amount or standard
    tag: str = ""  # households it is meant for (a Tag value), "" for everyone


@dataclass
class PublicationForm:
    title: str
    decided_on: str  # as cadres write a day: 2026-11-25, 11-25
    decision: str = ""
    result: str = ""  # how it was carried out, once it has been


def policy_form(policy: Policy) -> PolicyForm:
    return PolicyForm(policy.title, policy.qualifies, policy.bring, policy.apply_at,
                      policy.amount, policy.tag)


def publication_form(publication: Publication) -> PublicationForm:
    return PublicationForm(publication.title, publication.decided_on.isoformat(),
                           publication.decision, publication.result)


def clean_policy(form: PolicyForm, today: dt.date | None = None) -> dict:
    title = require_text("title", form.title, t("policy.title"), 60)
    if form.tag not in ("", *Tag):
        raise fail("tag", "policy.bad_tag")
    return {"title": title, "search_keys": item_keys(title),
            "qualifies": optional_text("qualifies", form.qualifies, t("policy.qualifies"), 300),
            "bring": optional_text("bring", form.bring, t("policy.bring"), 300),
            "apply_at": optional_text("apply_at", form.apply_at, t("policy.apply_at"), 60),
            "amount": optional_text("amount", form.amount, t("policy.amount"), 80),
            "tag": str(form.tag)}


def clean_publication(form: PublicationForm, today: dt.date | None = None) -> dict:
    today = today or dt.date.today()
    try:
        decided_on = written_day((form.decided_on or "").strip(), today)
    except (TypeError, ValueError):
        raise fail("decided_on", "publication.bad_day", given=form.decided_on) from None
    if decided_on > today:
        raise fail("decided_on", "publication.future")
    return {"title": require_text("title", form.title, t("publication.title"), 60),
            "decided_on": decided_on,
            "decision": optional_text("decision", form.decision, t("publication.decision"),
                                      1000),
            "result": optional_text("result", form.result, t("publication.result"), 1000)}


# the form's kind -> its table, its checks, the entity its events name
KINDS = {PolicyForm: (Policy, clean_policy, "policy"),
         PublicationForm: (Publication, clean_publication, "publication")}
ENTITIES = {entity: model for model, _, entity in KINDS.values()}


@writes
def add_notice(form: PolicyForm | PublicationForm, actor: Session) -> Policy | Publication:
    """A new policy or publication of the head's station."""
    model, clean, entity = KINDS[type(form)]
    return create_as_head(model, actor, lambda station_id: clean(form), entity, "title")


@writes
def update_notice(row_id: int, expected_version: int, form: PolicyForm | PublicationForm,
                  actor: Session) -> Policy | Publication:
    model, clean, entity = KINDS[type(form)]
    return save_as_head(model, row_id, expected_version, actor, lambda row: clean(form),
                        entity)


@writes
def set_notice_active(entity: str, row_id: int, expected_version: int, active: bool,
                      actor: Session) -> Policy | Publication:
    """Withdraw a policy or publication from the hall's screen (kept, with its
    history), or put it back."""
    return save_as_head(ENTITIES[entity], row_id, expected_version, actor,
                        lambda row: {"active": bool(active)}, entity,
                        action="activate" if active else "retire")


def notices_of(entity: str, station_id: int) -> list[Policy | Publication]:
    """The head's list: every row of the station, withdrawn ones last."""
    model = ENTITIES[entity]
    newest = (model.decided_on.desc(),) if model is Publication else (model.search_keys,)
    return list(model.select().where(model.station == station_id)
                .order_by(model.active.desc(), *newest, model.id))


def public_policies(station_id: int, query: str = "") -> list[Policy]:
    """The policies in force; with `query`, those it finds (`finds`)."""
    rows = list(Policy.select().where((Policy.station == station_id) & Policy.active)
                .order_by(Policy.search_keys, Policy.id).limit(PUBLIC_ROWS))
    q = "".join(query.lower().split())
    return [policy for policy in rows if finds(q, policy)] if q else rows


def finds(query: str, policy: Policy) -> bool:
    """Whether `query` finds the policy: a piece of its title, the start of its
    pinyin (dibao), or a piece of its initials (dbj finds 城乡低保金 by cxdbj) —
    not any run of letters inside the whole pinyin (gd is not in xiangdibao)."""
    if query in policy.title:
        return True
    return any(key.startswith(query) or (query in key and len(key) == len(policy.title))
               for key in policy.search_keys.split("|"))


def public_publications(station_id: int) -> list[Publication]:
    """The decisions made public, newest first."""
    return list(Publication.select()
                .where((Publication.station == station_id) & Publication.active)
                .order_by(Publication.decided_on.desc(), Publication.id.desc())
                .limit(PUBLIC_ROWS))
