"""``discloser check``: hold the declarations against the app's real code and manifests.

scan (sources → located signals, through tree-sitter) and manifests (Info.plist,
AndroidManifest.xml, app.json, xcprivacy → permission facts) feed link, which matches both
to the declarations and yields findings in the same shape as ``validate``'s.
"""
