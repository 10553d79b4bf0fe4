"""FHIR electronic product information (ePI), JSON or XML -> a leaflet.

An EU ePI is a FHIR R5 `Bundle` of type `document` whose first entry is a `Composition`; the
Composition's sections (and their sub-sections) are the QRD sections in order, each with a
title and its text as XHTML (`text.div`). `fhir.resources` 8.x parses and checks real ePI
bundles as R5 (its R4B models reject them). Real bundles mix languages: the Spanish ePI this
was measured on has English section titles over Spanish text, with the Spanish heading in the
section's `code.text`. So `Composition.language` decides the voice (and the build says so),
and a section's `code.text`, when it has one, is the heading spoken, else its `title`.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from audioleaflet.errors import InputError
from audioleaflet.intake.characters import normalise_spaces
from audioleaflet.intake.decoding import read_bytes
from audioleaflet.model import Block, BlockKind, Reason, Removal
from audioleaflet.readers.formats import DocumentInfo, Part, ReadFile, need
from audioleaflet.readers.qrd import holder, is_package_leaflet_heading, leaflet_title, revised
from audioleaflet.readers.structure import Item
from audioleaflet.readers.xhtml import fragment_items

MAX_BUNDLE_BYTES = 50_000_000
_NOT_EPI = "an ePI is a FHIR Bundle of type document whose first entry is a Composition"


def _kind(data: bytes, path: Path) -> str:
    start = data.lstrip()[:1]
    if start == b"{":
        return "json"
    if start == b"<":
        return "xml"
    raise InputError(f"{path}: is neither FHIR JSON nor FHIR XML; {_NOT_EPI}")


def _check_shape(data: bytes, kind: str, path: Path) -> None:
    """Clear errors for the common wrong files, before the FHIR models' long ones."""
    if kind == "json":
        try:
            raw = json.loads(data)
        except ValueError as exc:
            raise InputError(f"{path}: is not valid JSON ({exc}); {_NOT_EPI}") from None
        resource = raw.get("resourceType") if isinstance(raw, dict) else None
        bundle_type = raw.get("type") if isinstance(raw, dict) else None
        entries = raw.get("entry") if isinstance(raw, dict) else None
        first = entries[0].get("resource", {}) if isinstance(entries, list) and entries else {}
        first_type = first.get("resourceType") if isinstance(first, dict) else None
    else:
        from lxml import etree

        try:
            root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False))
        except etree.XMLSyntaxError as exc:
            raise InputError(f"{path}: is not well-formed XML ({exc}); {_NOT_EPI}") from None
        resource = etree.QName(root).localname
        bundle_type = root.findtext("{http://hl7.org/fhir}type")
        node = root.find("{http://hl7.org/fhir}type")
        bundle_type = node.get("value") if node is not None else None
        first_node = root.find("{http://hl7.org/fhir}entry/{http://hl7.org/fhir}resource/*")
        first_type = etree.QName(first_node).localname if first_node is not None else None
    if resource != "Bundle":
        raise InputError(f"{path}: is a FHIR {resource or 'file without resourceType'}; {_NOT_EPI}")
    if bundle_type != "document":
        raise InputError(f"{path}: is a FHIR Bundle of type {bundle_type!r}; {_NOT_EPI}")
    if first_type != "Composition":
        raise InputError(f"{path}: is a Bundle with no Composition first; {_NOT_EPI}")


def read_epi(path: Path) -> ReadFile:
    """The leaflet in an ePI bundle."""
    need("fhir.resources", "FHIR ePI bundles")
    from fhir.resources.bundle import Bundle

    data = read_bytes(path, "an ePI bundle (.json or .xml)")
    if len(data) > MAX_BUNDLE_BYTES:
        raise InputError(f"{path}: is larger than {MAX_BUNDLE_BYTES // 1_000_000} MB; not an ePI")
    kind = _kind(data, path)
    _check_shape(data, kind, path)
    try:
        bundle = (
            Bundle.model_validate_json(data) if kind == "json" else Bundle.model_validate_xml(data)
        )
    except Exception as exc:  # pydantic's ValidationError and the XML parser's errors
        first = str(exc).strip().splitlines()
        detail = " ".join(first[:3])[:200]
        raise InputError(f"{path}: is not a valid FHIR R5 Bundle ({detail})") from None
    # `_check_shape` made sure the first entry is a Composition.
    composition: Any = bundle.entry[0].resource if bundle.entry else None
    items: list[Item] = []
    removed: list[Removal] = []
    for section in composition.section or []:
        _section(section, 1, items, removed)
    if not items:
        raise InputError(f"{path}: the ePI's Composition has no sections with text")
    lines = [block.text for _level, block in items]
    title = leaflet_title(lines) or normalise_spaces(composition.title or "") or None
    stated = composition.date
    date = stated.date() if isinstance(stated, dt.datetime) else stated
    info = DocumentInfo(
        title=title,
        organisation=_author(bundle, composition) or holder(lines),
        date=revised(lines) or date,
        version=str(composition.version) if composition.version else None,
    )
    lang = composition.language or bundle.language
    part = Part(
        label="Composition", title=title, info=info, items=tuple(items), removed=tuple(removed)
    )
    return ReadFile("FHIR ePI", (part,), lang=lang, lang_source="the ePI's Composition.language")


def _section(section: Any, level: int, items: list[Item], removed: list[Removal]) -> None:
    heading = normalise_spaces((section.code.text if section.code else None) or section.title or "")
    children = section.section or []
    if heading and children and is_package_leaflet_heading(heading):
        # The annex's "B. PACKAGE LEAFLET" over the leaflet's sections, often untranslated.
        removed.append(Removal(Reason.NOT_LEAFLET, f"{heading} (the annex heading)"))
    elif heading:
        items.append((level, Block(BlockKind.SUBHEADING, heading)))
    if section.text and section.text.div:
        body = _div_items(section.text.div, level)
        if body and heading and body[0][1].text == heading:
            body = body[1:]  # The section's text repeats its heading.
        words = sum(len(b.text.split()) for _lv, b in body)
        # A container section's own text is often a placeholder ("unavailable").
        if not children or words > 3:
            items += body
        elif body:
            removed.append(Removal(Reason.NOT_LEAFLET, " ".join(b.text for _lv, b in body)))
    for child in children:
        _section(child, level + 1, items, removed)


def _div_items(div: str, level: int) -> list[Item]:
    import lxml.html

    root = lxml.html.fragment_fromstring(div, create_parent="div")
    return fragment_items(root, level_offset=level)


def _author(bundle: Any, composition: Any) -> str | None:
    """The name of the Organization the Composition's author points to."""
    for author in composition.author or []:
        if author.display:
            return str(author.display)
        reference = author.reference or ""
        for entry in bundle.entry or []:
            resource = entry.resource
            if resource is None or resource.get_resource_type() != "Organization":
                continue
            if reference in (f"Organization/{resource.id}", entry.fullUrl) and resource.name:
                return str(resource.name)
    return None
