"""Store artefacts from the declarations: Apple's privacy manifest and App Store answers
(fastlane), Google Play's data safety form, and W3C DPV JSON-LD.

One module per consumer (``apple``, ``play``, ``dpv``), the app sets and their aggregate in
``apps``, the one mapping table in ``mapping.toml`` (read by ``mapping``), and the job in
``job``. Nothing here prints: refusals are :class:`~discloser.errors.UsageError`.
"""
