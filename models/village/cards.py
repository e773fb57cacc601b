"""便民连心卡: a card for every household of a villager group, to print and cut —
who the household is, the cadre who covers the group and their phone, the desk's
duty phone (with a QR code a phone dials), what the desk does and its four ways.

A4, eight cards a page (two across, four down, dashed lines to cut along). Read in
three queries (households with their heads, the covering cadres, the catalogue's
categories). Every value is HTML-escaped on the page: names are data.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import fn

from models.core.entities import Cadre, Station, VillagerGroup
from models.core.i18n import t
from models.core.session import Session
from models.core.validation import fail
from models.errands.entities import MODES, ServiceItem
from models.errands.printing import Printout, escaped, page_html
from models.people.entities import HEAD_OF_HOUSEHOLD, Household, Resident
from models.reports.sheets import require_head_export
from models.station.cadres import covering

CARDS_PER_PAGE = 8
CARD_CSS = """
@page { size: A4; margin: 8mm; }
@media screen { body { max-width: 196mm; } }
@media print { h1, .foot { display: none; } }
.sheet { display: grid; grid-template-columns: 95mm 95mm; grid-auto-rows: 69mm; }
.sheet + .sheet { page-break-before: always; break-before: page; }
.card { box-sizing: border-box; border: 0.3mm dashed #666; padding: 4mm 5mm;
        font-size: 9.5pt; line-height: 1.45; position: relative; overflow: hidden; }
.card h2 { font-size: 14pt; margin: 0 0 2mm; letter-spacing: 0.3em; }
.card p { margin: 0; }
.card .station { position: absolute; bottom: 3mm; left: 5mm; font-size: 8.5pt; }
.card .qr { position: absolute; top: 4mm; right: 5mm; width: 20mm; height: 20mm; }
.card .qr svg { width: 100%; height: 100%; }
.card .lead { margin-right: 22mm; }
.card .phone { font-weight: bold; font-size: 11pt; }
"""


@dataclass(frozen=True)
class Card:
    household: str  # the household number
    head: str  # the head of household ("" when none is registered)
    cadres: tuple[tuple[str, str], ...]  # (name, phone) of who covers the group


@dataclass(frozen=True)
class CardPage:
    station: str
    group: str  # "3组"
    duty_phone: str  # "" when the station has not set one
    opening_hours: str
    offered: tuple[str, ...]  # the catalogue's categories
    cards: tuple[Card, ...]


def contact_cards(actor: Session, group_number: int, today: dt.date | None = None) -> CardPage:
    """The cards of villager group `group_number` of the actor's station."""
    require_head_export(actor)
    group = VillagerGroup.get_or_none((VillagerGroup.station == actor.station_id)
                                      & (VillagerGroup.number == group_number))
    if group is None:
        raise fail("group", "cards.no_group", number=group_number)
    station = Station.get_by_id(actor.station_id)
    cadre_ids = covering(station.id, today or dt.date.today()).get(group.id, [])
    cadres = tuple(Cadre.select(Cadre.name, Cadre.phone).where(Cadre.id.in_(cadre_ids))
                   .order_by(Cadre.name).tuples()) if cadre_ids else ()
    head = (Resident.select(fn.MIN(Resident.name))
            .where((Resident.household == Household.id)
                   & (Resident.relation == HEAD_OF_HOUSEHOLD)))
    households = (Household.select(Household.number, head.alias("head"))
                  .where(Household.group == group.id).order_by(Household.number).tuples())
    offered = tuple(category for (category,) in ServiceItem.select(ServiceItem.category)
                    .where((ServiceItem.station == station.id) & ServiceItem.active)
                    .group_by(ServiceItem.category)
                    .order_by(fn.MIN(ServiceItem.id)).tuples())
    return CardPage(station.name, t("report.group", number=group.number), station.duty_phone,
                    station.opening_hours, offered,
                    tuple(Card(number, name or "", cadres) for number, name in households))


def _qr_svg(phone: str) -> str:
    """A QR code that dials `phone`, as inline SVG (segno's own markup of digits)."""
    import segno
    return segno.make_qr(f"tel:{phone}", error="m").svg_inline(border=1, omitsize=True)


def _line(label_key: str, value: str, css: str = "") -> str:
    css = f' class="{css}"' if css else ""
    return f"<p{css}>{escaped(t(label_key))}{escaped(value)}</p>"


def _card(card: Card, page: CardPage, qr: str) -> str:
    separator = t("import.list_separator")
    cadres = separator.join(f"{name} {phone}".strip() for name, phone in card.cadres)
    lines = [f"<h2>{escaped(t('cards.heading'))}</h2>",
             _line("cards.household", t("cards.household_value", number=card.household,
                                        head=card.head or t("cards.no_head")), "lead"),
             _line("cards.cadre", cadres or t("cards.no_cadre"), "lead")]
    if page.duty_phone:
        lines.append(_line("cards.duty_phone", page.duty_phone, "lead phone"))
    if page.opening_hours:
        lines.append(_line("cards.hours", page.opening_hours))
    lines += [_line("cards.offered", separator.join(page.offered)),
              _line("cards.ways", t("cards.ways_separator").join(
                  t(f"mode.{mode}") for mode in MODES)),
              f'<p class="station">{escaped(page.station)}{escaped(page.group)}</p>']
    code = f'<div class="qr">{qr}</div>' if qr else ""
    return f'<div class="card">{code}{"".join(lines)}</div>'


def cards_html(page: CardPage) -> str:
    qr = _qr_svg(page.duty_phone) if page.duty_phone else ""
    cards = [_card(card, page, qr) for card in page.cards]
    sheets = "".join(f'<section class="sheet">{"".join(cards[i:i + CARDS_PER_PAGE])}</section>'
                     for i in range(0, len(cards), CARDS_PER_PAGE))
    title = t("cards.title", station=page.station, group=page.group, count=len(page.cards))
    return page_html(title, sheets, CARD_CSS)


def contact_cards_printout(actor: Session, group_number: int) -> Printout:
    """The group's cards as a page to print (the coverage board's key; `kiosk
    export cards` writes it where the head says)."""
    page = contact_cards(actor, group_number)
    return Printout(t("cards.file", group=page.group), cards_html(page))
