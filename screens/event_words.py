"""An event of the trail in words, for an errand's history and the audit.

Values are data, the sentence is ours; the caller shows the line through
`shown()`. ID numbers and phones are masked here even where an event written by
an older version still holds them in full.
"""
from __future__ import annotations

from rich.text import Text

from models.core.i18n import moment, t
from models.core.validation import mask_id, mask_phone
from models.errands.entities import status_label

from .widgets.shown import shown

# the catalogue's name of a changed field, where it is not "resident.<field>"
FIELD_KEYS = {("resident", "household"): "resident.household_number",
              ("station", "name"): "setup.station_name",
              ("station", "township"): "setup.township",
              ("station", "callback_days"): "settings.callback_days",
              ("station", "nights_required"): "settings.nights_required",
              ("station", "nights_rule"): "settings.nights_rule",
              ("shift", "missed_reason"): "duty.missed_reason"}
RESIDENT_FIELDS = ("name", "gender", "id_number", "phone", "relation", "pinyin_override",
                   "note")
MASKS = {"id_number": mask_id, "phone": mask_phone}


def word_for(key: str, fallback: str) -> str:
    """The catalogue's word, or `fallback` (the code's own name) for a kind of
    event this version has no word for yet — one written by a newer version."""
    try:
        return t(key)
    except KeyError:
        return fallback


def history_text(events, cadres: dict[int, str], mode: str | None = None) -> Text:
    """A row's events, oldest first: when, who, what; a long line wraps in its box."""
    text = Text()
    for event in events:
        text.append(moment(event.at), style="dim")
        text.append("  ")
        text.append(shown(event.actor.name if event.actor_id else "", "bold"))
        text.append("  ")
        text.append(shown(describe_event(event, cadres, mode)))
        text.append("\n")
    text.rstrip()
    return text


def describe_event(event, cadres: dict[int, str], mode: str | None = None) -> str:
    """One line: what happened, for `event` (cadres: id -> name, for the ids an
    errand's history names; mode: the errand's way of handling, which words its
    statuses)."""
    detail = event.detail or {}
    if event.action == "revealed":
        return t("history.revealed", fields="、".join(
            t(f"resident.{name}") for name in detail.get("fields", [])))
    if event.entity == "errand":
        return _errand_words(event, detail, cadres, mode)
    if event.entity == "dispute":
        return _dispute_words(event, detail)
    return _other_words(event, detail)


DISPUTE_FIELDS = {"title": "dispute.title_label", "summary": "dispute.summary",
                  "kind": "dispute.kind_label", "risk": "dispute.risk_label",
                  "found_on": "dispute.found_on", "review_due": "dispute.review_due"}


def _dispute_value(name: str, value) -> str:
    if value in (None, ""):
        return "—"
    return t(f"dispute.{name}.{value}") if name in ("kind", "risk", "status") else str(value)


def _dispute_words(event, detail: dict) -> str:
    """A dispute's event: recorded, moved on, mediated, reported, edited."""
    parts = []
    if event.action == "create":
        parts.append(t("history.dispute_create", kind=_dispute_value("kind", detail.get("kind")),
                       risk=_dispute_value("risk", detail.get("risk"))))
    if event.action == "session":
        parts.append(t("history.session", day=moment(detail.get("held_on", "")),
                       place=detail.get("place", "")))
    if event.action == "parties":
        parts.append(t("history.parties"))
    for name, (before, after) in detail.get("changes", {}).items():
        if name == "status":
            parts.append(t("history.status", before=_dispute_value(name, before),
                           after=_dispute_value(name, after)))
        elif name == "agreement":
            parts.append(t("history.agreement", value=after))
        elif name in DISPUTE_FIELDS:
            parts.append(t("history.change", field=t(DISPUTE_FIELDS[name]),
                           before=_dispute_value(name, before),
                           after=_dispute_value(name, after)))
    if detail.get("reason"):
        parts.append(t("history.reason", value=detail["reason"]))
    if detail.get("to_whom"):
        parts.append(t("history.escalated", to_whom=detail["to_whom"],
                       day=moment(detail.get("escalated_on", ""))))
    if detail.get("result"):
        parts.append(t("history.result", value=detail["result"]))
    return "；".join(parts) or word_for(f"history.action.{event.action}", event.action)


def _errand_words(event, detail: dict, cadres: dict[int, str], mode: str | None) -> str:
    changes = detail.get("changes", {})
    parts = []
    if event.action == "calendar":  # the holiday calendar changed under it
        parts.append(t("history.calendar_moved"))
    if event.action == "create":
        parts.append(t("history.create", mode=t(f"mode.{detail.get('mode', '')}")
                       if detail.get("mode") else ""))
    for name, (before, after) in changes.items():
        if name == "status":
            parts.append(t("history.status", before=status_label(before, mode),
                           after=status_label(after, mode)))
        elif name == "owner":
            parts.append(t("history.owner", before=cadres.get(before, "—"),
                           after=cadres.get(after, "—")))
        elif name in ("due_date", "appointment_at"):
            parts.append(t(f"history.{name}", value=moment(after) if after else "—"))
        elif name in ("satisfaction", "appointment_place"):
            parts.append(t(f"history.{name}", value=str(after)))
    for key in ("text", "reason", "custody_note"):
        if detail.get(key):
            parts.append(t(f"history.{key}", value=detail[key]))
    if event.action == "materials":
        parts.append(t("history.received", names="、".join(detail.get("received", []))))
    if detail.get("went_ahead_missing"):
        parts.append(t("history.went_ahead_missing",
                       names="、".join(detail["went_ahead_missing"])))
    if detail.get("returned"):
        parts.append(t("history.returned", names="、".join(detail["returned"])))
    if "holder" in detail:
        parts.append(t("history.holder", name=detail.get("material", ""),
                       holder=t("custody.township") if detail.get("at_township")
                       else cadres.get(detail["holder"], "—")))
    if event.action == "callback" and detail.get("reached") is False:
        parts.append(t("history.not_reached"))
    if detail.get("other"):
        parts.append(t("history.link", number=detail["other"]))
    if detail.get("absorbed"):
        parts.append(t("history.absorbed", number=detail["absorbed"]))
    return "；".join(p for p in parts if p) or word_for(f"history.action.{event.action}",
                                                      event.action)


def _other_words(event, detail: dict) -> str:
    """A resident's, the station's or the duty roster's event."""
    changes = detail.get("changes")
    if event.action in ("edit", "missed_reason") and isinstance(changes, dict):
        return "；".join(t("history.change", field=_field(event.entity, name),
                          before=_value(name, before), after=_value(name, after))
                        for name, (before, after) in changes.items())
    if event.entity == "shift_template":
        return t("history.change", field=t("audit.entity.shift_template"),
                 before=_value("", detail.get("before")), after=_value("", detail.get("after")))
    if event.entity == "night" and event.action == "correct":
        return t("history.night_added" if detail.get("counted") else "history.night_removed",
                 night=detail.get("night", ""), reason=detail.get("reason", ""))
    if event.entity == "calendar" and event.action == "set":
        return t("history.calendar_set", day=detail.get("day", ""),
                 kind=t(f"calendar.{detail.get('kind')}"), name=detail.get("name", ""))
    if event.entity == "public":  # a lookup at the hall's screen
        return t("history.public_lookup", number=detail.get("number", ""),
                 found=t("history.public_found" if detail.get("found")
                         else "history.public_not_found"))
    if event.entity == "roster":
        return t("history.roster_generate", month=detail.get("month", ""))
    if event.entity == "leave":
        return t("history.leave", first=detail.get("first_day", ""),
                 last=detail.get("last_day", ""), reason=detail.get("reason", ""))
    return word_for(f"history.action.{event.action}", event.action)


def _field(entity: str, name: str) -> str:
    key = FIELD_KEYS.get((entity, name))
    if key is None and entity == "resident" and name in RESIDENT_FIELDS:
        key = f"resident.{name}"
    if key is None and entity in ("policy", "publication"):
        return word_for(f"{entity}.{name}", name)
    return t(key) if key else name


def _value(name: str, value) -> str:
    if value in (None, ""):
        return "—"
    if name == "nights_rule":
        return t(f"settings.nights_rule.{value}")
    return MASKS[name](str(value)) if name in MASKS else str(value)
