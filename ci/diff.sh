#!/usr/bin/env bash
# Step of the GitHub Action (and usable in any CI): what a pull request changes in the
# declarations, written to the job summary, failing on a widening without a new revision.
#   DISCLOSER_BASE        revision to compare with (default: origin/$GITHUB_BASE_REF, else origin/main)
#   DISCLOSER_PATH        declarations folder (default: declarations)
#   GITHUB_STEP_SUMMARY   file the Markdown report is appended to (optional)
#   DISCLOSER             the command to run (default: discloser)
set -uo pipefail
path=${DISCLOSER_PATH:-declarations}
cmd=${DISCLOSER:-discloser}
base=${DISCLOSER_BASE:-origin/${GITHUB_BASE_REF:-main}}
report=$($cmd diff "$base" --path "$path" --format markdown --fail-on material)
status=$?
printf '%s\n' "$report"
if [[ -n "${GITHUB_STEP_SUMMARY:-}" ]]; then
  printf '%s\n' "$report" >> "$GITHUB_STEP_SUMMARY"
fi
exit "$status"
