"""W3C DPV 2.x as JSON-LD: one document per feature and one per app, with our own ``@context``.

DPV publishes no JSON-LD context, so discloser ships one (:data:`CONTEXT`, also written as
``context.jsonld`` and documented in the README). It is embedded in every document rather than
referenced, so a JSON-LD processor reads the files offline and the terms cannot change under
them. Short property names map to DPV properties; values such as ``pd:Picture`` are IRIs in
DPV's namespaces (``https://w3id.org/dpv#``, ``/pd#``, ``/ai#``, ``/loc#``).
"""

from __future__ import annotations

import json
from typing import Any

from discloser.model.declaration import Declaration
from discloser.stores.apps import Implied, categories_of, rows_of
from discloser.stores.mapping import load

CONTEXT: dict[str, Any] = {
    "@version": 1.1,
    "dpv": "https://w3id.org/dpv#",
    "pd": "https://w3id.org/dpv/pd#",
    "ai": "https://w3id.org/dpv/ai#",
    "loc": "https://w3id.org/dpv/loc#",
    "dct": "http://purl.org/dc/terms/",
    "id": "@id",
    "type": "@type",
    "title": "dct:title",
    "identifier": "dct:identifier",
    "features": {"@id": "dct:hasPart", "@container": "@set"},
    "name": "dpv:hasName",
    "controller": {"@id": "dpv:hasDataController"},
    "personalData": {"@id": "dpv:hasPersonalData", "@type": "@id", "@container": "@set"},
    "data": {"@id": "dpv:hasData", "@type": "@id", "@container": "@set"},
    "purpose": {"@id": "dpv:hasPurpose", "@type": "@id", "@container": "@set"},
    "recipient": {"@id": "dpv:hasRecipient", "@container": "@set"},
    "storage": {"@id": "dpv:hasStorageCondition", "@container": "@set"},
    "duration": {"@id": "dpv:hasDuration"},
    "location": {"@id": "dpv:hasLocation", "@type": "@id", "@container": "@set"},
    "frequency": {"@id": "dpv:hasFrequency", "@type": "@id"},
    "measure": {
        "@id": "dpv:hasTechnicalOrganisationalMeasure",
        "@type": "@id",
        "@container": "@set",
    },
}


def _countries(codes: list[str]) -> list[str]:
    return [f"loc:{c}" for c in sorted(set(codes))]


def feature(d: Declaration) -> dict[str, Any]:
    """One feature's processing as a DPV PersonalDataHandling (without ``@context``)."""
    mapping = load()
    personal = sorted({row.dpv for row in rows_of(d, mapping)})
    purposes = sorted({mapping.purposes[c].dpv for c in categories_of(d)})
    doc: dict[str, Any] = {
        "id": f"urn:discloser:feature:{d.id}",
        "type": "dpv:PersonalDataHandling",
        "identifier": d.id,
        "title": d.name,
        "controller": {"type": "dpv:DataController", "name": d.controller},
        "personalData": personal,
        "purpose": purposes,
        "frequency": mapping.dpv["cadence"][d.photos.cadence],
    }
    if d.ai_training.use != "none":
        doc["data"] = [mapping.dpv["training"]["data"]]
    doc["recipient"] = [
        {
            "type": mapping.recipients[r.role].dpv,
            "name": r.name,
            "location": _countries(r.countries),
        }
        for r in sorted(d.sharing, key=lambda r: r.id)
    ]
    storage: list[dict[str, Any]] = [
        {"type": "dpv:StorageDuration", "duration": d.storage.retention}
    ]
    if d.storage.location == "cloud":
        storage.append({"type": "dpv:StorageLocation", "location": _countries(d.storage.countries)})
    doc["storage"] = storage
    enc = d.storage.encryption.model_dump()
    doc["measure"] = sorted(term for key, term in mapping.dpv["encryption"].items() if enc[key])
    return doc


def feature_document(d: Declaration) -> dict[str, Any]:
    return {"@context": CONTEXT, **feature(d)}


def app_document(implied: Implied) -> dict[str, Any]:
    """The app: every live and beta member feature as a part."""
    return {
        "@context": CONTEXT,
        "id": f"urn:discloser:app:{implied.app.name}",
        "type": "dpv:PersonalDataHandling",
        "identifier": implied.app.name,
        "title": implied.app.name,
        "features": [feature(d) for d in implied.features],
    }


def text(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
