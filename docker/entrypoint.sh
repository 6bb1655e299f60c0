#!/bin/sh
# Runs `monev ARGS`. Compose secrets arrive as files (/run/secrets/…); monev reads its
# settings from the environment, so POSTGRES_PASSWORD_FILE becomes POSTGRES_PASSWORD here,
# in this process only, and the *_FILE variable is dropped so `monev doctor` shows no path
# games. Nothing secret is ever baked into the image.
set -eu
if [ -n "${POSTGRES_PASSWORD_FILE:-}" ]; then
    if [ ! -r "$POSTGRES_PASSWORD_FILE" ]; then
        echo "monev: cannot read POSTGRES_PASSWORD_FILE=$POSTGRES_PASSWORD_FILE" >&2
        exit 1
    fi
    POSTGRES_PASSWORD="$(cat "$POSTGRES_PASSWORD_FILE")"
    export POSTGRES_PASSWORD
    unset POSTGRES_PASSWORD_FILE
fi
exec monev "$@"
