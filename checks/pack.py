"""Rule packs: the OIT item lists as validated data (``item_specs/<id>.yaml``)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

Recency = Literal["CFY", "H1", "PFY", "MY", "EV", "LIVE", "MONTHLY"]
Form = Literal["html", "pdf", "docx", "doc", "xlsx", "xls", "odt", "ods", "csv", "image", "external"]
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 10x faster
CONCEPTS = "concepts"  # item_specs/concepts.yaml: components shared by several packs
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
    alone: list[str] = []  # any one of these satisfies the element by itself (a chart image for its positions)


class Component(_Model):
    id: str
    name: Text
    recency: list[Recency] = Field(min_length=1)  # passes when any of the classes passes
    find: list[str] = Field(min_length=1)  # phrases that present a page/file as this kind of evidence
    decoys: list[str] = []  # cover phrases that make a page or file a decoy for this component (a blank form)
    general_find: list[str] = []  # LIVE: labels of a general channel, which is only an incomplete candidate
    elements: list[Element] = []
    elements_in_body: bool = False  # the words naming the document's kind in its heading are not its elements
    forms: list[Form] = ALL_FORMS  # type: ignore[assignment]
    signed: bool = False  # must carry a signature block of the agency's head
    h1_cap: bool = False  # MONTHLY series end at March of FY F at the latest
    none_phrases: list[str] = []  # explicit "there was none" statements (a month, or the year so far)
    accept_mailto: bool = False  # LIVE: a labelled e-mail address is a working channel
    accept_social: bool = False  # LIVE: an account on a social or chat platform is a working channel
    social_only: bool = False  # LIVE: only such an account counts (the Social Network item)
    parent_ok: bool = False  # a parent body's document (e.g. BMA-wide) is accepted
    in_post: bool = False  # EV (c): the head it shows must be the one who signs FY F documents
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
    selectable_as: list[str] = []  # other ids of the same list (nacc-2564 serves 2563 and 2565)
    source: str
    agency_head: list[str] = Field(min_length=1)  # positions that sign as head ("ผู้อำนวยการเขต")
    agency_prefix: list[str] = []  # words before an agency's name ("สำนักงานเขต"), to spot other agencies' documents
    parent_bodies: list[str] = []  # parent agencies whose own documents do not count for the agency's items
    parent_hosts: list[str] = []  # official hosts of the parent body ("bangkok.go.th"), for parent_ok components
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


@lru_cache(maxsize=64)
def _builtin_text(name: str) -> str | None:
    res = resources.files("item_specs") / f"{name}.yaml"
    return res.read_text(encoding="utf-8") if res.is_file() else None


def _yaml(text: str, name: str) -> dict:
    try:
        data = yaml.load(text, Loader=_YAML_LOADER)
    except yaml.YAMLError as e:
        raise PackError(f"rule pack {name!r} is not valid YAML: {e}") from e
    if not isinstance(data, dict):
        raise PackError(f"rule pack {name!r} must be a mapping")
    return data


def builtin_packs() -> list[str]:
    """Ids of the shipped packs (``concepts.yaml`` is the shared vocabulary, not a pack)."""
    return sorted(p.name[:-5] for p in resources.files("item_specs").iterdir()
                  if p.name.endswith(".yaml") and p.name != f"{CONCEPTS}.yaml")


@lru_cache(maxsize=1)
def pack_aliases() -> dict[str, str]:
    """Other ids a shipped pack answers to (``nacc-2563`` → ``nacc-2564``)."""
    out = {}
    for pid in builtin_packs():
        for alias in _yaml(_builtin_text(pid) or "", pid).get("selectable_as", []):
            out[str(alias)] = pid
    return out


@lru_cache(maxsize=1)
def concepts() -> dict[str, dict]:
    """The shared concept components, by id (``item_specs/concepts.yaml``)."""
    text = _builtin_text(CONCEPTS)
    return _yaml(text, CONCEPTS).get("concepts", {}) if text else {}


def _component(raw: dict, shared: dict[str, dict], where: str) -> dict:
    """A pack's component with its ``concept`` expanded: the concept's fields, then the pack's.

    ``elements_drop`` removes named elements of the concept and ``elements_add`` appends new ones,
    so a pack can state how its item differs from the shared concept without copying it.
    """
    if not isinstance(raw, dict) or "concept" not in raw:
        return raw
    raw = dict(raw)
    cid = raw.pop("concept")
    if cid not in shared:
        raise PackError(f"{where}: unknown concept {cid!r} (item_specs/{CONCEPTS}.yaml)")
    out = {"id": cid, **shared[cid]}
    drop = set(raw.pop("elements_drop", []))
    add = raw.pop("elements_add", [])
    unknown = drop - {e["id"] for e in out.get("elements", [])}
    if unknown:
        raise PackError(f"{where}: elements_drop names unknown elements {sorted(unknown)} of concept {cid!r}")
    out.update(raw)
    out["elements"] = [e for e in out.get("elements", []) if e["id"] not in drop] + list(add)
    return out


def _expand(data: dict, name: str, seen: tuple[str, ...] = ()) -> dict:
    """Resolve ``extends`` (parent's fields and items, the child's win by key / item id) and concepts."""
    parent_id = data.get("extends")
    if parent_id:
        if parent_id in seen:
            raise PackError(f"rule pack {name!r}: extends loops through {parent_id!r}")
        text = _builtin_text(str(parent_id))
        if text is None:
            raise PackError(f"rule pack {name!r}: extends unknown pack {parent_id!r}")
        parent = _expand(_yaml(text, parent_id), parent_id, (*seen, name))
        child_items = {i.get("id"): i for i in data.get("items", []) if isinstance(i, dict)}
        items = [child_items.pop(i["id"], i) for i in parent["items"]]
        items += [i for i in data.get("items", []) if isinstance(i, dict) and i.get("id") in child_items]
        merged = {**parent, "selectable_as": []}  # a child does not answer to its parent's other ids
        merged.update({k: v for k, v in data.items() if k not in ("extends", "items")})
        merged["items"] = items
        data = merged
    shared = concepts()
    data = dict(data)
    items = []
    for n, item in enumerate(data.get("items") or []):
        if isinstance(item, dict) and isinstance(item.get("components"), list):
            where = f"rule pack {name!r} item {item.get('id', '#' + str(n))}"
            item = {**item, "components": [_component(c, shared, where) for c in item["components"]]}
        items.append(item)
    data["items"] = items
    return data


def load_pack(name_or_path: str) -> Pack:
    """Load a shipped pack by id (or one of its ``selectable_as`` ids), or a user's YAML file by path."""
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml") and path.exists():
        return _load_pack(name_or_path, path.stat().st_mtime_ns)  # an edited file is read again
    return _load_pack(pack_aliases().get(name_or_path, name_or_path), 0)


@lru_cache(maxsize=32)
def _load_pack(name_or_path: str, _stamp: int) -> Pack:
    """Packs are frozen models: one parsed and validated copy per file version is shared."""
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml") and path.exists():
        text, name = path.read_text(encoding="utf-8"), str(path)
    else:
        name = pack_aliases().get(name_or_path, name_or_path)
        found = _builtin_text(name) if name != CONCEPTS else None
        if found is None:
            raise PackError(f"unknown framework {name_or_path!r}; shipped: {', '.join(builtin_packs())}"
                            f" (also selectable as: {', '.join(sorted(pack_aliases())) or '-'})")
        text = found
    data = _expand(_yaml(text, name), name)
    try:
        return Pack.model_validate(data)
    except ValidationError as e:
        raise PackError(_describe(e, data, name)) from None
