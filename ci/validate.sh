#!/usr/bin/env bash
# Step of the GitHub Action (and usable in any CI): validate, with annotations and SARIF.
#   DISCLOSER_PATH   declarations folder (default: declarations)
#   DISCLOSER_SARIF  where to write SARIF for code-scanning upload (default: discloser.sarif)
#   DISCLOSER        the command to run (default: discloser)
set -uo pipefail
path=${DISCLOSER_PATH:-declarations}
sarif=${DISCLOSER_SARIF:-discloser.sarif}
cmd=${DISCLOSER:-discloser}
$cmd validate --format sarif "$path" > "$sarif"
status=$?
# Annotations on the pull request (the github format is chosen when GITHUB_ACTIONS=true).
$cmd validate "$path" || true
exit "$status"
