#!/usr/bin/env bash
# Validates the Kubernetes manifests against the Kubernetes API's schemas
# (kubernetes-validate from PyPI, which ships the schemas: no network needed
# once installed), then checks what a production deployment must have.
set -euo pipefail
cd "$(dirname "$0")/.."

version=1.37.0
kube=1.33
venv=${KUBERNETES_VALIDATE_VENV:-"$HOME/.cache/samudbud/kubernetes-validate-$version"}
if [ ! -x "$venv/bin/kubernetes-validate" ]; then
  echo "installing kubernetes-validate $version into $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "kubernetes-validate==$version"
fi
"$venv/bin/kubernetes-validate" --strict --kubernetes-version "$kube" deploy/kubernetes/*.yaml
"$venv/bin/python" deploy/check_manifests.py deploy/kubernetes/*.yaml
