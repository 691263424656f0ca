"""Rule packs: the OIT item lists as validated data (``item_specs/<id>.yaml``)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

Recency = Literal["CFY", "H1", "PFY", "MY", "EV", "LIVE", "MONTHLY"]
Form = Literal["html", "pdf", "docx", "doc", "xlsx", "xls", "odt", "ods", "csv", "image", "external"]
ALL_FORMS: list[str] = ["html", "pdf", "docx", "doc", "xlsx", "xls", "odt", "ods", "csv", "image"]


class PackError(ValueError):
    """A rule pack that cannot be used; the message names the pack, item and field."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Model):
    th: str
    en: str


class Element(_Model):
    """A required element: present when at least ``min`` of its phrases occur in the document."""

    id: str
    name: Text
    phrases: list[str] = Field(min_length=1)
    min: int = 1


class Component(_Model):
    id: str
    name: Text
    recency: list[Recency] = Field(min_length=1)  # passes when any of the classes passes
    find: list[str] = Field(min_length=1)  # phrases that present a page/file as this kind of evidence
    elements: list[Element] = []
    forms: list[Form] = ALL_FORMS  # type: ignore[assignment]
    signed: bool = False  # must carry a signature block of the agency's head
    h1_cap: bool = False  # MONTHLY series end at March of FY F at the latest
    none_phrases: list[str] = []  # MONTHLY: explicit "no procurement this month" statements
    accept_mailto: bool = False  # LIVE: a labelled e-mail address is a working channel
    parent_ok: bool = False  # a parent body's document (e.g. BMA-wide) is accepted
    news: bool = False  # evidence is a dated news item (its own date counts, not a stated period)

    @model_validator(mode="after")
    def _check(self) -> Component:
        if "MONTHLY" in self.recency and len(self.recency) > 1:
            raise ValueError("MONTHLY cannot be combined with other recency classes")
        for e in self.elements:
            if e.min > len(e.phrases):
                raise ValueError(f"element {e.id}: min {e.min} exceeds its {len(e.phrases)} phrases")
        return self


class Item(_Model):
    id: str = Field(pattern=r"^O[1-9][0-9]?$")
    title: Text
    subindicator: str
    aliases: list[str] = []  # other labels sites use for the item as a whole
    components: list[Component] = Field(min_length=1)
    confidence: Literal["Q", "S", "R", "I"]
    source: str


class Group(_Model):
    name: Text
    weight: float | None = None  # share of the parent; None = equal shares (rule M)
    indicator: str | None = None  # for sub-indicators: "9" or "10"


class Band(_Model):
    label: str
    min: float


class Pack(_Model):
    id: str
    title: Text
    fiscal_year: int | None = None
    source: str
    agency_head: list[str] = Field(min_length=1)  # positions that sign as head ("ผู้อำนวยการเขต")
    agency_prefix: list[str] = []  # words before an agency's name ("สำนักงานเขต"), to spot other agencies' documents
    decoys: list[str] = []  # titles that are never evidence (the ITA manual, score news ...)
    preparation_news: list[str] = []  # news about preparing a document: never the document itself
    indicators: dict[str, Group]
    subindicators: dict[str, Group]
    bands: list[Band]
    items: list[Item] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> Pack:
        ids = [i.id for i in self.items]
        dup = {i for i in ids if ids.count(i) > 1}
        if dup:
            raise ValueError(f"duplicate item ids: {sorted(dup)}")
        for item in self.items:
            if item.subindicator not in self.subindicators:
                raise ValueError(f"item {item.id}: unknown subindicator {item.subindicator!r}")
        for sid, sub in self.subindicators.items():
            if sub.indicator not in self.indicators:
                raise ValueError(f"subindicator {sid}: unknown indicator {sub.indicator!r}")
        return self

    def item(self, item_id: str) -> Item:
        for i in self.items:
            if i.id == item_id:
                return i
        raise KeyError(item_id)


def _describe(err: ValidationError, data: dict, name: str) -> str:
    lines = [f"rule pack {name!r} is invalid:"]
    for e in err.errors():
        loc = list(e["loc"])
        where = []
        if len(loc) >= 2 and loc[0] == "items" and isinstance(loc[1], int):
            try:
                where.append(f"item {data['items'][loc[1]].get('id', '#' + str(loc[1]))}")
            except (KeyError, IndexError, AttributeError, TypeError):
                where.append(f"item #{loc[1]}")
            loc = loc[2:]
        field = ".".join(str(x) for x in loc) or "(pack)"
        lines.append(f"  - {' '.join(where + ['field ' + field])}: {e['msg']}")
    return "\n".join(lines)


def builtin_packs() -> list[str]:
    return sorted(p.name[:-5] for p in resources.files("item_specs").iterdir() if p.name.endswith(".yaml"))


def load_pack(name_or_path: str) -> Pack:
    """Load a shipped pack by id, or a user's YAML file by path; validate it."""
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml") and path.exists():
        text, name = path.read_text(encoding="utf-8"), str(path)
    else:
        res = resources.files("item_specs") / f"{name_or_path}.yaml"
        if not res.is_file():
            raise PackError(f"unknown framework {name_or_path!r}; shipped: {', '.join(builtin_packs())}")
        text, name = res.read_text(encoding="utf-8"), name_or_path
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise PackError(f"rule pack {name!r} is not valid YAML: {e}") from e
    if not isinstance(data, dict):
        raise PackError(f"rule pack {name!r} must be a mapping")
    try:
        return Pack.model_validate(data)
    except ValidationError as e:
        raise PackError(_describe(e, data, name)) from None
