#!/usr/bin/env bash
# Step of the GitHub Action (and usable in any CI): hold the declarations against the app's
# code and manifests, with annotations and SARIF.
#   DISCLOSER_APP    the app's folders, space-separated (default: . , the project root)
#   DISCLOSER_PATH   declarations folder (default: declarations)
#   DISCLOSER_CHECK_SARIF  where to write SARIF for code-scanning upload (default: discloser-check.sarif)
#   DISCLOSER        the command to run (default: discloser)
set -uo pipefail
read -r -a app <<< "${DISCLOSER_APP:-.}"
path=${DISCLOSER_PATH:-declarations}
sarif=${DISCLOSER_CHECK_SARIF:-discloser-check.sarif}
cmd=${DISCLOSER:-discloser}
$cmd check --format sarif --declarations "$path" "${app[@]}" > "$sarif"
status=$?
# Annotations on the pull request (the github format is chosen when GITHUB_ACTIONS=true).
$cmd check --declarations "$path" "${app[@]}" || true
exit "$status"
