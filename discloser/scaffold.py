"""``discloser init``: a new declaration with every question asked and none answered.

Each answer is ``TODO`` with the allowed values beside it, so the file has the full shape (an
editor completes it from the schema) and validation fails, located at each TODO, until a
person has answered every question. Nothing is pre-filled with a guess, because a guess that
survives review becomes a false notice.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path

from discloser.errors import UsageError
from discloser.model.types import _SLUG

SCAFFOLD = """\
# yaml-language-server: $schema={schema}
# Answer every TODO; `discloser validate` names each one that is left.
discloser: 1
id: {id}
name: TODO                       # the feature's name as people see it
summary: TODO                    # one plain sentence: what it does with photos
owner: TODO                      # internal team or address (not published)
controller: TODO                 # the company responsible (GDPR controller)
status: planned                  # planned | beta | live | retired
revision: 1
effective: {today}
locales: [en]                    # first: this file's language; others under translations
platforms: [TODO]                # ios | android | web | desktop
regions: [TODO]                  # ISO 3166-1 alpha-2 codes; EU and EEA expand

photos:
  access: TODO                   # picker | limited_selection | full_library | shared_posts | capture_only
  includes_unshared: TODO        # true | false: photos never shared included?
  cadence: TODO                  # on_device_only | on_request | continuous
  # lookback: P30D               # only for continuous: how far back
  reads: [TODO]                  # pixels | faces | text | location | capture_time | device_metadata | people_tags
  face_analysis: TODO            # none | detection | grouping | recognition

purposes:
  - id: TODO                     # lowercase-with-hyphens
    text: TODO                   # one sentence from the person's side
    category: TODO               # app_functionality | personalisation | ai_training | advertising | analytics | safety_security | other
    legal_basis: TODO            # consent | contract | legitimate_interests | legal_obligation | vital_interests | public_task
    required: TODO               # true | false: does the feature work without it?

processing:
  location: TODO                 # on_device | cloud | hybrid
  countries: []                  # ISO codes for cloud processing
  human_review: TODO             # none | sampled | on_report
  automated_decisions: TODO      # true | false (GDPR Art. 22)

storage:
  location: TODO                 # not_stored | on_device | cloud
  countries: []
  retention: TODO                # ISO 8601 duration (P30D) | not_retained | until_deleted
  # after_opt_out: P30D          # required for cloud storage
  encryption: {{in_transit: TODO, at_rest: TODO, end_to_end: TODO}}
  deletion: TODO                 # where the person deletes what is kept

ai_training:
  use: TODO                      # none | this_feature | general_models
  reads: []
  faces: TODO                    # true | false
  purposes: []                   # ids of ai_training purposes
  opt_out_removes: TODO          # true | false

advertising: {{targeting: TODO, measurement: TODO, profiling: TODO}}

sharing: []                      # recipients: id, name, role (processor | controller | public), purposes, countries

consent:
  model: TODO                    # opt_in | opt_out | notice_only
  per_purpose: TODO              # true | false
  withdraw: TODO                 # where the person withdraws, written out

links:
  policy: TODO                   # https://…
  contact: TODO                  # https://… or mailto:…
"""


def scaffold(feature_id: str, folder: Path, schema_path: str) -> Path:
    """Write ``folder/<id>.yaml`` atomically; refuse a bad id or an existing file."""
    if not _SLUG.match(feature_id) or len(feature_id) > 64:
        raise UsageError(f"{feature_id!r} is not an id: use lowercase letters, digits and hyphens")
    target = folder / f"{feature_id}.yaml"
    if target.exists():
        raise UsageError(f"{target}: already exists; not overwritten")
    folder.mkdir(parents=True, exist_ok=True)
    text = SCAFFOLD.format(id=feature_id, today=date.today().isoformat(), schema=schema_path)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{feature_id}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.link(tmp, target)  # fails rather than replaces if the file appeared meanwhile
    except FileExistsError:
        raise UsageError(f"{target}: already exists; not overwritten") from None
    finally:
        Path(tmp).unlink(missing_ok=True)
    return target
